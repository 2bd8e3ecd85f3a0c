"""Endpoints Amazon Connect calls: the contact-flow Lambda event and contact events."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from api.calls_service import request_end, start_call
from api.connect_models import ConnectChannel, ContactEvent, ContactFlowEvent, arn_region
from api.deps import SettingsDep, StoresDep, TemporalDep, TenantDep
from api.schemas import CallStarted, ContactEventAccepted, error_responses
from api.tenancy import TenancyError, check_instance, seal_contact_event, seal_contact_flow
from callguide.metrics import ADMISSION_REFUSALS
from callguide.model import MediaStream
from callguide.ops import CallOps
from callguide.resources import Stores
from ctr.records import ContactRecord, InvalidContactRecord, parse_contact_record
from storage.admissions import Admission
from storage.tenants import Tenant

router = APIRouter(prefix="/v1/connect", tags=["connect"])
log = logging.getLogger(__name__)
# A refused Lambda may try again soon: calls end every few minutes in a busy center.
ADMISSION_RETRY_AFTER_S = 30
# A Kinesis trigger hands a Lambda at most 10,000 records; the feeder's batch size is far
# smaller, and each CTR is a few KB within the body limit.
MAX_CONTACT_RECORDS = 500


async def _admit(stores: Stores, tenant: Tenant, call_id: str, ops: CallOps) -> Admission:
    """Takes a place under the tenant's concurrent-call cap, or refuses with 429. At the
    cap, places held by calls that are no longer running are freed first."""
    decision = await stores.admissions.admit(tenant.id, call_id, record_refusal=False)
    if decision.outcome is Admission.REFUSED:
        await ops.reconcile_admissions(tenant.id)
        decision = await stores.admissions.admit(tenant.id, call_id)  # records a refusal
    if decision.outcome is Admission.REFUSED:
        ADMISSION_REFUSALS.labels(tenant_id=tenant.id).inc()
        # An alert rule fires on this line or on the counter; ids and counts only.
        log.warning(
            "admission refused: tenant %s is at its limit of %s concurrent calls",
            tenant.id,
            decision.limit,
            extra={"tenant_id": tenant.id, "in_use": decision.in_use, "limit": decision.limit},
        )
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"tenant is at its limit of {decision.limit} concurrent calls "
            f"({decision.in_use} running); this call was not started. An operator raises the "
            "limit with `callguide tenants update <tenant> --max-concurrent-calls N`",
            headers={"Retry-After": str(ADMISSION_RETRY_AFTER_S)},
        )
    return decision.outcome


def _media(event: ContactFlowEvent) -> MediaStream:
    audio = event.Details.ContactData.MediaStreams.Customer.Audio
    return MediaStream(
        stream_arn=audio.StreamARN,
        start_fragment_number=audio.StartFragmentNumber,
        start_timestamp_ms=int(audio.StartTimestamp) if audio.StartTimestamp else None,
        stop_fragment_number=audio.StopFragmentNumber,
    )


@router.post("/contact-flow", response_model=CallStarted, responses=error_responses(403, 413, 429))
async def contact_flow_event(
    event: ContactFlowEvent,
    tenant: TenantDep,
    client: TemporalDep,
    settings: SettingsDep,
    stores: StoresDep,
) -> CallStarted:
    """Starts the call's workflow; delivering the same event again starts nothing. A
    tenant at its concurrent-call limit gets 429 and the call is not started."""
    seal_contact_flow(tenant, event)
    contact = event.Details.ContactData
    if contact.Channel is not ConnectChannel.VOICE:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail="Details.ContactData.Channel: callguide handles VOICE contacts only, "
            f"got {contact.Channel.value!r}",
        )
    region = arn_region(contact.InstanceARN)
    if region is not None and region != tenant.region:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=f"Details.ContactData.InstanceARN: instance is in {region}, "
            f"but this tenant's data stays in {tenant.region}",
        )
    ops = CallOps(client=client, stores=stores, settings=settings)
    admission = await _admit(stores, tenant, contact.ContactId, ops)
    try:
        workflow_id, created = await start_call(
            client,
            settings,
            tenant_id=tenant.id,
            contact_id=contact.ContactId,
            media=_media(event),
            instance_arn=contact.InstanceARN,
            region=region or tenant.region,
        )
    except BaseException:
        if admission is Admission.ADMITTED:  # nothing started: give the place back
            await stores.admissions.release(tenant.id, [contact.ContactId])
        raise
    return CallStarted(call_id=contact.ContactId, workflow_id=workflow_id, created=created)


@router.post(
    "/events",
    response_model=ContactEventAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(403, 413),
)
async def contact_event(
    event: ContactEvent, tenant: TenantDep, client: TemporalDep, stores: StoresDep
) -> ContactEventAccepted:
    """Records a contact event; DISCONNECTED ends the call."""
    seal_contact_event(tenant, event)
    detail = event.detail
    await stores.calls.record_contact_event(
        tenant_id=tenant.id,
        call_id=detail.contactId,
        event_type=detail.eventType,
        event_time=event.time,
        detail=event.stored_detail(),
    )
    ending = False
    if detail.eventType == "DISCONNECTED":
        ending = await request_end(client, tenant.id, detail.contactId, reason="disconnected")
    return ContactEventAccepted(
        call_id=detail.contactId, event_type=detail.eventType, recorded=True, ending_call=ending
    )


class ContactRecordBatch(BaseModel):
    """Contact records as Connect writes them to its CTR stream (the CTR feeder Lambda
    sends each Kinesis batch's records here)."""

    records: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_CONTACT_RECORDS)


class RefusedRecord(BaseModel):
    index: int
    reason: str = Field(description="What is wrong with it; never a value from the record")


class ContactRecordsStored(BaseModel):
    stored: int = Field(description="New contacts, or newer versions of stored ones")
    stale: int = Field(description="Versions no newer than the one stored (re-deliveries)")
    refused: list[RefusedRecord] = Field(
        description="Records that are not contact records, or not of this tenant's "
        "instances: sending them again cannot succeed"
    )


@router.post(
    "/contact-records", response_model=ContactRecordsStored, responses=error_responses(413)
)
async def contact_records(
    batch: ContactRecordBatch, tenant: TenantDep, stores: StoresDep
) -> ContactRecordsStored:
    """Stores contact records (CTRs): only their non-PII fields, the newest
    LastUpdateTimestamp per contact. For deployments that feed CTRs through the Lambda
    instead of running `callguide ctr-consumer`."""
    records: list[ContactRecord] = []
    refused: list[RefusedRecord] = []
    for index, document in enumerate(batch.records):
        try:
            record = parse_contact_record(json.dumps(document).encode())
            check_instance(tenant, record.instance_arn, "records.InstanceARN")
        except InvalidContactRecord as exc:
            refused.append(RefusedRecord(index=index, reason=str(exc)))
            continue
        except TenancyError as exc:
            refused.append(RefusedRecord(index=index, reason=exc.message))
            continue
        records.append(record)
    outcome = await stores.contact_records.store_for_tenant(tenant.id, records)
    if refused:  # ids and reasons only: the records hold the caller's phone number
        log.warning(
            "contact records refused: %d of %d",
            len(refused),
            len(batch.records),
            extra={"tenant_id": tenant.id},
        )
    return ContactRecordsStored(stored=outcome.stored, stale=outcome.stale, refused=refused)
