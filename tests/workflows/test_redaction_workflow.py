"""Post-call audio redaction and its verification against the real dev server, PostgreSQL,
Redis, the KVS emulator (serving sample-call audio) and a moto S3 server."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError
from temporalio.worker import Worker

from activities.redaction import RedactionActivities
from activities.redaction_checks import CallRecording, Progress
from api.calls_service import start_call
from callguide import search_attributes as sa
from callguide.model import MediaStream, PiiSpan, Speaker, Utterance, call_workflow_id
from callguide.resources import Stores
from callguide.settings import Settings
from redaction.audio import check_beeped, read_stereo_wav
from redaction.model import EntityType
from redaction.policy import RedactionPolicy
from storage.object_store import ObjectStore
from tests.activities.voice_harness import CALLS, emulator_aws_env
from tests.conftest import Stack, TenantKey, make_settings, running_worker
from tests.faults import FaultProxy
from voice.kvs_emulator import EmulatorConfig, RunningEmulator, running_emulator
from voice.kvs_emulator.audio import read_wav_as_pcm
from workers.main import kvs_client_pool, object_store, redaction_activities, redaction_worker
from workflows.call import CallWorkflow
from workflows.call_types import (
    STREAM_CALL_AUDIO,
    EndCallRequest,
    StreamCallAudio,
    StreamCallAudioResult,
)
from workflows.redaction import AudioRedactionWorkflow
from workflows.redaction_types import (
    AudioRedactionInput,
    RedactionPolicySnapshot,
    RedactionSummary,
    TrackSpan,
    redacted_object_key,
    redaction_workflow_id,
    verification_workflow_id,
)

RATE = 8000
QUARANTINE = "quarantine/"
# The card_update sample call's PII turns (examples/calls/card_update.timeline.json).
CARD_UPDATE_PII = [
    PiiSpan("PHONE_NUMBER", 14222, 18790),
    PiiSpan("CREDIT_CARD", 24492, 31365),
    PiiSpan("EXPIRY", 35204, 37294),
    PiiSpan("CVV", 40782, 42032),
    PiiSpan("ADDRESS", 45895, 52145),
]
# The sample calls greet by name; these tests give their spans for the numbers and address.
NO_NAMES = RedactionPolicy(entities=tuple(e for e in EntityType if e is not EntityType.PERSON))


@pytest.fixture(scope="module")
def kvs() -> Iterator[RunningEmulator]:
    with running_emulator(config=EmulatorConfig(region="us-east-1")) as emulator:
        yield emulator


@pytest.fixture(scope="module", autouse=True)
def aws_env(kvs: RunningEmulator) -> Iterator[None]:
    with emulator_aws_env(kvs):
        yield


@pytest.fixture
def redaction_settings(stack: Stack, s3: str) -> Settings:
    return make_settings(
        stack,
        s3_endpoint_url=s3,
        s3_bucket=f"redaction-{uuid.uuid4().hex[:10]}",
        s3_quarantine_prefix=QUARANTINE,
        kvs_end_of_stream_idle_s=1.0,
    )


@pytest.fixture
async def bucket(redaction_settings: Settings) -> AsyncIterator[ObjectStore]:
    async with object_store(redaction_settings) as store:
        await store.ensure_bucket()
        yield store


def sample_pcm(name: str, track: str, until_ms: int | None = None) -> bytes:
    pcm = read_wav_as_pcm(CALLS / f"{name}.{track}.wav")
    return pcm if until_ms is None else pcm[: until_ms * RATE // 1000 * 2]


async def feed(
    kvs: RunningEmulator, contact_id: str, customer: bytes, agent: bytes, *, stream: str = ""
) -> MediaStream:
    """Stores the call's audio in KVS at once, as Connect had streamed it during the call."""
    stream = stream or f"connect-redaction-{contact_id}"
    with contextlib.suppress(Exception):
        kvs.emulator.create_stream(stream)
    loop = asyncio.get_running_loop()
    started: asyncio.Future[object] = loop.create_future()
    fed = kvs.emulator.start_feed(
        stream,
        customer_pcm=customer,
        agent_pcm=agent,
        contact_id=contact_id,
        speed=0,
        on_start=lambda start: loop.call_soon_threadsafe(started.set_result, start),
    )
    result = await asyncio.wrap_future(fed)
    if not started.done():  # a contact with no audio: the stream is all there is
        return MediaStream(stream_arn=result.stream_arn)
    start = started.result()
    return MediaStream(
        stream_arn=start.stream_arn,  # type: ignore[attr-defined]
        start_fragment_number=start.start_fragment_number,  # type: ignore[attr-defined]
        start_timestamp_ms=start.start_timestamp_ms,  # type: ignore[attr-defined]
    )


