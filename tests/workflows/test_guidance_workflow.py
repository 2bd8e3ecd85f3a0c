"""Guidance as the call's child workflow, against the real dev server, PostgreSQL, Redis, the
knowledge index and the local llama.cpp model (through a recording proxy)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError
from temporalio.worker import Replayer

from activities.guidance_feed import GuidanceFeed
from api.calls_service import start_call
from callguide.model import HintFeedback, HintFeedbackKind, Speaker, Utterance
from callguide.resources import Stores
from callguide.settings import Settings
from guidance.policy import GuidancePolicy
from tests.conftest import Stack, TenantKey, make_settings, new_tenant, running_worker
from tests.llm_proxy import LlmProxy, ProxyMode
from workflows.call import CallWorkflow
from workflows.call_types import CallResult, CallSnapshot, EndCallRequest
from workflows.guidance import GuidanceWorkflow
from workflows.guidance_types import guidance_workflow_id

ARTICLES = [
    {
        "id": "kb-roaming",
        "title": "International roaming",
        "body": "Roaming works in 180 countries. The travel pass costs 10 dollars a day and "
        "includes calls, texts and data abroad. Turn on roaming in the phone's settings.",
        "tags": ["roaming", "travel", "abroad"],
    },
    {
        "id": "kb-refund",
        "title": "Refunds for overcharges",
        "body": "When a customer was billed twice, refund the duplicate charge within "
        "five business days to the original payment method.",
        "tags": ["billing", "refund"],
    },
    {
        "id": "kb-password",
        "title": "Resetting an online account password",
        "body": "Send a reset link to the email on file; the link expires after one hour.",
        "tags": ["login", "password"],
    },
]

POLICY: dict[str, Any] = {
    "moments": [
        {
            "id": "cancel-intent",
            "speaker": "customer",
            "phrases": ["cancel my", "close my account"],
            "cooldown_s": 300,
            "hint": {
                "type": "reminder",
                "title": "Retention offer",
                "body": "Offer the loyalty discount before cancelling.",
            },
        },
        {
            "id": "verify-identity",
            "speaker": "agent",
            "absent_within_s": 2,
            "phrases": ["date of birth", "verify your identity"],
            "hint": {
                "type": "reminder",
                "title": "Verify identity",
                "body": "Ask for full name and date of birth.",
            },
        },
        {
            "id": "customer-question",
            "speaker": "customer",
            "questions": True,
            "cooldown_s": 0,
            "hint": {"type": "knowledge"},
        },
    ],
    "knowledge": {"articles": ARTICLES},
    "model": {"provider": "local", "generate": ["summary"]},
}


def said(speaker: Speaker, text: str, at_s: float) -> Utterance:
    start = int(at_s * 1000)
    return Utterance(speaker=speaker, text=text, start_ms=start, end_ms=start + 1500)


async def start(
    client: Client, settings: Settings, tenant: TenantKey
) -> WorkflowHandle[Any, CallResult]:
    """Starts a call and returns once its guidance is ready, as a call's greeting gives it
    time to be (the first call of a policy version embeds its examples and articles)."""
    contact_id = str(uuid.uuid4())
    await start_call(
        client,
        settings,
        tenant_id=tenant.tenant_id,
        contact_id=contact_id,
        media=None,
        instance_arn="",
    )
    guidance = client.get_workflow_handle(guidance_workflow_id(tenant.tenant_id, contact_id))
    deadline = time.monotonic() + 60
    while not await _ready(guidance):
        assert time.monotonic() < deadline, "guidance never became ready"
        await asyncio.sleep(0.1)
    return client.get_workflow_handle_for(CallWorkflow.run, f"call-{tenant.tenant_id}-{contact_id}")


async def _ready(guidance: WorkflowHandle) -> bool:
    try:
        return bool(await guidance.query(GuidanceWorkflow.ready))
    except RPCError:
        return False  # not started yet


async def hints_when(handle: WorkflowHandle, done: Any, timeout_s: float = 20.0) -> CallSnapshot:
    deadline = time.monotonic() + timeout_s
    while True:
        snapshot: CallSnapshot = await handle.query(CallWorkflow.snapshot)
        if done(snapshot.hints):
            return snapshot
        if time.monotonic() > deadline:
            raise AssertionError([(h.moment_id, h.title) for h in snapshot.hints])
        await asyncio.sleep(0.1)


async def assert_replays(client: Client, *handles: WorkflowHandle) -> None:
    """A worker that takes a call over from one that died rebuilds it from its history:
    each workflow's history must replay to the commands it recorded."""
    replayer = Replayer(
        workflows=[CallWorkflow, GuidanceWorkflow], data_converter=client.data_converter
    )
    for handle in handles:
        history = await handle.fetch_history()
        replayed = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert replayed.replay_failure is None, (handle.id, replayed.replay_failure)


