"""Call operations shared by the Connect and agent routes; no HTTP here."""

from __future__ import annotations

import dataclasses

from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from callguide import search_attributes as sa
from callguide.model import CallStatus, MediaStream, call_workflow_id
from callguide.settings import Settings
from workflows.call import CallWorkflow
from workflows.call_types import CallInput, CallOptions, CallSnapshot, EndCallRequest


def call_options(settings: Settings) -> CallOptions:
    return CallOptions(
        utterance_batch_size=settings.utterance_batch_size,
        continue_as_new_after_utterances=settings.continue_as_new_after_utterances,
        redis_ttl_after_end_s=settings.redis_stream_ttl_after_end_s,
        stream_audio=settings.stream_audio,
        audio_task_queue=settings.task_queue("audio"),
        redaction_task_queue=settings.task_queue("redaction"),
        guidance=settings.guidance_enabled,
        guidance_task_queue=settings.task_queue("ml"),
        max_call_duration_s=settings.max_call_duration_s,
        idle_limit_s=settings.call_idle_limit_s,
    )


async def start_call(
    client: Client,
    settings: Settings,
    *,
    tenant_id: str,
    contact_id: str,
    media: MediaStream | None,
    instance_arn: str,
    region: str = "us-east-1",
) -> tuple[str, bool]:
    """Starts the call's workflow once; returns (workflow id, whether this call created it)."""
    workflow_id = call_workflow_id(tenant_id, contact_id)
    call = CallInput(
        tenant_id=tenant_id,
        call_id=contact_id,
        contact_id=contact_id,
        media=media,
        instance_arn=instance_arn,
        options=dataclasses.replace(call_options(settings), region=region),
    )
    try:
        await client.start_workflow(
            CallWorkflow.run,
            call,
            id=workflow_id,
            task_queue=settings.task_queue("calls"),
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.TENANT_ID, tenant_id),
                    SearchAttributePair(sa.CONTACT_ID, contact_id),
                    SearchAttributePair(sa.CALL_STATUS, CallStatus.ACTIVE.value),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        return workflow_id, False
    return workflow_id, True


def call_handle(client: Client, tenant_id: str, call_id: str) -> WorkflowHandle:
    return client.get_workflow_handle(call_workflow_id(tenant_id, call_id))


def _is_not_found(err: RPCError) -> bool:
    return err.status == RPCStatusCode.NOT_FOUND


async def live_snapshot(client: Client, tenant_id: str, call_id: str) -> CallSnapshot | None:
    """The running workflow's state, or None when there is no such workflow or it is closed."""
    handle = call_handle(client, tenant_id, call_id)
    try:
        description = await handle.describe()
        if description.close_time is not None:
            return None
        return await handle.query(CallWorkflow.snapshot)
    except RPCError as err:
        if _is_not_found(err):
            return None
        raise


async def request_end(client: Client, tenant_id: str, call_id: str, reason: str) -> bool:
    """Signals the call to end; False when no such call is running."""
    try:
        await call_handle(client, tenant_id, call_id).signal(
            CallWorkflow.end_call, EndCallRequest(reason=reason)
        )
    except RPCError as err:
        if _is_not_found(err):
            return False
        raise
    return True
