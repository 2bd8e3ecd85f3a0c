"""Agent-facing call resources: live state, transcript, listing, SSE with resume."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from temporalio.client import Client

from callguide.model import Speaker
from callguide.sse_client import ServerEvent, server_events
from tests.api.test_connect import flow_event
from tests.conftest import TenantKey
from tests.polling import eventually, read_json
from tests.workflows.test_call_workflow import utterance
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest


async def start_call(http: httpx.AsyncClient, tenant: TenantKey) -> tuple[str, str]:
    response = await http.post(
        "/v1/connect/contact-flow", json=flow_event(), headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    return response.json()["call_id"], response.json()["workflow_id"]


async def read_events(
    http: httpx.AsyncClient, url: str, headers: dict, count: int, last_event_id: str | None = None
) -> list[ServerEvent]:
    extra = {"Last-Event-ID": last_event_id} if last_event_id else {}
    received: list[ServerEvent] = []
    async with http.stream("GET", url, headers={**headers, **extra}) as response:
        if response.status_code == 204:  # the call is over and nothing is left to send
            return received
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for event in server_events(response):
            received.append(event)
            if len(received) == count:
                break
    return received


async def test_sse_resumes_after_last_event_id_without_gaps_or_repeats(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    url = f"/v1/calls/{call_id}/events"

    async def speak() -> None:
        for i in range(10):
            await handle.signal(CallWorkflow.add_utterance, utterance(i))
            await asyncio.sleep(0.02)
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))

    speaker = asyncio.create_task(speak())
    first = await read_events(http, url, tenant.headers, count=4)  # status + 3 utterances
    await speaker
    await handle.result()
    rest = await read_events(http, url, tenant.headers, count=100, last_event_id=first[-1].id)

    events = first + rest
    seqs = [e.data["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1))
    utterances = [e.data["data"]["start_ms"] for e in events if e.type == "utterance"]
    assert utterances == [i * 2000 for i in range(10)]
    assert [e.data["data"]["status"] for e in events if e.type == "status"] == [
        "active",
        "ending",
        "ended",
    ]
    assert len({e.id for e in events}) == len(events)


async def test_live_state_transcript_and_listing(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    await handle.signal(CallWorkflow.add_utterance, utterance(1, Speaker.AGENT))
    await handle.signal(CallWorkflow.add_utterance, utterance(0, Speaker.CUSTOMER))

    live = await eventually(
        read_json(http, f"/v1/calls/{call_id}", tenant.headers), lambda v: v["utterance_count"] == 2
    )
    assert live["live"] is True and live["status"] == "active"
    assert live["counts"] == {"agent": 1, "customer": 1}
    transcript = (await http.get(f"/v1/calls/{call_id}/transcript", headers=tenant.headers)).json()
    assert [(u["speaker"], u["start_ms"]) for u in transcript["utterances"]] == [
        ("customer", 0),
        ("agent", 2000),
    ]
    # The listing reads the stored call rows, which the workflow writes behind its live state.
    active = await eventually(
        read_json(http, "/v1/calls?status=active", tenant.headers),
        lambda v: call_id in [c["call_id"] for c in v["calls"]],
    )
    assert call_id in [c["call_id"] for c in active["calls"]]

    ended = await http.post(f"/v1/calls/{call_id}/end", headers=tenant.headers)
    assert ended.status_code == 202 and ended.json()["ending"] is True
    await handle.result()

    stored = (await http.get(f"/v1/calls/{call_id}", headers=tenant.headers)).json()
    assert stored["live"] is False and stored["status"] == "ended"
    assert stored["utterance_count"] == 2 and stored["end_reason"] == "api"
    transcript = (await http.get(f"/v1/calls/{call_id}/transcript", headers=tenant.headers)).json()
    assert [u["text"] for u in transcript["utterances"]] == [
        "utterance number 0",
        "utterance number 1",
    ]
    active = (await http.get("/v1/calls?status=active", headers=tenant.headers)).json()
    assert call_id not in [c["call_id"] for c in active["calls"]]
    again = await http.post(f"/v1/calls/{call_id}/end", headers=tenant.headers)
    assert again.status_code == 202 and again.json()["ending"] is False


async def test_unknown_call_is_404(http: httpx.AsyncClient, tenant: TenantKey) -> None:
    response = await http.get(f"/v1/calls/{uuid.uuid4()}", headers=tenant.headers)
    assert response.status_code == 404


async def test_openapi_describes_every_route(http: httpx.AsyncClient) -> None:
    spec = (await http.get("/openapi.json")).json()
    expected = {
        "/v1/connect/contact-flow",
        "/v1/connect/events",
        "/v1/calls",
        "/v1/calls/{call_id}",
        "/v1/calls/{call_id}/transcript",
        "/v1/calls/{call_id}/events",
        "/v1/calls/{call_id}/end",
        "/codec/encode",
        "/codec/decode",
        "/healthz",
        "/readyz",
    }
    assert expected <= set(spec["paths"])
    assert {"CallView", "Transcript", "ContactFlowEvent", "CallStarted"} <= set(
        spec["components"]["schemas"]
    )


async def test_events_of_an_ended_call_replay_close_and_then_answer_204(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    await handle.signal(CallWorkflow.add_utterance, utterance(0))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    url = f"/v1/calls/{call_id}/events"
    everything = await asyncio.wait_for(read_events(http, url, tenant.headers, count=100), 10)
    assert [e.type for e in everything] == ["status", "utterance", "status", "status"]
    after_last = await asyncio.wait_for(
        read_events(http, url, tenant.headers, count=100, last_event_id=everything[-1].id), 10
    )
    assert after_last == []
    again = await http.get(url, headers={**tenant.headers, "Last-Event-ID": everything[-1].id})
    assert again.status_code == 204  # EventSource stops reconnecting on 204
