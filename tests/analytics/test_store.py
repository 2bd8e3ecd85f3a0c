"""The analytics store on real embedded ClickHouse (chdb): versioned migrations applied
once, inserts through the ingester's row mapping, each dashboard query's figures, the
caller's tenant only, and events stored twice counted once."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from analytics import events, queries
from analytics.chdb_store import ChdbStore
from analytics.store import AnalyticsStore, load_migrations, migrate
from analytics.tables import TABLE_NAMES, table_rows
from callguide.model import (
    Hint,
    HintFeedback,
    HintFeedbackKind,
    PiiSpan,
    Speaker,
    Utterance,
    Word,
)
from storage.analytics_outbox import OutboxEvent, OutboxRow

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[AnalyticsStore]:
    opened = await ChdbStore.open(path=str(tmp_path / "analytics"))
    try:
        await migrate(opened)
        yield opened
    finally:
        await opened.close()


def outbox_rows(batch: Iterable[OutboxEvent]) -> list[OutboxRow]:
    return [OutboxRow(next(_ids), e.tenant_id, e.kind, e.at, e.data) for e in batch]


async def ingest(store: AnalyticsStore, rows: list[OutboxRow]) -> None:
    by_table, unknown = table_rows(rows)
    assert unknown == []
    for table, values in by_table.items():
        await store.insert(table, values)


def hint(hint_id: str, moment: str, at: datetime) -> Hint:
    return Hint(
        hint_id=hint_id,
        type="reminder",
        title="Retention offer",
        body="Offer the discount.",
        moment_id=moment,
        created_at=at.isoformat(),
        expires_at=(at + timedelta(seconds=30)).isoformat(),
        policy_version=3,
    )


def feedback(hint_id: str, kind: HintFeedbackKind, agent: str, at: datetime) -> HintFeedback:
    return HintFeedback(hint_id, kind, at.isoformat(), agent)


async def test_migrations_apply_once_and_are_recorded_by_version(tmp_path: Path) -> None:
    store = await ChdbStore.open(path=str(tmp_path / "analytics"))
    try:
        versions = [m.version for m in load_migrations()]
        assert versions[0] == 1 and versions == sorted(set(versions))
        assert await migrate(store) == versions
        assert await migrate(store) == []
        recorded = await store.query(
            "SELECT version, name FROM schema_migrations FINAL ORDER BY version", {}
        )
        assert [int(r["version"]) for r in recorded] == versions
        assert recorded[0]["name"] == "initial"
        tables = await store.query(
            "SELECT name FROM system.tables WHERE database = currentDatabase()", {}
        )
        assert set(TABLE_NAMES) <= {t["name"] for t in tables}
    finally:
        await store.close()
    reopened = await ChdbStore.open(path=str(tmp_path / "analytics"))
    try:
        assert await migrate(reopened) == []  # the schema survives the process's engine
    finally:
        await reopened.close()


async def test_stores_on_one_path_share_the_engine(tmp_path: Path) -> None:
    path = str(tmp_path / "shared")
    first = await ChdbStore.open(path=path)
    second = await ChdbStore.open(path=path)
    try:
        await migrate(first)
        rows = outbox_rows([events.call_started(tenant_id="t", call_id="c", started_at=DAY)])
        await ingest(first, rows)
        await first.close()  # the other user keeps the engine open
        found = await second.query("SELECT count() AS n FROM call_lifecycle", {})
        assert int(found[0]["n"]) == 1
        with pytest.raises(RuntimeError):  # chdb: one directory per process at a time
            await ChdbStore.open(path=str(tmp_path / "other"))
    finally:
        await second.close()
    other = await ChdbStore.open(path=str(tmp_path / "other"))  # free once all closed
    await other.close()


async def test_hint_acceptance_by_moment_and_by_agent(store: AnalyticsStore) -> None:
    batch = [
        events.hint_shown(tenant_id="a", call_id="c1", hint=hint("h1", "cancel", DAY)),
        events.hint_shown(tenant_id="a", call_id="c1", hint=hint("h2", "cancel", DAY)),
        events.hint_shown(tenant_id="a", call_id="c2", hint=hint("h1", "cancel", DAY)),
        events.hint_shown(tenant_id="a", call_id="c2", hint=hint("h2", "refund", DAY)),
        # h1 of c1: dismissed, then accepted: the latest answer counts.
        events.hint_feedback(
            tenant_id="a",
            call_id="c1",
            feedback=feedback("h1", HintFeedbackKind.DISMISSED, "agent-7", DAY),
        ),
        events.hint_feedback(
            tenant_id="a",
            call_id="c1",
            feedback=feedback("h1", HintFeedbackKind.ACCEPTED, "agent-7", DAY + timedelta(1)),
        ),
        events.hint_feedback(
            tenant_id="a",
            call_id="c2",
            feedback=feedback("h1", HintFeedbackKind.USED, "agent-9", DAY),
        ),
        events.hint_feedback(
            tenant_id="a",
            call_id="c2",
            feedback=feedback("h2", HintFeedbackKind.DISMISSED, "agent-9", DAY),
        ),
        # Tenant b's hint on a call and moment of the same names.
        events.hint_shown(tenant_id="b", call_id="c1", hint=hint("h9", "cancel", DAY)),
    ]
    rows = outbox_rows(batch)
    await ingest(store, rows)
    await ingest(store, rows)  # a batch ingested again after a crash counts once
    window = {"start": DAY - timedelta(days=1), "end": DAY + timedelta(days=1)}

    by_moment = await queries.hint_acceptance(store, "a", by="moment", **window)
    assert [(r.key, r.shown, r.accepted, r.dismissed, r.used) for r in by_moment] == [
        ("cancel", 3, 1, 0, 1),
        ("refund", 1, 0, 1, 0),
    ]
    assert by_moment[0].acceptance_rate == pytest.approx(2 / 3)

    by_agent = await queries.hint_acceptance(store, "a", by="agent", **window)
    assert [(r.key, r.shown, r.accepted, r.dismissed, r.used) for r in by_agent] == [
        ("agent-9", 2, 0, 1, 1),
        ("", 1, 0, 0, 0),
        ("agent-7", 1, 1, 0, 0),
    ]
    only_b = await queries.hint_acceptance(store, "b", by="moment", **window)
    assert [(r.key, r.shown) for r in only_b] == [("cancel", 1)]
    later = await queries.hint_acceptance(
        store, "a", by="moment", start=DAY + timedelta(hours=1), end=DAY + timedelta(days=2)
    )
    assert later == []


async def test_latency_percentiles_per_stage(store: AnalyticsStore) -> None:
    batch = [
        events.latency_sample(
            tenant_id="a", call_id="c1", stage="persisted", sample_key=f"k{i}", ms=i, at=DAY
        )
        for i in range(1, 101)
    ] + [
        events.latency_sample(
            tenant_id="a", call_id="c1", stage="signal", sample_key="k1", ms=12.5, at=DAY
        ),
        events.latency_sample(
            tenant_id="b", call_id="c1", stage="signal", sample_key="k1", ms=9000, at=DAY
        ),
    ]
    rows = outbox_rows(batch)
    await ingest(store, rows)
    await ingest(store, rows[:50])
    window = {"start": DAY, "end": DAY + timedelta(seconds=1)}
    found = {s.stage: s for s in await queries.stage_latency(store, "a", **window)}
    assert set(found) == {"persisted", "signal"}
    persisted = found["persisted"]
    assert persisted.count == 100 and persisted.max_ms == 100
    assert persisted.p50_ms == pytest.approx(50.5)
    assert persisted.p90_ms == pytest.approx(90.1)
    assert persisted.p99_ms == pytest.approx(99.01)
    assert (found["signal"].count, found["signal"].max_ms) == (1, 12.5)
    only_signal = await queries.stage_latency(store, "a", stage="signal", **window)
    assert [s.stage for s in only_signal] == ["signal"]
    assert [s.max_ms for s in await queries.stage_latency(store, "b", **window)] == [9000]


async def test_calls_per_status_per_day(store: AnalyticsStore) -> None:
    next_day = DAY + timedelta(days=1)

    def finished(call_id: str, status: str, started: datetime) -> OutboxEvent:
        return events.call_finished(
            tenant_id="a",
            call_id=call_id,
            status=status,
            ended_at=started + timedelta(minutes=5),
            started_at=started,
            utterance_count=4,
            end_reason="hangup" if status == "ended" else None,
            failure_reason="stream_stalled" if status == "failed" else None,
            late_hints=0,
        )

    batch = [
        events.call_started(tenant_id="a", call_id="c1", started_at=DAY),
        finished("c1", "ended", DAY),
        events.call_started(tenant_id="a", call_id="c2", started_at=DAY),
        finished("c2", "failed", DAY),
        events.call_started(tenant_id="a", call_id="c3", started_at=DAY),
        events.call_started(tenant_id="a", call_id="c4", started_at=next_day),
        finished("c4", "ended", next_day),
        # c5 failed, was restarted by ops and then ended: its latest status counts.
        events.call_started(tenant_id="a", call_id="c5", started_at=next_day),
        finished("c5", "failed", next_day),
        finished("c5", "ended", next_day + timedelta(minutes=10)),
        events.call_started(tenant_id="b", call_id="c1", started_at=DAY),
    ]
    await ingest(store, outbox_rows(batch))
    found = await queries.calls_per_status(
        store, "a", start=DAY - timedelta(days=1), end=DAY + timedelta(days=3)
    )
    assert [(r.day.isoformat(), r.key, r.count) for r in found] == [
        ("2026-03-02", "active", 1),
        ("2026-03-02", "ended", 1),
        ("2026-03-02", "failed", 1),
        ("2026-03-03", "ended", 2),
    ]
    only_second = await queries.calls_per_status(
        store, "a", start=next_day, end=next_day + timedelta(days=1)
    )
    assert [(r.key, r.count) for r in only_second] == [("ended", 2)]
    found_b = await queries.calls_per_status(
        store, "b", start=DAY - timedelta(days=1), end=DAY + timedelta(days=3)
    )
    assert [(r.key, r.count) for r in found_b] == [("active", 1)]


async def test_redaction_verdicts_per_day(store: AnalyticsStore) -> None:
    def verdict(tenant: str, call_id: str, status: str, at: datetime) -> OutboxEvent:
        return events.redaction_verdict(
            tenant_id=tenant,
            call_id=call_id,
            verdict=status,
            at=at,
            policy_version=2,
            span_types=["CREDIT_CARD", "PERSON", "PERSON"],
            reason_count=1 if status == "failed" else 0,
        )

    batch = [
        verdict("a", "c1", "redacted", DAY),
        verdict("a", "c1", "verified", DAY + timedelta(minutes=2)),
        verdict("a", "c2", "failed", DAY),
        verdict("a", "c2", "failed", DAY + timedelta(minutes=1)),  # a retried settle
        verdict("a", "c3", "verified", DAY + timedelta(days=1)),
        verdict("b", "c1", "failed", DAY),
    ]
    await ingest(store, outbox_rows(batch))
    found = await queries.redaction_verdicts(
        store, "a", start=DAY - timedelta(days=1), end=DAY + timedelta(days=2)
    )
    assert [(r.day.isoformat(), r.key, r.count) for r in found] == [
        ("2026-03-02", "failed", 1),
        ("2026-03-02", "redacted", 1),
        ("2026-03-02", "verified", 1),
        ("2026-03-03", "verified", 1),
    ]
    stored = await store.query(
        "SELECT span_count, span_types FROM redaction_verdicts FINAL"
        " WHERE tenant_id = {t:String} AND call_id = 'c1' AND verdict = 'verified'",
        {"t": "a"},
    )
    assert int(stored[0]["span_count"]) == 3
    assert stored[0]["span_types"] == {"CREDIT_CARD": 1, "PERSON": 2}


async def test_utterance_rows_hold_metadata_and_never_text(store: AnalyticsStore) -> None:
    said = Utterance(
        Speaker.CUSTOMER,
        "My name is [PERSON] and my card is [CREDIT_CARD]",
        1000,
        4000,
        confidence=0.9,
        words=[Word("My", 1000, 1200), Word("name", 1200, 1400)],
        pii=[PiiSpan("PERSON", 1500, 1900), PiiSpan("CREDIT_CARD", 2500, 3900)],
        original="My name is Jane Doe and my card is 4111 1111 1111 1111",
    )
    await ingest(store, outbox_rows([events.utterance(tenant_id="a", call_id="c1", said=said)]))
    rows = await store.query("SELECT * FROM utterances FINAL", {})
    assert len(rows) == 1
    row = rows[0]
    assert (row["speaker"], row["start_ms"], row["end_ms"]) == ("customer", 1000, 4000)
    assert (row["word_count"], row["pii_count"]) == (2, 2)
    assert row["pii_types"] == ["CREDIT_CARD", "PERSON"]
    assert not {"text", "words", "original"} & set(row)
    assert "Jane" not in str(row) and "4111" not in str(row)
