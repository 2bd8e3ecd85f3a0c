"""Outbox rows to ClickHouse rows: which table each kind goes to, and the only columns
that may reach it (anything else in an event is dropped here, a second guard after
analytics.events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from analytics import events
from storage.analytics_outbox import OutboxRow

# kind -> (table, the event's columns besides tenant_id, at and outbox_id, with defaults)
TABLES: dict[str, tuple[str, dict[str, Any]]] = {
    events.CALL: (
        "call_lifecycle",
        {
            "call_id": "",
            "event": "",
            "status": "",
            "end_reason": "",
            "failure_reason": "",
            "utterance_count": 0,
            "duration_ms": 0,
            "late_hints": 0,
        },
    ),
    events.UTTERANCE: (
        "utterances",
        {
            "call_id": "",
            "speaker": "",
            "start_ms": 0,
            "end_ms": 0,
            "word_count": 0,
            "confidence": 0.0,
            "pii_count": 0,
            "pii_types": [],
        },
    ),
    events.HINT: (
        "hints",
        {
            "call_id": "",
            "hint_id": "",
            "moment_id": "",
            "type": "",
            "article_id": "",
            "model": "",
            "policy_version": 0,
        },
    ),
    events.HINT_FEEDBACK: (
        "hint_feedback",
        {"call_id": "", "hint_id": "", "feedback": "", "agent": ""},
    ),
    events.REDACTION: (
        "redaction_verdicts",
        {
            "call_id": "",
            "verdict": "",
            "policy_version": 0,
            "span_count": 0,
            "span_types": {},
            "reason_count": 0,
        },
    ),
    events.LATENCY: (
        "stage_latency",
        {"call_id": "", "stage": "", "sample_key": "", "ms": 0.0},
    ),
}
TABLE_NAMES = tuple(table for table, _ in TABLES.values())


def clickhouse_time(at: datetime) -> str:
    """DateTime64(3, 'UTC') text, the form ClickHouse parses by default."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}"


def table_rows(batch: Sequence[OutboxRow]) -> tuple[dict[str, list[dict[str, Any]]], list[int]]:
    """Rows per table, and the outbox ids of rows no table takes (an unknown kind)."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    unknown = []
    for row in batch:
        target = TABLES.get(row.kind)
        if target is None:
            unknown.append(row.id)
            continue
        table, columns = target
        values = {name: row.data.get(name, default) for name, default in columns.items()}
        values.update(tenant_id=row.tenant_id, at=clickhouse_time(row.at), outbox_id=row.id)
        by_table.setdefault(table, []).append(values)
    return by_table, unknown
