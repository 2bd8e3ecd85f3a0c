"""The `redaction` queue: post-call audio redaction and its independent verification.

Why the redactor re-reads the call from KVS instead of spooling audio during the call:
the unredacted audio then exists at rest in one place only, KVS, whose retention the
contact center already governs; no second copy of it is ever written to disk or S3.
It lives in this activity's memory while the call is beeped, and a retry (a worker died,
S3 was down) simply re-reads it. KVS, not a spool, is the source of truth.

The redactor beeps the union of two passes' spans: the live text redaction's (PostgreSQL)
and a post-call pass over the whole call decoded by Whisper (activities.post_call_detection),
which finds PII the streaming recogniser misheard.

The verifier does not trust the redactor: it reads the live spans from PostgreSQL itself
and fails when one is not inside a span the redactor says it beeped; it checks the stored
WAV for a beep over each of those spans with no speech left under it and for beeps anywhere
else, and re-transcribes both tracks to find PII the beeps missed.
Reasons name a track, a time range and an entity type; never what was heard.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.post_call_detection import (
    SHARED_TRANSCRIBER,
    HeardWord,
    WhisperTranscriber,
    only_post_call,
    post_call_spans,
    union_spans,
)
from callguide.model import PiiSpan
from redaction.audio import beep_spans, beeps_outside, check_beeped, read_stereo_wav, stereo_wav
from redaction.detector import PiiDetector
from redaction.model import EntityType
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from storage.calls import CallStore
from storage.object_store import ObjectStore, ObjectStoreError
from storage.redactions import (
    CallRedaction,
    CallRedactionStore,
    RedactedSpan,
    RedactionPolicyStore,
    RedactionStatus,
)
from storage.redis_streams import CallEventStreams
from voice.call_audio import CallAudioSource
from voice.kvs_reader import (
    KvsBadSelectorError,
    KvsCorruptMediaError,
    KvsReadError,
    KvsStreamRejectedError,
)
from workflows.redaction_types import (
    LOAD_REDACTION_POLICY,
    REDACT_CALL_AUDIO,
    SETTLE_REDACTION,
    VERIFY_REDACTED_AUDIO,
    LoadRedactionPolicy,
    RedactCallAudio,
    RedactCallAudioResult,
    RedactionPolicySnapshot,
    SettleRedaction,
    SettleResult,
    TrackSpan,
    VerificationReport,
    VerifyRedactedAudio,
    counts_by_type,
    redacted_object_key,
)

log = logging.getLogger(__name__)

# Connect streams each track as audio/L16 at 8 kHz (the reader trusts the MimeType tag and
# aligns the tracks per fragment), so the PCM is used as it comes, without resampling.
SAMPLE_RATE = 8000
TRACKS = ("customer", "agent")
HEARTBEAT_EVERY_S = 2.0
# Whisper's word times are rough: a finding counts as inside a beep when this share of its
# time is; a finding there is the beep's business (check_beeped), not a leak.
INSIDE_BEEP_SHARE = 0.5
# Heard PII fails verification from this detector score (or the policy's threshold, if
# higher): re-transcribed telephone audio is noisy, and a verdict must not cry wolf on
# every number-like word.
HEARD_PII_MIN_SCORE = 0.6
# Two decodes place the same word up to a few hundred ms apart, and Whisper guesses a name
# from what is left beside a beep ("Hi, [beep]" becomes "Hi, Laura"): a name heard this
# close to a beeped span is that span's, and check_beeped has already proved nothing is
# left under it. Numbers get no such slack: a digit heard beside a beep fails.
NAME_TIME_TOLERANCE_MS = 300

RedactionReaderFactory = Callable[[RedactCallAudio], CallAudioSource]
FAILED, VERIFIED = RedactionStatus.FAILED, RedactionStatus.VERIFIED


class Progress:
    """Heartbeats the activity's progress on a steady beat while it works (also while a
    thread holds the CPU), so a dead worker is noticed and cancellation is delivered."""

    def __init__(self, beat: Callable[..., None] | None = None) -> None:
        self.details: dict[str, Any] = {}
        self._beat = beat or activity.heartbeat

    def update(self, **details: Any) -> None:
        self.details.update(details)

    @contextlib.asynccontextmanager
    async def beating(self, every_s: float = HEARTBEAT_EVERY_S) -> AsyncIterator[Progress]:
        async def beat() -> None:
            while True:
                self._beat(dict(self.details))
                await asyncio.sleep(every_s)

        task = asyncio.create_task(beat())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@dataclass
class CallRecording:
    """Both tracks of a call, in memory only (see the module docstring)."""

    customer: np.ndarray
    agent: np.ndarray
    fragments: int
    bytes_read: int

    @property
    def audio_ms(self) -> int:
        return len(self.customer) * 1000 // SAMPLE_RATE


async def read_recording(source: CallAudioSource, progress: Progress) -> CallRecording:
    customer, agent = bytearray(), bytearray()
    fragments = 0
    async with contextlib.aclosing(source.audio()) as pieces:
        async for piece in pieces:
            customer += piece.customer_pcm
            agent += piece.agent_pcm
            fragments += 1
            progress.update(stage="reading", fragments=fragments, bytes=len(customer) + len(agent))
    return CallRecording(
        np.frombuffer(customer, dtype="<i2").astype(np.int16),
        np.frombuffer(agent, dtype="<i2").astype(np.int16),
        fragments,
        len(customer) + len(agent),
    )


def track_spans(spans: Sequence[tuple[str, PiiSpan]]) -> list[TrackSpan]:
    return [TrackSpan(track, s.type, s.start_ms, s.end_ms) for track, s in spans]


def seconds(start_ms: int, end_ms: int) -> str:
    return f"{start_ms / 1000:.1f}–{end_ms / 1000:.1f} s"


def policy_snapshot(policy: RedactionPolicy, version: int | None) -> RedactionPolicySnapshot:
    return RedactionPolicySnapshot(
        beep_hz=policy.beep_hz,
        padding_ms=policy.audio_padding_ms,
        entities=[e.value for e in policy.entities],
        score_threshold=policy.score_threshold,
        version=version,
    )


def detection_policy(snapshot: RedactionPolicySnapshot) -> RedactionPolicy:
    return RedactionPolicy(
        entities=tuple(EntityType(e) for e in snapshot.entities),
        score_threshold=snapshot.score_threshold,
        audio_padding_ms=snapshot.padding_ms,
        beep_hz=snapshot.beep_hz,
    )


# One detector per process, built on first use (it takes seconds to load); the Whisper model
# is likewise one per process (SHARED_TRANSCRIBER).
shared_detector = functools.cache(PiiDetector)


class RedactionVerifier:
    """Checks one redacted track against the spans PostgreSQL holds and the spans the
    redactor says it beeped (no Temporal, no I/O)."""

    def __init__(self, *, policy: RedactionPolicySnapshot, detector: PiiDetector) -> None:
        self._policy = policy
        self._detector = detector
        self._min_score = max(HEARD_PII_MIN_SCORE, policy.score_threshold)

    def check_audio(self, track: str, samples: np.ndarray, spans: list[TrackSpan]) -> list[str]:
        """Every span beeped with nothing left under it; no beep anywhere else."""
        ranges = [(s.start_ms, s.end_ms) for s in spans]
        beep = {"beep_hz": self._policy.beep_hz, "padding_ms": self._policy.padding_ms}
        reasons = []
        checks = check_beeped(samples, sample_rate=SAMPLE_RATE, spans=ranges, **beep)
        for span, check in zip(spans, checks, strict=True):
            if check.reason is not None:
                where = seconds(span.start_ms, span.end_ms)
                reasons.append(f"{track} {where}: {span.type} not redacted ({check.reason})")
        for start, end in beeps_outside(samples, sample_rate=SAMPLE_RATE, spans=ranges, **beep):
            reasons.append(f"{track} {seconds(start, end)}: beep outside every PII span")
        return reasons

    @staticmethod
    def uncovered(track: str, live: list[TrackSpan], beeped: list[TrackSpan]) -> list[str]:
        """Live spans (PostgreSQL) that no beeped span, or run of touching ones, holds."""
        runs: list[tuple[int, int]] = []
        for start, end in sorted((s.start_ms, s.end_ms) for s in beeped if s.end_ms >= s.start_ms):
            if runs and start <= runs[-1][1]:
                runs[-1] = (runs[-1][0], max(runs[-1][1], end))
            else:
                runs.append((start, end))
        reasons = []
        for span in live:
            if span.end_ms < span.start_ms:  # invalid: check_audio reports it if beeped
                covered = span in beeped
            else:
                covered = any(a <= span.start_ms and span.end_ms <= b for a, b in runs)
            if not covered:
                where = seconds(span.start_ms, span.end_ms)
                reasons.append(f"{track} {where}: {span.type} not redacted (no beep holds it)")
        return reasons

    def heard_pii(self, track: str, words: list[HeardWord], spans: list[TrackSpan]) -> list[str]:
        """PII the detector finds in what the redacted track still says, outside the beeps."""
        text, offsets = "", []
        for word in words:
            offsets.append((len(text), len(text) + len(word.word)))
            text += word.word
        if not text.strip():
            return []
        pad = self._policy.padding_ms
        beeped = [(s.start_ms - pad, s.end_ms + pad) for s in spans]
        near_names = [(s - NAME_TIME_TOLERANCE_MS, e + NAME_TIME_TOLERANCE_MS) for s, e in beeped]
        reasons = []
        findings = self._detector.detect(text, policy=detection_policy(self._policy))
        for finding in sorted(findings, key=lambda f: f.start):
            if finding.score < self._min_score:
                continue
            hit = [
                w
                for w, (a, b) in zip(words, offsets, strict=True)
                if a < finding.end and b > finding.start
            ]
            if not hit:
                continue
            start, end = min(w.start_ms for w in hit), max(w.end_ms for w in hit)
            ranges = near_names if finding.type == EntityType.PERSON else beeped
            inside = sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)
            if inside >= INSIDE_BEEP_SHARE * max(end - start, 1):
                continue
            label = getattr(finding.type, "value", finding.type)
            reasons.append(f"{track} {seconds(start, end)}: {label} heard in redacted audio")
        return reasons


class RedactionActivities:
    def __init__(
        self,
        *,
        calls: CallStore,
        policies: RedactionPolicyStore,
        redactions: CallRedactionStore,
        streams: CallEventStreams,
        objects: ObjectStore,
        bucket: str,
        quarantine_prefix: str,
        reader_factory: RedactionReaderFactory,
        transcriber: WhisperTranscriber | None = None,
        detector: PiiDetector | None = None,
    ) -> None:
        self._calls = calls
        self._policies = policies
        self._redactions = redactions
        self._streams = streams
        self._objects = objects
        self._bucket = bucket
        self._quarantine_prefix = quarantine_prefix
        self._reader_factory = reader_factory
        self._transcriber = transcriber or SHARED_TRANSCRIBER
        self._detector = detector

    def spans_to_beep(self, spans: list[TrackSpan]) -> list[TrackSpan]:
        """Which spans the redactor beeps: all of them (a seam for drills of a broken one)."""
        return spans

    async def post_call_spans(
        self, recording: CallRecording, policy: RedactionPolicySnapshot, progress: Progress
    ) -> list[TrackSpan]:
        """PII in the whole call as Whisper hears it (activities.post_call_detection)."""
        words = {}
        for track in TRACKS:
            progress.update(stage=f"transcribing {track}", decoded_ms=0)
            words[track] = await self._words(getattr(recording, track), progress)
        progress.update(stage="detecting")
        detector = await self._detector_ready()
        return await asyncio.to_thread(
            functools.partial(
                post_call_spans, words, detector=detector, policy=detection_policy(policy)
            )
        )

    @activity.defn(name=LOAD_REDACTION_POLICY)
    async def load_redaction_policy(self, request: LoadRedactionPolicy) -> RedactionPolicySnapshot:
        stored = await self._policies.current(request.tenant_id)
        if stored is None:
            return policy_snapshot(DEFAULT_POLICY, None)
        return policy_snapshot(stored.policy, stored.version)

    @activity.defn(name=REDACT_CALL_AUDIO)
    async def redact_call_audio(self, request: RedactCallAudio) -> RedactCallAudioResult:
        live = track_spans(await self._calls.pii_spans(request.tenant_id, request.call_id))
        policy = request.policy
        if policy is None:
            policy = await self.load_redaction_policy(LoadRedactionPolicy(request.tenant_id))
        async with Progress().beating() as progress:
            recording = await self._read(request, progress)
            audio_ms = recording.audio_ms
            if audio_ms == 0 and (request.audio_ms or 0) > 0:
                raise ApplicationError(
                    f"KVS holds none of the call's audio ({request.audio_ms} ms were streamed "
                    "during the call): it is past the stream's retention or was deleted",
                    type="KvsAudioGone",
                    non_retryable=True,
                )
            found = await self.post_call_spans(recording, policy, progress)
            spans = self.spans_to_beep(union_spans(live, found))
            progress.update(stage="beeping", spans=len(spans))
            data = await asyncio.to_thread(self._beeped_wav, recording, spans, request)
            key = redacted_object_key(request.tenant_id, request.call_id)
            progress.update(stage="uploading", wav_bytes=len(data))
            metadata = {
                "tenant": request.tenant_id,
                "call": request.call_id,
                "spans": str(len(spans)),
                "spans-live": str(len(live)),
                "spans-post-call": str(len(found)),
            }
            metadata |= {f"spans-{t}": str(sum(s.track == t for s in spans)) for t in TRACKS}
            try:
                await self._objects.put(key, data, content_type="audio/wav", metadata=metadata)
            except ObjectStoreError as error:
                # Retried with backoff (REDACT_AUDIO_RETRY); the retry re-reads KVS.
                raise ApplicationError(
                    f"storing the redacted audio failed: {error}", type="ObjectStoreUnavailable"
                ) from error
        return RedactCallAudioResult(
            bucket=self._bucket,
            object_key=key,
            audio_ms=audio_ms,
            spans=spans,
            fragments=recording.fragments,
            bytes_read=recording.bytes_read,
            spans_past_end=sum(s.end_ms > audio_ms for s in spans),
            live_spans=len(live),
            post_call_spans=len(found),
            post_call_only=only_post_call(spans, live),
        )

    async def _read(self, request: RedactCallAudio, progress: Progress) -> CallRecording:
        try:
            return await read_recording(self._reader_factory(request), progress)
        except KvsStreamRejectedError as exc:
            raise ApplicationError(
                f"KVS no longer serves the call's audio: {exc}",
                type="KvsAudioGone",
                non_retryable=True,
            ) from exc
        except KvsBadSelectorError as exc:
            raise ApplicationError(str(exc), type="KvsBadSelector", non_retryable=True) from exc
        except KvsCorruptMediaError as exc:
            raise ApplicationError(str(exc), type="CorruptMedia", non_retryable=True) from exc
        except KvsReadError as exc:
            raise ApplicationError(
                f"reading the call's audio failed: {exc}", type="KvsUnavailable"
            ) from exc

    @staticmethod
    def _beeped_wav(
        recording: CallRecording, spans: list[TrackSpan], request: RedactCallAudio
    ) -> bytes:
        tracks = {"customer": recording.customer, "agent": recording.agent}
        for track in TRACKS:
            # An inverted span cannot be beeped; verification reports it as invalid.
            ranges = [
                (s.start_ms, s.end_ms) for s in spans if s.track == track and s.end_ms >= s.start_ms
            ]
            if ranges:
                tracks[track] = beep_spans(
                    tracks[track],
                    sample_rate=SAMPLE_RATE,
                    spans=ranges,
                    beep_hz=request.beep_hz,
                    padding_ms=request.padding_ms,
                )
        return stereo_wav(tracks["customer"], tracks["agent"], sample_rate=SAMPLE_RATE)

    @activity.defn(name=VERIFY_REDACTED_AUDIO)
    async def verify_redacted_audio(self, request: VerifyRedactedAudio) -> VerificationReport:
        live = track_spans(await self._calls.pii_spans(request.tenant_id, request.call_id))
        spans = live if request.spans is None else list(request.spans)
        report = VerificationReport(FAILED, [], 0, len(spans), counts_by_type(spans))
        async with Progress().beating() as progress:
            progress.update(stage="downloading")
            tracks = await self._download(request.object_key, report.reasons)
            if tracks is None:
                return report
            report.audio_ms = len(tracks[0]) * 1000 // SAMPLE_RATE
            detector = await self._detector_ready()
            verifier = RedactionVerifier(policy=request.policy, detector=detector)
            for track, samples in zip(TRACKS, tracks, strict=True):
                mine = [s for s in spans if s.track == track]
                progress.update(stage=f"checking {track}")
                mine_live = [s for s in live if s.track == track]
                report.reasons += verifier.uncovered(track, mine_live, mine)
                report.reasons += await asyncio.to_thread(
                    verifier.check_audio, track, samples, mine
                )
                progress.update(stage=f"transcribing {track}", decoded_ms=0)
                words = await self._words(samples, progress)
                heard = await asyncio.to_thread(verifier.heard_pii, track, words, mine)
                report.heard_findings += len(heard)
                report.reasons += heard
        report.verdict = FAILED if report.reasons else VERIFIED
        return report

    async def _download(self, key: str, reasons: list[str]) -> tuple[np.ndarray, ...] | None:
        """Both tracks of the stored WAV, or None with the reason added."""
        if not await self._call_store(self._objects.exists(key)):
            reasons.append("the redacted audio is missing from the object store")
            return None
        try:
            customer, agent, rate = read_stereo_wav(await self._call_store(self._objects.get(key)))
        except ValueError:
            reasons.append("the stored object is not a stereo 16-bit WAV")
            return None
        if rate != SAMPLE_RATE:
            reasons.append(f"the redacted audio is at {rate} Hz, not {SAMPLE_RATE} Hz")
            return None
        return customer, agent

    async def _words(self, samples: np.ndarray, progress: Progress) -> list[HeardWord]:
        stop = threading.Event()

        def decoded(ms: int) -> None:
            progress.update(decoded_ms=ms)  # heartbeated by progress.beating()

        try:
            return await asyncio.to_thread(
                self._transcriber.words, samples, SAMPLE_RATE, stop, decoded
            )
        finally:
            stop.set()  # a cancelled activity stops the decode at its next segment

    async def _detector_ready(self) -> PiiDetector:
        if self._detector is None:
            self._detector = await asyncio.to_thread(shared_detector)
        return self._detector

    @staticmethod
    async def _call_store(operation: Any) -> Any:
        try:
            return await operation
        except ObjectStoreError as error:
            # Retried with backoff; the message names the operation and key, never content.
            raise ApplicationError(f"S3: {error}", type="ObjectStoreUnavailable") from error

    @activity.defn(name=SETTLE_REDACTION)
    async def settle_redaction(self, request: SettleRedaction) -> SettleResult:
        key = request.object_key
        if request.quarantine and key:
            key = await self._call_store(self._quarantine(key))
        now = datetime.now(UTC)
        await self._redactions.record(
            CallRedaction(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                status=request.status,
                updated_at=now,
                policy_version=request.policy_version,
                reasons=list(request.reasons),
                spans=[RedactedSpan(s.track, s.start_ms, s.end_ms, s.type) for s in request.spans],
                bucket=request.bucket if key else None,
                object_key=key,
                audio_ms=request.audio_ms,
            )
        )
        return SettleResult(key, await self._publish(request, now))

    async def _quarantine(self, key: str) -> str | None:
        """Moves the object under the quarantine prefix; a retry finds it moved already."""
        if key.startswith(self._quarantine_prefix):
            return key
        target = f"{self._quarantine_prefix}{key}"
        if await self._objects.exists(key):
            await self._objects.move(key, target)
            return target
        return target if await self._objects.exists(target) else None

    async def _publish(self, request: SettleRedaction, now: datetime) -> bool:
        """Status and counts only; best effort, since PostgreSQL holds the verdict."""
        if request.event_seq is None:
            return False
        data = {
            "status": request.status,
            "spans": len(request.spans),
            "counts_by_type": counts_by_type(request.spans),
            "reasons": len(request.reasons),
        }
        event = {"seq": request.event_seq, "type": "redaction", "at": now.isoformat(), "data": data}
        try:
            published = await self._streams.publish(
                request.tenant_id,
                request.call_id,
                [(request.event_seq, event)],
                expire_after_s=request.event_ttl_s,
            )
        except Exception as error:  # Redis down: live viewers miss it, the record stands
            log.warning("call %s: redaction event not published: %r", request.call_id, error)
            return False
        return published > 0