@dataclass
class Env:
    """A tenant's calls in KVS and PostgreSQL, and a redaction worker's settings and bucket."""

    client: Client
    stores: Stores
    kvs: RunningEmulator
    tenant: TenantKey
    settings: Settings
    bucket: ObjectStore

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    async def call(
        self, spans: list[tuple[Speaker, PiiSpan]], customer: bytes, agent: bytes
    ) -> tuple[str, MediaStream]:
        """A finished call: its record, its (redacted) utterances' PII spans, its audio."""
        call_id = await self.seed(spans)
        return call_id, await feed(self.kvs, call_id, customer, agent)

    async def seed(self, spans: list[tuple[Speaker, PiiSpan]]) -> str:
        call_id = str(uuid.uuid4())
        await self.stores.calls.record_started(
            tenant_id=self.tenant_id,
            call_id=call_id,
            contact_id=call_id,
            workflow_id=call_workflow_id(self.tenant_id, call_id),
            started_at=datetime.now(UTC),
            instance_arn="",
            stream_arn=None,
        )
        utterances = [
            Utterance(sp, f"[{s.type}]", s.start_ms, s.end_ms, pii=[s]) for sp, s in spans
        ]
        await self.stores.calls.add_utterances(
            tenant_id=self.tenant_id, call_id=call_id, utterances=utterances
        )
        return call_id

    def request(self, call_id: str, media: MediaStream, **fields: Any) -> AudioRedactionInput:
        return AudioRedactionInput(self.tenant_id, call_id, call_id, media, event_seq=100, **fields)

    async def redact(self, call_id: str, media: MediaStream, **fields: Any) -> RedactionSummary:
        result = await self.client.execute_workflow(
            AudioRedactionWorkflow.run,
            self.request(call_id, media, **fields),
            id=redaction_workflow_id(self.tenant_id, call_id),
            task_queue=self.settings.task_queue("redaction"),
        )
        return result.summary

    async def statuses(self, call_id: str) -> list[str | None]:
        """RedactionStatus of the call's redaction and verification workflows (None: none)."""
        found: list[str | None] = []
        for workflow_id in (
            redaction_workflow_id(self.tenant_id, call_id),
            verification_workflow_id(self.tenant_id, call_id),
        ):
            try:
                description = await self.client.get_workflow_handle(workflow_id).describe()
            except RPCError:  # not started (yet)
                found.append(None)
            else:
                found.append(description.typed_search_attributes.get(sa.REDACTION_STATUS))
        return found

    async def events(self, call_id: str) -> list[str]:
        events = await self.stores.streams.read(self.tenant_id, call_id)
        return [e.event["data"]["status"] for e in events if e.event["type"] == "redaction"]

    def worker(self, settings: Settings | None = None) -> Any:
        return running_worker(self.client, settings or self.settings, self.stores, ("redaction",))


@pytest.fixture
async def env(
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    tenant: TenantKey,
    redaction_settings: Settings,
    bucket: ObjectStore,
) -> Env:
    return Env(client, stores, kvs, tenant, redaction_settings, bucket)


