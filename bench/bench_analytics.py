"""Analytics in embedded ClickHouse (chdb): ingest rate and dashboard query latency.

Run from the repo root: ``.venv/bin/python bench/bench_analytics.py [--events 1000000]``.

Ingest goes through the ingester's own path: events built by analytics.events, mapped to
table rows by analytics.tables and written with ChdbStore.insert in batches of the
ingester's default size (CALLGUIDE_ANALYTICS_BATCH_SIZE, 5,000); the PostgreSQL outbox is
not part of the figure. Calls look like a contact center's: per call two lifecycle
events, 12 utterances, 2 hints, 1 feedback, 1 redaction verdict and 4 latency stages per
utterance plus one per hint (68 events), spread over 30 days and 10 tenants, one of which
holds half the calls. Each dashboard query (analytics.queries) then runs 7 times for that
largest tenant over 30 days; the median is printed. Prints plain lines.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from analytics import events, queries
from analytics.chdb_store import ChdbStore
from analytics.store import AnalyticsStore, migrate
from analytics.tables import table_rows
from callguide.model import Hint, HintFeedback, HintFeedbackKind, PiiSpan, Speaker, Utterance
from storage.analytics_outbox import OutboxEvent, OutboxRow

BATCH = 5_000
TENANTS = [f"tenant-{n}" for n in range(10)]
START = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 30
STAGES = ("asr_final", "signal", "persisted", "published")
RUNS = 7


def call_events(rng: random.Random, tenant: str, call_id: str) -> list[OutboxEvent]:
    started = START + timedelta(seconds=rng.uniform(0, DAYS * 86400))
    out = [events.call_started(tenant_id=tenant, call_id=call_id, started_at=started)]
    for n in range(12):
        said = Utterance(
            Speaker.CUSTOMER if n % 2 else Speaker.AGENT,
            "redacted words " * 4,
            n * 5000,
            n * 5000 + 4000,
            confidence=0.9,
            pii=[PiiSpan("PERSON", n * 5000, n * 5000 + 500)] if n % 5 == 0 else [],
        )
        out.append(events.utterance(tenant_id=tenant, call_id=call_id, said=said))
        for stage in STAGES:
            ms = rng.lognormvariate(5, 0.6)
            out.append(
                events.latency_sample(
                    tenant_id=tenant,
                    call_id=call_id,
                    stage=stage,
                    sample_key=f"{said.speaker.value}:{said.start_ms}:{said.end_ms}",
                    ms=ms,
                    at=started,
                )
            )
    for n in range(2):
        hint = Hint(
            hint_id=f"h{n}",
            type="reminder",
            title="t",
            body="b",
            moment_id=rng.choice(("cancel", "refund", "upgrade", "complaint")),
            created_at=started.isoformat(),
            expires_at=started.isoformat(),
        )
        out.append(events.hint_shown(tenant_id=tenant, call_id=call_id, hint=hint))
        out.append(
            events.latency_sample(
                tenant_id=tenant,
                call_id=call_id,
                stage="hint_delivered",
                sample_key=hint.hint_id,
                ms=rng.lognormvariate(6, 0.5),
                at=started,
            )
        )
    kind = rng.choice(list(HintFeedbackKind))
    answer = HintFeedback("h0", kind, started.isoformat(), f"agent-{rng.randrange(40)}")
    out.append(events.hint_feedback(tenant_id=tenant, call_id=call_id, feedback=answer))
    status = "failed" if rng.random() < 0.03 else "ended"
    out.append(
        events.call_finished(
            tenant_id=tenant,
            call_id=call_id,
            status=status,
            ended_at=started + timedelta(minutes=6),
            started_at=started,
            utterance_count=12,
            end_reason="hangup",
            failure_reason=None,
            late_hints=0,
        )
    )
    verdict = "verified" if rng.random() < 0.97 else "failed"
    out.append(
        events.redaction_verdict(
            tenant_id=tenant,
            call_id=call_id,
            verdict=verdict,
            at=started + timedelta(minutes=9),
            policy_version=1,
            span_types=["PERSON"] * 3,
            reason_count=0,
        )
    )
    return out


def event_stream(total: int, seed: int = 7) -> Iterator[OutboxEvent]:
    rng = random.Random(seed)
    emitted = 0
    for n in itertools.count():
        tenant = TENANTS[0] if n % 2 == 0 else rng.choice(TENANTS[1:])
        for event in call_events(rng, tenant, f"call-{n}"):
            if emitted == total:
                return
            emitted += 1
            yield event


async def ingest(store: AnalyticsStore, total: int) -> tuple[int, float]:
    ids = itertools.count(1)
    stream = event_stream(total)
    moved, spent = 0, 0.0
    while True:
        batch = [
            OutboxRow(next(ids), e.tenant_id, e.kind, e.at, e.data)
            for e in itertools.islice(stream, BATCH)
        ]
        if not batch:
            return moved, spent
        began = time.perf_counter()
        by_table, _ = table_rows(batch)
        for table, rows in by_table.items():
            await store.insert(table, rows)
        spent += time.perf_counter() - began
        moved += len(batch)


async def median_ms(run: Callable[[], Awaitable[Any]]) -> float:
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        await run()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


async def main(total: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-analytics-") as directory:
        store = await ChdbStore.open(path=directory)
        try:
            await migrate(store)
            moved, spent = await ingest(store, total)
            print(f"ingest: {moved} events in {spent:.1f} s = {moved / spent:,.0f} events/s")
            counts = await store.query(
                "SELECT (SELECT count() FROM stage_latency) AS latency,"
                " (SELECT count() FROM utterances) AS utterances,"
                " (SELECT count() FROM call_lifecycle) AS lifecycle",
                {},
            )
            print(f"rows: {counts[0]}")
            tenant, start, end = TENANTS[0], START, START + timedelta(days=DAYS)
            dashboards: dict[str, Callable[[], Awaitable[Any]]] = {
                "hints by moment": lambda: queries.hint_acceptance(
                    store, tenant, by="moment", start=start, end=end
                ),
                "hints by agent": lambda: queries.hint_acceptance(
                    store, tenant, by="agent", start=start, end=end
                ),
                "latency per stage": lambda: queries.stage_latency(
                    store, tenant, start=start, end=end
                ),
                "calls per status per day": lambda: queries.calls_per_status(
                    store, tenant, start=start, end=end
                ),
                "redaction verdicts per day": lambda: queries.redaction_verdicts(
                    store, tenant, start=start, end=end
                ),
            }
            for name, run in dashboards.items():
                print(f"query {name}: median {await median_ms(run):.0f} ms of {RUNS}")
            await store.execute("OPTIMIZE TABLE stage_latency FINAL")
            merged = await median_ms(dashboards["latency per stage"])
            print(f"query latency per stage after OPTIMIZE FINAL: median {merged:.0f} ms")
        finally:
            await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().events))
