"""Dashboards across calls, from ClickHouse (analytics/): hint acceptance, per-stage
latency, calls per status per day, redaction verdicts per day.

Always the caller's tenant only: the tenant comes from the API key, never from the query.
Figures trail the calls by the ingester's flush interval (a few seconds).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from analytics import queries
from analytics.store import AnalyticsStore
from api.deps import TenantDep
from api.schemas import ErrorResponse, error_responses
from callguide.metrics import STAGES

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])

DEFAULT_RANGE = timedelta(days=7)
MAX_RANGE = timedelta(days=366)
_RESPONSES = error_responses() | {
    503: {"model": ErrorResponse, "description": "The analytics store is not available"}
}

Stage = Literal["asr_final", "signal", "persisted", "published", "hint_delivered"]
# The metric's stage names, spelt out so OpenAPI lists them.
assert set(get_args(Stage)) == set(STAGES)


def analytics_store(request: Request) -> AnalyticsStore:
    store: AnalyticsStore | None = getattr(request.app.state, "analytics", None)
    if store is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="the analytics store is not available"
        )
    return store


AnalyticsDep = Annotated[AnalyticsStore, Depends(analytics_store)]


def _bad(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", field), "msg": message, "type": "value"}])


# What ClickHouse's DateTime64 holds; a time outside it is a client's mistake, not a 500.
EARLIEST = datetime(1900, 1, 2, tzinfo=UTC)
LATEST = datetime(2299, 12, 30, tzinfo=UTC)


def _utc(value: datetime, field: str) -> datetime:
    try:
        at = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        at = EARLIEST if value.year < 2000 else LATEST + timedelta(days=1)
    if not EARLIEST <= at <= LATEST:
        raise _bad(field, "must be between 1900-01-02 and 2299-12-30")
    return at


class TimeRange(BaseModel):
    start: datetime = Field(serialization_alias="from")
    end: datetime = Field(serialization_alias="to")


# ISO 8601 dates or times, as the OpenAPI document says: no epoch numbers, no words.
ISO_TIME = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"


def _parse(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:  # the pattern passed, the calendar did not: 2026-02-30
        raise _bad(field, "not a valid ISO 8601 date or time") from None
    return _utc(parsed, field)


def time_range(
    start: Annotated[
        str | None,
        Query(
            alias="from",
            pattern=ISO_TIME,
            description="Start (inclusive), ISO 8601 (UTC when no offset), e.g. 2026-03-01",
        ),
    ] = None,
    end: Annotated[
        str | None,
        Query(
            alias="to",
            pattern=ISO_TIME,
            description="End (exclusive); defaults to now, and the range to 7 days",
        ),
    ] = None,
) -> TimeRange:
    """[from, to): at most 366 days; from must be before to."""
    end_at = _parse(end, "to") if end is not None else datetime.now(UTC)
    if start is not None:
        start_at = _parse(start, "from")
    else:
        start_at = max(end_at - DEFAULT_RANGE, EARLIEST)
    if start_at >= end_at:
        raise _bad("from", "must be before to")
    if end_at - start_at > MAX_RANGE:
        raise _bad("to", "the range may span at most 366 days")
    return TimeRange(start=start_at, end=end_at)


RangeDep = Annotated[TimeRange, Depends(time_range)]


class HintAcceptanceRow(BaseModel):
    key: str = Field(description="The moment id, or the agent ('' when nobody answered)")
    shown: int
    accepted: int
    dismissed: int
    used: int
    acceptance_rate: float = Field(description="(accepted + used) / shown, latest feedback")


class HintAcceptanceReport(BaseModel):
    by: Literal["moment", "agent"]
    range: TimeRange
    rows: list[HintAcceptanceRow]


class StageLatencyRow(BaseModel):
    stage: str
    count: int
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


class LatencyReport(BaseModel):
    range: TimeRange
    stages: list[StageLatencyRow]


class CallsPerStatusRow(BaseModel):
    day: date = Field(description="UTC day the calls started")
    status: str
    calls: int


class CallsReport(BaseModel):
    range: TimeRange
    days: list[CallsPerStatusRow]


class RedactionVerdictRow(BaseModel):
    day: date = Field(description="UTC day of the verdict")
    verdict: str
    calls: int


class RedactionReport(BaseModel):
    range: TimeRange
    days: list[RedactionVerdictRow]


@router.get("/hints", response_model=HintAcceptanceReport, responses=_RESPONSES)
async def hint_acceptance(
    tenant: TenantDep,
    store: AnalyticsDep,
    window: RangeDep,
    by: Annotated[Literal["moment", "agent"], Query(description="Group by")] = "moment",
) -> HintAcceptanceReport:
    """Hints shown in the range, and how agents answered them, per moment or per agent."""
    found = await queries.hint_acceptance(
        store, tenant.id, by=by, start=window.start, end=window.end
    )
    rows = [
        HintAcceptanceRow(
            key=r.key,
            shown=r.shown,
            accepted=r.accepted,
            dismissed=r.dismissed,
            used=r.used,
            acceptance_rate=round(r.acceptance_rate, 4),
        )
        for r in found
    ]
    return HintAcceptanceReport(by=by, range=window, rows=rows)


@router.get("/latency", response_model=LatencyReport, responses=_RESPONSES)
async def stage_latency(
    tenant: TenantDep,
    store: AnalyticsDep,
    window: RangeDep,
    stage: Annotated[Stage | None, Query(description="Only this stage")] = None,
) -> LatencyReport:
    """Latency percentiles (ms) of each stage of an utterance's way to the agent."""
    found = await queries.stage_latency(
        store, tenant.id, start=window.start, end=window.end, stage=stage
    )
    stages = [
        StageLatencyRow(
            stage=r.stage,
            count=r.count,
            p50_ms=r.p50_ms,
            p90_ms=r.p90_ms,
            p95_ms=r.p95_ms,
            p99_ms=r.p99_ms,
            max_ms=r.max_ms,
        )
        for r in found
    ]
    return LatencyReport(range=window, stages=stages)


@router.get("/calls", response_model=CallsReport, responses=_RESPONSES)
async def calls_per_status(tenant: TenantDep, store: AnalyticsDep, window: RangeDep) -> CallsReport:
    """Calls started in the range, per UTC day and latest status."""
    found = await queries.calls_per_status(store, tenant.id, start=window.start, end=window.end)
    days = [CallsPerStatusRow(day=r.day, status=r.key, calls=r.count) for r in found]
    return CallsReport(range=window, days=days)


@router.get("/redaction", response_model=RedactionReport, responses=_RESPONSES)
async def redaction_verdicts(
    tenant: TenantDep, store: AnalyticsDep, window: RangeDep
) -> RedactionReport:
    """Post-call redaction verdicts reached in the range, per UTC day."""
    found = await queries.redaction_verdicts(store, tenant.id, start=window.start, end=window.end)
    days = [RedactionVerdictRow(day=r.day, verdict=r.key, calls=r.count) for r in found]
    return RedactionReport(range=window, days=days)
