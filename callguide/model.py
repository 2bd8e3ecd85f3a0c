"""The domain model shared by workflows, activities and the API: plain dataclasses only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class CallStatus(StrEnum):
    ACTIVE = "active"
    ENDING = "ending"
    ENDED = "ended"
    FAILED = "failed"


class Speaker(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"


@dataclass(frozen=True)
class Word:
    word: str
    start_ms: int
    end_ms: int
    confidence: float = 1.0


@dataclass(frozen=True)
class PiiSpan:
    """Where PII was spoken in the utterance's track (ms from the call's first sample):
    its entity type and time only, never its text, so audio redaction can beep it."""

    type: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class StageTiming:
    """Wall-clock times (epoch ms) of an utterance's way to the agent, for per-stage latency:
    the audio worker stamps the first two and the guidance hand-over, the call workflow
    the signal; the store and publish activities measure their own stage against
    ``asr_final_ms``. Times, never text."""

    # The utterance's last audio reached the audio worker.
    audio_received_ms: int | None = None
    # The ASR returned the final.
    asr_final_ms: int | None = None
    # The call workflow accepted the utterance's signal.
    signalled_ms: int | None = None
    # The audio worker handed the turn to the call's guidance itself (so the call does
    # not hand it over again): a hint then waits on one workflow task, not three.
    guidance_handed_ms: int | None = None


@dataclass(frozen=True)
class Utterance:
    """A final utterance; its audio span (speaker, start_ms, end_ms) identifies it.

    Past the audio worker, text and words are redacted; ``pii`` says where the PII was.
    """

    speaker: Speaker
    text: str
    start_ms: int
    end_ms: int
    confidence: float = 1.0
    words: list[Word] = field(default_factory=list)
    pii: list[PiiSpan] = field(default_factory=list)
    # The text before redaction, set only when the tenant's policy keeps it: it travels in
    # the call's encrypted Temporal payloads and is dropped before any store, stream or
    # log (see workflows.call_state.utterance_event_data, storage.calls). Not in repr, so
    # logging an utterance never prints it.
    original: str | None = field(default=None, repr=False)
    timing: StageTiming | None = None

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.speaker.value, self.start_ms, self.end_ms)


@dataclass(frozen=True)
class MediaStream:
    """Where a call's audio lives in KVS (Connect's MediaStreams.Customer.Audio)."""

    stream_arn: str
    start_fragment_number: str | None = None
    start_timestamp_ms: int | None = None
    stop_fragment_number: str | None = None


@dataclass(frozen=True)
class CallRef:
    tenant_id: str
    call_id: str

    @property
    def workflow_id(self) -> str:
        return call_workflow_id(self.tenant_id, self.call_id)


def call_workflow_id(tenant_id: str, call_id: str) -> str:
    return f"call-{tenant_id}-{call_id}"


@dataclass
class AudioCheckpoint:
    """Where a call's audio stream resumes: after a fragment, with what each speaker has
    already delivered (ms from the call's first sample)."""

    resume_after_fragment: str | None = None
    resume_token: str | None = None
    resume_start_ms: int = 0
    delivered_ms: dict[str, int] = field(default_factory=dict)


class HintFeedbackKind(StrEnum):
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    USED = "used"


@dataclass(frozen=True)
class HintTrigger:
    """The turn a hint answers (its redacted text and where it is in the call's audio);
    absence reminders have none."""

    speaker: str
    start_ms: int
    end_ms: int
    text: str = ""


@dataclass(frozen=True)
class Hint:
    """What the agent is shown. `source_*` say where it came from: the policy moment that
    fired, the knowledge article, the model that wrote it."""

    hint_id: str
    type: str  # reminder | knowledge | suggested_reply
    title: str
    body: str
    moment_id: str
    created_at: str
    expires_at: str
    confidence: float = 1.0
    article_id: str | None = None
    model: str | None = None
    trigger: HintTrigger | None = None
    policy_version: int = 0
    # When the call took the turn this hint answers, and when the call received the hint
    # (ISO times): the "hint delivered" stage of per-stage latency.
    turn_accepted_at: str | None = None
    delivered_at: str | None = None


@dataclass(frozen=True)
class HintFeedback:
    hint_id: str
    feedback: HintFeedbackKind
    at: str
    agent: str | None = None
