"""Malformed input is a 4xx naming the field: never a 500, never a call that cannot end.

Each case here answered 500 on the old main, or was accepted with 200 and then left a
call active forever while its audio activity retried without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import ActivityEnvironment

from activities.audio import AudioActivities
from api.app import MAX_BODY_BYTES, MAX_JSON_DEPTH
from api.calls_service import start_call
from callguide.connect_events import DEMO_INSTANCE_ARN, contact_event, contact_flow_event
from callguide.model import MediaStream, call_workflow_id
from callguide.resources import Stores
from tests.conftest import Stack, TenantKey, make_settings, running_worker
from voice.kvs_emulator import RunningEmulator, running_emulator
from voice.kvs_reader import KvsBadSelectorError, KvsCallReader, ReaderCheckpoint
from workflows.call_types import StreamCallAudio
from workflows.policies import AUDIO_RETRY

ACCOUNT = DEMO_INSTANCE_ARN.split(":")[4]
FLOW = "/v1/connect/contact-flow"
EVENTS = "/v1/connect/events"
CONTACT = ["Details", "ContactData"]
AUDIO = [*CONTACT, "MediaStreams", "Customer", "Audio"]
Event = dict[str, Any]


def flow_event(contact_id: str | None = None) -> Event:
    contact_id = contact_id or str(uuid.uuid4())
    return contact_flow_event(
        contact_id=contact_id,
        stream_arn=f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/"
        f"connect-demo-contact-{contact_id}/1700000000000",
        start_fragment_number="91343852333181432392682062622220590765191907586",
    )


def put(event: Event, path: list[str], value: Any) -> Event:
    """A copy of the event with the value at path replaced."""
    changed = copy.deepcopy(event)
    node = changed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return changed


async def assert_no_call_started(client: Client, tenant: TenantKey, contact_id: str) -> None:
    """No workflow under the id the call would have had, and none of this tenant at all."""
    if "\x00" not in contact_id and len(contact_id) < 1000:
        handle = client.get_workflow_handle(call_workflow_id(tenant.tenant_id, contact_id))
        with pytest.raises(RPCError) as raised:
            await handle.describe()
        assert raised.value.status == RPCStatusCode.NOT_FOUND
    query = f"TenantId = '{tenant.tenant_id}'"
    assert [w.id async for w in client.list_workflows(query)] == []


def assert_names(response: httpx.Response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["detail"].startswith(field), response.json()


# --- answered 500 before -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        # Temporal refuses workflow ids over 1,000 bytes.
        ([*CONTACT, "ContactId"], "c" * 1200, "Details.ContactData.ContactId"),
        ([*AUDIO, "StartTimestamp"], "yesterday", f"{'.'.join(AUDIO)}.StartTimestamp"),
        ([*CONTACT, "Attributes"], {"note": "a\x00b"}, "Details.ContactData"),
        ([*CONTACT, "InstanceARN"], "arn:aws:connect:us-east-1:1:instance/x", "Details."),
        ([*AUDIO, "StreamARN"], "arn:aws:s3:::bucket", f"{'.'.join(AUDIO)}.StreamARN"),
    ],
)
async def test_flow_event_field_is_400_naming_it(
    http: httpx.AsyncClient,
    tenant: TenantKey,
    client: Client,
    path: list[str],
    value: Any,
    field: str,
) -> None:
    event = put(flow_event(), path, value)
    response = await http.post(FLOW, json=event, headers=tenant.headers)
    assert_names(response, 400, field)
    await assert_no_call_started(client, tenant, event["Details"]["ContactData"]["ContactId"])


async def test_ten_megabyte_contact_id_is_413(
    http: httpx.AsyncClient, tenant: TenantKey, client: Client
) -> None:
    event = put(flow_event(), [*CONTACT, "ContactId"], "c" * 10_000_000)
    response = await http.post(FLOW, json=event, headers=tenant.headers)
    assert_names(response, 413, "body")
    await assert_no_call_started(client, tenant, "c")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda e: e.update(time="last Tuesday"), "time"),
        (lambda e: e.update(time="99999-01-01T00:00:00Z"), "time"),
        (lambda e: e.update(time="2999-01-01T00:00:00Z"), "time"),
        (lambda e: e["detail"].update(eventType="DISCONNECTED\x00"), "detail.eventType"),
        (lambda e: e["detail"].update(contactId="c\x00"), "detail.contactId"),
        (lambda e: e["detail"].update(channel="VOICE\x00"), "detail.channel"),
        (lambda e: e["detail"].update(queueInfo={"queueArn": "q\x00"}), "detail"),
        (lambda e: e["detail"].update(contactId="c" * 5000), "detail.contactId"),
        (lambda e: e.update(source="aws.connect\x01"), "source"),
    ],
)
async def test_contact_event_field_is_400_naming_it(
    http: httpx.AsyncClient, tenant: TenantKey, mutate: Callable[[Event], None], field: str
) -> None:
    event = contact_event(contact_id=str(uuid.uuid4()), event_type="DISCONNECTED")
    mutate(event)
    response = await http.post(EVENTS, json=event, headers=tenant.headers)
    assert_names(response, 400, field)


@pytest.mark.parametrize("suffix", ["", "/transcript", "/events", "/end"])
@pytest.mark.parametrize("call_id", ["a%00b", "c" * 5000, "%0a", "a%20b"])
async def test_bad_call_id_in_url_is_400_naming_it(
    http: httpx.AsyncClient, tenant: TenantKey, suffix: str, call_id: str
) -> None:
    method = "POST" if suffix == "/end" else "GET"
    response = await http.request(method, f"/v1/calls/{call_id}{suffix}", headers=tenant.headers)
    assert_names(response, 400, "path.call_id")


@pytest.mark.parametrize("query", ["?stauts=failed", "?status=active&page=2"])
async def test_an_unknown_query_parameter_is_400_naming_it(
    http: httpx.AsyncClient, tenant: TenantKey, query: str
) -> None:
    # A misspelt filter must not silently answer every call.
    response = await http.get(f"/v1/calls{query}", headers=tenant.headers)
    unknown = query.rsplit("&", 1)[-1].lstrip("?").split("=")[0]
    assert_names(response, 400, f"query.{unknown}")


# --- accepted before, then active forever ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ([*CONTACT, "ContactId"], "4a573372-1f28\x00-4e26"),
        ([*AUDIO, "StartFragmentNumber"], "not-a-number"),
        ([*AUDIO, "StartFragmentNumber"], "9" * 5000),
        ([*AUDIO, "StartFragmentNumber"], "٣٤"),  # Unicode digits, which int() reads
        ([*AUDIO, "StopFragmentNumber"], "1e5"),
        ([*AUDIO, "StartTimestamp"], "9" * 400),
        ([*AUDIO, "StartTimestamp"], "1e30"),
        ([*AUDIO, "StartTimestamp"], "-1"),
        ([*AUDIO, "StopTimestamp"], "99999999999999"),
    ],
)
async def test_input_that_would_never_end_is_400_and_starts_nothing(
    http: httpx.AsyncClient, tenant: TenantKey, client: Client, path: list[str], value: str
) -> None:
    event = put(flow_event(), path, value)
    response = await http.post(FLOW, json=event, headers=tenant.headers)
    assert_names(response, 400, ".".join(path))
    await assert_no_call_started(client, tenant, event["Details"]["ContactData"]["ContactId"])


# --- size and nesting --------------------------------------------------------------------


async def test_body_over_the_limit_is_413_declared_or_streamed(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    event = put(flow_event(), [*CONTACT, "Attributes"], {"pad": "x" * MAX_BODY_BYTES})
    declared = await http.post(FLOW, json=event, headers=tenant.headers)
    assert_names(declared, 413, "body")

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to trust
        for _ in range(MAX_BODY_BYTES // 1024 + 2):
            yield b" " * 1024

    streamed = await http.post(FLOW, content=chunks(), headers=tenant.headers)
    assert_names(streamed, 413, "body")


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
async def test_deep_json_is_400_with_a_message(
    http: httpx.AsyncClient, tenant: TenantKey, depth: int
) -> None:
    event = put(flow_event(), [*CONTACT, "Attributes"], {})
    body = httpx.Request("POST", "/", json=event).content.replace(
        b'"Attributes":{}', b'"Attributes":' + b"[" * depth + b"]" * depth
    )
    headers = tenant.headers | {"Content-Type": "application/json"}
    response = await http.post(FLOW, content=body, headers=headers)
    assert_names(response, 400, "body")
    assert f"at most {MAX_JSON_DEPTH} levels" in response.json()["detail"]


async def test_other_channels_are_400_naming_the_field(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    for channel in ("CHAT", "TASK", "EMAIL", "FAX"):
        event = put(flow_event(), [*CONTACT, "Channel"], channel)
        response = await http.post(FLOW, json=event, headers=tenant.headers)
        assert_names(response, 400, "Details.ContactData.Channel")


async def test_unknown_fields_are_still_accepted_by_the_models() -> None:
    from api.connect_models import ContactEvent, ContactFlowEvent

    event = put(flow_event(), [*CONTACT, "SomethingNew"], {"nested": ["ok", 1]})
    assert ContactFlowEvent.model_validate(event).Details.ContactData.model_extra
    ContactEvent.model_validate(contact_event(contact_id="c-1", event_type="COMPLETED"))


# --- what validation could not catch fails the call once ---------------------------------


@pytest.mark.parametrize(
    "media",
    [
        MediaStream("arn:aws:kinesisvideo:us-east-1:1:stream/s/1", start_fragment_number="x"),
        MediaStream("arn:aws:kinesisvideo:us-east-1:1:stream/s/1", stop_fragment_number="9" * 5000),
        MediaStream("arn:aws:kinesisvideo:us-east-1:1:stream/s/1", start_timestamp_ms=10**400),
    ],
)
async def test_bad_selector_is_a_non_retryable_activity_error(
    client: Client, media: MediaStream
) -> None:
    def reader(request: StreamCallAudio, resume: Any, *, contact_ended: Any) -> KvsCallReader:
        return KvsCallReader(
            stream_arn=request.media.stream_arn,
            contact_id=request.contact_id,
            start_fragment_number=request.media.start_fragment_number,
            start_timestamp_ms=request.media.start_timestamp_ms,
            stop_fragment_number=request.media.stop_fragment_number,
            checkpoint=resume,
        )

    # A bad selector fails before anything is streamed, transcribed or redacted.
    activities = AudioActivities(asr=None, streams=None, reader_factory=reader, redactor=None)  # type: ignore[arg-type]
    request = StreamCallAudio("t", "c", "c", "call-t-c", media)
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment(client).run(activities.stream_call_audio, request)
    assert raised.value.non_retryable and raised.value.type == "KvsBadSelector"
    assert "KvsBadSelector" in AUDIO_RETRY.non_retryable_error_types
    assert len(str(raised.value)) < 400  # readable, not 5,000 digits


def test_unicode_digits_are_not_a_fragment_number() -> None:
    with pytest.raises(KvsBadSelectorError, match="fragment number"):
        KvsCallReader(
            stream_arn="arn:aws:kinesisvideo:us-east-1:1:stream/s/1",
            contact_id="c",
            start_fragment_number="²",  # isdigit() says yes, int() says no
        )


@pytest.fixture
def kvs(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningEmulator]:
    with running_emulator() as running:
        monkeypatch.setenv("AWS_ENDPOINT_URL_KINESIS_VIDEO", running.endpoint_url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            monkeypatch.delenv(variable, raising=False)
        yield running


async def test_kvs_invalid_argument_is_a_bad_selector(kvs: RunningEmulator) -> None:
    """A well-formed fragment number KVS does not know: its InvalidArgumentException
    would be the same on every retry."""
    stream_arn = kvs.emulator.create_stream(f"bad-selector-{uuid.uuid4().hex[:8]}")
    reader = KvsCallReader(
        stream_arn=stream_arn,
        contact_id="c",
        checkpoint=ReaderCheckpoint("12345", continuation_token="", next_start_ms=0),
    )
    with pytest.raises(KvsBadSelectorError, match="InvalidArgumentException"):
        async with asyncio.timeout(10):
            async with contextlib.aclosing(reader.audio()) as audio:
                async for _ in audio:
                    pass


async def test_ten_megabyte_call_id_in_url_is_refused(api_url: str, tenant: TenantKey) -> None:
    """The HTTP server refuses a request line this long before any route (httpx will not
    even send one, so this speaks HTTP over a bare connection)."""
    url = httpx.URL(api_url)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    head = (
        f"GET /v1/calls/{'c' * 10_000_000} HTTP/1.1\r\nHost: {url.host}\r\n"
        f"Authorization: Bearer {tenant.api_key}\r\nConnection: close\r\n\r\n"
    )
    try:
        writer.write(head.encode())
        with contextlib.suppress(ConnectionError):  # it may hang up before reading it all
            await writer.drain()
        status_line = b""
        with contextlib.suppress(ConnectionError):  # the reset of a refused connection
            status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
    # An answer, if any, is a 4xx; hanging up without one is a refusal too.
    if status_line:
        assert 400 <= int(status_line.split()[1]) < 500, status_line


async def test_call_with_a_selector_validation_missed_fails_once(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    """A call started with a malformed selector (one stored before validation existed)
    fails after one attempt with a readable reason, instead of staying active."""
    settings = make_settings(stack, stream_audio=True, asr_url="ws://127.0.0.1:9/unused")
    contact_id = str(uuid.uuid4())
    media = MediaStream(
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/connect-demo-contact-{contact_id}/1",
        start_fragment_number="9" * 5000,
    )
    async with running_worker(client, settings, stores, ("calls", "audio")):
        workflow_id, _ = await start_call(
            client,
            settings,
            tenant_id=tenant.tenant_id,
            contact_id=contact_id,
            media=media,
            instance_arn=DEMO_INSTANCE_ARN,
        )
        handle = client.get_workflow_handle(workflow_id)
        with pytest.raises(WorkflowFailureError) as raised:
            await asyncio.wait_for(handle.result(), timeout=60)
    assert "start_fragment_number must be a decimal fragment number" in str(raised.value.cause)
    attempts = [
        event.activity_task_started_event_attributes.attempt
        async for event in handle.fetch_history_events()
        if event.HasField("activity_task_started_event_attributes")
        and event.activity_task_started_event_attributes.attempt > 1
    ]
    assert attempts == []  # nothing was retried
    record = await stores.calls.get(tenant.tenant_id, contact_id)
    assert record is not None and record.status == "failed", record
