"""Tenant-scoped payload keys, read from a call's raw history as anyone with server access sees it.

The history is fetched with a plain client (no codec): its payloads are sealed with a key
derived for the call's tenant, which opens them, while another tenant's key cannot; the
codec endpoint refuses another tenant's credentials, and a failed call's reason and stack
trace are sealed too.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf.message import Message
from pydantic import SecretStr
from temporalio import activity
from temporalio.api.common.v1 import Payload
from temporalio.api.history.v1 import History
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from callguide.codec import ENCODING, KEY_ID_METADATA, NONCE_BYTES, derive_tenant_key
from callguide.model import Speaker, Utterance, call_workflow_id
from callguide.resources import Stores
from callguide.settings import Settings, parse_codec_keys
from tests.conftest import Stack, TenantKey, make_settings, new_tenant, running_api, running_worker
from tests.workflows.test_call_workflow import start
from workflows.call import (
    DRAIN_WHILE_PROGRESSING_PATCH,
    POST_CALL_REDACTION_PATCH,
    PUBLISH_AS_ACTIVITY_PATCH,
    CallWorkflow,
)
from workflows.call_guidance import GUIDANCE_PATCH
from workflows.call_types import (
    STREAM_CALL_AUDIO,
    EndCallRequest,
    StreamCallAudio,
    StreamCallAudioResult,
)

OPERATOR_TOKEN = f"operator-{uuid.uuid4().hex}"


async def raw_history(settings: Settings, workflow_id: str) -> History:
    """The history exactly as the server stores it: a client with no codec at all."""
    plain = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
    response = await plain.workflow_service.get_workflow_execution_history(
        GetWorkflowExecutionHistoryRequest(
            namespace=settings.temporal_namespace, execution={"workflow_id": workflow_id}
        )
    )
    return response.history


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every Payload anywhere in a protobuf message (inputs, results, failures, details)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = list(value.values())
        elif isinstance(value, Message):
            values = [value]
        else:
            values = list(value)
        for item in values:
            if isinstance(item, Message):
                yield from payloads_in(item)


def tenant_key(settings: Settings, tenant_id: str) -> tuple[str, bytes]:
    """(key id, key) that the tenant's payloads carry and open with, from the master key."""
    master_id, master = parse_codec_keys(settings.codec_keys)[0]
    return f"{master_id}/{tenant_id}", derive_tenant_key(master, tenant_id)


def open_with(key: bytes, payload: Payload) -> Payload:
    key_id = payload.metadata[KEY_ID_METADATA]
    nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
    return Payload.FromString(AESGCM(key).decrypt(nonce, sealed, key_id))


def as_json(*payloads: Payload) -> dict[str, object]:
    return {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()},
                "data": base64.b64encode(p.data).decode(),
            }
            for p in payloads
        ]
    }


PATCH_IDS = {
    GUIDANCE_PATCH,
    POST_CALL_REDACTION_PATCH,
    PUBLISH_AS_ACTIVITY_PATCH,
    DRAIN_WHILE_PROGRESSING_PATCH,
}


def sdk_bookkeeping(payload: Payload) -> bool:
    """A clear payload the SDK writes itself: a search attribute, a local-activity marker,
    or a version (patch) marker and its TemporalChangeVersion search attribute."""
    if payload.metadata.get("type") == b"Keyword" or payload.data.startswith(b'{"seq":'):
        return True
    data = json.loads(payload.data)
    if payload.metadata.get("type") == b"KeywordList":
        return isinstance(data, list) and set(data) <= PATCH_IDS
    return isinstance(data, dict) and set(data) == {"id", "deprecated"} and data["id"] in PATCH_IDS


@contextlib.asynccontextmanager
async def codec_api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    with_token = settings.model_copy(update={"codec_auth_token": SecretStr(OPERATOR_TOKEN)})
    async with running_api(with_token) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as session:
            yield session


