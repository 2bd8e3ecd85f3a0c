"""The live events route under load, bad input and long calls."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from callguide.model import Hint, call_workflow_id
from callguide.resources import Stores
from callguide.settings import Settings
from callguide.sse_client import ServerEvent, server_events
from storage.redis_streams import CallEventStreams
from tests.api.test_calls import read_events, start_call
from tests.conftest import Stack, TenantKey, make_settings, new_tenant
from tests.workflows.test_call_workflow import utterance
from workflows.call import CallWorkflow
from workflows.call_types import CallSnapshot, EndCallRequest
from workflows.guidance_types import HintDelivery

PER_CALL, PER_TENANT = 50, 60
DURABLE_BOUND, INTERIM_BOUND = 200, 10


@pytest.fixture
def settings(stack: Stack) -> Settings:
    return make_settings(
        stack,
        sse_max_subscribers_per_call=PER_CALL,
        sse_max_subscribers_per_tenant=PER_TENANT,
        redis_stream_maxlen=DURABLE_BOUND,
        redis_interim_stream_maxlen=INTERIM_BOUND,
    )


@pytest_asyncio.fixture(loop_scope="session")
async def crowd(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client with room for more concurrent streams than httpx's default 100."""
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=api_url, timeout=30, limits=limits) as session:
        yield session


@contextlib.asynccontextmanager
async def viewer(
    http: httpx.AsyncClient, url: str, tenant: TenantKey
) -> AsyncIterator[tuple[httpx.Response, AsyncIterator[ServerEvent]]]:
    async with http.stream("GET", url, headers=tenant.headers) as response:
        yield response, server_events(response)


async def test_openapi_describes_the_event_stream(http: httpx.AsyncClient) -> None:
    route = (await http.get("/openapi.json")).json()["paths"]["/v1/calls/{call_id}/events"]["get"]
    assert "text/event-stream" in route["responses"]["200"]["content"]
    assert {"200", "204", "400", "404", "429"} <= set(route["responses"])
    assert "last-event-id" in [p["name"].lower() for p in route["parameters"]]


async def test_a_malformed_last_event_id_is_a_400_naming_the_header(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None
) -> None:
    call_id, _ = await start_call(http, tenant)
    for bad in ("garbage", "1-2-3", "12/ab", "' OR 1=1"):
        response = await http.get(
            f"/v1/calls/{call_id}/events", headers={**tenant.headers, "Last-Event-ID": bad}
        )
        assert response.status_code == 400, bad
        assert response.json()["detail"].startswith("Last-Event-ID:")


async def test_another_tenant_cannot_watch_the_call(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores, worker: None
) -> None:
    call_id, _ = await start_call(http, tenant)
    stranger = await new_tenant(stores)
    response = await http.get(f"/v1/calls/{call_id}/events", headers=stranger.headers)
    assert response.status_code == 404


