"""The call's side of real-time guidance: starting its child and handing it turns.

Guidance is a child workflow (workflows.guidance) with parent-close policy ABANDON, so it
outlives each run of the call: continue-as-new keeps it, and it writes the summary after
the call has closed. The call never waits on it beyond getting a signal accepted; a child
that failed or was never started means a call without hints, nothing worse.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import FailureError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from callguide import search_attributes as sa
    from callguide.model import Utterance
    from workflows.call_state import CallState
    from workflows.guidance import GuidanceWorkflow
    from workflows.guidance_types import (
        CallEndedForGuidance,
        GuidanceInput,
        GuidanceTurn,
        guidance_workflow_id,
    )

# Calls that started before real-time guidance existed replay without it.
GUIDANCE_PATCH = "real-time-guidance"


class GuidanceLink:
    def __init__(self, state: CallState) -> None:
        self._state = state
        self._start: asyncio.Task[None] | None = None
        # Signals in flight, waited for before a handover so none is lost with the run.
        self._signals: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        """Starts the call's guidance once per call (not again after continue-as-new)."""
        state = self._state
        if not state.options.guidance or state.guidance_started or state.end_requested:
            return
        if not workflow.patched(GUIDANCE_PATCH):
            return
        state.guidance_started = True
        self._start = asyncio.create_task(self._start_child())

    def hand_over(self, utterance: Utterance) -> None:
        """Gives guidance a turn the call has just accepted (redacted, deduplicated), unless
        the audio worker that assembled it has handed it over already."""
        if not self._state.guidance_started:
            return
        if utterance.timing is not None and utterance.timing.guidance_handed_ms is not None:
            return
        turn = GuidanceTurn(
            utterance.speaker.value,
            utterance.text,
            utterance.start_ms,
            utterance.end_ms,
            workflow.now().isoformat(),
        )
        task = asyncio.create_task(self._signal("turn", turn))
        self._signals.add(task)
        task.add_done_callback(self._signals.discard)

    async def settled(self) -> None:
        """Waits until the start and every signal sent so far have been taken or refused."""
        pending = [*self._signals, *([self._start] if self._start else [])]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def end(self) -> None:
        """Tells guidance the transcript is complete and stored, so it writes the summary."""
        if not self._state.guidance_started:
            return
        await self.settled()
        await self._signal("call_ended", CallEndedForGuidance(self._state.utterance_count))

    @property
    def child_id(self) -> str:
        call = self._state.call
        return guidance_workflow_id(call.tenant_id, call.call_id)

    async def _start_child(self) -> None:
        call = self._state.call
        request = GuidanceInput(
            tenant_id=call.tenant_id,
            call_id=call.call_id,
            call_workflow_id=workflow.info().workflow_id,
            call_started_at=self._state.started_at,
        )
        try:
            await workflow.start_child_workflow(
                GuidanceWorkflow.run,
                request,
                id=self.child_id,
                task_queue=call.options.guidance_task_queue,
                parent_close_policy=ParentClosePolicy.ABANDON,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(sa.TENANT_ID, call.tenant_id),
                        SearchAttributePair(sa.CONTACT_ID, call.contact_id),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.warning("guidance of this call was started before")

    async def _signal(self, name: str, arg: GuidanceTurn | CallEndedForGuidance) -> None:
        if self._start is not None:
            await asyncio.gather(self._start, return_exceptions=True)  # after the start
        handle = workflow.get_external_workflow_handle(self.child_id)
        try:
            await handle.signal(name, arg)
        except FailureError:
            workflow.logger.warning("guidance did not take a %s signal", name)