async def test_a_calls_history_opens_only_with_its_tenants_key(
    client: Client, settings: Settings, stores: Stores, worker: None, tenant: TenantKey
) -> None:
    other = await new_tenant(stores)
    call_id = await start(client, settings, tenant)
    handle = client.get_workflow_handle_for(
        CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
    )
    secret = f"my card number is {uuid.uuid4().hex}"
    await handle.signal(CallWorkflow.add_utterance, Utterance(Speaker.CUSTOMER, secret, 0, 900))
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await handle.result()

    history = await raw_history(settings, handle.id)
    assert secret.encode() not in history.SerializeToString()
    payloads = list(payloads_in(history))
    sealed = [p for p in payloads if p.metadata.get("encoding") == ENCODING]
    # The only clear payloads are search attributes (ids and status) and the SDK's own
    # bookkeeping (local-activity markers: sequence, attempt, times; version markers: a
    # patch id): never what was said.
    clear = [p for p in payloads if p not in sealed]
    assert sealed and all(sdk_bookkeeping(p) for p in clear), clear

    key_id_a, key_a = tenant_key(settings, tenant.tenant_id)
    _, key_b = tenant_key(settings, other.tenant_id)
    assert {p.metadata[KEY_ID_METADATA].decode() for p in sealed} == {key_id_a}
    opened = [open_with(key_a, p) for p in sealed]
    assert any(secret.encode() in p.data for p in opened)
    for payload in sealed:
        with pytest.raises(InvalidTag):
            open_with(key_b, payload)

    [signalled] = [
        p
        for e in history.events
        if e.HasField("workflow_execution_signaled_event_attributes")
        and e.workflow_execution_signaled_event_attributes.signal_name == "add_utterance"
        for p in e.workflow_execution_signaled_event_attributes.input.payloads
    ]
    body = as_json(signalled)
    async with codec_api(settings) as http:
        assert (await http.post("/codec/decode", json=body)).status_code == 401
        denied = await http.post("/codec/decode", json=body, headers=other.headers)
        assert denied.status_code == 403 and secret not in denied.text
        for headers in (tenant.headers, {"Authorization": f"Bearer {OPERATOR_TOKEN}"}):
            decoded = await http.post("/codec/decode", json=body, headers=headers)
            assert decoded.status_code == 200
            assert secret.encode() in base64.b64decode(decoded.json()["payloads"][0]["data"])
        tampered = Payload(metadata=signalled.metadata, data=signalled.data[:-2] + b"\x00\x00")
        refused = await http.post("/codec/decode", json=as_json(tampered), headers=tenant.headers)
        assert refused.status_code == 400


class FailingAudio:
    """An audio worker whose stream fails at once, quoting what it heard, as corrupt media."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream(self, request: StreamCallAudio) -> StreamCallAudioResult:
        raise ApplicationError(
            f"corrupt MKV after the words {self.secret!r}", type="CorruptMedia", non_retryable=True
        )


async def test_a_failed_calls_reason_and_stack_are_sealed_in_history(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, stream_audio=True)
    secret = f"my pin is {uuid.uuid4().hex}"
    audio = Worker(
        client, task_queue=settings.task_queue("audio"), activities=[FailingAudio(secret).stream]
    )
    async with running_worker(client, settings, stores), audio:
        call_id = await start(client, settings, tenant)
        handle = client.get_workflow_handle(call_workflow_id(tenant.tenant_id, call_id))
        with pytest.raises(WorkflowFailureError) as failure:
            await asyncio.wait_for(handle.result(), 60)
    # Clients with the codec read the reason as ever, and so does PostgreSQL.
    assert secret in str(failure.value.cause)
    record = await stores.calls.get(tenant.tenant_id, call_id)
    assert record is not None and record.failure_reason and secret in record.failure_reason

    history = await raw_history(settings, handle.id)
    assert secret.encode() not in history.SerializeToString()
    [failed] = [
        e.workflow_execution_failed_event_attributes.failure
        for e in history.events
        if e.HasField("workflow_execution_failed_event_attributes")
    ]
    assert "call failed" not in failed.message and not failed.stack_trace
    assert failed.encoded_attributes.metadata["encoding"] == ENCODING
    key_id_a, key_a = tenant_key(settings, tenant.tenant_id)
    assert failed.encoded_attributes.metadata[KEY_ID_METADATA] == key_id_a.encode()
    assert secret.encode() in open_with(key_a, failed.encoded_attributes).data
    activity_failures = [
        e.activity_task_failed_event_attributes.failure
        for e in history.events
        if e.HasField("activity_task_failed_event_attributes")
    ]
    assert activity_failures
    for activity_failure in activity_failures:
        assert secret not in activity_failure.message
        assert activity_failure.encoded_attributes.metadata[KEY_ID_METADATA] == key_id_a.encode()
