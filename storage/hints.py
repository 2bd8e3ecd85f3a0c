"""Hints shown to agents, their feedback, and post-call summaries, in PostgreSQL.

Every query names its tenant. Writes are idempotent (a retried activity stores nothing
twice): a hint by its id, a feedback by (hint, time, kind), a summary by its call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from callguide.model import Hint, HintFeedback, HintTrigger


@dataclass(frozen=True)
class StoredHint:
    hint: Hint
    feedback: str | None
    feedback_at: datetime | None


@dataclass(frozen=True)
class CallSummary:
    reason: str
    resolution: str
    follow_ups: list[str]
    source: str
    model: str | None
    created_at: datetime


def _hint(row: asyncpg.Record) -> StoredHint:
    trigger = None
    if row["trigger_speaker"] is not None:
        trigger = HintTrigger(
            row["trigger_speaker"], row["trigger_start_ms"], row["trigger_end_ms"]
        )
    hint = Hint(
        hint_id=row["hint_id"],
        type=row["type"],
        title=row["title"],
        body=row["body"],
        moment_id=row["moment_id"],
        created_at=row["created_at"].isoformat(),
        expires_at=row["expires_at"].isoformat(),
        confidence=row["confidence"],
        article_id=row["article_id"],
        model=row["model"],
        trigger=trigger,
        policy_version=row["policy_version"],
    )
    return StoredHint(hint, row["feedback"], row["feedback_at"])


class HintStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, *, tenant_id: str, call_id: str, hints: Sequence[Hint]) -> int:
        """Stores hints; ones already stored are skipped. Returns how many were new."""
        if not hints:
            return 0
        rows = await self._pool.fetch(
            "INSERT INTO hints (tenant_id, call_id, hint_id, type, title, body, moment_id,"
            " article_id, model, confidence, policy_version, trigger_speaker, trigger_start_ms,"
            " trigger_end_ms, created_at, expires_at)"
            " SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[],"
            " $7::text[], $8::text[], $9::text[], $10::real[], $11::int[], $12::text[],"
            " $13::int[], $14::int[], $15::timestamptz[], $16::timestamptz[])"
            " ON CONFLICT DO NOTHING RETURNING 1",
            tenant_id,
            call_id,
            [h.hint_id for h in hints],
            [h.type for h in hints],
            [h.title for h in hints],
            [h.body for h in hints],
            [h.moment_id for h in hints],
            [h.article_id for h in hints],
            [h.model for h in hints],
            [h.confidence for h in hints],
            [h.policy_version for h in hints],
            [h.trigger.speaker if h.trigger else None for h in hints],
            [h.trigger.start_ms if h.trigger else None for h in hints],
            [h.trigger.end_ms if h.trigger else None for h in hints],
            [datetime.fromisoformat(h.created_at) for h in hints],
            [datetime.fromisoformat(h.expires_at) for h in hints],
        )
        return len(rows)

    async def record_feedback(
        self, *, tenant_id: str, call_id: str, feedback: Sequence[HintFeedback]
    ) -> int:
        """Stores feedback on stored hints (the hint keeps the latest); feedback on a hint
        that is not stored (yet) is skipped. Returns how many were stored."""
        stored = 0
        async with self._pool.acquire() as conn, conn.transaction():
            for item in feedback:
                at = datetime.fromisoformat(item.at)
                inserted = await conn.fetchval(
                    "INSERT INTO hint_feedback (tenant_id, call_id, hint_id, feedback, agent, at)"
                    " SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM hints"
                    " WHERE tenant_id = $1 AND call_id = $2 AND hint_id = $3)"
                    " ON CONFLICT DO NOTHING RETURNING 1",
                    tenant_id,
                    call_id,
                    item.hint_id,
                    item.feedback.value,
                    item.agent,
                    at,
                )
                if inserted is None:
                    continue
                stored += 1
                await conn.execute(
                    "UPDATE hints SET feedback = $4, feedback_at = $5 WHERE tenant_id = $1"
                    " AND call_id = $2 AND hint_id = $3"
                    " AND (feedback_at IS NULL OR feedback_at <= $5)",
                    tenant_id,
                    call_id,
                    item.hint_id,
                    item.feedback.value,
                    at,
                )
        return stored

    async def for_call(self, tenant_id: str, call_id: str) -> list[StoredHint]:
        rows = await self._pool.fetch(
            "SELECT * FROM hints WHERE tenant_id = $1 AND call_id = $2"
            " ORDER BY created_at, hint_id",
            tenant_id,
            call_id,
        )
        return [_hint(r) for r in rows]

    async def get(self, tenant_id: str, call_id: str, hint_id: str) -> StoredHint | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM hints WHERE tenant_id = $1 AND call_id = $2 AND hint_id = $3",
            tenant_id,
            call_id,
            hint_id,
        )
        return _hint(row) if row else None

    async def set_summary(
        self,
        *,
        tenant_id: str,
        call_id: str,
        reason: str,
        resolution: str,
        follow_ups: Sequence[str],
        source: str,
        model: str | None,
    ) -> None:
        """Stores the call's summary; a later one (a retried call) replaces it."""
        await self._pool.execute(
            "INSERT INTO call_summaries (tenant_id, call_id, reason, resolution, follow_ups,"
            " source, model) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)"
            " ON CONFLICT (tenant_id, call_id) DO UPDATE SET reason = excluded.reason,"
            " resolution = excluded.resolution, follow_ups = excluded.follow_ups,"
            " source = excluded.source, model = excluded.model, created_at = now()",
            tenant_id,
            call_id,
            reason,
            resolution,
            json.dumps(list(follow_ups)),
            source,
            model,
        )

    async def summary(self, tenant_id: str, call_id: str) -> CallSummary | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM call_summaries WHERE tenant_id = $1 AND call_id = $2",
            tenant_id,
            call_id,
        )
        if row is None:
            return None
        follow_ups = row["follow_ups"]
        if isinstance(follow_ups, str):
            follow_ups = json.loads(follow_ups)
        return CallSummary(
            row["reason"],
            row["resolution"],
            list(follow_ups),
            row["source"],
            row["model"],
            row["created_at"],
        )
