"""GuidanceWorkflow: one call's real-time guidance, a child of CallWorkflow (queue `ml`).

The audio worker that assembles the call's utterances hands it each redacted final turn
(signal `turn`; the call does, for turns that reach it another way). For each it asks the
match_turn activity which policy moments the turn matches (and, for knowledge moments,
which article answers it) and lets GuidanceState apply cooldowns and absence timers. It
shows the resulting hints to live viewers itself (local activity publish_hint), then
signals them to the call (signal `add_hint`), which keeps them in its state, stores them
and publishes them durably. So a hint waits on one workflow task, not three. A suggested
reply is written by the model behind the tenant's route, on that route's queue, in what is
left of the deadline.
Nothing reaches the agent after the policy's deadline: a late hint is dropped and counted.
When the call ends (signal `call_ended`), guidance writes the call's summary and finishes.

The call never waits on guidance: a slow or absent model, or a dead ml worker, only means
fewer hints.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import deque
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, FailureError
from temporalio.exceptions import TimeoutError as ActivityTimeoutError

with workflow.unsafe.imports_passed_through():
    from callguide.model import Hint
    from workflows import policies
    from workflows.guidance_state import GuidanceState, ReplyRequest
    from workflows.guidance_types import (
        LOAD_GUIDANCE_PLAN,
        MATCH_TURN,
        PUBLISH_HINT,
        SUGGEST_REPLY,
        SUMMARIZE_CALL,
        CallEndedForGuidance,
        CallSummaryResult,
        EarlyTurn,
        GuidanceInput,
        GuidancePlan,
        GuidanceResult,
        GuidanceTurn,
        HintDelivery,
        HintPublished,
        LoadGuidancePlan,
        MatchTurn,
        PublishHint,
        SuggestedReply,
        SuggestReply,
        SummarizeCall,
        TurnMatchResult,
    )

ADD_HINT_SIGNAL = "add_hint"
# The error type suggest_reply fails with when the model did not answer within the time
# left of the hint's deadline.
MODEL_TIMEOUT = "ModelTimeout"
# Matching may use this much longer than the deadline: a late match still updates
# cooldowns and absence timers, though its hints are dropped.
MATCH_GRACE = timedelta(seconds=2)
# Guidance that started before it published hints itself leaves that to the call.
HINTS_SHOWN_BY_GUIDANCE_PATCH = "hints-shown-by-guidance"


@workflow.defn
class GuidanceWorkflow:
    @workflow.init
    def __init__(self, call: GuidanceInput) -> None:
        self._call = call
        # Turns to guide, in arrival order: (turn, when the call took it, and for a turn
        # still being spoken the reminder moments its interim text said).
        self._turns: deque[tuple[GuidanceTurn, datetime, list[str] | None]] = deque()
        self._ended = bool(call.carry and call.carry.ended)
        self._replies: set[asyncio.Task[None]] = set()
        self._turns_this_run = 0
        self._state: GuidanceState | None = None
        # The last time the call gave guidance anything: a call that vanished without
        # saying it ended (terminated by an operator) must not keep its guidance forever.
        self._last_heard = workflow.now()

    @workflow.signal
    def turn(self, turn: GuidanceTurn) -> None:
        self._last_heard = workflow.now()
        self._turns.append((turn, _accepted(turn), None))

    @workflow.signal
    def early_turn(self, early: EarlyTurn) -> None:
        self._last_heard = workflow.now()
        self._turns.append((early.turn, _accepted(early.turn), list(early.moment_ids)))

    @workflow.signal
    def call_ended(self, _: CallEndedForGuidance) -> None:
        self._ended = True

    @workflow.query
    def ready(self) -> bool:
        """Whether the policy is loaded and turns are being guided (the first time a worker
        sees a policy version it embeds the policy's examples and articles first)."""
        return self._state is not None

    @workflow.run
    async def run(self, call: GuidanceInput) -> GuidanceResult:
        plan = call.carry.plan if call.carry and call.carry.plan else await self._load_plan()
        state = self._state = GuidanceState(call, plan)
        while True:
            for hint in state.on_timer(workflow.now()):
                await self._deliver(hint, workflow.now())
            if self._turns:
                turn, received, early = self._turns.popleft()
                if early is None:
                    await self._guide(turn, received)
                else:
                    for hint in state.on_early(turn, early, received):
                        await self._deliver(hint, received)
                continue
            if self._ended:
                break
            if workflow.now() - self._last_heard >= policies.GUIDANCE_IDLE_LIMIT:
                state.count("ended_idle")  # the call is gone without a word; so is guidance
                break
            if self._should_continue_as_new():
                await self._settle_replies()
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self._turns and not self._ended:
                    workflow.continue_as_new(
                        GuidanceInput(
                            call.tenant_id,
                            call.call_id,
                            call.call_workflow_id,
                            call.call_started_at,
                            state.carry(),
                        )
                    )
                continue
            idle_until = self._last_heard + policies.GUIDANCE_IDLE_LIMIT
            timer = state.next_timer()
            await self._wait_for_work(min(timer, idle_until) if timer else idle_until)
        await self._settle_replies()
        state.ended = True
        summary = await self._summarize(plan) if plan.summary else None
        counts = state.counts
        return GuidanceResult(
            hints_delivered=counts.get("hints_delivered", 0),
            hints_dropped_late=counts.get("hints_dropped_late", 0),
            model_failures=counts.get("model_failures", 0),
            summary_source=summary.source if summary else None,
            runs=state.runs,
        )

    def _should_continue_as_new(self) -> bool:
        return (
            self._turns_this_run >= policies.GUIDANCE_CONTINUE_AS_NEW_AFTER_TURNS
            or workflow.info().is_continue_as_new_suggested()
        )

    async def _wait_for_work(self, timer: datetime | None) -> None:
        def has_work() -> bool:
            return bool(self._turns) or self._ended

        if timer is None:
            await workflow.wait_condition(has_work)
            return
        timeout = max(timer - workflow.now(), timedelta(milliseconds=10))
        with contextlib.suppress(asyncio.TimeoutError):
            await workflow.wait_condition(has_work, timeout=timeout)

    async def _load_plan(self) -> GuidancePlan:
        return await workflow.execute_activity(
            LOAD_GUIDANCE_PLAN,
            LoadGuidancePlan(self._call.tenant_id),
            result_type=GuidancePlan,
            start_to_close_timeout=policies.GUIDANCE_PLAN_START_TO_CLOSE,
            retry_policy=policies.GUIDANCE_PLAN_RETRY,
        )

    async def _guide(self, turn: GuidanceTurn, received: datetime) -> None:
        state = self._require_state()
        if not state.take_turn(turn):
            return
        self._turns_this_run += 1
        state.count("turns")
        try:
            # Local: the matcher is on this worker, and a hint is worth a round trip less.
            result = await workflow.execute_local_activity(
                MATCH_TURN,
                MatchTurn(self._call.tenant_id, state.plan.policy_version, turn),
                result_type=TurnMatchResult,
                schedule_to_close_timeout=state.deadline + MATCH_GRACE,
                retry_policy=policies.MATCH_TURN_RETRY,
            )
        except FailureError:  # a local activity's failure arrives unwrapped
            state.count("match_failures")
            return
        hints, replies = state.on_turn(turn, result, received)
        for request in replies:
            task = asyncio.create_task(self._reply(request, received))
            self._replies.add(task)
            task.add_done_callback(self._replies.discard)
        for hint in hints:
            await self._deliver(hint, received)

    async def _reply(self, request: ReplyRequest, received: datetime) -> None:
        state = self._require_state()
        remaining = request.deadline - workflow.now()
        if remaining <= timedelta(0):
            state.count("hints_dropped_late")
            return
        try:
            reply = await workflow.execute_activity(
                SUGGEST_REPLY,
                SuggestReply(
                    self._call.tenant_id,
                    state.plan.policy_version,
                    request.context,
                    request.moment.title,
                    request.article_body,
                    request.moment.body,
                ),
                result_type=SuggestedReply,
                task_queue=state.plan.model_task_queue,
                schedule_to_close_timeout=remaining,
                retry_policy=policies.SUGGEST_REPLY_RETRY,
            )
        except ActivityError as err:
            cause = err.cause
            late = isinstance(cause, ActivityTimeoutError) or (
                isinstance(cause, ApplicationError) and cause.type == MODEL_TIMEOUT
            )
            state.count("hints_dropped_late" if late else "model_failures")
            return
        hint = state.reply_hint(request, reply.text, reply.model, workflow.now())
        await self._deliver(hint, received)

    async def _deliver(self, hint: Hint, received: datetime) -> None:
        state = self._require_state()
        if not state.deliverable(received, workflow.now()):
            return
        if hint.trigger is not None:  # answers a turn: the hint-delivered stage starts there
            hint = dataclasses.replace(hint, turn_accepted_at=received.isoformat())
        shown_at = ""
        if workflow.patched(HINTS_SHOWN_BY_GUIDANCE_PATCH) and not self._ended:
            shown_at = await self._show(hint)
        handle = workflow.get_external_workflow_handle(self._call.call_workflow_id)
        deliver_by = (received + state.deadline).isoformat()
        try:
            await handle.signal(ADD_HINT_SIGNAL, HintDelivery(hint, deliver_by, shown_at))
        except FailureError:
            state.count("hints_undeliverable")  # the call has ended meanwhile
        else:
            state.count("hints_delivered")

    async def _show(self, hint: Hint) -> str:
        """Shows the hint to the call's live viewers now; "" if Redis did not take it in
        time (the call's durable copy follows either way)."""
        try:
            published = await workflow.execute_local_activity(
                PUBLISH_HINT,
                PublishHint(self._call.tenant_id, self._call.call_id, hint),
                result_type=HintPublished,
                start_to_close_timeout=policies.PUBLISH_HINT_START_TO_CLOSE,
                retry_policy=policies.PUBLISH_HINT_RETRY,
            )
        except FailureError:  # a local activity's failure arrives unwrapped
            self._require_state().count("hints_not_shown_live")
            return ""
        return published.shown_at

    async def _settle_replies(self) -> None:
        """Replies in flight end by their deadline; wait for them."""
        if self._replies:
            await asyncio.gather(*list(self._replies), return_exceptions=True)

    async def _summarize(self, plan: GuidancePlan) -> CallSummaryResult | None:
        state = self._require_state()
        try:
            return await workflow.execute_activity(
                SUMMARIZE_CALL,
                SummarizeCall(
                    self._call.tenant_id,
                    self._call.call_id,
                    plan.policy_version,
                    hints_dropped_late=state.counts.get("hints_dropped_late", 0),
                ),
                result_type=CallSummaryResult,
                task_queue=plan.model_task_queue,
                start_to_close_timeout=policies.SUMMARIZE_START_TO_CLOSE,
                schedule_to_close_timeout=policies.SUMMARIZE_SCHEDULE_TO_CLOSE,
                retry_policy=policies.SUMMARIZE_RETRY,
            )
        except ActivityError:
            state.count("summary_failures")
            return None

    def _require_state(self) -> GuidanceState:
        assert self._state is not None
        return self._state


def _accepted(turn: GuidanceTurn) -> datetime:
    """When the turn was taken where it was assembled or by the call: its hint's deadline
    counts from there (never later than now)."""
    now = workflow.now()
    return min(datetime.fromisoformat(turn.accepted_at), now) if turn.accepted_at else now
