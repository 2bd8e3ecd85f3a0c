"""Inputs and outputs of the post-call redaction and verification workflows and activities.

Nothing here carries PII: spans are entity types and times, summaries are counts, reasons
name a track, a time range and an entity type, never what was said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from callguide.model import MediaStream

LOAD_REDACTION_POLICY = "load_redaction_policy"
REDACT_CALL_AUDIO = "redact_call_audio"
VERIFY_REDACTED_AUDIO = "verify_redacted_audio"
SETTLE_REDACTION = "settle_redaction"

# Redaction events follow the call's own events in its Redis stream; a redaction started
# without the call's next sequence number publishes from here, past any call's events.
REDACTION_EVENT_SEQ_FALLBACK = 1_000_000_000


def redaction_workflow_id(tenant_id: str, call_id: str) -> str:
    return f"redact-{tenant_id}-{call_id}"


def verification_workflow_id(tenant_id: str, call_id: str) -> str:
    return f"verify-{tenant_id}-{call_id}"


def redacted_object_key(tenant_id: str, call_id: str) -> str:
    return f"{tenant_id}/{call_id}/redacted.wav"


@dataclass
class TrackSpan:
    """One PII span in one track: "customer" or "agent", ms from the call's first sample."""

    track: str
    type: str
    start_ms: int
    end_ms: int


@dataclass
class RedactionPolicySnapshot:
    """The tenant's redaction policy as one run applies it (version None: the default)."""

    beep_hz: int
    padding_ms: int
    entities: list[str]
    score_threshold: float
    version: int | None = None


@dataclass
class AudioRedactionInput:
    tenant_id: str
    call_id: str
    contact_id: str
    media: MediaStream
    region: str = "us-east-1"
    # How much audio the call's stream read, when it finished on its own: a re-read that
    # finds none of it means KVS no longer holds the call.
    audio_ms: int | None = None
    # Overrides of the tenant policy's beep; None takes the policy's.
    beep_hz: int | None = None
    padding_ms: int | None = None
    # The sequence numbers the redaction's events take in the call's Redis stream, and
    # how long that stream lives.
    event_seq: int | None = None
    event_ttl_s: int | None = None
    # None: the verification runs on this workflow's task queue.
    verification_task_queue: str | None = None


@dataclass
class LoadRedactionPolicy:
    tenant_id: str


@dataclass
class RedactCallAudio:
    tenant_id: str
    call_id: str
    contact_id: str
    media: MediaStream
    beep_hz: int
    padding_ms: int
    region: str = "us-east-1"
    audio_ms: int | None = None
    # The tenant's policy, for the post-call detection pass; None: the redactor loads it.
    policy: RedactionPolicySnapshot | None = None


@dataclass
class RedactCallAudioResult:
    bucket: str
    object_key: str
    audio_ms: int
    spans: list[TrackSpan]
    fragments: int = 0
    bytes_read: int = 0
    # Spans that begin after the audio ends (nothing to beep) or run past its end.
    spans_past_end: int = 0
    # What each pass contributed to ``spans`` (the union of both, overlaps merged): the
    # live transcript's spans (PostgreSQL), the post-call decode's spans, and how many
    # spans of the union no live span overlaps (what the post-call pass alone found).
    live_spans: int = 0
    post_call_spans: int = 0
    post_call_only: int = 0


@dataclass
class VerifyRedactedAudio:
    tenant_id: str
    call_id: str
    bucket: str
    object_key: str
    policy: RedactionPolicySnapshot
    # Every span the redactor beeped, as the verification workflow was handed it; None:
    # the live spans only (a redaction from before the post-call pass).
    spans: list[TrackSpan] | None = None


@dataclass
class VerificationReport:
    verdict: str  # RedactionStatus.VERIFIED or FAILED
    reasons: list[str] = field(default_factory=list)
    audio_ms: int = 0
    spans_checked: int = 0
    counts_by_type: dict[str, int] = field(default_factory=dict)
    # PII findings in the re-transcribed audio outside every beeped span.
    heard_findings: int = 0


@dataclass
class SettleRedaction:
    """Records a redaction status in PostgreSQL and publishes it to the call's stream;
    with ``quarantine``, the object is first moved under the quarantine prefix."""

    tenant_id: str
    call_id: str
    status: str
    reasons: list[str] = field(default_factory=list)
    spans: list[TrackSpan] = field(default_factory=list)
    bucket: str | None = None
    object_key: str | None = None
    audio_ms: int | None = None
    policy_version: int | None = None
    quarantine: bool = False
    event_seq: int | None = None
    event_ttl_s: int | None = None


@dataclass
class SettleResult:
    object_key: str | None
    published: bool


@dataclass
class VerificationInput:
    tenant_id: str
    call_id: str
    contact_id: str
    bucket: str
    object_key: str
    policy: RedactionPolicySnapshot
    event_seq: int | None = None
    event_ttl_s: int | None = None
    # What the redactor says it beeped; recorded beside the verdict. The verifier takes it
    # as where beeps may be, checks each for a beep with no speech under it and for beeps
    # anywhere else, and does not trust it to be complete: every live span (PostgreSQL)
    # must lie inside one of these, and re-transcription looks for PII outside them all.
    redacted_spans: list[TrackSpan] = field(default_factory=list)
    # What each redaction pass contributed (see RedactCallAudioResult), for the summary.
    live_spans: int | None = None
    post_call_spans: int | None = None


@dataclass
class RedactionSummary:
    """PII-free: what a run redacted and concluded (results and memos)."""

    status: str
    reasons: list[str] = field(default_factory=list)
    spans: int = 0
    counts_by_type: dict[str, int] = field(default_factory=dict)
    audio_ms: int | None = None
    object_key: str | None = None
    # Spans the live transcript gave and spans the post-call decode found (None: unknown).
    live_spans: int | None = None
    post_call_spans: int | None = None


@dataclass
class VerificationResult:
    summary: RedactionSummary


@dataclass
class AudioRedactionResult:
    summary: RedactionSummary
    verification_workflow_id: str | None = None


def counts_by_type(spans: list[TrackSpan]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.type] = counts.get(span.type, 0) + 1
    return dict(sorted(counts.items()))
