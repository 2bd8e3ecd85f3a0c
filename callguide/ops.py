"""Ops over calls: find failed and stuck ones, retry what failed, cancel what hangs.

Shared by the API (`/v1/ops/...`) and the CLI (`callguide ops ...`); no HTTP here. What a
call is doing comes from Temporal (visibility, describe, history) and our stores; nothing
is duplicated by a retry: a resumed call carries the failed run's watermarks and event
sequence, so audio it already transcribed is skipped and events it already published are
not appended again, and a restarted redaction replaces the failed one.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowHandle,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from callguide import search_attributes as sa
from callguide.model import AudioCheckpoint, CallStatus, call_workflow_id
from callguide.ops_status import (
    OpsCall,
    OpsError,
    OpsOutcome,
    OpsStatus,
    Stage,
    StuckRules,
    audio_stall,
    check_id,
    stream_activity,
)
from callguide.resources import Stores
from callguide.settings import Settings
from workflows.call import CallWorkflow
from workflows.call_types import CallCarry, CallInput, CallResult, EndCallRequest
from workflows.redaction import AudioRedactionWorkflow
from workflows.redaction_types import AudioRedactionInput, redaction_workflow_id

T = TypeVar("T")
# Visibility lists a started workflow within moments; a place held longer than this whose
# call is not running belongs to a call that is gone.
ADMISSION_VISIBILITY_LAG = timedelta(seconds=60)
_CLOSED_BADLY = (
    WorkflowExecutionStatus.FAILED,
    WorkflowExecutionStatus.TERMINATED,
    WorkflowExecutionStatus.TIMED_OUT,
    WorkflowExecutionStatus.CANCELED,
)
_CLOSED_BADLY_QUERY = (
    "(ExecutionStatus = 'Failed' OR ExecutionStatus = 'Terminated'"
    " OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Canceled')"
)


def _now() -> datetime:
    return datetime.now(UTC)


def _call_id_of(workflow_id: str, prefix: str, tenant_id: str) -> str:
    return workflow_id.removeprefix(f"{prefix}-{tenant_id}-")


class CallOps:
    def __init__(
        self, *, client: Client, stores: Stores, settings: Settings, rules: StuckRules | None = None
    ) -> None:
        self._client = client
        self._stores = stores
        self._settings = settings
        self._rules = rules or StuckRules(
            audio_silent_for=timedelta(seconds=settings.ops_audio_stuck_after_s),
            post_call_budget=timedelta(seconds=settings.ops_post_call_budget_s),
            kvs_retention=timedelta(hours=settings.kvs_retention_hours),
        )

    # --- finding calls ----------------------------------------------------------------------

    async def find(self, status: OpsStatus, tenant_id: str | None, limit: int) -> list[OpsCall]:
        if status is OpsStatus.ACTIVE:
            return await self._active(tenant_id, limit)
        if status is OpsStatus.STUCK:
            return await self._stuck(tenant_id, limit)
        return await self._failed(tenant_id, limit)

    def _query(self, workflow_type: str, condition: str, tenant_id: str | None) -> str:
        query = f"WorkflowType = '{workflow_type}' AND {condition}"
        if tenant_id is not None:
            query += f" AND TenantId = '{check_id(tenant_id, 'tenant_id')}'"
        return query

    async def _listed(
        self, workflow_type: str, condition: str, tenant_id: str | None, limit: int
    ) -> list[tuple[str, str, datetime]]:
        """(tenant id, workflow id, start time) of the newest run of each matching workflow."""
        seen: dict[str, tuple[str, str, datetime]] = {}
        query = self._query(workflow_type, condition, tenant_id)
        async for execution in self._client.list_workflows(query, limit=limit * 4):
            owner = execution.typed_search_attributes.get(sa.TENANT_ID)
            if owner is None or execution.id in seen:
                continue
            seen[execution.id] = (owner, execution.id, execution.start_time)
            if len(seen) >= limit:
                break
        return list(seen.values())

    async def _active(self, tenant_id: str | None, limit: int) -> list[OpsCall]:
        listed = await self._listed("CallWorkflow", "ExecutionStatus = 'Running'", tenant_id, limit)
        return [
            OpsCall(owner, _call_id_of(wid, "call", owner), OpsStatus.ACTIVE, Stage.CALL, wid, at)
            for owner, wid, at in listed
        ]

    async def _stuck(self, tenant_id: str | None, limit: int) -> list[OpsCall]:
        now = _now()
        found: list[OpsCall] = []
        for call in await self._active(tenant_id, limit):
            description = await self._describe(call.workflow_id)
            if description is None or description.close_time is not None:
                continue
            reason = audio_stall(description, now, self._rules.audio_silent_for)
            if reason is not None:
                found.append(
                    dataclasses.replace(
                        call, status=OpsStatus.STUCK, stage=Stage.AUDIO, reason=reason
                    )
                )
        running = await self._listed(
            "AudioRedactionWorkflow", "ExecutionStatus = 'Running'", tenant_id, limit
        )
        for owner, wid, started in running:
            overdue = now - started
            if overdue >= self._rules.post_call_budget:
                reason = (
                    f"post-call redaction running for {int(overdue.total_seconds())} s, "
                    f"over its budget of {int(self._rules.post_call_budget.total_seconds())} s"
                )
                call_id = _call_id_of(wid, "redact", owner)
                found.append(
                    OpsCall(owner, call_id, OpsStatus.STUCK, Stage.REDACTION, wid, started, reason)
                )
        return found[:limit]

    async def _failed(self, tenant_id: str | None, limit: int) -> list[OpsCall]:
        found: list[OpsCall] = []
        for owner, wid, started in await self._listed(
            "CallWorkflow", _CLOSED_BADLY_QUERY, tenant_id, limit
        ):
            description = await self._describe(wid)
            if description is None or description.status not in _CLOSED_BADLY:
                continue  # retried since: its newest run is not the failed one
            call_id = _call_id_of(wid, "call", owner)
            record = await self._stores.calls.get(owner, call_id)
            reason = record.failure_reason if record and record.failure_reason else None
            stage = Stage.AUDIO if reason and reason.startswith("audio") else Stage.CALL
            reason = reason or f"call workflow {description.status.name.lower()}"
            found.append(OpsCall(owner, call_id, OpsStatus.FAILED, stage, wid, started, reason))
        condition = f"(RedactionStatus = 'failed' OR {_CLOSED_BADLY_QUERY})"
        for owner, wid, started in await self._listed(
            "AudioRedactionWorkflow", condition, tenant_id, limit
        ):
            call_id = _call_id_of(wid, "redact", owner)
            if not await self._redaction_failed(owner, call_id):
                continue
            stored = await self._stores.redactions.get(owner, call_id)
            reason = "; ".join(stored.reasons) if stored and stored.reasons else "redaction failed"
            found.append(
                OpsCall(owner, call_id, OpsStatus.FAILED, Stage.REDACTION, wid, started, reason)
            )
        return found[:limit]

    async def reconcile_admissions(self, tenant_id: str) -> int:
        """Frees the admission places of calls no longer running in Temporal (terminated
        from outside, their rows never say they finished); returns how many were freed.

        Only places held longer than visibility can lag are judged, so a call that has
        just started is never mistaken for a gone one.
        """
        held = await self._stores.admissions.held(
            tenant_id, ADMISSION_VISIBILITY_LAG.total_seconds()
        )
        if not held:
            return 0
        running = {
            call.call_id for call in await self._active(tenant_id, limit=max(len(held), 1) * 2)
        }
        gone = []
        for call_id in held:
            if call_id in running:
                continue
            description = await self._describe(call_workflow_id(tenant_id, call_id))
            if description is None or description.close_time is not None:
                gone.append(call_id)
        return await self._stores.admissions.release(tenant_id, gone) if gone else 0

    # --- retry -----------------------------------------------------------------------------

    async def retry(self, tenant_id: str, call_id: str) -> OpsOutcome:
        """Restarts what failed or hangs: the live audio stream, the call, or its redaction."""
        check_id(call_id, "call_id")
        wid = call_workflow_id(tenant_id, call_id)
        description = await self._describe(wid)
        if description is None:
            raise OpsError(404, "no such call for this tenant")
        if description.close_time is None:
            return await self._restart_audio(call_id, wid, description)
        if description.status in _CLOSED_BADLY:
            return await self._resume_call(tenant_id, call_id, description)
        return await self._retry_redaction(tenant_id, call_id)

    async def _restart_audio(
        self, call_id: str, wid: str, description: WorkflowExecutionDescription
    ) -> OpsOutcome:
        reason = audio_stall(description, _now(), self._rules.audio_silent_for)
        pending = stream_activity(description)
        if reason is None or pending is None:
            raise OpsError(409, "the call is running and its audio is flowing: nothing to retry")
        from temporalio.api.common.v1 import WorkflowExecution
        from temporalio.api.workflowservice.v1 import ResetActivityRequest

        # A new attempt at once, from the checkpoint its last heartbeat carried.
        await self._client.workflow_service.reset_activity(
            ResetActivityRequest(
                namespace=self._client.namespace,
                execution=WorkflowExecution(workflow_id=wid),
                id=pending.activity_id,
                identity="callguide-ops",
            )
        )
        return OpsOutcome(
            call_id,
            "audio_restarted",
            wid,
            f"audio stream restarted from its checkpoint ({reason})",
        )

    async def _resume_call(
        self, tenant_id: str, call_id: str, description: WorkflowExecutionDescription
    ) -> OpsOutcome:
        wid = description.id
        started = description.start_time or _now()
        first_started = await self._first_started(tenant_id, call_id) or started
        if _now() - first_started > self._rules.kvs_retention:
            hours = self._rules.kvs_retention.total_seconds() / 3600
            raise OpsError(
                409,
                f"the call started {first_started.isoformat()}: its audio is past KVS's "
                f"{hours:g} h retention, so its stream cannot be read again",
            )
        call_input, result = await self._failed_run(self._client.get_workflow_handle(wid))
        if call_input.media is None or not call_input.options.stream_audio:
            raise OpsError(409, "the call has no audio stream to resume")
        resume = (
            result.resume
            if result and result.resume
            else await self._resume_from_stores(tenant_id, call_id, first_started)
        )
        last_seq = await self._stores.streams.last_seq(tenant_id, call_id)
        events = await self._stores.calls.contact_events(tenant_id, call_id)
        hung_up = any(event["event_type"] == "DISCONNECTED" for event in events)
        checkpoint = resume.audio_checkpoint or AudioCheckpoint()
        if not checkpoint.delivered_ms:
            checkpoint = dataclasses.replace(checkpoint, delivered_ms=dict(resume.watermarks_ms))
        carry = dataclasses.replace(
            resume,
            end_reason=None,
            failure_reason=None,
            started_recorded=False,  # the row says failed: recording the start reopens it
            audio_checkpoint=checkpoint,
            # Past what the failed run and the redaction it started have published.
            next_event_seq=max(resume.next_event_seq, last_seq + 1),
            retried_by_ops=True,
            contact_ended_before_retry=hung_up,
        )
        await self._client.start_workflow(
            CallWorkflow.run,
            dataclasses.replace(call_input, carry=carry),
            id=wid,
            task_queue=description.task_queue,
            # Ops may restart a failed call; a re-delivered contact-flow event (which starts
            # with REJECT_DUPLICATE) still starts nothing.
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.TENANT_ID, tenant_id),
                    SearchAttributePair(sa.CONTACT_ID, call_input.contact_id),
                    SearchAttributePair(sa.CALL_STATUS, CallStatus.ACTIVE.value),
                ]
            ),
        )
        return OpsOutcome(
            call_id,
            "call_resumed",
            wid,
            f"call resumed after {sum(resume.counts.values())} stored utterances",
        )

    async def _retry_redaction(self, tenant_id: str, call_id: str) -> OpsOutcome:
        wid = redaction_workflow_id(tenant_id, call_id)
        description = await self._describe(wid)
        if description is None:
            raise OpsError(409, "the call ended and no post-call redaction was started for it")
        handle = self._client.get_workflow_handle(wid)
        if description.close_time is None:
            running_for = _now() - (description.start_time or _now())
            if running_for < self._rules.post_call_budget:
                raise OpsError(
                    409,
                    f"post-call redaction is running ({int(running_for.total_seconds())} s, "
                    "within its budget): nothing to retry yet",
                )
            await handle.terminate(reason="ops retry: over its post-call budget")
        elif not await self._redaction_failed(tenant_id, call_id):
            raise OpsError(409, "the call ended and its redaction did not fail: nothing to retry")
        request = await self._started_input(handle, AudioRedactionInput)
        last_seq = await self._stores.streams.last_seq(tenant_id, call_id)
        previous = request.event_seq or 0
        # The failed run published up to event_seq + 2: the new verdicts come after them.
        request = dataclasses.replace(request, event_seq=max(previous + 3, last_seq + 1))
        await self._client.start_workflow(
            AudioRedactionWorkflow.run,
            request,
            id=wid,
            task_queue=description.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.TENANT_ID, tenant_id),
                    SearchAttributePair(sa.CONTACT_ID, request.contact_id),
                    SearchAttributePair(sa.REDACTION_STATUS, "pending"),
                ]
            ),
            memo={"call_id": call_id, "audio_ms": request.audio_ms},
        )
        return OpsOutcome(
            call_id, "redaction_restarted", wid, "post-call redaction and verification restarted"
        )

    # --- cancel ----------------------------------------------------------------------------

    async def cancel(self, tenant_id: str, call_id: str) -> OpsOutcome:
        """Ends a running call cleanly (its transcript stored), else cancels its redaction."""
        check_id(call_id, "call_id")
        wid = call_workflow_id(tenant_id, call_id)
        description = await self._describe(wid)
        if description is None:
            raise OpsError(404, "no such call for this tenant")
        if description.close_time is None:
            await self._client.get_workflow_handle(wid).signal(
                CallWorkflow.end_call, EndCallRequest(reason="cancelled_by_ops")
            )
            return OpsOutcome(
                call_id, "call_ending", wid, "the call is ending; what it has is kept"
            )
        redaction_id = redaction_workflow_id(tenant_id, call_id)
        redaction = await self._describe(redaction_id)
        if redaction is not None and redaction.close_time is None:
            await self._client.get_workflow_handle(redaction_id).cancel()
            return OpsOutcome(
                call_id, "redaction_cancelled", redaction_id, "post-call redaction cancelled"
            )
        raise OpsError(409, "nothing is running for this call")

    # --- helpers ---------------------------------------------------------------------------

    async def _describe(self, workflow_id: str) -> WorkflowExecutionDescription | None:
        try:
            return await self._client.get_workflow_handle(workflow_id).describe()
        except RPCError as err:
            if err.status == RPCStatusCode.NOT_FOUND:
                return None
            raise

    async def _redaction_failed(self, tenant_id: str, call_id: str) -> bool:
        description = await self._describe(redaction_workflow_id(tenant_id, call_id))
        if description is None or description.close_time is None:
            return False
        if description.status in _CLOSED_BADLY:
            return True
        status = description.typed_search_attributes.get(sa.REDACTION_STATUS)
        return status == "failed"

    async def _first_started(self, tenant_id: str, call_id: str) -> datetime | None:
        record = await self._stores.calls.get(tenant_id, call_id)
        return record.started_at if record else None

    async def _started_input(self, handle: WorkflowHandle[Any, Any], kind: type[T]) -> T:
        history = await handle.fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        [decoded] = await self._client.data_converter.decode(started.input.payloads, [kind])
        return decoded  # type: ignore[no-any-return]

    async def _failed_run(
        self, handle: WorkflowHandle[Any, Any]
    ) -> tuple[CallInput, CallResult | None]:
        """The newest run's input, and the result its failure carried (None when it was
        terminated or timed out: nothing to read then)."""
        history = await handle.fetch_history()
        started = history.events[0].workflow_execution_started_event_attributes
        [call_input] = await self._client.data_converter.decode(started.input.payloads, [CallInput])
        last = history.events[-1]
        if last.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
            return call_input, None
        details = last.workflow_execution_failed_event_attributes.failure.application_failure_info
        if not details.details.payloads:
            return call_input, None
        [result] = await self._client.data_converter.decode(details.details.payloads, [CallResult])
        return call_input, result

    async def _resume_from_stores(
        self, tenant_id: str, call_id: str, started_at: datetime
    ) -> CallCarry:
        """A resume point read back from what was stored, for a run that left none."""
        transcript = await self._stores.calls.transcript(tenant_id, call_id)
        watermarks: dict[str, int] = {}
        counts: dict[str, int] = {}
        for utterance in transcript:
            speaker = utterance.speaker.value
            watermarks[speaker] = max(watermarks.get(speaker, 0), utterance.end_ms)
            counts[speaker] = counts.get(speaker, 0) + 1
        return CallCarry(
            started_at=started_at.isoformat(),
            next_event_seq=1,
            watermarks_ms=watermarks,
            counts=counts,
            recent=transcript[-20:],
            pending_events=[],
            pending_utterances=[],
            # Guidance of the first run has been told the call ended; none restarts.
            guidance_started=True,
        )
