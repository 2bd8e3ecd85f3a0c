"""The redaction queue's helpers on their own: reading a call, heartbeats, the verifier's
checks, whole-track transcription, and settling a verdict against real stores and S3."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import numpy as np
import pytest
from temporalio.exceptions import ApplicationError, TimeoutError, TimeoutType

from activities.post_call_detection import (
    LINE_GAP_MS,
    HeardWord,
    WhisperTranscriber,
    conversation,
    post_call_spans,
    split_lines,
    union_spans,
)
from activities.redaction import RedactionActivities
from activities.redaction_checks import (
    SAMPLE_RATE,
    Progress,
    RedactionVerifier,
    detection_policy,
    read_recording,
)
from callguide.resources import Stores
from redaction.audio import beep_spans
from redaction.detector import PiiDetector
from redaction.model import EntityType, Finding
from redaction.policy import DEFAULT_POLICY
from storage.object_store import ObjectStore
from tests.activities.voice_harness import CALLS
from tests.conftest import TenantKey
from voice.kvs_emulator.audio import read_wav_as_pcm
from voice.kvs_reader import CallAudio, StreamEnd
from workflows.redaction import failure_reason
from workflows.redaction_types import (
    RedactionPolicySnapshot,
    SettleRedaction,
    TrackSpan,
    counts_by_type,
)

POLICY = RedactionPolicySnapshot(
    beep_hz=1000,
    padding_ms=0,
    entities=[e.value for e in DEFAULT_POLICY.entities],
    score_threshold=0.4,
)


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    return PiiDetector()


class Fragments:
    """A reader serving fixed fragments, as KvsCallReader does."""

    def __init__(self, pieces: list[tuple[bytes, bytes]]) -> None:
        self._pieces = pieces
        self.end_reason: StreamEnd | None = None
        self.waiting_on_stream = False

    async def audio(self) -> AsyncGenerator[CallAudio, None]:
        start_ms = 0
        for number, (customer, agent) in enumerate(self._pieces, start=1):
            yield CallAudio(str(number), str(number), 0.0, start_ms, customer, agent)
            start_ms += len(customer) * 1000 // (2 * SAMPLE_RATE)
        self.end_reason = StreamEnd.CONTACT_ENDED


def speech_like(seconds: float, seed: int = 1) -> np.ndarray:
    """Voiced-speech stand-in: harmonics of a wandering pitch with noise, about -20 dBFS."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = 120 + 20 * np.sin(2 * np.pi * 0.5 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    signal = 0.08 * voiced + 0.01 * rng.standard_normal(t.size)
    return np.round(signal * 32767).astype(np.int16)


def test_counts_by_type() -> None:
    spans = [TrackSpan("customer", "CVV", 0, 1), TrackSpan("agent", "PIN", 2, 3)]
    spans.append(TrackSpan("customer", "CVV", 4, 5))
    assert counts_by_type(spans) == {"CVV": 2, "PIN": 1}


def test_failure_reasons_say_which_step_and_why_in_plain_words() -> None:
    gone = ApplicationError("KVS no longer serves the call's audio", type="KvsAudioGone")
    assert failure_reason("audio redaction", gone) == (
        "audio redaction failed: KVS no longer serves the call's audio"
    )
    late = TimeoutError("timeout", type=TimeoutType.START_TO_CLOSE, last_heartbeat_details=[])
    assert failure_reason("verification", late) == "verification timed out"


async def test_a_recording_joins_the_fragments_of_both_tracks_and_reports_progress() -> None:
    one = (np.full(800, 1, "<i2").tobytes(), np.full(800, 2, "<i2").tobytes())
    two = (np.full(400, 3, "<i2").tobytes(), np.full(400, 4, "<i2").tobytes())
    progress = Progress(beat=lambda *_: None)
    recording = await read_recording(Fragments([one, two]), progress)
    assert recording.customer.tolist() == [1] * 800 + [3] * 400
    assert recording.agent.tolist() == [2] * 800 + [4] * 400
    assert (recording.fragments, recording.bytes_read, recording.audio_ms) == (2, 4800, 150)
    assert progress.details == {"stage": "reading", "fragments": 2, "bytes": 4800}
    empty = await read_recording(Fragments([]), progress)
    assert (empty.audio_ms, len(empty.customer), len(empty.agent)) == (0, 0, 0)