async def test_a_live_stream_closes_after_the_final_status_and_then_answers_204(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    url = f"/v1/calls/{call_id}/events"
    received: list[ServerEvent] = []
    async with viewer(http, url, tenant) as (response, events):
        assert response.status_code == 200
        async for event in events:
            received.append(event)
            if len(received) == 1:  # live now: end the call while this viewer watches
                await handle.signal(CallWorkflow.add_utterance, utterance(0))
                await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    # The server closed the stream by itself right after the final status.
    assert [e.type for e in received] == ["status", "utterance", "status", "status"]
    assert received[-1].data["data"]["status"] == "ended"
    again = await http.get(url, headers={**tenant.headers, "Last-Event-ID": received[-1].id})
    assert again.status_code == 204


async def test_a_hint_guidance_showed_early_reaches_a_viewer_once_and_before_its_turn(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client, stores: Stores
) -> None:
    """Guidance shows a hint on the transient stream, then the call's durable copy (same
    id) follows: a viewer gets it once, the early one, even though a durable event newer
    than it (the turn's utterance) came in the same read."""
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    now = datetime.now(UTC).isoformat()
    hint = Hint("h1", "reminder", "Retention offer", "Offer it.", "cancel-intent", now, now)
    shown = {"type": "hint", "at": now, "data": {**dataclasses.asdict(hint), "delivered_at": now}}
    await stores.streams.publish_transient(tenant.tenant_id, call_id, shown)
    await handle.signal(CallWorkflow.add_utterance, utterance(0))
    await handle.signal(CallWorkflow.add_hint, HintDelivery(hint, now, shown_at=now))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()
    snapshot: CallSnapshot = await handle.query(CallWorkflow.snapshot)
    assert [h.hint_id for h in snapshot.hints] == ["h1"]  # kept, though past its deliver_by
    assert snapshot.hints[0].delivered_at == now  # when the agent saw it

    url = f"/v1/calls/{call_id}/events"
    events = await asyncio.wait_for(read_events(http, url, tenant.headers, count=100), 10)
    kinds = [e.type for e in events if e.type in ("hint", "utterance")]
    assert kinds == ["hint", "utterance"]
    [seen] = [e for e in events if e.type == "hint"]
    assert seen.data["data"]["delivered_at"] == now  # guidance's early copy


async def test_resuming_a_long_call_replays_every_durable_event_past_many_interims(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client, stores: Stores
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    publisher = CallEventStreams(
        redis=stores.redis, maxlen=DURABLE_BOUND, interim_maxlen=INTERIM_BOUND
    )
    utterances = 30
    for i in range(utterances):
        await handle.signal(CallWorkflow.add_utterance, utterance(i))
        for n in range(DURABLE_BOUND // 4):  # 50 per utterance: 1500, far past both bounds
            interim = {"type": "interim", "at": "", "data": {"text": f"part {i}.{n}"}}
            await publisher.publish_transient(tenant.tenant_id, call_id, interim)
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    url = f"/v1/calls/{call_id}/events"
    everything = await asyncio.wait_for(read_events(http, url, tenant.headers, count=10_000), 10)
    durable = [e for e in everything if e.type != "interim"]
    spoken = [e.data["data"]["start_ms"] for e in durable if e.type == "utterance"]
    assert spoken == [i * 2000 for i in range(utterances)]
    # Only the interims newer than the call's last final event are worth replaying.
    assert len(everything) - len(durable) <= INTERIM_BOUND * 2

    # Resume after the fifth utterance: the rest follows, nothing repeats.
    fifth = next(e for e in durable if e.type == "utterance" and e.data["data"]["start_ms"] == 8000)
    rest = await asyncio.wait_for(
        read_events(http, url, tenant.headers, count=10_000, last_event_id=fifth.id), 10
    )
    resumed = [e.data["seq"] for e in rest if e.type != "interim"]
    assert resumed == [e.data["seq"] for e in durable if e.data["seq"] > fifth.data["seq"]]


async def test_crowds_over_the_old_pool_size_all_get_events_and_stay_ready(
    crowd: httpx.AsyncClient, tenant: TenantKey, stores: Stores, worker: None, client: Client
) -> None:
    tenants = [tenant, await new_tenant(stores), await new_tenant(stores)]
    calls = [(t, (await start_call(crowd, t))[0]) for t in tenants]
    viewers_per_call = PER_CALL  # 150 viewers in all: more than the Redis pool's 100
    connected = 0
    joined = asyncio.Condition()

    async def all_connected(count: int) -> None:
        async with joined:
            await joined.wait_for(lambda: connected >= count)

    async def watch(owner: TenantKey, call_id: str) -> str:
        nonlocal connected
        async with viewer(crowd, f"/v1/calls/{call_id}/events", owner) as (response, events):
            assert response.status_code == 200
            async for event in events:
                if event.type == "status":  # the call's first event: this viewer is in
                    async with joined:
                        connected += 1
                        joined.notify_all()
                if event.type == "interim":
                    return str(event.data["data"]["text"])
        return ""

    watchers = [
        asyncio.create_task(watch(owner, call_id))
        for owner, call_id in calls
        for _ in range(viewers_per_call)
    ]
    await asyncio.wait_for(all_connected(len(watchers)), 20)
    readiness = await crowd.get("/readyz")
    assert readiness.status_code == 200, readiness.text
    assert (await crowd.get("/healthz")).status_code == 200

    # Past the per-call and per-tenant limits: a 429 that names the limit.
    owner, call_id = calls[0]
    refused = await crowd.get(f"/v1/calls/{call_id}/events", headers=owner.headers)
    assert refused.status_code == 429
    assert "sse_max_subscribers_per_call=50" in refused.json()["detail"]
    second_call, _ = await start_call(crowd, owner)
    extra = [asyncio.create_task(watch(owner, second_call)) for _ in range(PER_TENANT - PER_CALL)]
    await asyncio.wait_for(all_connected(len(watchers) + len(extra)), 20)
    refused = await crowd.get(f"/v1/calls/{second_call}/events", headers=owner.headers)
    assert refused.status_code == 429
    assert "sse_max_subscribers_per_tenant=60" in refused.json()["detail"]

    everyone = [*calls, (owner, second_call)]
    for member, call_id in everyone:
        await stores.streams.publish_transient(
            member.tenant_id, call_id, {"type": "interim", "data": {"text": call_id}}
        )
    texts = await asyncio.wait_for(asyncio.gather(*watchers, *extra), 20)
    expected = [call_id for _, call_id in calls for _ in range(viewers_per_call)]
    assert texts == expected + [second_call] * len(extra)
    for member, call_id in everyone:
        handle = client.get_workflow_handle(call_workflow_id(member.tenant_id, call_id))
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
