"""The agent-facing call resources: state, transcript, live events, listing and ending."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse

from api.calls_service import live_snapshot, request_end
from api.deps import StoresDep, TemporalDep, TenantDep
from api.schemas import CallList, CallView, EndRequested, Transcript, UtteranceView
from api.sse import call_event_stream
from callguide.model import CallStatus, Utterance, call_workflow_id
from storage.calls import CallRecord
from workflows.call_types import CallSnapshot

router = APIRouter(prefix="/v1/calls", tags=["calls"])


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
        live=True,
    )


def _not_found(call_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no call {call_id!r}")


def _is_finished(record: CallRecord | None) -> bool:
    return record is not None and record.status in (CallStatus.ENDED, CallStatus.FAILED)


@router.get("", response_model=CallList)
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


@router.get("/{call_id}", response_model=CallView)
async def get_call(
    call_id: str, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> CallView:
    """Live state from the workflow while the call runs; the stored record once it ended."""
    record = await stores.calls.get(tenant.id, call_id)
    if not _is_finished(record):
        snapshot = await live_snapshot(client, tenant.id, call_id)
        if snapshot is not None:
            return _from_snapshot(snapshot)
    if record is None:
        raise _not_found(call_id)
    return _from_record(record)


@router.get("/{call_id}/transcript", response_model=Transcript)
async def get_transcript(
    call_id: str, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> Transcript:
    """Utterances in audio order, including those not yet written to the database."""
    record = await stores.calls.get(tenant.id, call_id)
    stored = await stores.calls.transcript(tenant.id, call_id)
    snapshot = None if _is_finished(record) else await live_snapshot(client, tenant.id, call_id)
    if record is None and snapshot is None:
        raise _not_found(call_id)
    merged: dict[tuple[str, int, int], Utterance] = {u.span: u for u in stored}
    for u in snapshot.recent_utterances if snapshot else []:
        merged.setdefault(u.span, u)
    ordered = sorted(merged.values(), key=lambda u: (u.start_ms, u.speaker.value))
    status_now = snapshot.status if snapshot else record.status if record else "unknown"
    return Transcript(
        call_id=call_id, status=status_now, utterances=[UtteranceView.of(u) for u in ordered]
    )


@router.get(
    "/{call_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def call_events(
    call_id: str,
    request: Request,
    tenant: TenantDep,
    stores: StoresDep,
    client: TemporalDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """The call's live events (status, utterances, interim text) as Server-Sent Events.

    Each event's id is its position in the call's stream; reconnecting with
    `Last-Event-ID` resumes right after it. The stream closes after the call ends.
    """
    record = await stores.calls.get(tenant.id, call_id)
    if record is None and await live_snapshot(client, tenant.id, call_id) is None:
        raise _not_found(call_id)
    return StreamingResponse(
        call_event_stream(
            request,
            stores.streams,
            tenant.id,
            call_id,
            last_event_id or "0",
            call_finished=_is_finished(record),
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/{call_id}/end", response_model=EndRequested, status_code=status.HTTP_202_ACCEPTED)
async def end_call(
    call_id: str, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> EndRequested:
    ending = await request_end(client, tenant.id, call_id, reason="api")
    if not ending and await stores.calls.get(tenant.id, call_id) is None:
        raise _not_found(call_id)
    return EndRequested(call_id=call_id, ending=ending)
