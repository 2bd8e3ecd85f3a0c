"""What the redaction queue's activities share: the call's audio as read back, steady
progress heartbeats, the policy snapshot a call is redacted under, and the verifier's
checks, which trust nothing the redactor says."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from temporalio import activity

from activities.post_call_detection import HeardWord
from callguide.model import PiiSpan
from redaction.audio import beeps_outside, check_beeped
from redaction.detector import PiiDetector
from redaction.model import EntityType
from redaction.policy import RedactionPolicy
from storage.redactions import RedactionStatus
from voice.call_audio import CallAudioSource
from workflows.redaction_types import RedactCallAudio, RedactionPolicySnapshot, TrackSpan

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
# ...except a number this long: no everyday number is, and re-transcribed audio may run a
# card's digits together into one string the detector types with low confidence.
HEARD_LONG_NUMBER_DIGITS = 12
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
            long_number = sum(c.isdigit() for c in text[finding.start : finding.end])
            if finding.score < self._min_score and long_number < HEARD_LONG_NUMBER_DIGITS:
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
