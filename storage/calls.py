"""Calls, their utterances and their contact events in PostgreSQL; every row has its tenant."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from callguide.model import PiiSpan, Speaker, Utterance, Word


@dataclass(frozen=True)
class CallRecord:
    tenant_id: str
    call_id: str
    contact_id: str
    workflow_id: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    failure_reason: str | None
    utterance_count: int
    instance_arn: str
    stream_arn: str | None


def _call(row: asyncpg.Record) -> CallRecord:
    return CallRecord(**{f.name: row[f.name] for f in dataclasses.fields(CallRecord)})


def _utterance(row: asyncpg.Record) -> Utterance:
    return Utterance(
        speaker=Speaker(row["speaker"]),
        text=row["text"],
        start_ms=row["start_ms"],
        end_ms=row["end_ms"],
        confidence=row["confidence"],
        words=[Word(**w) for w in row["words"]],
        pii=[PiiSpan(**p) for p in row["pii"]],
    )


def _columns(utterances: Sequence[Utterance], *, with_confidence: bool) -> list[list[Any]]:
    """The utterances as the arrays `unnest` reads: speaker, start, end, text, (confidence,)
    words and PII spans (as JSON)."""
    columns: list[list[Any]] = [
        [u.speaker.value for u in utterances],
        [u.start_ms for u in utterances],
        [u.end_ms for u in utterances],
        [u.text for u in utterances],
    ]
    if with_confidence:
        columns.append([u.confidence for u in utterances])
    columns.append([json.dumps([dataclasses.asdict(w) for w in u.words]) for u in utterances])
    columns.append([json.dumps([dataclasses.asdict(p) for p in u.pii]) for u in utterances])
    return columns


class CallStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def record_started(
        self,
        *,
        tenant_id: str,
        call_id: str,
        contact_id: str,
        workflow_id: str,
        started_at: datetime,
        instance_arn: str,
        stream_arn: str | None,
    ) -> None:
        await self._pool.execute(
            "INSERT INTO calls (tenant_id, call_id, contact_id, workflow_id, status,"
            " instance_arn, stream_arn, started_at) VALUES ($1, $2, $3, $4, 'active', $5, $6, $7)"
            # A failed call that ops restarted is active again; any other row stays as it is.
            " ON CONFLICT (tenant_id, call_id) DO UPDATE SET status = 'active', ended_at = NULL,"
            " end_reason = NULL, failure_reason = NULL WHERE calls.status = 'failed'",
            tenant_id,
            call_id,
            contact_id,
            workflow_id,
            instance_arn,
            stream_arn,
            started_at,
        )

    async def record_finished(
        self,
        *,
        tenant_id: str,
        call_id: str,
        status: str,
        ended_at: datetime,
        utterance_count: int,
        end_reason: str | None,
        failure_reason: str | None,
    ) -> None:
        await self._pool.execute(
            "UPDATE calls SET status = $3, ended_at = $4, utterance_count = $5,"
            " end_reason = $6, failure_reason = $7 WHERE tenant_id = $1 AND call_id = $2",
            tenant_id,
            call_id,
            status,
            ended_at,
            utterance_count,
            end_reason,
            failure_reason,
        )

    async def add_utterances(
        self, *, tenant_id: str, call_id: str, utterances: Sequence[Utterance]
    ) -> int:
        """Inserts a batch; utterances already stored (same audio span) are skipped."""
        async with self._pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetch(
                "INSERT INTO utterances (tenant_id, call_id, speaker, start_ms, end_ms, text,"
                " confidence, words, pii) SELECT $1, $2, s, st, en, tx, cf, w::jsonb, p::jsonb"
                " FROM unnest($3::text[], $4::int[], $5::int[], $6::text[], $7::real[],"
                " $8::text[], $9::text[]) AS u(s, st, en, tx, cf, w, p)"
                " ON CONFLICT DO NOTHING RETURNING 1",
                tenant_id,
                call_id,
                *_columns(utterances, with_confidence=True),
            )
            await conn.execute(
                "UPDATE calls SET utterance_count = utterance_count + $3"
                " WHERE tenant_id = $1 AND call_id = $2",
                tenant_id,
                call_id,
                len(inserted),
            )
        return len(inserted)

    async def revise_utterances(
        self, *, tenant_id: str, call_id: str, utterances: Sequence[Utterance]
    ) -> int:
        """Replaces the text, words and PII spans of stored utterances (same audio span)
        with their revised redaction; how many were stored to revise."""
        if not utterances:
            return 0
        revised = await self._pool.fetch(
            "UPDATE utterances AS u SET text = r.tx, words = r.w::jsonb, pii = r.p::jsonb"
            " FROM unnest($3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[])"
            " AS r(s, st, en, tx, w, p)"
            " WHERE u.tenant_id = $1 AND u.call_id = $2 AND u.speaker = r.s"
            " AND u.start_ms = r.st AND u.end_ms = r.en RETURNING 1",
            tenant_id,
            call_id,
            *_columns(utterances, with_confidence=False),
        )
        return len(revised)

    async def get(self, tenant_id: str, call_id: str) -> CallRecord | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM calls WHERE tenant_id = $1 AND call_id = $2", tenant_id, call_id
        )
        return _call(row) if row else None

    async def find(self, tenant_id: str, *, status: str | None, limit: int) -> list[CallRecord]:
        rows = await self._pool.fetch(
            "SELECT * FROM calls WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)"
            " ORDER BY started_at DESC LIMIT $3",
            tenant_id,
            status,
            limit,
        )
        return [_call(r) for r in rows]

    async def transcript(self, tenant_id: str, call_id: str) -> list[Utterance]:
        rows = await self._pool.fetch(
            "SELECT * FROM utterances WHERE tenant_id = $1 AND call_id = $2"
            " ORDER BY start_ms, speaker",
            tenant_id,
            call_id,
        )
        return [_utterance(r) for r in rows]

    async def record_contact_event(
        self,
        *,
        tenant_id: str,
        call_id: str,
        event_type: str,
        event_time: datetime | None,
        detail: dict[str, Any],
    ) -> None:
        await self._pool.execute(
            "INSERT INTO call_events (tenant_id, call_id, event_type, event_time, detail)"
            " VALUES ($1, $2, $3, $4, $5)",
            tenant_id,
            call_id,
            event_type,
            event_time,
            detail,
        )

    async def contact_events(self, tenant_id: str, call_id: str) -> list[dict[str, Any]]:
        rows = await self._pool.fetch(
            "SELECT event_type, event_time, detail, received_at FROM call_events"
            " WHERE tenant_id = $1 AND call_id = $2 ORDER BY id",
            tenant_id,
            call_id,
        )
        return [dict(r) for r in rows]

    async def pii_spans(self, tenant_id: str, call_id: str) -> list[tuple[str, PiiSpan]]:
        """(speaker, span) for every PII span of the call's utterances, in time order.

        Types and times only: what audio redaction beeps and verification checks.
        """
        rows = await self._pool.fetch(
            "SELECT speaker, pii FROM utterances WHERE tenant_id = $1 AND call_id = $2"
            " AND jsonb_array_length(pii) > 0 ORDER BY start_ms, speaker",
            tenant_id,
            call_id,
        )
        spans = [
            (row["speaker"], PiiSpan(str(p["type"]), int(p["start_ms"]), int(p["end_ms"])))
            for row in rows
            for p in row["pii"]
        ]
        return sorted(spans, key=lambda s: (s[1].start_ms, s[0], s[1].end_ms))
