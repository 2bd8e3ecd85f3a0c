"""The agent-facing call resources: state, transcript, live events, listing and ending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, status
from fastapi.sse import EventSourceResponse, ServerSentEvent

from api.calls_service import live_snapshot, request_end
from api.connect_models import CONTACT_ID_MAX, CONTACT_ID_PATTERN
from api.deps import StoresDep, TemporalDep, TenantDep
from api.schemas import (
    CallList,
    CallSummaryView,
    CallView,
    ContactRecordView,
    EndRequested,
    HintView,
    Transcript,
    UtteranceView,
    error_responses,
)
from api.sse import NoMoreEvents, is_over_for, resume_position, server_sent_events
from callguide.model import CallStatus, Utterance, call_workflow_id
from callguide.resources import Stores
from storage.calls import CallRecord
from storage.redis_streams import SubscriberLimitReached, Subscription
from workflows.call_types import CallSnapshot

router = APIRouter(prefix="/v1/calls", tags=["calls"])

# A call id is its Connect ContactId: the same constraint keeps a NUL or a megabyte-long
# id from ever reaching Temporal or PostgreSQL (both answered 500 for them).
CallId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=CONTACT_ID_MAX,
        pattern=CONTACT_ID_PATTERN,
        description="The call's Connect ContactId",
    ),
]


def _from_record(record: CallRecord) -> CallView:
    return CallView(
        call_id=record.call_id,
        contact_id=record.contact_id,
        workflow_id=record.workflow_id,
        status=record.status,
        started_at=record.started_at,
        ended_at=record.ended_at,
        end_reason=record.end_reason,
        failure_reason=record.failure_reason,
        utterance_count=record.utterance_count,
        live=False,
    )


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _from_snapshot(snapshot: CallSnapshot) -> CallView:
    return CallView(
        call_id=snapshot.call_id,
        contact_id=snapshot.contact_id,
        workflow_id=call_workflow_id(snapshot.tenant_id, snapshot.call_id),
        status=snapshot.status,
        started_at=datetime.fromisoformat(snapshot.started_at),
        ended_at=_timestamp(snapshot.ended_at),
        end_reason=snapshot.end_reason,
        failure_reason=snapshot.failure_reason,
        utterance_count=snapshot.utterance_count,
        counts=snapshot.counts,
        last_utterance_at=_timestamp(snapshot.last_utterance_at),
        recent_utterances=[UtteranceView.of(u) for u in snapshot.recent_utterances],
        hints=[HintView.of(h, snapshot.hint_feedback.get(h.hint_id)) for h in snapshot.hints],
        live=True,
    )


async def contact_record_view(
    stores: Stores, tenant_id: str, contact_id: str
) -> ContactRecordView | None:
    stored = await stores.contact_records.for_contact(tenant_id, contact_id)
    return ContactRecordView.of(stored) if stored else None


def not_found(call_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no call {call_id!r}")


def is_finished(record: CallRecord | None) -> bool:
    return record is not None and record.status in (CallStatus.ENDED, CallStatus.FAILED)


@router.get("", response_model=CallList, responses=error_responses())
async def list_calls(
    tenant: TenantDep,
    stores: StoresDep,
    status_filter: Annotated[CallStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CallList:
    records = await stores.calls.find(
        tenant.id, status=status_filter.value if status_filter else None, limit=limit
    )
    return CallList(calls=[_from_record(r) for r in records])


@router.get("/{call_id}", response_model=CallView, responses=error_responses(404))
async def get_call(
    call_id: CallId, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> CallView:
    """Live state from the workflow while the call runs; the stored record once it ended."""
    record = await stores.calls.get(tenant.id, call_id)
    if not is_finished(record):
        snapshot = await live_snapshot(client, tenant.id, call_id)
        if snapshot is not None:
            live_view = _from_snapshot(snapshot)
            live_view.contact_record = await contact_record_view(
                stores, tenant.id, live_view.contact_id
            )
            return live_view
    if record is None:
        raise not_found(call_id)
    view = _from_record(record)
    view.contact_record = await contact_record_view(stores, tenant.id, record.contact_id)
    view.hints = [
        HintView.of(s.hint, s.feedback) for s in await stores.hints.for_call(tenant.id, call_id)
    ]
    summary = await stores.hints.summary(tenant.id, call_id)
    if summary is not None:
        view.summary = CallSummaryView(**vars(summary))
    return view


@router.get("/{call_id}/transcript", response_model=Transcript, responses=error_responses(404))
async def get_transcript(
    call_id: CallId, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> Transcript:
    """Utterances in audio order, including those not yet written to the database."""
    record = await stores.calls.get(tenant.id, call_id)
    stored = await stores.calls.transcript(tenant.id, call_id)
    snapshot = None if is_finished(record) else await live_snapshot(client, tenant.id, call_id)
    if record is None and snapshot is None:
        raise not_found(call_id)
    merged: dict[tuple[str, int, int], Utterance] = {u.span: u for u in stored}
    for u in snapshot.recent_utterances if snapshot else []:
        merged.setdefault(u.span, u)
    ordered = sorted(merged.values(), key=lambda u: (u.start_ms, u.speaker.value))
    status_now = snapshot.status if snapshot else record.status if record else "unknown"
    return Transcript(
        call_id=call_id, status=status_now, utterances=[UtteranceView.of(u) for u in ordered]
    )


async def event_subscription(
    call_id: CallId,
    tenant: TenantDep,
    stores: StoresDep,
    client: TemporalDep,
    last_event_id: Annotated[
        str | None,
        Header(description="The id of the last event received; the stream resumes after it."),
    ] = None,
) -> AsyncIterator[Subscription]:
    """A place among the call's live viewers, from the resume point on; answered early
    with 400, 404, 204 or 429 before any event is streamed."""
    position = resume_position(last_event_id)
    record = await stores.calls.get(tenant.id, call_id)
    if record is None and await live_snapshot(client, tenant.id, call_id) is None:
        raise not_found(call_id)
    finished = is_finished(record)
    if await is_over_for(stores.streams, tenant.id, call_id, position, recorded_finished=finished):
        raise NoMoreEvents()
    try:
        subscription = stores.events.subscribe(tenant.id, call_id, position)
    except SubscriberLimitReached as exc:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, detail=str(exc), headers={"Retry-After": "5"}
        ) from exc
    try:
        yield subscription
    finally:
        stores.events.unsubscribe(subscription)


@router.get(
    "/{call_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {"description": "Events named status, utterance or interim; data is the event JSON"},
        204: {"description": "The call has ended and every event after Last-Event-ID was sent"},
        400: {"description": "Last-Event-ID is not an event id of this stream"},
        404: {"description": "No such call for this tenant"},
        429: {"description": "Too many live viewers of this call or tenant"},
    },
)
async def call_events(
    subscription: Annotated[Subscription, Depends(event_subscription)],
) -> AsyncIterator[ServerSentEvent]:
    """The call's live events (status, utterances, interim text) as Server-Sent Events.

    Each event's id is its place in the call's streams, "<durable-id>/<interim-id>";
    reconnecting with `Last-Event-ID` resumes right after it, with no durable event
    repeated or skipped (interims older than the resume point may be). The stream closes
    after the final status; reconnecting after that is answered 204, which stops
    EventSource from reconnecting.
    """
    async for event in server_sent_events(subscription):
        yield event


@router.post(
    "/{call_id}/end",
    response_model=EndRequested,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404),
)
async def end_call(
    call_id: CallId, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> EndRequested:
    ending = await request_end(client, tenant.id, call_id, reason="api")
    if not ending and await stores.calls.get(tenant.id, call_id) is None:
        raise not_found(call_id)
    return EndRequested(call_id=call_id, ending=ending)