async def ended(handle: WorkflowHandle[Any, CallResult], timeout_s: float = 120.0) -> CallResult:
    """The call's result; a call still open by then fails the test with what it waits on."""
    try:
        return await asyncio.wait_for(handle.result(), timeout=timeout_s)
    except TimeoutError:
        described = await handle.describe()
        pending = [
            (a.activity_type.name, a.attempt, a.last_failure.message)
            for a in described.raw_description.pending_activities
        ]
        snapshot: CallSnapshot = await handle.query(CallWorkflow.snapshot)
        raise AssertionError(
            f"call still {snapshot.status} after {timeout_s} s; pending activities: {pending}"
        ) from None


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(llm_url: str) -> AsyncIterator[LlmProxy]:
    async with LlmProxy(upstream=llm_url) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def guided(
    stack: Stack, client: Client, stores: Stores, proxy: LlmProxy
) -> AsyncIterator[Settings]:
    settings = make_settings(stack, llm_url=proxy.url)
    async with running_worker(client, settings, stores, ("calls", "ml")):
        yield settings


async def with_policy(stores: Stores, policy: dict[str, Any]) -> TenantKey:
    tenant = await new_tenant(stores)
    await stores.guidance_policies.put(tenant.tenant_id, GuidancePolicy.model_validate(policy))
    return tenant


async def test_a_call_gets_its_policys_hints_live_then_stores_them_with_a_summary(
    client: Client, stores: Stores, guided: Settings, proxy: LlmProxy
) -> None:
    tenant = await with_policy(stores, POLICY)
    handle = await start(client, guided, tenant)
    await handle.signal(
        CallWorkflow.add_utterance,
        said(Speaker.CUSTOMER, "Hi, I want to cancel my subscription please.", 1),
    )
    snapshot = await hints_when(
        handle, lambda hints: any(h.moment_id == "cancel-intent" for h in hints)
    )
    [retention] = [h for h in snapshot.hints if h.moment_id == "cancel-intent"]
    assert (retention.type, retention.title) == ("reminder", "Retention offer")
    assert retention.trigger is not None and retention.trigger.speaker == "customer"

    # The agent never asked for a date of birth: 2 s into the call the reminder comes.
    await hints_when(handle, lambda hints: any(h.moment_id == "verify-identity" for h in hints))

    # Said again within the cooldown: no second retention hint. A question with no shared
    # keyword finds its article.
    await handle.signal(
        CallWorkflow.add_utterance, said(Speaker.CUSTOMER, "Cancel my plan, I said.", 4)
    )
    await handle.signal(
        CallWorkflow.add_utterance,
        said(Speaker.CUSTOMER, "Will my phone work when I'm in Spain next week?", 7),
    )
    snapshot = await hints_when(handle, lambda hints: any(h.type == "knowledge" for h in hints))
    [knowledge] = [h for h in snapshot.hints if h.type == "knowledge"]
    assert knowledge.article_id == "kb-roaming", knowledge
    assert [h.moment_id for h in snapshot.hints].count("cancel-intent") == 1

    await handle.signal(
        CallWorkflow.hint_feedback,
        HintFeedback(
            retention.hint_id, HintFeedbackKind.ACCEPTED, datetime.now(UTC).isoformat(), "agent-7"
        ),
    )
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    call_id = handle.id.removeprefix(f"call-{tenant.tenant_id}-")
    guidance = client.get_workflow_handle_for(
        GuidanceWorkflow.run, guidance_workflow_id(tenant.tenant_id, call_id)
    )
    result = await guidance.result()
    assert result.hints_delivered == 3 and result.hints_dropped_late == 0
    stored = await stores.hints.for_call(tenant.tenant_id, call_id)
    assert sorted((s.hint.moment_id, s.feedback) for s in stored) == [
        ("cancel-intent", "accepted"),
        ("customer-question", None),
        ("verify-identity", None),
    ]
    summary = await stores.hints.summary(tenant.tenant_id, call_id)
    assert summary is not None and summary.source in ("model", "extractive")
    assert summary.reason, summary
    # The summary was asked of the model, with the call's (redacted) transcript.
    assert "Spain" in proxy.sent_text()
    # Signals, hints, feedback and store writes interleaved: both histories replay.
    await assert_replays(client, handle, guidance)


