"""Response models of the agent-facing API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from callguide.model import Hint, HintFeedbackKind, Utterance
from ctr.records import ContactRecord
from redaction.policy import RedactionPolicy
from storage.redactions import CallRedaction, RedactionStatus


class CallStarted(BaseModel):
    call_id: str
    workflow_id: str
    created: bool


class ContactEventAccepted(BaseModel):
    call_id: str
    event_type: str
    recorded: bool
    ending_call: bool


class EndRequested(BaseModel):
    call_id: str
    ending: bool


class WordView(BaseModel):
    word: str
    start_ms: int
    end_ms: int
    confidence: float


class UtteranceView(BaseModel):
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    confidence: float
    words: list[WordView]

    @classmethod
    def of(cls, u: Utterance) -> UtteranceView:
        return cls(
            speaker=u.speaker.value,
            text=u.text,
            start_ms=u.start_ms,
            end_ms=u.end_ms,
            confidence=u.confidence,
            words=[WordView(**vars(w)) for w in u.words],
        )


class HintView(BaseModel):
    """A hint the agent was shown: where it came from, the turn it answers, and the
    agent's latest feedback on it."""

    hint_id: str
    type: str = Field(description="reminder | knowledge | suggested_reply")
    title: str
    body: str
    moment_id: str = Field(description="The policy moment that fired")
    article_id: str | None = Field(default=None, description="knowledge hints: the article")
    model: str | None = Field(default=None, description="suggested replies: the model")
    confidence: float
    trigger_speaker: str | None = None
    trigger_start_ms: int | None = None
    trigger_end_ms: int | None = None
    created_at: datetime
    expires_at: datetime
    policy_version: int
    feedback: HintFeedbackKind | None = None

    @classmethod
    def of(cls, hint: Hint, feedback: str | None = None) -> HintView:
        trigger = hint.trigger
        return cls(
            hint_id=hint.hint_id,
            type=hint.type,
            title=hint.title,
            body=hint.body,
            moment_id=hint.moment_id,
            article_id=hint.article_id,
            model=hint.model,
            confidence=hint.confidence,
            trigger_speaker=trigger.speaker if trigger else None,
            trigger_start_ms=trigger.start_ms if trigger else None,
            trigger_end_ms=trigger.end_ms if trigger else None,
            created_at=datetime.fromisoformat(hint.created_at),
            expires_at=datetime.fromisoformat(hint.expires_at),
            policy_version=hint.policy_version,
            feedback=HintFeedbackKind(feedback) if feedback else None,
        )


class CallSummaryView(BaseModel):
    """Written after the call from its redacted transcript."""

    reason: str = Field(description="Why the customer called")
    resolution: str = Field(description="What was done or agreed")
    follow_ups: list[str] = Field(description="What is still to do")
    source: str = Field(
        description="model: written by the tenant's model; extractive: "
        "taken from the transcript when the model was unavailable"
    )
    model: str | None = None
    created_at: datetime


class HintList(BaseModel):
    call_id: str
    hints: list[HintView]


class HintFeedbackRequest(BaseModel):
    model_config = {"extra": "forbid"}

    feedback: HintFeedbackKind = Field(
        description="accepted: the agent took it; dismissed: not useful; used: said or sent"
    )
    agent: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._@:/+-]+$",
        description="The agent's id (e.g. the Connect user id), for analytics",
    )


class HintFeedbackAccepted(BaseModel):
    call_id: str
    hint_id: str
    feedback: HintFeedbackKind
    live: bool = Field(description="true: the running call took it; false: stored after the call")


class ContactRecordView(BaseModel):
    """Connect's contact record (CTR) of the call: who took it, from which queue, how long
    it lasted and how it ended (the newest version Connect delivered; no customer data)."""

    agent_arn: str | None = None
    agent_username: str | None = None
    queue_arn: str | None = None
    queue_name: str | None = None
    channel: str | None = None
    initiation_method: str | None = None
    initiation_at: datetime | None = None
    connected_to_agent_at: datetime | None = None
    disconnect_at: datetime | None = None
    queue_duration_s: int | None = Field(default=None, description="Time waiting in queue")
    agent_interaction_duration_s: int | None = Field(
        default=None, description="Time the agent spent talking with the customer"
    )
    customer_hold_duration_s: int | None = Field(
        default=None, description="Time the customer spent on hold"
    )
    longest_hold_duration_s: int | None = None
    number_of_holds: int | None = None
    after_contact_work_duration_s: int | None = None
    disconnect_reason: str | None = Field(
        default=None, description="e.g. CUSTOMER_DISCONNECT, AGENT_DISCONNECT"
    )
    last_update: datetime = Field(description="The record version's LastUpdateTimestamp")

    @classmethod
    def of(cls, record: ContactRecord) -> ContactRecordView:
        fields = {name: getattr(record, name) for name in cls.model_fields}
        return cls(**fields)