async def test_progress_beats_while_a_thread_holds_the_cpu() -> None:
    beats: list[dict[str, Any]] = []
    progress = Progress(beat=beats.append)
    async with progress.beating(every_s=0.05):
        progress.update(stage="transcribing customer")
        await asyncio.to_thread(time.sleep, 0.4)
    assert len(beats) >= 4 and beats[-1] == {"stage": "transcribing customer"}


def test_the_verifier_passes_beeped_spans_and_names_a_missed_one() -> None:
    track = speech_like(6.0)
    spans = [TrackSpan("customer", "CVV", 1000, 2000), TrackSpan("customer", "PIN", 3000, 4000)]
    verifier = RedactionVerifier(policy=POLICY, detector=None)  # type: ignore[arg-type]
    ranges = [(s.start_ms, s.end_ms) for s in spans]
    beeped = beep_spans(track, sample_rate=SAMPLE_RATE, spans=ranges, beep_hz=1000)
    assert verifier.check_audio("customer", beeped, spans) == []

    half = beep_spans(track, sample_rate=SAMPLE_RATE, spans=ranges[:1], beep_hz=1000)
    reasons = verifier.check_audio("customer", half, spans)
    assert len(reasons) == 1 and reasons[0].startswith("customer 3.0–4.0 s: PIN not redacted (")

    extra = beep_spans(beeped, sample_rate=SAMPLE_RATE, spans=[(5000, 5600)], beep_hz=1000)
    assert verifier.check_audio("customer", extra, spans) == [
        "customer 5.0–5.6 s: beep outside every PII span"
    ]
    past = [*spans, TrackSpan("customer", "CVV", 7000, 7500)]
    reasons = verifier.check_audio("customer", beeped, past)
    assert len(reasons) == 1 and reasons[0].startswith("customer 7.0–7.5 s: CVV not redacted")
    assert "past the end" in reasons[0]


def words_of(text: str, start_ms: int = 1000, step_ms: int = 400) -> list[HeardWord]:
    return [
        HeardWord(f" {word}", start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 50)
        for i, word in enumerate(text.split())
    ]


def test_heard_pii_is_placed_in_time_and_never_quoted(detector: PiiDetector) -> None:
    verifier = RedactionVerifier(policy=POLICY, detector=detector)
    words = words_of("my card number is 4111 1111 1111 1111 thank you")
    reasons = verifier.heard_pii("customer", words, [])
    assert [r for r in reasons if "CREDIT_CARD" in r] == [
        "customer 2.6–4.2 s: CREDIT_CARD heard in redacted audio"
    ]
    assert all("4111" not in r and "card number" not in r for r in reasons)
    # The same words inside a beeped span are the beep's business, not a leak.
    beeped = [TrackSpan("customer", "CREDIT_CARD", 2600, 4150)]
    assert verifier.heard_pii("customer", words, beeped) == []
    assert verifier.heard_pii("agent", words_of("how can I help you today"), []) == []
    assert verifier.heard_pii("agent", [], []) == []


def test_whole_track_transcription_hears_a_card_number_and_not_its_beep() -> None:
    pcm = read_wav_as_pcm(CALLS / "card_update.customer.wav")
    turn = np.frombuffer(pcm, "<i2")[24_000 * 8 : 32_000 * 8].astype(np.int16)
    transcriber = WhisperTranscriber()
    heard = transcriber.words(turn, SAMPLE_RATE, threading.Event())
    assert sum(ch.isdigit() for w in heard for ch in w.word) >= 8
    assert all(0 <= w.start_ms <= w.end_ms <= 8000 for w in heard)
    beeped = beep_spans(turn, sample_rate=SAMPLE_RATE, spans=[(0, 8000)], beep_hz=1000)
    assert not any(
        ch.isdigit()
        for w in transcriber.words(beeped, SAMPLE_RATE, threading.Event())
        for ch in w.word
    )
    assert transcriber.words(np.zeros(8000, np.int16), SAMPLE_RATE, threading.Event()) == []