async def test_a_turn_from_the_audio_worker_is_shown_by_guidance_itself_and_guided_once(
    client: Client, stores: Stores, guided: Settings
) -> None:
    """What the audio worker does with a final (activities.guidance_feed): the call and its
    guidance get it at once. Guidance shows the hint on the live stream itself, the call
    keeps and stores the same hint, and a turn re-sent after a retry is guided once."""
    tenant = await with_policy(stores, POLICY)
    handle = await start(client, guided, tenant)
    call_id = handle.id.removeprefix(f"call-{tenant.tenant_id}-")
    feed = GuidanceFeed(
        guidance=client.get_workflow_handle(guidance_workflow_id(tenant.tenant_id, call_id))
    )
    question = feed.stamp(said(Speaker.CUSTOMER, "Will my phone work when I'm in Spain?", 1))
    for _ in range(2):  # the second time as an audio worker's retry sends it again
        await asyncio.gather(
            handle.signal(CallWorkflow.add_utterance, question), feed.hand_over(question)
        )
    snapshot = await hints_when(handle, lambda hints: any(h.type == "knowledge" for h in hints))
    await asyncio.sleep(1.0)  # time for a second hint, were the re-sent turn guided again
    snapshot = await handle.query(CallWorkflow.snapshot)
    [kept] = [h for h in snapshot.hints if h.type == "knowledge"]
    assert kept.article_id == "kb-roaming"
    shown = [
        e.event["data"]
        for e in await stores.streams.read_interims(tenant.tenant_id, call_id)
        if e.event.get("type") == "hint" and e.event["data"]["type"] == "knowledge"
    ]  # the identity reminder's 2 s timer may fire first on a loaded machine
    assert [(h["hint_id"], h["article_id"]) for h in shown] == [(kept.hint_id, "kb-roaming")]
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()
    stored = await stores.hints.for_call(tenant.tenant_id, call_id)
    assert [s.hint.hint_id for s in stored if s.hint.type == "knowledge"] == [kept.hint_id]


async def test_another_tenants_policy_never_applies(
    client: Client, stores: Stores, guided: Settings
) -> None:
    await with_policy(stores, POLICY)  # a tenant with moments...
    other = await new_tenant(stores)  # ...and one without any
    handle = await start(client, guided, other)
    await handle.signal(
        CallWorkflow.add_utterance,
        said(Speaker.CUSTOMER, "I want to cancel my subscription. Does roaming cost extra?", 1),
    )
    await asyncio.sleep(3.0)  # past the other tenant's absence timer too
    snapshot: CallSnapshot = await handle.query(CallWorkflow.snapshot)
    assert snapshot.hints == []
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()


async def test_a_hanging_model_gives_no_late_hint_and_the_call_completes(
    client: Client, stores: Stores, guided: Settings, proxy: LlmProxy
) -> None:
    policy = {
        "moments": [
            {
                "id": "billing",
                "speaker": "customer",
                "phrases": ["my bill"],
                "hint": {"type": "suggested_reply"},
            },
            {
                "id": "cancel-intent",
                "speaker": "customer",
                "phrases": ["cancel my"],
                "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
            },
        ],
        "model": {"provider": "local", "generate": ["suggested_reply"], "timeout_ms": 5000},
        "deadline_ms": 800,
    }
    tenant = await with_policy(stores, policy)
    proxy.mode = ProxyMode.HANG
    try:
        handle = await start(client, guided, tenant)
        await handle.signal(
            CallWorkflow.add_utterance,
            said(Speaker.CUSTOMER, "Something is wrong with my bill, cancel my plan.", 1),
        )
        # The reminder needs no model and arrives; the reply never does.
        await hints_when(handle, lambda hints: len(hints) == 1)
        await asyncio.sleep(2.0)
        snapshot: CallSnapshot = await handle.query(CallWorkflow.snapshot)
        assert [h.moment_id for h in snapshot.hints] == ["cancel-intent"]
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        outcome = await ended(handle)
        assert outcome.status == "ended"
    finally:
        proxy.mode = ProxyMode.PASS
    call_id = handle.id.removeprefix(f"call-{tenant.tenant_id}-")
    guidance = client.get_workflow_handle_for(
        GuidanceWorkflow.run, guidance_workflow_id(tenant.tenant_id, call_id)
    )
    result = await guidance.result()
    assert result.hints_delivered == 1
    assert result.hints_dropped_late == 1
    await assert_replays(client, handle, guidance)


async def test_a_deployment_without_guidance_starts_no_guidance_child(
    stack: Stack, client: Client, stores: Stores
) -> None:
    settings = make_settings(stack, guidance_enabled=False)
    tenant = await with_policy(stores, POLICY)
    async with running_worker(client, settings, stores, ("calls",)):
        contact_id = str(uuid.uuid4())
        await start_call(
            client,
            settings,
            tenant_id=tenant.tenant_id,
            contact_id=contact_id,
            media=None,
            instance_arn="",
        )
        handle = client.get_workflow_handle_for(
            CallWorkflow.run, f"call-{tenant.tenant_id}-{contact_id}"
        )
        await handle.signal(
            CallWorkflow.add_utterance, said(Speaker.CUSTOMER, "Cancel my plan.", 1)
        )
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        assert (await handle.result()).status == "ended"
    guidance = client.get_workflow_handle(guidance_workflow_id(tenant.tenant_id, contact_id))
    with pytest.raises(RPCError):
        await guidance.describe()
