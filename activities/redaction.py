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
import functools
import logging
import threading
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
from activities.redaction_checks import (
    FAILED,
    SAMPLE_RATE,
    TRACKS,
    VERIFIED,
    CallRecording,
    Progress,
    RedactionReaderFactory,
    RedactionVerifier,
    detection_policy,
    policy_snapshot,
    read_recording,
    shared_detector,
    track_spans,
)
from analytics import events as analytics_events
from callguide.metrics import REDACTION_VERDICTS
from redaction.audio import beep_spans, read_stereo_wav, stereo_wav
from redaction.detector import PiiDetector
from redaction.policy import DEFAULT_POLICY
from storage.analytics_outbox import AnalyticsOutbox
from storage.calls import CallStore
from storage.object_store import ObjectStore, ObjectStoreError
from storage.redactions import (
    CallRedaction,
    CallRedactionStore,
    RedactedSpan,
    RedactionPolicyStore,
)
from storage.redis_streams import CallEventStreams
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
        outbox: AnalyticsOutbox | None = None,
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
        self._outbox = outbox

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
        await self._record_verdict(request, now)
        return SettleResult(key, await self._publish(request, now))

    async def _record_verdict(self, request: SettleRedaction, now: datetime) -> None:
        """The verdict's metric and analytics event: types and counts, never reasons' text."""
        REDACTION_VERDICTS.labels(request.status).inc()
        if self._outbox is None:
            return
        event = analytics_events.redaction_verdict(
            tenant_id=request.tenant_id,
            call_id=request.call_id,
            verdict=request.status,
            at=now,
            policy_version=request.policy_version,
            span_types=[s.type for s in request.spans],
            reason_count=len(request.reasons),
        )
        await self._outbox.add([event])

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
