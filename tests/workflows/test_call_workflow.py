"""CallWorkflow against the real dev server, PostgreSQL and Redis, one task queue per test."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid

from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError

from api.calls_service import start_call
from callguide import search_attributes as sa
from callguide.codec import ENCODING
from callguide.model import MediaStream, PiiSpan, Speaker, Utterance, Word
from callguide.resources import Stores
from callguide.settings import Settings
from tests.conftest import Stack, TenantKey, make_settings, running_worker
from workflows.call import CallWorkflow
from workflows.call_types import CallResult, EndCallRequest, UtteranceRevision

MEDIA = MediaStream(stream_arn="arn:aws:kinesisvideo:us-east-1:111122223333:stream/s/1")


def utterance(i: int, speaker: Speaker = Speaker.CUSTOMER) -> Utterance:
    start = i * 2000
    return Utterance(
        speaker=speaker,
        text=f"utterance number {i}",
        start_ms=start,
        end_ms=start + 1500,
        confidence=0.9,
        words=[Word("utterance", start, start + 500, 0.9)],
    )


async def start(client: Client, settings: Settings, tenant: TenantKey) -> str:
    contact_id = str(uuid.uuid4())
    await start_call(
        client,
        settings,
        tenant_id=tenant.tenant_id,
        contact_id=contact_id,
        media=MEDIA,
        instance_arn="",
    )
    return contact_id


def call_handle(
    client: Client, tenant: TenantKey, contact_id: str
) -> WorkflowHandle[CallWorkflow, CallResult]:
    return client.get_workflow_handle_for(CallWorkflow.run, f"call-{tenant.tenant_id}-{contact_id}")


async def wait_for_status(client: Client, workflow_id: str, status: str) -> None:
    for _ in range(200):
        description = await client.get_workflow_handle(workflow_id).describe()
        if description.typed_search_attributes.get(sa.CALL_STATUS) == status:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"CallStatus never became {status}")


async def until_run(handle: WorkflowHandle, run: int, within_s: float = 30.0) -> None:
    """Waits until the call has continued as new into its given run.

    The bound is wall-clock time, not a number of polls: a handover can wait on the server
    noticing a missed heartbeat, which on a loaded machine takes seconds longer.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while loop.time() < deadline:
        with contextlib.suppress(RPCError):
            if (await handle.query(CallWorkflow.snapshot)).runs >= run:
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the call never reached run {run} within {within_s:.0f} s")


async def test_repeated_utterances_are_kept_once(
    client: Client, settings: Settings, stores: Stores, worker: None, tenant: TenantKey
) -> None:
    contact_id = await start(client, settings, tenant)
    handle = call_handle(client, tenant, contact_id)
    for i in range(6):
        await handle.signal(CallWorkflow.add_utterance, utterance(i))
        await handle.signal(CallWorkflow.add_utterance, utterance(i))  # a retried producer
    await handle.signal(CallWorkflow.add_utterance, utterance(0, Speaker.AGENT))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    result = await handle.result()

    assert result.status == "ended"
    assert result.utterance_count == 7
    stored = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert [(u.speaker, u.start_ms) for u in stored] == sorted(
        [(Speaker.CUSTOMER, i * 2000) for i in range(6)] + [(Speaker.AGENT, 0)],
        key=lambda s: (s[1], s[0].value),
    )
    record = await stores.calls.get(tenant.tenant_id, contact_id)
    assert record is not None and record.status == "ended" and record.utterance_count == 7


async def test_a_revised_utterance_replaces_the_stored_one(
    client: Client, settings: Settings, stores: Stores, worker: None, tenant: TenantKey
) -> None:
    """The audio worker revises a turn it already handed over (a number begun there turned
    out a card on the next turn): the stored transcript, its PII spans (which audio
    redaction beeps) and live viewers get the revision."""
    contact_id = await start(client, settings, tenant)
    handle = call_handle(client, tenant, contact_id)
    first = dataclasses.replace(utterance(0), text="it's [PIN]", pii=[PiiSpan("PIN", 200, 1500)])
    await handle.signal(CallWorkflow.add_utterance, first)
    for _ in range(400):  # stored first, so the revision is an update
        if await stores.calls.transcript(tenant.tenant_id, contact_id):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the first utterance was never stored")
    card = [PiiSpan("CREDIT_CARD", 200, 1500)]
    revised = dataclasses.replace(first, text="it's [CREDIT_CARD]", pii=card)
    await handle.signal(CallWorkflow.revise_utterance, UtteranceRevision(revised))
    await handle.signal(CallWorkflow.add_utterance, utterance(1))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    result = await handle.result()

    assert result.utterance_count == 2
    stored = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert [(u.text, u.pii) for u in stored] == [
        ("it's [CREDIT_CARD]", card),
        ("utterance number 1", []),
    ]
    spans = await stores.calls.pii_spans(tenant.tenant_id, contact_id)
    assert [span.type for _, span in spans] == ["CREDIT_CARD"]
    events = await stores.streams.read(tenant.tenant_id, contact_id)
    revisions = [e.event["data"] for e in events if e.event["type"] == "utterance_revised"]
    assert [(r["start_ms"], r["text"]) for r in revisions] == [(0, "it's [CREDIT_CARD]")]


