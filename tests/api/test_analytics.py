"""Analytics end to end on the real stores: the activities write the outbox, the API's
ingester moves it into embedded ClickHouse (chdb), and /v1/analytics answers with the
right figures for the caller's tenant only. A PII-heavy call leaves no PII (nor any
utterance text) in any ClickHouse row. Bad ranges and groupings are 400s naming the field."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from activities.calls import CallActivities
from analytics.chdb_store import ChdbStore
from analytics.latency import LatencyRecorder
from callguide.model import (
    Hint,
    HintFeedback,
    HintFeedbackKind,
    PiiSpan,
    Speaker,
    StageTiming,
    Utterance,
)
from callguide.resources import Stores
from callguide.settings import Settings
from tests.api.test_calls import start_call
from tests.conftest import Stack, TenantKey, make_settings, new_tenant
from tests.polling import eventually, read_json
from voice.kvs_clients import KvsClientPool
from workers.main import object_store, redaction_activities
from workflows.call import CallWorkflow
from workflows.call_types import (
    CallEvent,
    PersistUtterances,
    PublishCallEvents,
    RecordCallFinished,
    RecordCallStarted,
)
from workflows.redaction_types import SettleRedaction, TrackSpan

PII = ("Jane Doe", "555-867-5309", "4111 1111 1111 1111", "42 Wallaby Way")


@pytest.fixture
def settings(stack: Stack, tmp_path: Path) -> Settings:
    # A chdb directory of this test's own, drained often.
    return make_settings(
        stack, analytics_path=tmp_path / "analytics", analytics_flush_interval_s=0.1
    )


def get(http: httpx.AsyncClient, tenant: TenantKey, path: str) -> Callable[[], Awaitable[Any]]:
    return read_json(http, f"/v1/analytics/{path}", tenant.headers)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


async def test_activities_feed_every_dashboard_for_their_tenant_only(
    http: httpx.AsyncClient, stores: Stores, settings: Settings
) -> None:
    tenant, other = await new_tenant(stores), await new_tenant(stores)
    latency = LatencyRecorder(outbox=stores.analytics_outbox)
    activities = CallActivities(
        calls=stores.calls,
        streams=stores.streams,
        hints=stores.hints,
        outbox=stores.analytics_outbox,
        latency=latency,
    )
    now = datetime.now(UTC)
    call_id = f"analytics-{uuid.uuid4().hex[:8]}"
    started = (now - timedelta(minutes=3)).isoformat()
    await activities.record_call_started(
        RecordCallStarted(tenant.tenant_id, call_id, "contact-1", "wf-1", started)
    )
    timing = StageTiming(
        audio_received_ms=_ms(now) - 400, asr_final_ms=_ms(now) - 300, signalled_ms=_ms(now) - 250
    )
    said = Utterance(Speaker.CUSTOMER, "I want to cancel my plan", 1000, 2500, timing=timing)
    hints = [
        Hint(
            hint_id=f"h{n}",
            type="reminder",
            title="Retention offer",
            body="Offer it.",
            moment_id=moment,
            created_at=now.isoformat(),
            expires_at=(now + timedelta(seconds=30)).isoformat(),
            turn_accepted_at=(now - timedelta(milliseconds=900)).isoformat(),
            delivered_at=now.isoformat(),
        )
        for n, moment in ((1, "cancel-intent"), (2, "cancel-intent"), (3, "refund"))
    ]
    feedback = [
        HintFeedback("h1", HintFeedbackKind.ACCEPTED, now.isoformat(), "agent-7"),
        HintFeedback("h3", HintFeedbackKind.DISMISSED, now.isoformat(), "agent-7"),
    ]
    batch = PersistUtterances(tenant.tenant_id, call_id, [said], hints, feedback)
    await activities.persist_utterances(batch)
    await activities.persist_utterances(batch)  # a retried activity: counted once
    data = {"speaker": "customer", "start_ms": 1000, "end_ms": 2500}
    event = CallEvent(1, "utterance", now.isoformat(), data | {"timing": asdict(timing)})
    await activities.publish_call_events(PublishCallEvents(tenant.tenant_id, call_id, [event]))
    await activities.record_call_finished(
        RecordCallFinished(tenant.tenant_id, call_id, "ended", now.isoformat(), 1, "hangup")
    )
    redaction = redaction_activities(
        settings, stores, kvs=KvsClientPool(max_connections=1), objects=object_store(settings)
    )
    verdict = SettleRedaction(
        tenant.tenant_id,
        call_id,
        "verified",
        spans=[TrackSpan("customer", "CREDIT_CARD", 1200, 2000)],
        policy_version=1,
    )
    await redaction.settle_redaction(verdict)
    assert latency.pending > 0
    assert await latency.flush() == latency.written > 0 and latency.dropped == 0

    by_moment = await eventually(
        get(http, tenant, "hints?by=moment"),
        lambda r: sum(x["shown"] + x["accepted"] + x["dismissed"] for x in r["rows"]) == 5,
    )
    assert by_moment["by"] == "moment"
    assert by_moment["rows"] == [
        {
            "key": "cancel-intent",
            "shown": 2,
            "accepted": 1,
            "dismissed": 0,
            "used": 0,
            "acceptance_rate": 0.5,
        },
        {
            "key": "refund",
            "shown": 1,
            "accepted": 0,
            "dismissed": 1,
            "used": 0,
            "acceptance_rate": 0,
        },
    ]
    by_agent = await get(http, tenant, "hints?by=agent")()
    assert [(r["key"], r["shown"], r["accepted"], r["dismissed"]) for r in by_agent["rows"]] == [
        ("agent-7", 2, 1, 1),
        ("", 1, 0, 0),
    ]

    stages = {
        s["stage"]: s
        for s in (await eventually(get(http, tenant, "latency"), lambda r: len(r["stages"]) == 5))[
            "stages"
        ]
    }
    assert set(stages) == {"asr_final", "signal", "persisted", "published", "hint_delivered"}
    assert (stages["asr_final"]["count"], stages["asr_final"]["p50_ms"]) == (1, 100)
    assert (stages["signal"]["count"], stages["signal"]["max_ms"]) == (1, 50)
    assert stages["hint_delivered"]["count"] == 3 and stages["hint_delivered"]["p99_ms"] == 900
    assert 300 <= stages["persisted"]["p50_ms"] < 30_000
    assert 300 <= stages["published"]["p50_ms"] < 30_000
    only = await get(http, tenant, "latency?stage=signal")()
    assert [s["stage"] for s in only["stages"]] == ["signal"]

    today = now.date().isoformat()
    calls = await eventually(get(http, tenant, "calls"), lambda r: r["days"] != [])
    assert calls["days"] == [{"day": started[:10], "status": "ended", "calls": 1}]
    redactions = await eventually(get(http, tenant, "redaction"), lambda r: r["days"] != [])
    assert redactions["days"] == [{"day": today, "verdict": "verified", "calls": 1}]

    for path in ("hints?by=moment", "hints?by=agent", "latency", "calls", "redaction"):
        seen = await get(http, other, path)()
        assert seen.get("rows", seen.get("stages", seen.get("days"))) == [], path


def asdict(timing: StageTiming) -> dict[str, Any]:
    return dataclasses.asdict(timing)


async def test_a_pii_heavy_call_leaves_no_pii_or_text_in_clickhouse(
    http: httpx.AsyncClient,
    tenant: TenantKey,
    worker: None,
    client: Client,
    settings: Settings,
) -> None:
    call_id, workflow_id = await start_call(http, tenant)
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    now_ms = int(time.time() * 1000)
    lines = [
        f"my name is {PII[0]} and my number is {PII[1]}",
        f"the card is {PII[2]}",
        f"I live at {PII[3]}",
    ]
    for n, line in enumerate(lines):
        said = Utterance(
            Speaker.CUSTOMER,
            line,
            n * 3000,
            n * 3000 + 2500,
            pii=[PiiSpan("PERSON", n * 3000 + 100, n * 3000 + 900)],
            original=line,
            timing=StageTiming(audio_received_ms=now_ms - 200, asr_final_ms=now_ms - 100),
        )
        await handle.signal(CallWorkflow.add_utterance, said)
    await http.post(f"/v1/calls/{call_id}/end", headers=tenant.headers)
    await handle.result()

    calls = await eventually(
        get(http, tenant, "calls"), lambda r: [d["status"] for d in r["days"]] == ["ended"]
    )
    assert [(d["status"], d["calls"]) for d in calls["days"]] == [("ended", 1)]
    latency = await eventually(
        get(http, tenant, "latency?stage=asr_final"),
        lambda r: r["stages"] and r["stages"][0]["count"] == 3,
    )
    assert latency["stages"][0]["p50_ms"] == 100

    store = await ChdbStore.open(path=str(settings.analytics_path))  # the API's engine
    try:
        tables = await store.query(
            "SELECT name FROM system.tables WHERE database = currentDatabase()", {}
        )
        dumped = ""
        for table in (t["name"] for t in tables):
            rows = await store.query(f"SELECT * FROM {table}", {})
            dumped += "".join(json.dumps(row) for row in rows)
        utterances = await store.query(
            "SELECT word_count, pii_count FROM utterances FINAL"
            " WHERE tenant_id = {t:String} ORDER BY start_ms",
            {"t": tenant.tenant_id},
        )
    finally:
        await store.close()
    assert [(u["word_count"], u["pii_count"]) for u in utterances] == [(10, 1), (7, 1), (6, 1)]
    assert call_id in dumped
    for secret in (*PII, *lines, "Wallaby", "4111", "867"):
        assert secret not in dumped


async def test_bad_ranges_and_groupings_are_400s_naming_the_field(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    cases = {
        "hints?by=call": "by",
        "latency?stage=dns": "stage",
        "calls?from=yesterday": "from",
        "calls?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z": "from",
        "redaction?from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00Z": "from",
        "redaction?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z": "to",
        f"calls?tenant={tenant.tenant_id}": "tenant",
        "latency?to=9999-12-31T23:00:00-05:00": "to",
        "hints?from=1800-01-01T00:00:00Z": "from",
        "hints?from=2026-02-30": "from",
        "calls?to=1764547200": "to",
    }
    for path, field in cases.items():
        response = await http.get(f"/v1/analytics/{path}", headers=tenant.headers)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["detail"].startswith(f"query.{field}:"), (path, response.text)
    unauthenticated = await http.get("/v1/analytics/calls")
    assert unauthenticated.status_code == 401
    longest = "calls?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"  # 366 days
    assert (await http.get(f"/v1/analytics/{longest}", headers=tenant.headers)).status_code == 200
