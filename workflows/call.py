"""CallWorkflow: one durable workflow per Amazon Connect contact.

The loop only takes signals and decides; every store write runs beside it with bounded
retries (Redis for live viewers, PostgreSQL for the record), so a store outage delays
those writes and nothing else: the call keeps transcribing, ends and continues-as-new,
carrying what it still owes the stores, and catches up when they answer again.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    FailureError,
    WorkflowAlreadyStartedError,
)
from temporalio.exceptions import TimeoutError as ActivityTimeoutError
from temporalio.workflow import ActivityCancellationType, ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from callguide import search_attributes as sa
    from callguide.model import (
        AudioCheckpoint,
        CallStatus,
        Hint,
        HintFeedback,
        MediaStream,
        Utterance,
    )
    from workflows import policies
    from workflows.call_guidance import GuidanceLink
    from workflows.call_state import CallState
    from workflows.call_types import (
        PERSIST_UTTERANCES,
        PUBLISH_CALL_EVENTS,
        RECORD_CALL_FINISHED,
        RECORD_CALL_STARTED,
        STREAM_CALL_AUDIO,
        CallEvent,
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
        UtteranceRevision,
    )
    from workflows.guidance_types import HintDelivery
    from workflows.redaction import AudioRedactionWorkflow
    from workflows.redaction_types import (
        AudioRedactionInput,
        redaction_workflow_id,
    )
    from workflows.store_backoff import StoreBackoff

FINAL_STATUSES = (CallStatus.ENDED, CallStatus.FAILED)
# Calls that ended before post-call redaction existed replay without starting it.
POST_CALL_REDACTION_PATCH = "post-call-audio-redaction"
DRAIN_WHILE_PROGRESSING_PATCH = "drain-while-progressing"
PUBLISH_AS_ACTIVITY_PATCH = "publish-as-activity"


def _running(task: asyncio.Task[None] | None) -> bool:
    return task is not None and not task.done()


def _backoff() -> StoreBackoff:
    return StoreBackoff(initial=policies.STORE_BACKOFF_INITIAL, maximum=policies.STORE_BACKOFF_MAX)


@workflow.defn
class CallWorkflow:
    @workflow.init
    def __init__(self, call: CallInput) -> None:
        self._state = CallState(call, workflow.now())
        self._stream_task: asyncio.Task[None] | None = None
        self._publish_task: asyncio.Task[None] | None = None
        self._record_task: asyncio.Task[None] | None = None
        self._audio_checkpoint = call.carry.audio_checkpoint if call.carry else None
        self._handing_over = False
        self._finished_recorded = False
        self._woken = False
        self._redis = _backoff()
        self._postgres = _backoff()
        # How much audio the stream read, when it finished on its own in this run.
        self._audio_ms: int | None = None
        self._guidance = GuidanceLink(self._state)
        self._retried_by_ops = bool(call.carry and call.carry.retried_by_ops)
        self._contact_over = bool(call.carry and call.carry.contact_ended_before_retry)

    @workflow.run
    async def run(self, call: CallInput) -> CallResult:
        state = self._state
        if call.media is not None and call.options.stream_audio and not state.end_requested:
            # Audio first: a slow or absent database must not delay the call's first words.
            self._stream_task = asyncio.create_task(self._stream_audio(call.media))
        self._upsert_search_attributes()
        # Marks guidance started before the stream task first runs, so the stream is told
        # of the child (its commands still follow the stream's).
        self._guidance.start()
        limits = asyncio.create_task(self._enforce_limits())
        await self._serve_until_end()
        await self._stop_stream(drain=True)
        limits.cancel()
        return await self._finish()

    @workflow.signal
    def add_utterance(self, utterance: Utterance) -> None:
        if self._state.add_utterance(utterance, workflow.now()):
            self._guidance.hand_over(utterance)

    @workflow.signal
    def revise_utterance(self, revision: UtteranceRevision) -> None:
        self._state.revise_utterance(revision.utterance, workflow.now())

    @workflow.signal
    def add_hint(self, delivery: HintDelivery) -> None:
        # A hint guidance has shown live was in time, and delivered when it was shown: it
        # is kept however late this is.
        hint, late_after = delivery.hint, delivery.deliver_by
        if delivery.shown_at:
            hint, late_after = dataclasses.replace(hint, delivered_at=delivery.shown_at), ""
        deliver_by = datetime.fromisoformat(late_after) if late_after else None
        self._state.add_hint(hint, workflow.now(), deliver_by)

    @workflow.signal
    def hint_feedback(self, feedback: HintFeedback) -> None:
        self._state.add_feedback(feedback, workflow.now())

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
        if self._contact_over and not self._state.end_requested:
            return StreamControl(True, "disconnected")
        return StreamControl(self._state.end_requested, self._state.end_reason)

    async def _serve_until_end(self) -> None:
        state = self._state
        while True:
            self._start_store_work()
            if state.end_requested:
                return
            if state.should_continue_as_new(workflow.info().is_continue_as_new_suggested()):
                await self._hand_over()
                return  # the stream ended or failed during the handover: finish here
            await self._wait_for_work()

    async def _hand_over(self) -> None:
        """Continues as new with the stream's checkpoint, unless the call ended meanwhile."""
        state = self._state
        self._handing_over = True
        await self._stop_stream(drain=False)
        self._handing_over = False
        if state.end_requested:
            return
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._guidance.settled()
        # Writes in flight are bounded; whatever they leave undone travels in the carry.
        await workflow.wait_condition(
            lambda: not _running(self._publish_task) and not _running(self._record_task)
        )
        carry = dataclasses.replace(
            state.carry(),
            audio_checkpoint=self._audio_checkpoint,
            retried_by_ops=self._retried_by_ops,
            contact_ended_before_retry=self._contact_over,
        )
        workflow.continue_as_new(dataclasses.replace(state.call, carry=carry))

    async def _enforce_limits(self) -> None:
        """Ends a call whose hang-up was lost: after its maximum duration or idle limit."""
        state = self._state
        while not state.end_requested:
            reason = state.expired_limit(workflow.now())
            if reason is not None:
                state.request_end(reason)
                return
            remaining = state.limit_deadline() - workflow.now()
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: state.end_requested, timeout=remaining)

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
            guidance_workflow_id=self._guidance.child_id if self._state.guidance_started else None,
        )
        try:
            result = await workflow.execute_activity(
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
            if self._handing_over and isinstance(err.cause, ActivityTimeoutError):
                # The audio worker died while handing over; the next run resumes from the
                # last checkpoint it handed over, and dedupe drops what it hears twice.
                return
            cause = err.cause.message if isinstance(err.cause, ApplicationError) else str(err)
            self._state.fail(f"audio stream failed: {cause}")
            return
        self._audio_ms = result.audio_ms
        self._state.request_end(result.end_reason)

    async def _stop_stream(self, *, drain: bool) -> None:
        """Cancels the stream; when draining, after it transcribed the audio in flight."""
        task = self._stream_task
        if task is None or task.done():
            return
        if drain:
            await self._drain(task)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _drain(self, task: asyncio.Task[None]) -> None:
        """Waits for the stream to end while it keeps delivering utterances."""
        ended_at = workflow.now()
        while True:
            deadline = self._state.drain_deadline(
                ended_at, policies.AUDIO_DRAIN_IDLE, policies.AUDIO_DRAIN_LONGEST
            )
            remaining = deadline - workflow.now()
            if remaining <= timedelta(0):
                return
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(task.done, timeout=remaining)
            # Calls begun before the drain went on while progressing stopped after one wait.
            if task.done() or not workflow.patched(DRAIN_WHILE_PROGRESSING_PATCH):
                return

    # Store writes beside the loop.

    def _publish_ready(self, now: datetime) -> bool:
        return (
            not _running(self._publish_task)
            and bool(self._state.pending_events)
            and self._redis.ready(now)
        )

    def _records_owed(self) -> bool:
        state = self._state
        return (
            not state.started_recorded
            or state.records_pending
            or (state.status in FINAL_STATUSES and not self._finished_recorded)
        )

    def _records_due(self, now: datetime) -> bool:
        state = self._state
        if not state.started_recorded:
            return True
        if state.records_pending:
            # A closing call writes what it has at once; a live one waits for a batch.
            return state.intake_closed or state.persist_due(now, policies.PERSIST_FLUSH_INTERVAL)
        return state.status in FINAL_STATUSES and not self._finished_recorded

    def _record_ready(self, now: datetime) -> bool:
        return (
            not _running(self._record_task) and self._postgres.ready(now) and self._records_due(now)
        )

    def _start_store_work(self) -> None:
        now = workflow.now()
        state = self._state
        if self._publish_ready(now):
            expire = state.options.redis_ttl_after_end_s if state.status in FINAL_STATUSES else None
            events = state.take_events(now)
            if events:
                self._publish_task = asyncio.create_task(self._publish(events, expire))
        if self._record_ready(now):
            self._record_task = asyncio.create_task(self._write_records())

    def _next_deadline(self) -> datetime | None:
        """The earliest time a store write becomes due without any new signal."""
        state = self._state
        deadlines = []
        if state.pending_events and not _running(self._publish_task) and self._redis.retry_at:
            deadlines.append(self._redis.retry_at)
        if not _running(self._record_task) and self._records_owed():
            if self._postgres.retry_at is not None:
                deadlines.append(self._postgres.retry_at)
            elif state.pending_since is not None:
                deadlines.append(state.pending_since + policies.PERSIST_FLUSH_INTERVAL)
        return min(deadlines, default=None)

    async def _wait_for_work(self, *, serving: bool = True) -> None:
        """Waits for a store write to start or finish, or, while serving, the end or a handover."""
        state = self._state
        self._woken = False

        def has_work() -> bool:
            now = workflow.now()
            if self._woken or self._publish_ready(now) or self._record_ready(now):
                return True
            return serving and (
                state.end_requested
                or state.should_continue_as_new(workflow.info().is_continue_as_new_suggested())
            )

        deadline = self._next_deadline()
        if deadline is None:
            await workflow.wait_condition(has_work)
            return
        timeout = max(deadline - workflow.now(), timedelta(milliseconds=50))
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(has_work, timeout=timeout)

    async def _publish(self, events: list[CallEvent], expire_after_s: int | None) -> None:
        call = self._state.call
        batch = PublishCallEvents(call.tenant_id, call.call_id, events, expire_after_s)
        # A local activity's result can reach the workflow one task later than its marker
        # is recorded, and a replay then wakes this loop a task earlier than the original
        # run did (a timer cancelled at another point: a nondeterminism error that wedges
        # the call on its next worker). An activity's completion is in history; on this
        # queue it starts eagerly. Calls begun before keep the local activity.
        execute = (
            workflow.execute_activity
            if workflow.patched(PUBLISH_AS_ACTIVITY_PATCH)
            else workflow.execute_local_activity
        )
        try:
            await execute(
                PUBLISH_CALL_EVENTS,
                batch,
                result_type=PublishResult,
                start_to_close_timeout=policies.PUBLISH_START_TO_CLOSE,
                schedule_to_close_timeout=policies.PUBLISH_SCHEDULE_TO_CLOSE,
                retry_policy=policies.PUBLISH_RETRY,
            )
        except FailureError:  # an activity's failure; a local one's arrives unwrapped
            self._state.requeue_events(events)
            self._redis.failed(workflow.now())
        else:
            self._redis.succeeded()
        finally:
            self._woken = True

    async def _write_records(self) -> None:
        """PostgreSQL in order: the call's row, its utterances, then how it finished."""
        state = self._state
        try:
            if not state.started_recorded:
                await self._store(RECORD_CALL_STARTED, self._started_record())
                state.started_recorded = True
            if state.records_pending:
                since = state.pending_since or workflow.now()
                batch, revised = state.take_utterances()
                hints, feedback = state.take_hint_records()
                try:
                    await self._persist(batch, hints, feedback, revised)
                except FailureError:
                    state.return_utterances(batch, revised, since)
                    state.return_hint_records(hints, feedback)
                    raise
            if state.status in FINAL_STATUSES and not self._finished_recorded:
                await self._store(RECORD_CALL_FINISHED, self._finished_record())
                self._finished_recorded = True
        except FailureError:
            if not self._postgres.failing:
                self._notice("postgres", "delayed")
            self._postgres.failed(workflow.now())
        else:
            if self._postgres.failing:
                self._notice("postgres", "caught_up")
            self._postgres.succeeded()
        finally:
            self._woken = True

    def _notice(self, store: str, condition: str) -> None:
        """Tells live viewers the transcript is not being saved (yet); stale ones are dropped."""
        self._state.emit_live(
            "store",
            workflow.now(),
            {"store": store, "condition": condition},
            policies.HEALTH_NOTICE_LIVE_FOR_S,
        )

    async def _store(self, activity: str, record: RecordCallStarted | RecordCallFinished) -> None:
        await workflow.execute_activity(
            activity,
            record,
            start_to_close_timeout=policies.STORE_START_TO_CLOSE,
            retry_policy=policies.STORE_RETRY,
        )

    async def _persist(
        self,
        batch: list[Utterance],
        hints: list[Hint],
        feedback: list[HintFeedback],
        revised: list[Utterance],
    ) -> None:
        call = self._state.call
        await workflow.execute_activity(
            PERSIST_UTTERANCES,
            PersistUtterances(call.tenant_id, call.call_id, batch, hints, feedback, revised),
            result_type=PersistResult,
            start_to_close_timeout=policies.STORE_START_TO_CLOSE,
            retry_policy=policies.STORE_RETRY,
        )

    def _caught_up(self) -> bool:
        state = self._state
        return (
            not state.pending_events
            and not self._records_owed()
            and not _running(self._publish_task)
            and not _running(self._record_task)
        )

    async def _catch_up(self) -> None:
        """Writes everything owed; the record is waited for, live events for a while."""
        state = self._state
        give_up_publishing_at = workflow.now() + policies.PUBLISH_CATCH_UP_AT_END
        while True:
            self._start_store_work()
            if self._caught_up():
                return
            publish_abandoned = workflow.now() >= give_up_publishing_at and self._redis.failing
            if publish_abandoned and state.pending_events and not _running(self._publish_task):
                state.drop_pending_events()
                continue
            await self._wait_for_work(serving=False)

    async def _finish(self) -> CallResult:
        state = self._state
        state.request_end("ended")
        state.set_status(CallStatus.ENDING, workflow.now())
        self._upsert_search_attributes()
        await workflow.wait_condition(workflow.all_handlers_finished)
        # The stream has stopped: a late signal now is a stale retry, and taking it would
        # publish an utterance that is never stored.
        state.intake_closed = True
        await self._catch_up()
        status = CallStatus.FAILED if state.failure_reason else CallStatus.ENDED
        state.set_status(status, workflow.now())
        await self._catch_up()
        self._upsert_search_attributes()
        await self._guidance.end()
        await self._start_redaction()
        result = CallResult(
            status=status.value,
            utterance_count=state.utterance_count,
            ended_at=state.ended_at or "",
            end_reason=state.end_reason,
            failure_reason=state.failure_reason,
            runs=state.runs,
            dropped_live_events=state.dropped_live_events,
            late_hints=state.late_hints,
        )
        if status is CallStatus.FAILED:
            # Caught up above: nothing is pending, so this is exactly where a retry resumes.
            result.resume = dataclasses.replace(
                state.carry(),
                audio_checkpoint=self._audio_checkpoint,
                retried_by_ops=self._retried_by_ops,
            )
            message = f"call failed: {state.failure_reason}"
            raise ApplicationError(message, result, non_retryable=True)
        return result

    async def _start_redaction(self) -> None:
        """Starts the call's audio redaction and waits only until the server has it; the
        child outlives the call (ABANDON) and a failure to start it leaves the call's own
        outcome as it is."""
        call = self._state.call
        if call.media is None or not call.options.stream_audio:
            return
        if not workflow.patched(POST_CALL_REDACTION_PATCH):
            return
        request = AudioRedactionInput(
            tenant_id=call.tenant_id,
            call_id=call.call_id,
            contact_id=call.contact_id,
            media=call.media,
            region=call.options.region,
            audio_ms=self._audio_ms,
            event_seq=self._state.next_event_seq,
            event_ttl_s=call.options.redis_ttl_after_end_s,
        )
        try:
            await workflow.start_child_workflow(
                AudioRedactionWorkflow.run,
                request,
                id=redaction_workflow_id(call.tenant_id, call.call_id),
                task_queue=call.options.redaction_task_queue,
                parent_close_policy=ParentClosePolicy.ABANDON,
                # A call ops restarted redacts its whole audio again, replacing the partial
                # redaction of its failed run; otherwise a second start is a replay's.
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE
                if self._retried_by_ops
                else WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(sa.TENANT_ID, call.tenant_id),
                        SearchAttributePair(sa.CONTACT_ID, call.contact_id),
                        SearchAttributePair(sa.REDACTION_STATUS, "pending"),
                    ]
                ),
                memo={"call_id": call.call_id, "audio_ms": self._audio_ms},
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.warning("audio redaction of this call was started before")

    def _started_record(self) -> RecordCallStarted:
        call = self._state.call
        return RecordCallStarted(
            tenant_id=call.tenant_id,
            call_id=call.call_id,
            contact_id=call.contact_id,
            workflow_id=workflow.info().workflow_id,
            started_at=self._state.started_at,
            instance_arn=call.instance_arn,
            stream_arn=call.media.stream_arn if call.media else None,
        )

    def _finished_record(self) -> RecordCallFinished:
        state = self._state
        return RecordCallFinished(
            tenant_id=state.call.tenant_id,
            call_id=state.call.call_id,
            status=state.status.value,
            ended_at=state.ended_at or workflow.now().isoformat(),
            utterance_count=state.utterance_count,
            end_reason=state.end_reason,
            failure_reason=state.failure_reason,
            late_hints=state.late_hints,
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