class CallView(BaseModel):
    call_id: str
    contact_id: str
    workflow_id: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None
    failure_reason: str | None = None
    utterance_count: int
    counts: dict[str, int] = {}
    last_utterance_at: datetime | None = None
    recent_utterances: list[UtteranceView] = []
    hints: list[HintView] = Field(
        default=[], description="Live: the latest hints; after the call: every hint shown"
    )
    summary: CallSummaryView | None = Field(
        default=None, description="The post-call summary, once written"
    )
    contact_record: ContactRecordView | None = Field(
        default=None, description="Connect's contact record, once its CTR has arrived"
    )
    live: bool


class CallList(BaseModel):
    calls: list[CallView]


class Transcript(BaseModel):
    call_id: str
    status: str
    utterances: list[UtteranceView]


class PolicyVersion(BaseModel):
    """A tenant's redaction policy; version 0 is the default, in force until one is set."""

    version: int = Field(ge=0, description="1, 2, ... as the tenant sets them; 0 is the default")
    policy: RedactionPolicy
    created_at: datetime | None = Field(
        default=None, description="When this version was set; null for the default"
    )


class Verdict(StrEnum):
    """A call's redaction verdict (the RedactionStatus search attribute has the same values)."""

    PENDING = RedactionStatus.PENDING
    REDACTED = RedactionStatus.REDACTED
    VERIFIED = RedactionStatus.VERIFIED
    FAILED = RedactionStatus.FAILED


class RedactedSpanView(BaseModel):
    track: str = Field(description='"customer" or "agent"')
    start_ms: int = Field(description="From the call's first sample")
    end_ms: int
    type: str = Field(description="The entity type, e.g. CREDIT_CARD")


class CallRedactionSummary(BaseModel):
    call_id: str
    status: Verdict
    policy_version: int | None = Field(description="The policy version the call was redacted by")
    reasons: list[str] = Field(description="Why the verdict is what it is; empty when verified")
    span_count: int
    updated_at: datetime

    @classmethod
    def of(cls, r: CallRedaction) -> CallRedactionSummary:
        return cls(
            call_id=r.call_id,
            status=Verdict(r.status),
            policy_version=r.policy_version,
            reasons=r.reasons,
            span_count=len(r.spans),
            updated_at=r.updated_at,
        )


class CallRedactionList(BaseModel):
    calls: list[CallRedactionSummary]


class CallRedactionView(BaseModel):
    call_id: str
    status: Verdict
    policy_version: int | None
    reasons: list[str]
    spans: list[RedactedSpanView] = Field(description="Every beeped span of both tracks")
    bucket: str | None = Field(description="S3 bucket of the redacted audio, once stored")
    object_key: str | None = Field(description="S3 key of the redacted stereo WAV, once stored")
    audio_ms: int | None = Field(description="Length of the redacted audio")
    updated_at: datetime

    @classmethod
    def of(cls, r: CallRedaction) -> CallRedactionView:
        return cls(
            call_id=r.call_id,
            status=Verdict(r.status),
            policy_version=r.policy_version,
            reasons=r.reasons,
            spans=[RedactedSpanView(**vars(s)) for s in r.spans],
            bucket=r.bucket,
            object_key=r.object_key,
            audio_ms=r.audio_ms,
            updated_at=r.updated_at,
        )


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


class FieldError(BaseModel):
    field: str
    message: str


class ErrorResponse(BaseModel):
    """Every 4xx: `detail` names the bad field first ("Details.ContactData.ContactId: ...")."""

    detail: str
    errors: list[FieldError] | None = None


_ERROR_DESCRIPTIONS = {
    400: "Invalid request: `detail` starts with the path of the bad field",
    401: "Missing or invalid bearer token",
    403: "The resource belongs to another tenant, account or Connect instance",
    404: "No such call for this tenant",
    409: "Conflicts with the call's current state",
    413: "Request body over the size limit",
    422: "The body is well-formed JSON but breaks the document's rules: `detail` starts with "
    "the path of the bad field",
    429: "Too many requests or live viewers; retry after Retry-After seconds",
}


class DocumentRoute(APIRoute):
    """A route whose body is a whole document a person wrote (a redaction policy). A body
    that is JSON but breaks the document's rules (an unknown field, a value out of bounds) is
    422 Unprocessable, naming the field; a request malformed before that (not JSON, a bad
    query parameter) stays 400 like everywhere else."""

    invalid_document_status = 422


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the 4xx a route answers: 400 and 401 always, plus `statuses`."""
    return {
        code: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[code]}
        for code in sorted({400, 401, *statuses})
    }
