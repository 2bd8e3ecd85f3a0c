"""Post-call audio redaction, then an independent verification, as child workflows.

``AudioRedactionWorkflow`` (started by the call when it ends, parent-close ABANDON) loads
the tenant's policy, has one activity re-read the call from KVS, beep every PII span (the
live transcript's and those a post-call decode of the whole call finds) and store the
redacted stereo WAV, records the status ``redacted``, then starts ``VerificationWorkflow``.
The verification does not trust the redactor: it reads the live PII spans from PostgreSQL
itself and fails if one lies outside the spans the redactor says it beeped, checks the
stored audio for a beep over each of those with no speech under it and for beeps anywhere
else, re-transcribes both tracks and looks for PII the beeps missed. A failed verdict
quarantines the object. Each status goes to PostgreSQL, to the call's Redis stream and to
the ``RedactionStatus`` search attribute.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    ChildWorkflowError,
    FailureError,
    WorkflowAlreadyStartedError,
)
from temporalio.exceptions import TimeoutError as StepTimeoutError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from callguide import search_attributes as sa
    from workflows import policies
    from workflows.redaction_types import (
        LOAD_REDACTION_POLICY,
        REDACT_CALL_AUDIO,
        REDACTION_EVENT_SEQ_FALLBACK,
        SETTLE_REDACTION,
        VERIFY_REDACTED_AUDIO,
        AudioRedactionInput,
        AudioRedactionResult,
        LoadRedactionPolicy,
        RedactCallAudio,
        RedactCallAudioResult,
        RedactionPolicySnapshot,
        RedactionSummary,
        SettleRedaction,
        SettleResult,
        TrackSpan,
        VerificationInput,
        VerificationReport,
        VerificationResult,
        VerifyRedactedAudio,
        counts_by_type,
        verification_workflow_id,
    )

# Values of the RedactionStatus search attribute (storage.redactions.RedactionStatus).
PENDING, REDACTED, VERIFIED, FAILED = "pending", "redacted", "verified", "failed"


def failure_reason(step: str, error: FailureError) -> str:
    """A readable, PII-free reason for a step that failed for good."""
    cause = error.cause if isinstance(error, ActivityError | ChildWorkflowError) else error
    if isinstance(cause, StepTimeoutError):
        return f"{step} timed out"
    if isinstance(cause, ApplicationError):
        # Our activities' messages name streams, objects, times and counts, never content.
        return f"{step} failed: {cause.message}"
    return f"{step} failed"


def status_attributes(status: str) -> list[Any]:
    return [sa.REDACTION_STATUS.value_set(status)]


def summary_memo(summary: RedactionSummary) -> dict[str, Any]:
    return {"summary": dataclasses.asdict(summary)}


async def settle(request: SettleRedaction) -> SettleResult:
    return await workflow.execute_activity(
        SETTLE_REDACTION,
        request,
        result_type=SettleResult,
        start_to_close_timeout=policies.REDACTION_STORE_START_TO_CLOSE,
        schedule_to_close_timeout=policies.REDACTION_STORE_SCHEDULE_TO_CLOSE,
        retry_policy=policies.REDACTION_STORE_RETRY,
    )


@workflow.defn
class VerificationWorkflow:
    @workflow.run
    async def run(self, request: VerificationInput) -> VerificationResult:
        try:
            report = await workflow.execute_activity(
                VERIFY_REDACTED_AUDIO,
                VerifyRedactedAudio(
                    tenant_id=request.tenant_id,
                    call_id=request.call_id,
                    bucket=request.bucket,
                    object_key=request.object_key,
                    policy=request.policy,
                    # The workflow's own input, fixed in its history: a retry checks the
                    # same list, and it is the list the verdict is recorded with.
                    spans=request.redacted_spans,
                ),
                result_type=VerificationReport,
                start_to_close_timeout=policies.VERIFY_AUDIO_START_TO_CLOSE,
                schedule_to_close_timeout=policies.VERIFY_AUDIO_SCHEDULE_TO_CLOSE,
                heartbeat_timeout=policies.VERIFY_AUDIO_HEARTBEAT_TIMEOUT,
                retry_policy=policies.VERIFY_AUDIO_RETRY,
            )
        except ActivityError as error:
            report = VerificationReport(FAILED, [failure_reason("verification", error)])
        seq = request.event_seq if request.event_seq is not None else REDACTION_EVENT_SEQ_FALLBACK
        settled = await settle(
            SettleRedaction(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                status=report.verdict,
                reasons=report.reasons,
                spans=request.redacted_spans,
                bucket=request.bucket,
                object_key=request.object_key,
                audio_ms=report.audio_ms,
                policy_version=request.policy.version,
                quarantine=report.verdict != VERIFIED,
                event_seq=seq + 1,
                event_ttl_s=request.event_ttl_s,
            )
        )
        summary = RedactionSummary(
            status=report.verdict,
            reasons=report.reasons,
            spans=report.spans_checked,
            counts_by_type=report.counts_by_type,
            audio_ms=report.audio_ms,
            object_key=settled.object_key,
            live_spans=request.live_spans,
            post_call_spans=request.post_call_spans,
        )
        workflow.upsert_search_attributes(status_attributes(report.verdict))
        workflow.upsert_memo(summary_memo(summary))
        return VerificationResult(summary)


@workflow.defn
class AudioRedactionWorkflow:
    def __init__(self) -> None:
        self._seq = REDACTION_EVENT_SEQ_FALLBACK

    @workflow.run
    async def run(self, request: AudioRedactionInput) -> AudioRedactionResult:
        workflow.upsert_search_attributes(
            [
                sa.TENANT_ID.value_set(request.tenant_id),
                sa.CONTACT_ID.value_set(request.contact_id),
                *status_attributes(PENDING),
            ]
        )
        self._seq = (
            request.event_seq if request.event_seq is not None else REDACTION_EVENT_SEQ_FALLBACK
        )
        try:
            policy = await self._load_policy(request)
        except ActivityError as error:
            return await self._failed(request, [failure_reason("loading the policy", error)])
        try:
            redacted = await self._redact(request, policy)
        except ActivityError as error:
            return await self._failed(request, [failure_reason("audio redaction", error)], policy)
        await settle(
            SettleRedaction(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                status=REDACTED,
                spans=redacted.spans,
                bucket=redacted.bucket,
                object_key=redacted.object_key,
                audio_ms=redacted.audio_ms,
                policy_version=policy.version,
                event_seq=self._seq,
                event_ttl_s=request.event_ttl_s,
            )
        )
        workflow.upsert_search_attributes(status_attributes(REDACTED))
        return await self._verify(request, policy, redacted)

    async def _load_policy(self, request: AudioRedactionInput) -> RedactionPolicySnapshot:
        return await workflow.execute_activity(
            LOAD_REDACTION_POLICY,
            LoadRedactionPolicy(request.tenant_id),
            result_type=RedactionPolicySnapshot,
            start_to_close_timeout=policies.REDACTION_STORE_START_TO_CLOSE,
            schedule_to_close_timeout=policies.REDACTION_STORE_SCHEDULE_TO_CLOSE,
            retry_policy=policies.REDACTION_STORE_RETRY,
        )

    async def _redact(
        self, request: AudioRedactionInput, policy: RedactionPolicySnapshot
    ) -> RedactCallAudioResult:
        return await workflow.execute_activity(
            REDACT_CALL_AUDIO,
            RedactCallAudio(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                contact_id=request.contact_id,
                media=request.media,
                beep_hz=request.beep_hz or policy.beep_hz,
                padding_ms=policy.padding_ms if request.padding_ms is None else request.padding_ms,
                region=request.region,
                audio_ms=request.audio_ms,
                policy=policy,
            ),
            result_type=RedactCallAudioResult,
            start_to_close_timeout=policies.REDACT_AUDIO_START_TO_CLOSE,
            schedule_to_close_timeout=policies.REDACT_AUDIO_SCHEDULE_TO_CLOSE,
            heartbeat_timeout=policies.REDACT_AUDIO_HEARTBEAT_TIMEOUT,
            retry_policy=policies.REDACT_AUDIO_RETRY,
        )

    async def _verify(
        self,
        request: AudioRedactionInput,
        policy: RedactionPolicySnapshot,
        redacted: RedactCallAudioResult,
    ) -> AudioRedactionResult:
        child_id = verification_workflow_id(request.tenant_id, request.call_id)
        # The verifier checks the redactor's output against its own reading of the spans,
        # with the beep the redactor was asked to use.
        checked_policy = dataclasses.replace(
            policy,
            beep_hz=request.beep_hz or policy.beep_hz,
            padding_ms=policy.padding_ms if request.padding_ms is None else request.padding_ms,
        )
        summary = RedactionSummary(
            status=REDACTED,
            spans=len(redacted.spans),
            counts_by_type=counts_by_type(redacted.spans),
            audio_ms=redacted.audio_ms,
            object_key=redacted.object_key,
            live_spans=redacted.live_spans,
            post_call_spans=redacted.post_call_spans,
        )
        try:
            verification = await workflow.execute_child_workflow(
                VerificationWorkflow.run,
                VerificationInput(
                    tenant_id=request.tenant_id,
                    call_id=request.call_id,
                    contact_id=request.contact_id,
                    bucket=redacted.bucket,
                    object_key=redacted.object_key,
                    policy=checked_policy,
                    event_seq=self._seq,
                    event_ttl_s=request.event_ttl_s,
                    redacted_spans=redacted.spans,
                    live_spans=redacted.live_spans,
                    post_call_spans=redacted.post_call_spans,
                ),
                id=child_id,
                task_queue=request.verification_task_queue or workflow.info().task_queue,
                parent_close_policy=ParentClosePolicy.ABANDON,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(sa.TENANT_ID, request.tenant_id),
                        SearchAttributePair(sa.CONTACT_ID, request.contact_id),
                        SearchAttributePair(sa.REDACTION_STATUS, REDACTED),
                    ]
                ),
                memo=summary_memo(summary),
            )
        except WorkflowAlreadyStartedError:
            # This run was reset or replayed past the start: the first verification stands
            # and records its own verdict.
            workflow.upsert_memo(summary_memo(summary))
            return AudioRedactionResult(summary, child_id)
        except ChildWorkflowError as error:
            reasons = [failure_reason("verification", error)]
            failed = await self._failed(request, reasons, policy, redacted, seq_offset=2)
            return dataclasses.replace(failed, verification_workflow_id=child_id)
        final = verification.summary
        workflow.upsert_search_attributes(status_attributes(final.status))
        workflow.upsert_memo(summary_memo(final))
        return AudioRedactionResult(final, child_id)

    async def _failed(
        self,
        request: AudioRedactionInput,
        reasons: list[str],
        policy: RedactionPolicySnapshot | None = None,
        redacted: RedactCallAudioResult | None = None,
        *,
        seq_offset: int = 1,
    ) -> AudioRedactionResult:
        spans: list[TrackSpan] = redacted.spans if redacted else []
        settled = await settle(
            SettleRedaction(
                tenant_id=request.tenant_id,
                call_id=request.call_id,
                status=FAILED,
                reasons=reasons,
                spans=spans,
                bucket=redacted.bucket if redacted else None,
                object_key=redacted.object_key if redacted else None,
                audio_ms=redacted.audio_ms if redacted else None,
                policy_version=policy.version if policy else None,
                quarantine=redacted is not None,
                event_seq=self._seq + seq_offset,
                event_ttl_s=request.event_ttl_s,
            )
        )
        summary = RedactionSummary(
            status=FAILED,
            reasons=reasons,
            spans=len(spans),
            counts_by_type=counts_by_type(spans),
            audio_ms=redacted.audio_ms if redacted else None,
            object_key=settled.object_key,
            live_spans=redacted.live_spans if redacted else None,
            post_call_spans=redacted.post_call_spans if redacted else None,
        )
        workflow.upsert_search_attributes(status_attributes(FAILED))
        workflow.upsert_memo(summary_memo(summary))
        return AudioRedactionResult(summary)
