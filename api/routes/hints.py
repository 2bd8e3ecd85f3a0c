"""Hints on a call: the list an agent panel shows, and the agent's feedback on each.

Feedback on a live call reaches its workflow as a signal (so live state and the event
stream show it at once) and is stored with the call's next batch; after the call it is
stored directly. Either way only hints of the caller's own calls can be named.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status
from temporalio.service import RPCError, RPCStatusCode

from analytics import events as analytics_events
from api.calls_service import call_handle, live_snapshot
from api.deps import StoresDep, TemporalDep, TenantDep
from api.routes.calls import CallId, is_finished, not_found
from api.schemas import (
    HintFeedbackAccepted,
    HintFeedbackRequest,
    HintList,
    HintView,
    error_responses,
)
from callguide.model import HintFeedback
from workflows.call import CallWorkflow

router = APIRouter(prefix="/v1/calls", tags=["hints"])

HintId = Annotated[
    str,
    Path(min_length=1, max_length=32, pattern=r"^h[0-9]{1,9}$", description="The hint's id"),
]


@router.get("/{call_id}/hints", response_model=HintList, responses=error_responses(404))
async def list_hints(
    call_id: CallId, tenant: TenantDep, stores: StoresDep, client: TemporalDep
) -> HintList:
    """Every hint of the call, oldest first, with the agent's latest feedback on each."""
    record = await stores.calls.get(tenant.id, call_id)
    stored = {
        s.hint.hint_id: HintView.of(s.hint, s.feedback)
        for s in await stores.hints.for_call(tenant.id, call_id)
    }
    snapshot = None if is_finished(record) else await live_snapshot(client, tenant.id, call_id)
    if record is None and snapshot is None:
        raise not_found(call_id)
    if snapshot is not None:
        for hint in snapshot.hints:
            stored[hint.hint_id] = HintView.of(hint, snapshot.hint_feedback.get(hint.hint_id))
    hints = sorted(stored.values(), key=lambda h: (h.created_at, int(h.hint_id[1:])))
    return HintList(call_id=call_id, hints=hints)


@router.post(
    "/{call_id}/hints/{hint_id}/feedback",
    response_model=HintFeedbackAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404),
)
async def hint_feedback(
    call_id: CallId,
    hint_id: HintId,
    body: HintFeedbackRequest,
    tenant: TenantDep,
    stores: StoresDep,
    client: TemporalDep,
) -> HintFeedbackAccepted:
    """The agent's feedback on a hint: accepted, dismissed or used."""
    feedback = HintFeedback(hint_id, body.feedback, datetime.now(UTC).isoformat(), body.agent)
    record = await stores.calls.get(tenant.id, call_id)
    snapshot = None if is_finished(record) else await live_snapshot(client, tenant.id, call_id)
    stored = await stores.hints.get(tenant.id, call_id, hint_id)
    if snapshot is not None:
        if stored is None and all(h.hint_id != hint_id for h in snapshot.hints):
            raise _no_hint(call_id, hint_id)
        try:
            await call_handle(client, tenant.id, call_id).signal(
                CallWorkflow.hint_feedback, feedback
            )
        except RPCError as err:
            if err.status != RPCStatusCode.NOT_FOUND:
                raise
            # The call closed meanwhile: its hints are stored, so the feedback is too.
        else:
            return HintFeedbackAccepted(
                call_id=call_id, hint_id=hint_id, feedback=body.feedback, live=True
            )
    if record is None and snapshot is None:
        raise not_found(call_id)
    recorded = await stores.hints.record_feedback(
        tenant_id=tenant.id, call_id=call_id, feedback=[feedback]
    )
    if recorded == 0 and stored is None:
        raise _no_hint(call_id, hint_id)
    if recorded:  # after the call: the call's own batches no longer carry feedback
        await stores.analytics_outbox.add(
            [
                analytics_events.hint_feedback(
                    tenant_id=tenant.id, call_id=call_id, feedback=feedback
                )
            ]
        )
    return HintFeedbackAccepted(
        call_id=call_id, hint_id=hint_id, feedback=body.feedback, live=False
    )


def _no_hint(call_id: str, hint_id: str) -> HTTPException:
    return HTTPException(
        status.HTTP_404_NOT_FOUND, detail=f"no hint {hint_id!r} on call {call_id!r}"
    )
