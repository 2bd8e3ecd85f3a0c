"""Response models of the agent-facing API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from callguide.model import Utterance


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
    live: bool


class CallList(BaseModel):
    calls: list[CallView]


class Transcript(BaseModel):
    call_id: str
    status: str
    utterances: list[UtteranceView]


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
    429: "Too many requests or live viewers; retry after Retry-After seconds",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the 4xx a route answers: 400 and 401 always, plus `statuses`."""
    return {
        code: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[code]}
        for code in sorted({400, 401, *statuses})
    }
