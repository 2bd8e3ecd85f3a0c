"""The analytics outbox in PostgreSQL: events written next to the rows they describe,
drained in batches into ClickHouse by the API's ingester (analytics.ingester).

Events hold ids, times, counts and closed-set labels only (analytics.events builds them):
never utterance text, words or any other PII.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg


@dataclass(frozen=True)
class OutboxEvent:
    tenant_id: str
    kind: str
    data: dict[str, Any]
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class OutboxRow:
    id: int
    tenant_id: str
    kind: str
    at: datetime
    data: dict[str, Any]


# Takes a claimed batch; returns normally once the batch is safely stored elsewhere.
BatchHandler = Callable[[Sequence[OutboxRow]], Awaitable[None]]


class AnalyticsOutbox:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def add(self, events: Sequence[OutboxEvent]) -> int:
        """Appends events in one statement; returns how many."""
        if not events:
            return 0
        await self._pool.execute(
            "INSERT INTO analytics_outbox (tenant_id, kind, at, data)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])",
            [e.tenant_id for e in events],
            [e.kind for e in events],
            [e.at for e in events],
            [e.data for e in events],
        )
        return len(events)

    async def drain(self, handle: BatchHandler, *, limit: int) -> int:
        """Claims up to `limit` of the oldest rows, hands them to `handle` and deletes them,
        all in one transaction: a handler that raises leaves every row for the next try,
        and concurrent drainers (several API processes) skip each other's rows."""
        async with self._pool.acquire() as conn, conn.transaction():
            records = await conn.fetch(
                "SELECT id, tenant_id, kind, at, data FROM analytics_outbox"
                " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                limit,
            )
            if not records:
                return 0
            rows = [
                OutboxRow(r["id"], r["tenant_id"], r["kind"], r["at"], r["data"]) for r in records
            ]
            await handle(rows)
            await conn.execute(
                "DELETE FROM analytics_outbox WHERE id = ANY($1::bigint[])", [r.id for r in rows]
            )
        return len(rows)

    async def pending(self) -> int:
        count = await self._pool.fetchval("SELECT count(*) FROM analytics_outbox")
        return int(count)
