"""Response models of the agent-facing API."""

from __future__ import annotations

from datetime import datetime

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
