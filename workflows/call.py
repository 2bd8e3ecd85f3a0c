"""CallWorkflow: one durable workflow per Amazon Connect contact."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from callguide import search_attributes as sa
    from callguide.model import CallStatus, Utterance
    from workflows import policies
    from workflows.call_state import CallState
    from workflows.call_types import (
        PERSIST_UTTERANCES,
        PUBLISH_CALL_EVENTS,
        RECORD_CALL_FINISHED,
        RECORD_CALL_STARTED,
        CallInput,
        CallResult,
        CallSnapshot,
        EndCallRequest,
        PersistResult,
        PersistUtterances,
        PublishCallEvents,
        PublishResult,
        RecordCallFinished,
        RecordCallStarted,
    )


@workflow.defn
class CallWorkflow:
    @workflow.init
    def __init__(self, call: CallInput) -> None:
        self._state = CallState(call, workflow.now())
        self._persist_task: asyncio.Task[None] | None = None

    @workflow.run
    async def run(self, call: CallInput) -> CallResult:
        self._upsert_search_attributes()
        if call.carry is None:
            await self._record_started(call)
        try:
            await self._serve_until_end()
        except ApplicationError as failure:
            return await self._finish(CallStatus.FAILED, failure.message)
        return await self._finish(CallStatus.ENDED, None)

    @workflow.signal
    def add_utterance(self, utterance: Utterance) -> None:
        self._state.add_utterance(utterance, workflow.now())

    @workflow.signal
    def end_call(self, request: EndCallRequest) -> None:
        self._state.request_end(request.reason)

    @workflow.query
    def snapshot(self) -> CallSnapshot:
        return self._state.snapshot()

    async def _serve_until_end(self) -> None:
        state = self._state
        while True:
            flush_timer_fired = await self._wait_for_work()
            await self._publish_pending()
            if (state.persist_due() or flush_timer_fired) and not self._persisting():
                # Writing runs beside the loop so a slow database never delays live events.
                self._persist_task = asyncio.create_task(self._persist_pending())
            if state.end_requested:
                return
            if state.should_continue_as_new(workflow.info().is_continue_as_new_suggested()):
                await self._drain()
                workflow.continue_as_new(
                    CallInput(
                        tenant_id=state.call.tenant_id,
                        call_id=state.call.call_id,
                        contact_id=state.call.contact_id,
                        media=state.call.media,
                        instance_arn=state.call.instance_arn,
                        options=state.options,
                        carry=state.carry(),
                    )
                )

    def _persisting(self) -> bool:
        return self._persist_task is not None and not self._persist_task.done()

    async def _wait_for_work(self) -> bool:
        """Waits for events to publish, a batch to write, or the end; True if the timer fired."""
        state = self._state

        def has_work() -> bool:
            return (
                bool(state.pending_events)
                or (state.persist_due() and not self._persisting())
                or state.end_requested
                or state.should_continue_as_new(workflow.info().is_continue_as_new_suggested())
            )

        if not state.pending_utterances or self._persisting():
            await workflow.wait_condition(has_work)
            return False
        try:
            await workflow.wait_condition(has_work, timeout=policies.PERSIST_FLUSH_INTERVAL)
        except TimeoutError:
            return True
        return False

    async def _drain(self) -> None:
        """Lets handlers finish and writes everything pending, before ending or continuing."""
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._persist_task is not None:
            await self._persist_task
        await self._publish_pending()
        await self._persist_pending()

    async def _finish(self, status: CallStatus, failure_reason: str | None) -> CallResult:
        state = self._state
        state.request_end("failed" if status is CallStatus.FAILED else "ended")
        state.set_status(CallStatus.ENDING, workflow.now())
        self._upsert_search_attributes()
        await self._drain()
        state.set_status(status, workflow.now(), failure_reason)
        await workflow.execute_activity(
            RECORD_CALL_FINISHED,
            RecordCallFinished(
                tenant_id=state.call.tenant_id,
                call_id=state.call.call_id,
                status=status.value,
                ended_at=state.ended_at or workflow.now().isoformat(),
                utterance_count=state.utterance_count,
                end_reason=state.end_reason,
                failure_reason=failure_reason,
            ),
            start_to_close_timeout=policies.STORE_START_TO_CLOSE,
            retry_policy=policies.STORE_RETRY,
        )
        self._upsert_search_attributes()
        await self._publish_pending(expire_after_s=state.options.redis_ttl_after_end_s)
        result = CallResult(
            status=status.value,
            utterance_count=state.utterance_count,
            ended_at=state.ended_at or "",
            end_reason=state.end_reason,
            failure_reason=failure_reason,
            runs=state.runs,
        )
        if status is CallStatus.FAILED:
            raise ApplicationError(f"call failed: {failure_reason}", result, non_retryable=True)
        return result

    async def _record_started(self, call: CallInput) -> None:
        await workflow.execute_activity(
            RECORD_CALL_STARTED,
            RecordCallStarted(
                tenant_id=call.tenant_id,
                call_id=call.call_id,
                contact_id=call.contact_id,
                workflow_id=workflow.info().workflow_id,
                started_at=self._state.started_at,
                instance_arn=call.instance_arn,
                stream_arn=call.media.stream_arn if call.media else None,
            ),
            start_to_close_timeout=policies.STORE_START_TO_CLOSE,
            retry_policy=policies.STORE_RETRY,
        )

    async def _publish_pending(self, expire_after_s: int | None = None) -> None:
        events = self._state.take_events()
        if not events and expire_after_s is None:
            return
        call = self._state.call
        await workflow.execute_local_activity(
            PUBLISH_CALL_EVENTS,
            PublishCallEvents(call.tenant_id, call.call_id, events, expire_after_s),
            result_type=PublishResult,
            start_to_close_timeout=policies.PUBLISH_START_TO_CLOSE,
            retry_policy=policies.PUBLISH_RETRY,
        )

    async def _persist_pending(self) -> None:
        batch = self._state.take_utterances()
        if not batch:
            return
        call = self._state.call
        await workflow.execute_activity(
            PERSIST_UTTERANCES,
            PersistUtterances(call.tenant_id, call.call_id, batch),
            result_type=PersistResult,
            start_to_close_timeout=policies.STORE_START_TO_CLOSE,
            retry_policy=policies.STORE_RETRY,
        )

    def _upsert_search_attributes(self) -> None:
        call = self._state.call
        workflow.upsert_search_attributes(
            [
                sa.TENANT_ID.value_set(call.tenant_id),
                sa.CONTACT_ID.value_set(call.contact_id),
                sa.CALL_STATUS.value_set(self._state.status.value),
            ]
        )
