"""Moves the PostgreSQL outbox into ClickHouse in batches (a background task of the API).

Each batch is claimed, inserted and deleted in one PostgreSQL transaction, so a failed
insert leaves it for the next round and nothing is lost. A crash after the insert but
before the commit inserts the batch again next round: the tables collapse rows with the
same key (analytics/migrations), so nothing is counted twice either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from analytics.store import AnalyticsStore, open_analytics
from analytics.tables import table_rows
from callguide.settings import Settings
from storage.analytics_outbox import AnalyticsOutbox, OutboxRow

log = logging.getLogger(__name__)


class OutboxIngester:
    def __init__(
        self,
        *,
        outbox: AnalyticsOutbox,
        store: AnalyticsStore,
        batch_size: int,
        interval_s: float,
    ) -> None:
        self._outbox = outbox
        self._store = store
        self._batch_size = batch_size
        self._interval_s = interval_s
        self.ingested = 0
        self.failures = 0

    async def _insert(self, batch: Sequence[OutboxRow]) -> None:
        by_table, unknown = table_rows(batch)
        if unknown:
            # Written by a newer release, or by mistake: dropped so it cannot block the rest.
            log.warning("analytics outbox: %d rows of unknown kinds dropped", len(unknown))
        for table, rows in by_table.items():
            await self._store.insert(table, rows)

    async def drain(self) -> int:
        """Ingests everything pending now, batch by batch; returns how many rows moved."""
        moved = 0
        while True:
            count = await self._outbox.drain(self._insert, limit=self._batch_size)
            moved += count
            self.ingested += count
            if count < self._batch_size:
                return moved

    async def run(self) -> None:
        """Drains every interval until cancelled; failures are logged and retried."""
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # PostgreSQL or ClickHouse down: the rows wait
                self.failures += 1
                log.warning("analytics ingest failed, retrying: %s", type(error).__name__)
            await asyncio.sleep(self._interval_s)


@contextlib.asynccontextmanager
async def running_analytics(
    settings: Settings, outbox: AnalyticsOutbox
) -> AsyncIterator[AnalyticsStore | None]:
    """The API's analytics: the store, opened and migrated, with the ingester draining the
    outbox into it in the background. None when the store cannot be opened (another
    process owns the chdb directory, the server is down): the API still serves
    everything else, the analytics routes answer 503, and the outbox keeps the events."""
    async with contextlib.AsyncExitStack() as stack:
        store: AnalyticsStore | None = None
        try:
            store = await stack.enter_async_context(open_analytics(settings))
        except Exception as error:
            log.warning("analytics store unavailable, /v1/analytics is off: %s", error)
        if store is not None:
            ingester = OutboxIngester(
                outbox=outbox,
                store=store,
                batch_size=settings.analytics_batch_size,
                interval_s=settings.analytics_flush_interval_s,
            )
            task = asyncio.create_task(ingester.run())
            stack.push_async_callback(_stop, task)
        yield store


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
