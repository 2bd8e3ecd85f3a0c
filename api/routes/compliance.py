"""Compliance audit: each call's redaction verdict, the spans beeped and the redacted audio."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import StoresDep, TenantDep
from api.routes.calls import CallId
from api.schemas import (
    CallRedactionList,
    CallRedactionSummary,
    CallRedactionView,
    Verdict,
    error_responses,
)

router = APIRouter(prefix="/v1/compliance", tags=["compliance"])


@router.get("/calls", response_model=CallRedactionList, responses=error_responses())
async def list_call_redactions(
    tenant: TenantDep,
    stores: StoresDep,
    redaction_status: Annotated[
        Verdict | None, Query(description="Only calls with this verdict")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CallRedactionList:
    """The tenant's calls with a redaction verdict, most recently updated first."""
    found = await stores.redactions.list(
        tenant.id, status=redaction_status.value if redaction_status else None, limit=limit
    )
    return CallRedactionList(calls=[CallRedactionSummary.of(r) for r in found])


@router.get(
    "/calls/{call_id}/redaction", response_model=CallRedactionView, responses=error_responses(404)
)
async def get_call_redaction(
    call_id: CallId, tenant: TenantDep, stores: StoresDep
) -> CallRedactionView:
    """The call's verdict with its reasons, the spans beeped and where the redacted audio is."""
    found = await stores.redactions.get(tenant.id, call_id)
    if found is None:
        # The same answer for another tenant's call as for a call that never was.
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail=f"no redaction verdict for call {call_id!r}"
        )
    return CallRedactionView.of(found)
