"""Inputs and outputs of CallWorkflow, its signals, queries and activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from callguide.model import AudioCheckpoint, Hint, HintFeedback, MediaStream, Utterance

RECORD_CALL_STARTED = "record_call_started"
PERSIST_UTTERANCES = "persist_utterances"
PUBLISH_CALL_EVENTS = "publish_call_events"
RECORD_CALL_FINISHED = "record_call_finished"
STREAM_CALL_AUDIO = "stream_call_audio"


@dataclass
class CallOptions:
    utterance_batch_size: int = 20
    continue_as_new_after_utterances: int = 2000
    recent_utterance_limit: int = 50
    redis_ttl_after_end_s: int = 24 * 3600
    # Read the call's audio from KVS and transcribe it (off when utterances come otherwise).
    stream_audio: bool = True
    audio_task_queue: str = "audio"
    # Post-call audio redaction and its verification run here.
    redaction_task_queue: str = "redaction"
    region: str = "us-east-1"
    # A lost DISCONNECTED must not keep a call open forever: it ends after this long in
    # all, or after this long without an utterance.
    max_call_duration_s: int = 8 * 3600
    idle_limit_s: int = 30 * 60
    # Real-time guidance: a child workflow on this queue gets the call's redacted turns.
    guidance: bool = True
    guidance_task_queue: str = "ml"
    # Hints kept in the call's live state (GET /v1/calls/{id}); older ones are only stored.
    recent_hint_limit: int = 20


@dataclass
class CallEvent:
    """One entry of the call's live event stream; seq makes publishing idempotent.

    A durable event (utterance, status) is published however late; a live one (a notice
    worth seeing only now) has a lifetime and is dropped, and counted, once stale.
    """

    seq: int
    type: str
    at: str
    data: dict[str, Any]
    live_for_s: int | None = None


@dataclass
class CallCarry:
    """What a call takes across continue-as-new: nothing it could re-read elsewhere."""

    started_at: str
    next_event_seq: int
    watermarks_ms: dict[str, int]
    counts: dict[str, int]
    recent: list[Utterance]
    pending_events: list[CallEvent]
    pending_utterances: list[Utterance]
    last_utterance_at: str | None = None
    end_reason: str | None = None
    runs: int = 1
    audio_checkpoint: AudioCheckpoint | None = None
    # A stream failure seen during the handover ends the next run as failed, not ended.
    failure_reason: str | None = None
    started_recorded: bool = True
    dropped_live_events: int = 0
    guidance_started: bool = False
    recent_hints: list[Hint] = field(default_factory=list)
    pending_hints: list[Hint] = field(default_factory=list)
    pending_feedback: list[HintFeedback] = field(default_factory=list)
    hint_feedback: dict[str, str] = field(default_factory=dict)
    # Hints guidance sent that reached the call after their deadline (not shown).
    late_hints: int = 0
    # This call was restarted by ops after it failed: its post-call redaction may replace
    # the one its failed run started (which covered only the audio before the failure).
    retried_by_ops: bool = False
    # The contact hung up before ops resumed the call: when KVS goes quiet, the stream
    # has reached the end of the call's audio (the hang-up will not be signalled again).
    contact_ended_before_retry: bool = False
    # Utterances already stored whose redaction a later turn revised, still to be stored.
    pending_revisions: list[Utterance] = field(default_factory=list)


@dataclass
class CallInput:
    tenant_id: str
    call_id: str
    contact_id: str
    media: MediaStream | None = None
    instance_arn: str = ""
    options: CallOptions = field(default_factory=CallOptions)
    carry: CallCarry | None = None


@dataclass
class UtteranceRevision:
    """An utterance the call already has (the same audio span), redacted again: the audio
    worker read one of its numbers again once the speaker finished it on their next turn
    ("it's five one oh five" a PIN, until "and 1051 0510 5100" made it a card's start)."""

    utterance: Utterance


@dataclass
class EndCallRequest:
    reason: str = "api"


@dataclass
class StreamControl:
    """What the audio stream asks the call when KVS goes quiet: has the contact ended?"""

    end_requested: bool
    end_reason: str | None = None


@dataclass
class CallSnapshot:
    tenant_id: str
    call_id: str
    contact_id: str
    status: str
    started_at: str
    utterance_count: int
    counts: dict[str, int]
    recent_utterances: list[Utterance]
    last_utterance_at: str | None = None
    ended_at: str | None = None
    end_reason: str | None = None
    failure_reason: str | None = None
    runs: int = 1
    # The latest hints, each with the agent's latest feedback ("" when none yet).
    hints: list[Hint] = field(default_factory=list)
    hint_feedback: dict[str, str] = field(default_factory=dict)


@dataclass
class CallResult:
    status: str
    utterance_count: int
    ended_at: str
    end_reason: str | None = None
    failure_reason: str | None = None
    runs: int = 1
    dropped_live_events: int = 0
    # Hints from guidance that arrived after their deadline and were not shown.
    late_hints: int = 0
    # A failed call's state, everything already stored: what ops resumes it from
    # (POST /v1/ops/calls/{id}/retry), so the retry neither loses nor repeats anything.
    resume: CallCarry | None = None


@dataclass
class RecordCallStarted:
    tenant_id: str
    call_id: str
    contact_id: str
    workflow_id: str
    started_at: str
    instance_arn: str = ""
    stream_arn: str | None = None


@dataclass
class PersistUtterances:
    tenant_id: str
    call_id: str
    utterances: list[Utterance]
    hints: list[Hint] = field(default_factory=list)
    # Stored after the hints of the same batch, so feedback on a new hint finds it.
    feedback: list[HintFeedback] = field(default_factory=list)
    # Utterances stored before whose redaction was revised: updated after the batch.
    revised: list[Utterance] = field(default_factory=list)


@dataclass
class PersistResult:
    inserted: int


@dataclass
class PublishCallEvents:
    tenant_id: str
    call_id: str
    events: list[CallEvent]
    expire_after_s: int | None = None


@dataclass
class PublishResult:
    published: int


@dataclass
class RecordCallFinished:
    tenant_id: str
    call_id: str
    status: str
    ended_at: str
    utterance_count: int
    end_reason: str | None = None
    failure_reason: str | None = None
    # Hints that reached the call after their deadline (CallResult.late_hints).
    late_hints: int = 0


@dataclass
class StreamCallAudio:
    tenant_id: str
    call_id: str
    contact_id: str
    workflow_id: str
    media: MediaStream
    region: str = "us-east-1"
    resume: AudioCheckpoint | None = None
    # The call's guidance child, when it has one: phrases of its tenant's reminder moments
    # spotted in interim text are handed to it as they are said.
    guidance_workflow_id: str | None = None


@dataclass
class StreamCallAudioResult:
    fragments: int
    utterances: int
    audio_ms: int
    # Why the stream ended on its own: "stream_ended", or "stream_stalled" when KVS sent
    # nothing for the stall limit and the contact was not known to have ended.
    end_reason: str = "stream_ended"