def timed(text: str, start_ms: int, step_ms: int = 400) -> list[HeardWord]:
    """Words as Whisper writes them (a leading space each), one every step_ms."""
    return [
        HeardWord(f" {word}", start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 100)
        for i, word in enumerate(text.split())
    ]


def test_a_track_is_cut_into_lines_at_a_pause_or_a_sentence_end() -> None:
    words = [
        *timed("Hello. Thank you,", 0),
        HeardWord(" 4", 1200, 1300),
        HeardWord("-1", 1300, 1400),  # continues "4"
        *timed("Dr. Smith", 1400 + LINE_GAP_MS - 1),  # no sentence ends at a title
        HeardWord("-22", 2800 + LINE_GAP_MS, 3600),  # glued on by Whisper after a pause
        *timed("goodbye", 5000),
    ]
    lines = split_lines("agent", words)
    assert [line.text for line in lines] == [
        "Hello.",
        "Thank you, 4-1 Dr. Smith",
        "-22",
        "goodbye",
    ]
    second = lines[1]
    assert second.offsets[2] == (10, 12) and second.text[slice(*second.offsets[3])] == "-1"
    assert second.text[19:24] == "Smith"
    assert second.time_of(Finding(EntityType.PERSON, 19, 24, 0.9)) == (2499, 2799)
    assert second.time_of(Finding(EntityType.PIN, 11, 14, 0.9)) == (1200, 1400)


def test_post_call_findings_become_time_spans_in_their_track(detector: PiiDetector) -> None:
    agent = [
        *timed("thank you sarah", 1000),
        *timed("what is your date of birth", 4000),
    ]
    customer = timed("march fourteenth nineteen eighty eight", 7000)
    lines = conversation({"customer": customer, "agent": agent})
    assert [(line.track, line.start_ms) for line in lines] == [
        ("agent", 1000),
        ("agent", 4000),
        ("customer", 7000),
    ]
    policy = detection_policy(POLICY)
    both = {"customer": customer, "agent": agent}
    spans = post_call_spans(both, detector=detector, policy=policy)
    assert spans == [
        TrackSpan("agent", "PERSON", 1800, 2100),  # "sarah": the third word
        TrackSpan("customer", "DATE_OF_BIRTH", 7000, 8900),  # all five words
    ]
    assert post_call_spans({"customer": [], "agent": []}, detector=detector, policy=policy) == []


def test_the_spans_to_beep_are_both_passes_merged_per_track() -> None:
    live = [
        TrackSpan("customer", "CREDIT_CARD", 24_000, 31_000),
        TrackSpan("customer", "CVV", 40_000, 41_000),
        TrackSpan("customer", "PIN", 3000, 2000),  # inverted: kept for verification
    ]
    post = [
        TrackSpan("customer", "PHONE_NUMBER", 23_800, 25_000),  # the card, typed otherwise
        TrackSpan("customer", "CREDIT_CARD", 30_000, 31_500),
        TrackSpan("agent", "PERSON", 1000, 1400),
        TrackSpan("agent", "DATE_OF_BIRTH", 1400, 1500),  # touches: one span
    ]
    assert union_spans(live, post) == [
        TrackSpan("agent", "PERSON", 1000, 1500),
        TrackSpan("customer", "PIN", 3000, 2000),
        TrackSpan("customer", "CREDIT_CARD", 23_800, 31_500),
        TrackSpan("customer", "CVV", 40_000, 41_000),
    ]
    assert union_spans(live[:2], []) == live[:2]


