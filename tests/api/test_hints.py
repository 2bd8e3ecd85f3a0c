"""Hints through the API: on the live event stream and in the call's state while it runs,
the agent's feedback reaching the workflow, and after the call the stored hints, their
feedback and the summary. Another tenant sees none of it; bad input is a 4xx naming the
field."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from callguide.model import Speaker, Utterance
from callguide.resources import Stores
from callguide.settings import Settings
from callguide.sse_client import server_events
from guidance.policy import GuidancePolicy
from tests.api.test_calls import start_call
from tests.conftest import Stack, TenantKey, make_settings, new_tenant, running_worker
from tests.polling import eventually, read_json
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest
from workflows.guidance import GuidanceWorkflow
from workflows.guidance_types import guidance_workflow_id

POLICY = {
    "moments": [
        {
            "id": "cancel-intent",
            "speaker": "customer",
            "phrases": ["cancel my"],
            "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
        }
    ],
    "model": {"provider": "local", "generate": ["summary"]},
}


@pytest.fixture
def settings(stack: Stack, llm_url: str) -> Settings:
    return make_settings(stack, llm_url=llm_url)


@pytest_asyncio.fixture(loop_scope="session")
async def guided(client: Client, settings: Settings, stores: Stores) -> AsyncIterator[None]:
    async with running_worker(client, settings, stores, ("calls", "ml")):
        yield


async def guided_call(
    http: httpx.AsyncClient, client: Client, stores: Stores
) -> tuple[TenantKey, str, Any]:
    """A call of a tenant with a retention moment, once its guidance is ready."""
    tenant = await new_tenant(stores)
    await stores.guidance_policies.put(tenant.tenant_id, GuidancePolicy.model_validate(POLICY))
    call_id, workflow_id = await start_call(http, tenant)
    guidance = client.get_workflow_handle_for(
        GuidanceWorkflow.run, guidance_workflow_id(tenant.tenant_id, call_id)
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if await guidance.query(GuidanceWorkflow.ready):
                break
        except Exception:  # not started yet
            pass
        assert time.monotonic() < deadline
        await asyncio.sleep(0.1)
    return tenant, call_id, client.get_workflow_handle_for(CallWorkflow.run, workflow_id)


def cancel_turn() -> Utterance:
    return Utterance(Speaker.CUSTOMER, "I want to cancel my subscription.", 1000, 2500)


async def test_a_hint_reaches_the_live_stream_and_the_agents_feedback_the_call(
    http: httpx.AsyncClient, client: Client, stores: Stores, guided: None
) -> None:
    tenant, call_id, handle = await guided_call(http, client, stores)
    url = f"/v1/calls/{call_id}/events"

    async def first_hint() -> dict[str, Any]:
        async with http.stream("GET", url, headers=tenant.headers) as response:
            async for event in server_events(response):
                if event.type == "hint":
                    data: dict[str, Any] = event.data["data"]
                    return data
        raise AssertionError("the stream ended without a hint")

    watching = asyncio.create_task(first_hint())
    await handle.signal(CallWorkflow.add_utterance, cancel_turn())
    hint = await asyncio.wait_for(watching, 20)
    assert (hint["type"], hint["title"], hint["moment_id"]) == (
        "reminder",
        "Retention offer",
        "cancel-intent",
    )
    assert hint["trigger"]["text"] == "I want to cancel my subscription."

    # Guidance shows a hint to live viewers before it signals the call (one workflow task
    # less for the agent to wait on), so the call's state holds it a moment later.
    live = await eventually(
        read_json(http, f"/v1/calls/{call_id}", tenant.headers), lambda v: bool(v["hints"])
    )
    assert live["live"] and [h["hint_id"] for h in live["hints"]] == [hint["hint_id"]]

    feedback_url = f"/v1/calls/{call_id}/hints/{hint['hint_id']}/feedback"
    sent = await http.post(
        feedback_url, json={"feedback": "accepted", "agent": "agent-7"}, headers=tenant.headers
    )
    assert sent.status_code == 202, sent.text
    assert sent.json() == {
        "call_id": call_id,
        "hint_id": hint["hint_id"],
        "feedback": "accepted",
        "live": True,
    }
    hints = await eventually(
        read_json(http, f"/v1/calls/{call_id}/hints", tenant.headers),
        lambda v: v["hints"][0]["feedback"] == "accepted",
    )
    assert hints["hints"][0]["feedback"] == "accepted"

    # Another tenant can neither see the call's hints nor give feedback on them.
    other = await new_tenant(stores)
    assert (await http.get(f"/v1/calls/{call_id}/hints", headers=other.headers)).status_code == 404
    refused = await http.post(feedback_url, json={"feedback": "used"}, headers=other.headers)
    assert refused.status_code == 404

    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()
    guidance = client.get_workflow_handle_for(
        GuidanceWorkflow.run, guidance_workflow_id(tenant.tenant_id, call_id)
    )
    await guidance.result()

    # After the call: stored hints with their feedback, and the summary.
    ended = (await http.get(f"/v1/calls/{call_id}", headers=tenant.headers)).json()
    assert not ended["live"]
    assert [(h["moment_id"], h["feedback"]) for h in ended["hints"]] == [
        ("cancel-intent", "accepted")
    ]
    assert ended["summary"]["source"] in ("model", "extractive")
    assert ended["summary"]["reason"]
    later = await http.post(feedback_url, json={"feedback": "used"}, headers=tenant.headers)
    assert later.status_code == 202 and later.json()["live"] is False
    stored = await stores.hints.for_call(tenant.tenant_id, call_id)
    assert [s.feedback for s in stored] == ["used"]
    # Feedback given after the call reaches the hint-acceptance dashboard too.
    report = await eventually(
        read_json(http, "/v1/analytics/hints?by=moment", tenant.headers),
        lambda v: any(r["key"] == "cancel-intent" and r["used"] for r in v["rows"]),
    )
    rows = {row["key"]: row for row in report["rows"]}
    assert rows["cancel-intent"]["used"] == 1 and rows["cancel-intent"]["accepted"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "feedback"),
        ({"feedback": "loved-it"}, "feedback"),
        ({"feedback": "used", "agent": ""}, "agent"),
        ({"feedback": "used", "extra": 1}, "extra"),
    ],
)
async def test_bad_feedback_is_a_4xx_naming_the_field(
    http: httpx.AsyncClient, stores: Stores, body: dict[str, Any], field: str
) -> None:
    tenant = await new_tenant(stores)
    response = await http.post("/v1/calls/c-1/hints/h1/feedback", json=body, headers=tenant.headers)
    assert 400 <= response.status_code < 500, response.text
    assert field in response.json()["detail"], response.json()


async def test_feedback_on_an_unknown_call_or_hint_is_404(
    http: httpx.AsyncClient, stores: Stores, client: Client, guided: None
) -> None:
    tenant = await new_tenant(stores)
    unknown_call = await http.post(
        "/v1/calls/no-such-call/hints/h1/feedback",
        json={"feedback": "used"},
        headers=tenant.headers,
    )
    assert unknown_call.status_code == 404
    call_id, _ = await start_call(http, tenant)
    unknown_hint = await http.post(
        f"/v1/calls/{call_id}/hints/h99/feedback", json={"feedback": "used"}, headers=tenant.headers
    )
    assert unknown_hint.status_code == 404, unknown_hint.text
    assert "h99" in unknown_hint.json()["detail"]
    malformed = await http.post(
        f"/v1/calls/{call_id}/hints/not-a-hint/feedback",
        json={"feedback": "used"},
        headers=tenant.headers,
    )
    assert malformed.status_code == 400, malformed.text