async def test_continue_as_new_loses_nothing(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, continue_as_new_after_utterances=4, utterance_batch_size=3)
    async with running_worker(client, settings, stores):
        contact_id = await start(client, settings, tenant)
        handle = call_handle(client, tenant, contact_id)
        for group in range(3):
            for i in range(group * 5, group * 5 + 5):
                await handle.signal(CallWorkflow.add_utterance, utterance(i))
            await until_run(handle, group + 2)
        for i in range(15):  # replays across the runs must still be recognised
            await handle.signal(CallWorkflow.add_utterance, utterance(i))
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        result = await handle.result()

    assert result.utterance_count == 15
    assert result.runs == 4
    stored = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert [u.start_ms for u in stored] == [i * 2000 for i in range(15)]
    events = await stores.streams.read(tenant.tenant_id, contact_id)
    utterance_events = [e for e in events if e.event["type"] == "utterance"]
    assert [e.event["data"]["start_ms"] for e in utterance_events] == [i * 2000 for i in range(15)]
    seqs = [e.event["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1))


async def test_search_attributes_follow_the_call(
    client: Client, settings: Settings, worker: None, tenant: TenantKey
) -> None:
    contact_id = await start(client, settings, tenant)
    workflow_id = f"call-{tenant.tenant_id}-{contact_id}"
    await wait_for_status(client, workflow_id, "active")
    description = await client.get_workflow_handle(workflow_id).describe()
    assert description.typed_search_attributes.get(sa.TENANT_ID) == tenant.tenant_id
    assert description.typed_search_attributes.get(sa.CONTACT_ID) == contact_id

    await client.get_workflow_handle(workflow_id).signal(
        CallWorkflow.end_call, EndCallRequest("test")
    )
    await client.get_workflow_handle(workflow_id).result()
    await wait_for_status(client, workflow_id, "ended")
    found = [
        wf.id
        async for wf in client.list_workflows(
            f"TenantId = '{tenant.tenant_id}' AND CallStatus = 'ended'"
        )
    ]
    assert workflow_id in found


async def test_history_payloads_are_encrypted(
    client: Client, settings: Settings, worker: None, tenant: TenantKey
) -> None:
    contact_id = await start(client, settings, tenant)
    handle = call_handle(client, tenant, contact_id)
    secret_text = f"my card is four one one one {uuid.uuid4().hex}"
    await handle.signal(
        CallWorkflow.add_utterance,
        Utterance(Speaker.CUSTOMER, secret_text, 0, 1000, 0.9, []),
    )
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    raw = await client.workflow_service.get_workflow_execution_history(
        GetWorkflowExecutionHistoryRequest(
            namespace=client.namespace, execution={"workflow_id": handle.id}
        )
    )
    blob = raw.SerializeToString()
    assert secret_text.encode() not in blob
    assert contact_id.encode() in blob  # ids stay visible, as search attributes and ids must
    signal_events = [
        e for e in raw.history.events if e.HasField("workflow_execution_signaled_event_attributes")
    ]
    payloads = [
        p
        for e in signal_events
        for p in e.workflow_execution_signaled_event_attributes.input.payloads
    ]
    assert payloads and all(p.metadata["encoding"] == ENCODING for p in payloads)
    # The client decodes transparently: the plaintext is still there for the permitted.
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED


async def test_a_kept_original_stays_in_the_encrypted_history_only(
    client: Client, settings: Settings, stores: Stores, worker: None, tenant: TenantKey
) -> None:
    # A tenant whose policy keeps originals: the audio worker sends the redacted text
    # with the original beside it (see redaction.live.keep_original).
    contact_id = await start(client, settings, tenant)
    handle = call_handle(client, tenant, contact_id)
    original = f"my card is 4111 1111 1111 1111 {uuid.uuid4().hex}"
    said = Utterance(
        Speaker.CUSTOMER, "my card is [CREDIT_CARD]", 0, 1000, 0.9, [], original=original
    )
    await handle.signal(CallWorkflow.add_utterance, said)
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    # stored and streamed: the redacted text only
    [stored] = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert stored.text == "my card is [CREDIT_CARD]" and stored.original is None
    events = await stores.streams.read(tenant.tenant_id, contact_id)
    assert events and all(original not in entry.raw for entry in events)
    assert all("original" not in entry.event.get("data", {}) for entry in events)
    # in Temporal: sealed with the tenant's key, readable through the codec
    raw = await client.workflow_service.get_workflow_execution_history(
        GetWorkflowExecutionHistoryRequest(
            namespace=client.namespace, execution={"workflow_id": handle.id}
        )
    )
    assert original.encode() not in raw.SerializeToString()
    history = await handle.fetch_history()
    decoded = [
        await client.data_converter.decode(
            e.workflow_execution_signaled_event_attributes.input.payloads, [Utterance]
        )
        for e in history.events
        if e.HasField("workflow_execution_signaled_event_attributes")
        and e.workflow_execution_signaled_event_attributes.signal_name == "add_utterance"
    ]
    assert [u.original for [u] in decoded] == [original]