def test_a_post_call_number_that_runs_over_several_live_spans_keeps_their_types() -> None:
    # The whole-track decode wrote card, expiry and code as one number ("4111…0927737").
    live = [
        TrackSpan("customer", "CREDIT_CARD", 24_500, 31_400),
        TrackSpan("customer", "EXPIRY", 35_100, 37_300),
        TrackSpan("customer", "CVV", 40_800, 42_000),
    ]
    post = [TrackSpan("customer", "CREDIT_CARD", 24_300, 42_500)]
    assert union_spans(live, post) == [
        TrackSpan("customer", "CREDIT_CARD", 24_300, 35_100),
        TrackSpan("customer", "EXPIRY", 35_100, 40_800),
        TrackSpan("customer", "CVV", 40_800, 42_500),
    ]
    # What lies outside every live span is its own span, with the post-call type.
    alone = TrackSpan("customer", "PHONE_NUMBER", 50_000, 52_000)
    assert union_spans(live, [alone])[-1] == alone


def test_the_verifier_fails_a_live_span_no_beep_holds() -> None:
    live = [
        TrackSpan("customer", "CVV", 1000, 2000),
        TrackSpan("customer", "PIN", 3000, 4000),
        TrackSpan("customer", "PHONE_NUMBER", 5000, 6000),
    ]
    beeped = [
        TrackSpan("customer", "CVV", 900, 2100),
        TrackSpan("customer", "PIN", 3000, 3500),
        TrackSpan("customer", "DATE_OF_BIRTH", 3500, 4200),  # with the PIN, holds 3.0 to 4.0 s
    ]
    assert RedactionVerifier.uncovered("customer", live, beeped) == [
        "customer 5.0–6.0 s: PHONE_NUMBER not redacted (no beep holds it)"
    ]
    assert RedactionVerifier.uncovered("customer", live[:2], beeped) == []


@pytest.fixture
async def bucket(s3: str) -> AsyncIterator[ObjectStore]:
    async with ObjectStore(bucket=f"settle-{uuid.uuid4().hex[:10]}", endpoint_url=s3) as store:
        await store.ensure_bucket()
        yield store


async def test_settling_a_failed_verdict_quarantines_once_records_and_publishes_once(
    stores: Stores, tenant: TenantKey, bucket: ObjectStore
) -> None:
    call_id = str(uuid.uuid4())
    key = f"{tenant.tenant_id}/{call_id}/redacted.wav"
    await bucket.put(key, b"RIFF", content_type="audio/wav", metadata={"call": call_id})
    activities = RedactionActivities(
        calls=stores.calls,
        policies=stores.policies,
        redactions=stores.redactions,
        streams=stores.streams,
        objects=bucket,
        bucket=bucket.bucket,
        quarantine_prefix="quarantine/",
        reader_factory=lambda request: Fragments([]),
    )
    spans = [TrackSpan("customer", "CVV", 1000, 2000)]
    request = SettleRedaction(
        tenant_id=tenant.tenant_id,
        call_id=call_id,
        status="failed",
        reasons=["customer 1.0–2.0 s: CVV not redacted (no beep)"],
        spans=spans,
        bucket=bucket.bucket,
        object_key=key,
        audio_ms=3000,
        quarantine=True,
        event_seq=7,
    )
    first = await activities.settle_redaction(request)
    again = await activities.settle_redaction(request)  # a retry after the move

    assert first.object_key == again.object_key == f"quarantine/{key}"
    assert (first.published, again.published) == (True, False)
    assert not await bucket.exists(key) and await bucket.exists(f"quarantine/{key}")
    record = await stores.redactions.get(tenant.tenant_id, call_id)
    assert record is not None and record.status == "failed" and record.audio_ms == 3000
    assert record.object_key == f"quarantine/{key}" and record.reasons == request.reasons
    events = [e.event for e in await stores.streams.read(tenant.tenant_id, call_id)]
    assert events == [
        {
            "seq": 7,
            "type": "redaction",
            "at": events[0]["at"],
            "data": {"status": "failed", "spans": 1, "counts_by_type": {"CVV": 1}, "reasons": 1},
        }
    ]
