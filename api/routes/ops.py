"""Ops: failed, stuck and active calls; retrying and cancelling them.

A tenant key sees and acts on its own calls only; the operator token
(CALLGUIDE_OPERATOR_TOKEN) sees every tenant's, and names the tenant to act on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status
from pydantic import BaseModel, Field

from api.deps import Caller, CallerDep, SettingsDep, StoresDep, TemporalDep
from api.schemas import error_responses
from callguide.ops import CallOps
from callguide.ops_status import OpsCall, OpsError, OpsOutcome, OpsStatus, Stage

router = APIRouter(prefix="/v1/ops", tags=["ops"])

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
TenantQuery = Annotated[
    str | None,
    Query(
        pattern=ID_PATTERN,
        description="The tenant to act on: the operator token needs it for retry and "
        "cancel, and may filter lists with it; a tenant key may only name itself",
    ),
]
CallIdPath = Annotated[str, Path(pattern=ID_PATTERN, description="The Connect ContactId")]


class OpsCallOut(BaseModel):
    tenant_id: str
    call_id: str
    status: OpsStatus
    stage: Stage = Field(description="What failed or hangs: the call, its audio, or redaction")
    workflow_id: str
    started_at: datetime | None
    reason: str | None

    @classmethod
    def of(cls, call: OpsCall) -> OpsCallOut:
        return cls(**call.__dict__)


class OpsCallList(BaseModel):
    status: OpsStatus
    calls: list[OpsCallOut]


class OpsOutcomeOut(BaseModel):
    call_id: str
    action: str = Field(
        description="audio_restarted | call_resumed | redaction_restarted | call_ending | "
        "redaction_cancelled"
    )
    workflow_id: str
    detail: str

    @classmethod
    def of(cls, outcome: OpsOutcome) -> OpsOutcomeOut:
        return cls(**outcome.__dict__)


def _scope(caller: Caller, tenant_id: str | None, *, required: bool) -> str | None:
    """The tenant the request acts on: a tenant's own, or the one the operator named."""
    if caller.tenant_id is not None:
        if tenant_id is not None and tenant_id != caller.tenant_id:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "query.tenant_id: not this key's tenant")
        return caller.tenant_id
    if required and tenant_id is None:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, "query.tenant_id: the operator token must name the tenant"
        )
    return tenant_id


def ops_service(client: TemporalDep, stores: StoresDep, settings: SettingsDep) -> CallOps:
    return CallOps(client=client, stores=stores, settings=settings)


OpsDep = Annotated[CallOps, Depends(ops_service)]


def _http(error: OpsError) -> HTTPException:
    return HTTPException(error.status, detail=error.message)


async def _act(
    action: Callable[[CallOps, str, str], Awaitable[OpsOutcome]],
    ops: CallOps,
    caller: Caller,
    tenant_id: str | None,
    call_id: str,
) -> OpsOutcomeOut:
    scope = _scope(caller, tenant_id, required=True)
    assert scope is not None
    try:
        return OpsOutcomeOut.of(await action(ops, scope, call_id))
    except OpsError as error:
        raise _http(error) from error


@router.get("/calls", response_model=OpsCallList, responses=error_responses(403))
async def list_calls(
    caller: CallerDep,
    ops: OpsDep,
    status_: Annotated[OpsStatus, Query(alias="status")] = OpsStatus.FAILED,
    tenant_id: TenantQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OpsCallList:
    """Failed calls (the call, its audio or its redaction), stuck ones (no audio for a
    while though the call is live, or a post-call redaction over its budget), or active."""
    scope = _scope(caller, tenant_id, required=False)
    try:
        found = await ops.find(status_, scope, limit)
    except OpsError as error:
        raise _http(error) from error
    return OpsCallList(status=status_, calls=[OpsCallOut.of(c) for c in found])


@router.post(
    "/calls/{call_id}/retry",
    response_model=OpsOutcomeOut,
    responses=error_responses(403, 404, 409),
)
async def retry_call(
    call_id: CallIdPath,
    caller: CallerDep,
    ops: OpsDep,
    tenant_id: TenantQuery = None,
) -> OpsOutcomeOut:
    """Restarts what failed: a stuck audio stream from its checkpoint, a failed call from
    where it stopped (while KVS keeps its audio), or its post-call redaction and
    verification. Nothing already stored is stored twice; 409 says why a call cannot be
    retried."""
    return await _act(CallOps.retry, ops, caller, tenant_id, call_id)


@router.post(
    "/calls/{call_id}/cancel",
    response_model=OpsOutcomeOut,
    responses=error_responses(403, 404, 409),
)
async def cancel_call(
    call_id: CallIdPath,
    caller: CallerDep,
    ops: OpsDep,
    tenant_id: TenantQuery = None,
) -> OpsOutcomeOut:
    """Ends a running call cleanly (what it has is stored), or cancels its running
    post-call redaction."""
    return await _act(CallOps.cancel, ops, caller, tenant_id, call_id)
