"""The outbox on real PostgreSQL and the ingester on real chdb: batches move whole or not
at all, rows of unknown kinds cannot block the rest, and the latency recorder never blocks
or grows past its bound (a PostgreSQL outage drops samples and counts them)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analytics import events
from analytics.chdb_store import ChdbStore
from analytics.ingester import OutboxIngester
from analytics.latency import LatencyRecorder
from analytics.store import migrate
from callguide.resources import Stores
from callguide.settings import Settings
from storage.analytics_outbox import AnalyticsOutbox, OutboxEvent, OutboxRow
from storage.postgres import create_pool


async def tenant_rows(stores: Stores, tenant_id: str) -> int:
    count = await stores.pool.fetchval(
        "SELECT count(*) FROM analytics_outbox WHERE tenant_id = $1", tenant_id
    )
    return int(count)


async def test_a_failed_insert_leaves_the_batch_and_a_retry_moves_it_once(
    stores: Stores, tmp_path: Path
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    started = datetime(2026, 3, 2, 9, tzinfo=UTC)
    await stores.analytics_outbox.add(
        [
            events.call_started(tenant_id=tenant, call_id=f"c{n}", started_at=started)
            for n in range(7)
        ]
        + [OutboxEvent(tenant, "written-by-a-newer-release", {"call_id": "c0"})]
    )
    store = await ChdbStore.open(path=str(tmp_path / "analytics"))
    try:
        ingester = OutboxIngester(
            outbox=stores.analytics_outbox, store=store, batch_size=3, interval_s=0.1
        )
        with pytest.raises(RuntimeError):  # no tables yet: ClickHouse refuses the insert
            await ingester.drain()
        assert await tenant_rows(stores, tenant) == 8  # nothing lost
        await migrate(store)
        assert await ingester.drain() >= 8
        assert await tenant_rows(stores, tenant) == 0
        found = await store.query(
            "SELECT count() AS n FROM call_lifecycle FINAL WHERE tenant_id = {t:String}",
            {"t": tenant},
        )
        assert int(found[0]["n"]) == 7
    finally:
        await store.close()


async def test_a_drain_whose_handler_fails_deletes_nothing(stores: Stores) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    await stores.analytics_outbox.add(
        [OutboxEvent(tenant, events.CALL, {"call_id": "c1", "event": "started"})]
    )

    async def broken(rows: Sequence[OutboxRow]) -> None:
        raise ConnectionError("ClickHouse is down")

    with pytest.raises(ConnectionError):
        await stores.analytics_outbox.drain(broken, limit=10_000)
    assert await tenant_rows(stores, tenant) == 1
    await stores.pool.execute("DELETE FROM analytics_outbox WHERE tenant_id = $1", tenant)


async def test_latency_recorder_is_bounded_and_drops_on_an_outage(
    stores: Stores, settings: Settings
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    recorder = LatencyRecorder(outbox=stores.analytics_outbox, max_pending=3)
    for n in range(5):
        recorder.record(tenant_id=tenant, call_id="c", stage="signal", sample_key=f"k{n}", ms=n)
    recorder.record(tenant_id=tenant, call_id="c", stage="signal", sample_key="skew", ms=-5)
    assert (recorder.pending, recorder.dropped) == (3, 2)
    assert await recorder.flush() == 3
    assert await tenant_rows(stores, tenant) == 3

    pool = await create_pool(settings.require_database_url())
    await pool.close()  # PostgreSQL gone, as far as this recorder can tell
    down = LatencyRecorder(outbox=AnalyticsOutbox(pool=pool), max_pending=100, batch_size=2)
    for n in range(4):
        down.record(tenant_id=tenant, call_id="c", stage="published", sample_key=f"k{n}", ms=n)
    assert await down.flush() == 0
    assert (down.pending, down.dropped) == (2, 2)  # one batch failed; the rest waits
    await stores.pool.execute("DELETE FROM analytics_outbox WHERE tenant_id = $1", tenant)
