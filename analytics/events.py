"""Outbox events built from the domain objects the activities store.

Each builder copies an explicit list of ids, times, counts and closed-set labels, so a
field added to a domain object later (an utterance's text, say) can never slip into
analytics. Kinds match the ClickHouse tables (analytics.tables).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from callguide.model import Hint, HintFeedback, Utterance
from storage.analytics_outbox import OutboxEvent

CALL = "call"
UTTERANCE = "utterance"
HINT = "hint"
HINT_FEEDBACK = "hint_feedback"
REDACTION = "redaction"
LATENCY = "latency"
KINDS = (CALL, UTTERANCE, HINT, HINT_FEEDBACK, REDACTION, LATENCY)


def _parse(iso: str) -> datetime:
    at = datetime.fromisoformat(iso)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def call_started(*, tenant_id: str, call_id: str, started_at: datetime) -> OutboxEvent:
    data = {"call_id": call_id, "event": "started", "status": "active"}
    return OutboxEvent(tenant_id, CALL, data, started_at)


def call_finished(
    *,
    tenant_id: str,
    call_id: str,
    status: str,
    ended_at: datetime,
    started_at: datetime | None,
    utterance_count: int,
    end_reason: str | None,
    failure_reason: str | None,
    late_hints: int,
) -> OutboxEvent:
    duration_ms = 0
    if started_at is not None:
        duration_ms = max(0, int((ended_at - started_at).total_seconds() * 1000))
    data = {
        "call_id": call_id,
        # The event is the final status (ended, failed): a failed call that ops restarts
        # and that then ends has both, and its latest status wins.
        "event": status,
        "status": status,
        "end_reason": end_reason or "",
        "failure_reason": failure_reason or "",
        "utterance_count": utterance_count,
        "duration_ms": duration_ms,
        "late_hints": late_hints,
    }
    return OutboxEvent(tenant_id, CALL, data, ended_at)


def utterance(*, tenant_id: str, call_id: str, said: Utterance) -> OutboxEvent:
    """Metadata only: who spoke when, how many words, how sure, which PII types."""
    word_count = len(said.words) if said.words else len(said.text.split())
    data = {
        "call_id": call_id,
        "speaker": said.speaker.value,
        "start_ms": said.start_ms,
        "end_ms": said.end_ms,
        "word_count": word_count,
        "confidence": said.confidence,
        "pii_count": len(said.pii),
        "pii_types": sorted({span.type for span in said.pii}),
    }
    return OutboxEvent(tenant_id, UTTERANCE, data)


def hint_shown(*, tenant_id: str, call_id: str, hint: Hint) -> OutboxEvent:
    """Where a hint came from; never its title, body or the turn it answers."""
    data = {
        "call_id": call_id,
        "hint_id": hint.hint_id,
        "moment_id": hint.moment_id,
        "type": hint.type,
        "article_id": hint.article_id or "",
        "model": hint.model or "",
        "policy_version": hint.policy_version,
    }
    return OutboxEvent(tenant_id, HINT, data, _parse(hint.created_at))


def hint_feedback(*, tenant_id: str, call_id: str, feedback: HintFeedback) -> OutboxEvent:
    data = {
        "call_id": call_id,
        "hint_id": feedback.hint_id,
        "feedback": feedback.feedback.value,
        "agent": feedback.agent or "",
    }
    return OutboxEvent(tenant_id, HINT_FEEDBACK, data, _parse(feedback.at))


def redaction_verdict(
    *,
    tenant_id: str,
    call_id: str,
    verdict: str,
    at: datetime,
    policy_version: int | None,
    span_types: list[str],
    reason_count: int,
) -> OutboxEvent:
    """The verdict, how many spans of which types were beeped, how many reasons: reasons
    themselves stay in PostgreSQL."""
    data = {
        "call_id": call_id,
        "verdict": verdict,
        "policy_version": policy_version or 0,
        "span_count": len(span_types),
        "span_types": dict(sorted(Counter(span_types).items())),
        "reason_count": reason_count,
    }
    return OutboxEvent(tenant_id, REDACTION, data, at)


def latency_sample(
    *, tenant_id: str, call_id: str, stage: str, sample_key: str, ms: float, at: datetime
) -> OutboxEvent:
    """One stage's latency for one utterance or hint (sample_key: its audio span or id)."""
    data = {"call_id": call_id, "stage": stage, "sample_key": sample_key, "ms": ms}
    return OutboxEvent(tenant_id, LATENCY, data, at)