@contextlib.asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[None]:
    task = asyncio.create_task(worker.run())
    try:
        yield
    finally:
        await worker.shutdown()
        await asyncio.gather(task, return_exceptions=True)


def silence(seconds: float) -> bytes:
    return bytes(int(seconds * RATE) * 2)


async def test_a_sample_call_is_beeped_stored_and_verified(env: Env) -> None:
    await env.stores.policies.put(env.tenant_id, NO_NAMES)
    customer, agent = sample_pcm("card_update", "customer"), sample_pcm("card_update", "agent")
    call_id, media = await env.call(
        [(Speaker.CUSTOMER, s) for s in CARD_UPDATE_PII], customer, agent
    )
    async with env.worker():
        started = time.perf_counter()
        summary = await env.redact(call_id, media)
        elapsed = time.perf_counter() - started

    print(
        f"\nredaction + verification of {len(customer) / 2 / RATE:.1f} s of audio: {elapsed:.1f} s"
    )
    assert (summary.status, summary.reasons) == ("verified", [])
    # The post-call decode finds the same numbers and address: one span each, with the
    # live type, and nothing else (the policy leaves names out).
    assert summary.spans == len(CARD_UPDATE_PII) and summary.counts_by_type["CREDIT_CARD"] == 1
    assert summary.live_spans == len(CARD_UPDATE_PII) and summary.post_call_spans
    key = redacted_object_key(env.tenant_id, call_id)
    assert summary.object_key == key
    left, right, rate = read_stereo_wav(await env.bucket.get(key))
    assert rate == RATE and abs(len(left) - len(customer) // 2) <= RATE  # within a fragment
    spans = [(s.start_ms, s.end_ms) for s in CARD_UPDATE_PII]
    assert all(c.passed for c in check_beeped(left, sample_rate=RATE, spans=spans, beep_hz=1000))
    assert np.array_equal(right[: len(agent) // 2], np.frombuffer(agent, "<i2")[: len(right)])
    record = await env.stores.redactions.get(env.tenant_id, call_id)
    assert record is not None and record.status == "verified" and record.policy_version == 1
    assert record.object_key == key and len(record.spans) == len(CARD_UPDATE_PII)
    for live in CARD_UPDATE_PII:  # each beeped span holds its live span
        assert any(s.start_ms <= live.start_ms and live.end_ms <= s.end_ms for s in record.spans)
    assert await env.statuses(call_id) == ["verified", "verified"]
    assert await env.events(call_id) == ["redacted", "verified"]


class ForgetsPhoneNumbers(RedactionActivities):
    """A broken redactor: it beeps every span but phone numbers, and does not say so."""

    def spans_to_beep(self, spans: list[TrackSpan]) -> list[TrackSpan]:
        return [s for s in spans if s.type != "PHONE_NUMBER"]


async def test_a_redactor_that_misses_a_span_fails_verification_and_is_quarantined(
    env: Env,
) -> None:
    await env.stores.policies.put(env.tenant_id, NO_NAMES)
    spans = [(Speaker.CUSTOMER, CARD_UPDATE_PII[0]), (Speaker.AGENT, PiiSpan("PERSON", 1500, 2500))]
    until = 20_000  # the call's first 20 s: the greeting and the phone number
    audio = [sample_pcm("card_update", track, until) for track in ("customer", "agent")]
    call_id, media = await env.call(spans, *audio)
    pool, objects = kvs_client_pool(env.settings), object_store(env.settings)
    broken = redaction_activities(
        env.settings, env.stores, kvs=pool, objects=objects, kind=ForgetsPhoneNumbers
    )
    worker = redaction_worker(
        env.client, env.settings, env.stores, activities=broken, kvs=pool, objects=objects
    )
    async with running(worker):
        summary = await env.redact(call_id, media)

    assert summary.status == "failed"
    missed = [r for r in summary.reasons if r.startswith("customer 14.2–18.8 s: PHONE_NUMBER")]
    assert missed, summary.reasons
    assert all("five" not in r and "555" not in r for r in summary.reasons)  # never what was said
    key = redacted_object_key(env.tenant_id, call_id)
    assert summary.object_key == QUARANTINE + key
    assert not await env.bucket.exists(key) and await env.bucket.exists(QUARANTINE + key)
    record = await env.stores.redactions.get(env.tenant_id, call_id)
    assert record is not None and record.status == "failed"
    assert (record.object_key, record.reasons) == (QUARANTINE + key, summary.reasons)
    assert await env.statuses(call_id) == ["failed", "failed"]
    assert await env.events(call_id) == ["redacted", "failed"]


class LiveSpansOnly(RedactionActivities):
    """A redactor without the post-call pass: it beeps what the live redaction found."""

    async def post_call_spans(
        self, recording: CallRecording, policy: RedactionPolicySnapshot, progress: Progress
    ) -> list[TrackSpan]:
        return []


async def test_pii_the_live_redaction_missed_is_found_after_the_call(env: Env) -> None:
    await env.stores.policies.put(env.tenant_id, NO_NAMES)
    until = 33_000  # up to the end of the card number
    audio = [sample_pcm("card_update", track, until) for track in ("customer", "agent")]
    # The transcript's spans hold the phone number only: the card number went unnoticed.
    call_id, media = await env.call([(Speaker.CUSTOMER, CARD_UPDATE_PII[0])], *audio)
    async with env.worker():
        summary = await env.redact(call_id, media)

    assert (summary.status, summary.reasons) == ("verified", [])
    assert summary.live_spans == 1
    assert summary.post_call_spans and summary.post_call_spans >= 2  # the phone and the card
    record = await env.stores.redactions.get(env.tenant_id, call_id)
    assert record is not None
    # the card, in one span or more (a first group the caller restarts is a span of its own)
    cards = [s for s in record.spans if s.type == "CREDIT_CARD"]
    assert summary.counts_by_type.get("CREDIT_CARD") == len(cards) >= 1
    assert all(s.track == "customer" and 24_000 <= s.start_ms < s.end_ms <= 31_900 for s in cards)
    assert sum(s.end_ms - s.start_ms for s in cards) >= 5_000  # sixteen digits take 5 s or more


async def test_pii_neither_pass_beeped_is_heard_in_the_redacted_audio(env: Env) -> None:
    await env.stores.policies.put(env.tenant_id, NO_NAMES)
    until = 33_000  # up to the end of the card number
    audio = [sample_pcm("card_update", track, until) for track in ("customer", "agent")]
    call_id, media = await env.call([(Speaker.CUSTOMER, CARD_UPDATE_PII[0])], *audio)
    pool, objects = kvs_client_pool(env.settings), object_store(env.settings)
    live_only = redaction_activities(
        env.settings, env.stores, kvs=pool, objects=objects, kind=LiveSpansOnly
    )
    worker = redaction_worker(
        env.client, env.settings, env.stores, activities=live_only, kvs=pool, objects=objects
    )
    async with running(worker):
        summary = await env.redact(call_id, media)

    assert summary.status == "failed"
    [heard] = summary.reasons
    where, what = heard.split(": ")
    assert what == "CREDIT_CARD heard in redacted audio"
    times = where.removeprefix("customer ").removesuffix(" s").split("–")
    start_s, end_s = (float(t) for t in times)
    assert 24.0 <= start_s < end_s <= 31.9  # the turn is 24.5 to 31.4 s


async def test_silent_audio_is_beeped_and_verified_and_spans_past_its_end_fail(env: Env) -> None:
    pin = [(Speaker.AGENT, PiiSpan("PIN", 1000, 1800))]
    silent, silent_media = await env.call(pin, silence(4), silence(4))
    late = [
        (Speaker.CUSTOMER, PiiSpan("CVV", 1000, 1500)),
        (Speaker.CUSTOMER, PiiSpan("CVV", 5000, 6000)),
    ]
    past_end, past_end_media = await env.call(late, silence(4), silence(4))
    async with env.worker():
        quiet, short = await asyncio.gather(
            env.redact(silent, silent_media), env.redact(past_end, past_end_media)
        )

    assert (quiet.status, quiet.reasons, quiet.audio_ms) == ("verified", [], 4000)
    assert short.status == "failed"
    assert [r.split(":")[0] for r in short.reasons] == ["customer 5.0–6.0 s"]
    assert "past the end" in short.reasons[0]
    assert short.object_key == QUARANTINE + redacted_object_key(env.tenant_id, past_end)


async def test_a_call_without_audio_is_verified_empty_unless_kvs_lost_what_it_streamed(
    env: Env,
) -> None:
    # Connect reuses streams: this one holds another contact's audio only.
    stream = f"connect-redaction-shared-{uuid.uuid4().hex[:8]}"
    other = await feed(env.kvs, str(uuid.uuid4()), silence(2), silence(2), stream=stream)
    empty, lost = await env.seed([]), await env.seed([])
    media = MediaStream(stream_arn=other.stream_arn)
    async with env.worker():  # one after the other: KVS allows 5 GetMedia a second a stream
        nothing = await env.redact(empty, media)
        gone = await env.redact(lost, media, audio_ms=5000)

    assert (nothing.status, nothing.audio_ms) == ("verified", 0)
    stored = await env.bucket.get(redacted_object_key(env.tenant_id, empty))
    customer, agent, _ = read_stereo_wav(stored)
    assert len(customer) == len(agent) == 0
    assert gone.status == "failed"
    assert gone.reasons and "KVS holds none of the call's audio" in gone.reasons[0]
    assert await env.statuses(lost) == ["failed", None]


async def test_a_deleted_stream_fails_at_once_with_a_readable_reason(env: Env) -> None:
    call_id, media = await env.call([], silence(2), silence(2))
    env.kvs.emulator.delete_stream(arn=media.stream_arn)
    async with env.worker():
        summary = await asyncio.wait_for(env.redact(call_id, media), 60)

    assert summary.status == "failed"
    assert "KVS no longer serves the call's audio" in summary.reasons[0]
    record = await env.stores.redactions.get(env.tenant_id, call_id)
    assert record is not None and record.status == "failed" and record.object_key is None


async def test_an_s3_outage_during_upload_is_retried_until_it_catches_up(env: Env, s3: str) -> None:
    pin = [(Speaker.CUSTOMER, PiiSpan("PIN", 500, 1500))]
    call_id, media = await env.call(pin, silence(3), silence(3))
    async with FaultProxy.for_url(s3) as proxy:
        settings = env.settings.model_copy(update={"s3_endpoint_url": proxy.url_for(s3)})
        await proxy.outage()
        async with env.worker(settings):
            handle = await env.client.start_workflow(
                AudioRedactionWorkflow.run,
                env.request(call_id, media),
                id=redaction_workflow_id(env.tenant_id, call_id),
                task_queue=settings.task_queue("redaction"),
            )
            attempts = 0
            for _ in range(300):
                pending = (await handle.describe()).raw_description.pending_activities
                attempts = max((a.attempt for a in pending), default=attempts)
                if attempts >= 3:
                    break
                await asyncio.sleep(0.1)
            assert attempts >= 3, "the upload was not retried while S3 was down"
            assert await env.statuses(call_id) == ["pending", None]
            await proxy.restore()
            result = await asyncio.wait_for(handle.result(), 120)

    assert (result.summary.status, result.summary.reasons) == ("verified", [])
    assert await env.bucket.exists(redacted_object_key(env.tenant_id, call_id))


# --- the call starts the redaction ------------------------------------------------------


class QuickAudio:
    """The call's stream, done at once: the call ends by itself after 4 s of audio."""

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream(self, request: StreamCallAudio) -> StreamCallAudioResult:
        return StreamCallAudioResult(fragments=4, utterances=0, audio_ms=4000)


@contextlib.asynccontextmanager
async def calls_with_quick_audio(
    client: Client, settings: Settings, stores: Stores
) -> AsyncIterator[None]:
    audio = Worker(
        client, task_queue=settings.task_queue("audio"), activities=[QuickAudio().stream]
    )
    async with running_worker(client, settings, stores), running(audio):
        yield


MEDIA = MediaStream(stream_arn="arn:aws:kinesisvideo:us-east-1:111122223333:stream/s/1")


async def place_call(
    client: Client,
    settings: Settings,
    tenant: TenantKey,
    *,
    media: MediaStream | None = MEDIA,
    call_id: str | None = None,
    hang_up: bool = False,
) -> tuple[str, object]:
    """A call's result; without streamed audio it ends when hung up (`hang_up`)."""
    call_id = call_id or str(uuid.uuid4())
    await start_call(
        client,
        settings,
        tenant_id=tenant.tenant_id,
        contact_id=call_id,
        media=media,
        instance_arn="",
    )
    handle = client.get_workflow_handle_for(
        CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
    )
    if hang_up:
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    return call_id, await asyncio.wait_for(handle.result(), 60)


async def test_an_ended_call_starts_its_redaction_and_does_not_wait_for_it(
    client: Client, stack: Stack, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, stream_audio=True)
    async with calls_with_quick_audio(client, settings, stores):
        call_id, result = await place_call(client, settings, tenant)

    assert result.status == "ended"  # type: ignore[attr-defined]
    child = client.get_workflow_handle(redaction_workflow_id(tenant.tenant_id, call_id))
    description = await child.describe()
    # Nothing polls the redaction queue here: the child waits, the call is long done.
    assert description.status == WorkflowExecutionStatus.RUNNING
    assert description.parent_id == call_workflow_id(tenant.tenant_id, call_id)
    assert description.task_queue == settings.task_queue("redaction")
    attributes = description.typed_search_attributes
    assert attributes.get(sa.TENANT_ID) == tenant.tenant_id
    assert attributes.get(sa.CONTACT_ID) == call_id
    assert attributes.get(sa.REDACTION_STATUS) == "pending"
    memo = await description.memo()
    assert memo == {"call_id": call_id, "audio_ms": 4000}
    await child.terminate("test over")


async def test_calls_without_audio_start_no_redaction_and_a_failed_start_keeps_the_call(
    client: Client, stack: Stack, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, stream_audio=True)
    no_media_settings = make_settings(stack, stream_audio=False)
    async with calls_with_quick_audio(client, settings, stores):
        no_media, ended = await place_call(client, settings, tenant, media=None, hang_up=True)
        assert ended.status == "ended"  # type: ignore[attr-defined]
    async with calls_with_quick_audio(client, no_media_settings, stores):
        off, ended = await place_call(client, no_media_settings, tenant, hang_up=True)
        assert ended.status == "ended"  # type: ignore[attr-defined]
    for call_id in (no_media, off):
        with pytest.raises(RPCError):
            await client.get_workflow_handle(
                redaction_workflow_id(tenant.tenant_id, call_id)
            ).describe()

    # A redaction already there (started by hand, say) refuses the call's: the call ends.
    taken = str(uuid.uuid4())
    squatter = await client.start_workflow(
        AudioRedactionWorkflow.run,
        AudioRedactionInput(tenant.tenant_id, taken, taken, MEDIA),
        id=redaction_workflow_id(tenant.tenant_id, taken),
        task_queue=f"nobody-polls-{uuid.uuid4().hex[:8]}",
    )
    async with calls_with_quick_audio(client, settings, stores):
        _, ended = await place_call(client, settings, tenant, call_id=taken)
    assert ended.status == "ended"  # type: ignore[attr-defined]
    assert (await squatter.describe()).parent_id is None
    await squatter.terminate("test over")
