"""CallWorkflow: one durable workflow per Amazon Connect contact."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError
from temporalio.workflow import ActivityCancellationType

with workflow.unsafe.imports_passed_through():
    from callguide import search_attributes as sa
    from callguide.model import AudioCheckpoint, CallStatus, MediaStream, Utterance
    from workflows import policies
    from workflows.call_state import CallState
    from workflows.call_types import (
        PERSIST_UTTERANCES,
        PUBLISH_CALL_EVENTS,
        RECORD_CALL_FINISHED,
        RECORD_CALL_STARTED,
        STREAM_CALL_AUDIO,
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
        StreamCallAudio,
        StreamCallAudioResult,
        StreamControl,
    )


@workflow.defn
class CallWorkflow:
    @workflow.init
    def __init__(self, call: CallInput) -> None:
        self._state = CallState(call, workflow.now())
        self._persist_task: asyncio.Task[None] | None = None
        self._stream_task: asyncio.Task[None] | None = None
        self._audio_checkpoint = call.carry.audio_checkpoint if call.carry else None
        self._stream_failure: str | None = None

    @workflow.run
    async def run(self, call: CallInput) -> CallResult:
        self._upsert_search_attributes()
        if call.carry is None:
            await self._record_started(call)
        if call.media is not None and call.options.stream_audio:
            self._stream_task = asyncio.create_task(self._stream_audio(call.media))
        try:
            await self._serve_until_end()
            await self._stop_stream(drain=policies.AUDIO_DRAIN_TIMEOUT)
            if self._stream_failure:
                raise ApplicationError(self._stream_failure)
        except ApplicationError as failure:
            return await self._finish(CallStatus.FAILED, failure.message)
        return await self._finish(CallStatus.ENDED, None)

    @workflow.signal
    def add_utterance(self, utterance: Utterance) -> None:
        self._state.add_utterance(utterance, workflow.now())

    @workflow.signal
    def end_call(self, request: EndCallRequest) -> None:
        self._state.request_end(request.reason)

    @workflow.signal
    def audio_handover(self, checkpoint: AudioCheckpoint) -> None:
        self._audio_checkpoint = checkpoint

    @workflow.query
    def snapshot(self) -> CallSnapshot:
        return self._state.snapshot()

    @workflow.query
    def stream_control(self) -> StreamControl:
        return StreamControl(self._state.end_requested, self._state.end_reason)

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
                await self._stop_stream(drain=None)
                await self._drain()
                carry = dataclasses.replace(state.carry(), audio_checkpoint=self._audio_checkpoint)
                workflow.continue_as_new(dataclasses.replace(state.call, carry=carry))

    async def _stream_audio(self, media: MediaStream) -> None:
        call = self._state.call
        request = StreamCallAudio(
            tenant_id=call.tenant_id,
            call_id=call.call_id,
            contact_id=call.contact_id,
            workflow_id=workflow.info().workflow_id,
            media=media,
            region=call.options.region,
            resume=self._audio_checkpoint,
        )
        try:
            await workflow.execute_activity(
                STREAM_CALL_AUDIO,
                request,
                result_type=StreamCallAudioResult,
                task_queue=call.options.audio_task_queue,
                start_to_close_timeout=policies.AUDIO_START_TO_CLOSE,
                heartbeat_timeout=policies.AUDIO_HEARTBEAT_TIMEOUT,
                retry_policy=policies.AUDIO_RETRY,
                cancellation_type=ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            )
        except ActivityError as err:
            if isinstance(err.cause, CancelledError):
                return
            cause = err.cause.message if isinstance(err.cause, ApplicationError) else str(err)
            self._stream_failure = f"audio stream failed: {cause}"
            self._state.request_end("stream_failed")
            return
        self._state.request_end("stream_ended")

    async def _stop_stream(self, drain: timedelta | None) -> None:
        """Gives the stream time to transcribe audio still in flight, then cancels it."""
        task = self._stream_task
        if task is None or task.done():
            return
        if drain is not None:
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(task.done, timeout=drain)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

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
