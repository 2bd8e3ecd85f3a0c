"""The dashboard queries behind /v1/analytics. Every query binds the caller's tenant as a
server-side parameter and filters on it first (it leads every table's sort key); ranges
are [from, to). FINAL collapses events stored twice (a retried activity, a batch
ingested again after a crash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from analytics.store import AnalyticsStore
from analytics.tables import clickhouse_time

HintGrouping = Literal["moment", "agent"]
# Keys per answer: a dashboard shows a few dozen moments or agents.
MAX_GROUPS = 1000


@dataclass(frozen=True)
class HintAcceptance:
    key: str
    shown: int
    accepted: int
    dismissed: int
    used: int

    @property
    def acceptance_rate(self) -> float:
        """Shown hints the agent accepted or used (their latest feedback)."""
        return (self.accepted + self.used) / self.shown if self.shown else 0.0


@dataclass(frozen=True)
class StageLatency:
    stage: str
    count: int
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class DailyCount:
    day: date
    key: str
    count: int


def _range(tenant_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    return {"tenant": tenant_id, "from": clickhouse_time(start), "to": clickhouse_time(end)}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_HINTS_SQL = """
SELECT {key} AS key, count() AS shown,
       countIf(last = 'accepted') AS accepted,
       countIf(last = 'dismissed') AS dismissed,
       countIf(last = 'used') AS used
FROM (
    SELECT h.moment_id AS moment_id, f.last AS last, f.agent AS agent
    FROM hints AS h FINAL
    LEFT JOIN (
        SELECT call_id, hint_id, argMax(feedback, at) AS last, argMax(agent, at) AS agent
        FROM hint_feedback FINAL
        WHERE tenant_id = {tenant:String}
        GROUP BY call_id, hint_id
    ) AS f ON h.call_id = f.call_id AND h.hint_id = f.hint_id
    WHERE h.tenant_id = {tenant:String}
      AND h.at >= {from:DateTime64(3, 'UTC')} AND h.at < {to:DateTime64(3, 'UTC')}
)
GROUP BY key
ORDER BY shown DESC, key
LIMIT %d
"""


async def hint_acceptance(
    store: AnalyticsStore, tenant_id: str, *, by: HintGrouping, start: datetime, end: datetime
) -> list[HintAcceptance]:
    """Hints shown in the range per policy moment, or per agent (the agent who gave the
    latest feedback; hints nobody answered are under the empty key)."""
    column = {"moment": "moment_id", "agent": "agent"}[by]
    sql = _HINTS_SQL.replace("{key}", column) % MAX_GROUPS
    rows = await store.query(sql, _range(tenant_id, start, end))
    return [
        HintAcceptance(
            key=str(r["key"]),
            shown=int(r["shown"]),
            accepted=int(r["accepted"]),
            dismissed=int(r["dismissed"]),
            used=int(r["used"]),
        )
        for r in rows
    ]


_LATENCY_SQL = """
SELECT stage, count() AS samples, quantiles(0.5, 0.9, 0.95, 0.99)(ms) AS q, max(ms) AS max_ms
FROM stage_latency FINAL
WHERE tenant_id = {tenant:String}
  AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
  AND ({stage:String} = '' OR stage = {stage:String})
GROUP BY stage
ORDER BY stage
"""


async def stage_latency(
    store: AnalyticsStore,
    tenant_id: str,
    *,
    start: datetime,
    end: datetime,
    stage: str | None = None,
) -> list[StageLatency]:
    params = _range(tenant_id, start, end) | {"stage": stage or ""}
    rows = await store.query(_LATENCY_SQL, params)
    return [
        StageLatency(
            stage=str(r["stage"]),
            count=int(r["samples"]),
            p50_ms=float(r["q"][0]),
            p90_ms=float(r["q"][1]),
            p95_ms=float(r["q"][2]),
            p99_ms=float(r["q"][3]),
            max_ms=float(r["max_ms"]),
        )
        for r in rows
    ]


_CALLS_SQL = """
SELECT toDate(started) AS day, status, count() AS calls
FROM (
    SELECT call_id, min(at) AS started, argMax(status, at) AS status
    FROM call_lifecycle FINAL
    WHERE tenant_id = {tenant:String}
    GROUP BY call_id
    HAVING started >= {from:DateTime64(3, 'UTC')} AND started < {to:DateTime64(3, 'UTC')}
)
GROUP BY day, status
ORDER BY day, status
"""


async def calls_per_status(
    store: AnalyticsStore, tenant_id: str, *, start: datetime, end: datetime
) -> list[DailyCount]:
    """Calls that started in the range, per UTC day of their start and latest status."""
    rows = await store.query(_CALLS_SQL, _range(tenant_id, start, end))
    return [DailyCount(_day(r["day"]), str(r["status"]), int(r["calls"])) for r in rows]


_REDACTION_SQL = """
SELECT toDate(at) AS day, verdict, count() AS verdicts
FROM redaction_verdicts FINAL
WHERE tenant_id = {tenant:String}
  AND at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
GROUP BY day, verdict
ORDER BY day, verdict
"""


async def redaction_verdicts(
    store: AnalyticsStore, tenant_id: str, *, start: datetime, end: datetime
) -> list[DailyCount]:
    """Calls reaching each redaction verdict per UTC day (a call counts once per verdict)."""
    rows = await store.query(_REDACTION_SQL, _range(tenant_id, start, end))
    return [DailyCount(_day(r["day"]), str(r["verdict"]), int(r["verdicts"])) for r in rows]
