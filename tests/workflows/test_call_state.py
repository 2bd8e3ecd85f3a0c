"""The call's state machine without a server: dedupe, batching, carry and bounds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from callguide.model import CallStatus, Speaker
from tests.workflows.test_call_workflow import utterance
from workflows.call_state import CallState
from workflows.call_types import CallInput, CallOptions

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def new_state(**options: int) -> CallState:
    return CallState(CallInput("t1", "c1", "c1", options=CallOptions(**options)), NOW)


def test_an_utterance_inside_an_already_covered_span_is_ignored() -> None:
    state = new_state()
    assert state.add_utterance(utterance(3), NOW)
    assert not state.add_utterance(utterance(3), NOW)
    assert not state.add_utterance(utterance(1), NOW)  # older audio of the same track
    retranscribed = dataclasses.replace(utterance(3), start_ms=6500, end_ms=7900)
    assert not state.add_utterance(retranscribed, NOW)  # starts inside covered audio
    assert state.add_utterance(utterance(1, Speaker.AGENT), NOW)  # other track, own watermark
    assert state.counts == {"customer": 1, "agent": 1}


def test_recent_utterances_stay_bounded() -> None:
    state = new_state(recent_utterance_limit=3)
    for i in range(10):
        state.add_utterance(utterance(i), NOW)
    assert [u.start_ms for u in state.snapshot().recent_utterances] == [14000, 16000, 18000]
    assert state.utterance_count == 10


def test_batches_become_due_at_the_configured_size() -> None:
    state = new_state(utterance_batch_size=3)
    state.add_utterance(utterance(0), NOW)
    state.add_utterance(utterance(1), NOW)
    assert not state.persist_due()
    state.add_utterance(utterance(2), NOW)
    assert state.persist_due()
    assert len(state.take_utterances()) == 3 and not state.pending_utterances


def test_carry_keeps_dedupe_sequence_and_pending_work() -> None:
    state = new_state(continue_as_new_after_utterances=2)
    state.add_utterance(utterance(0), NOW)
    state.take_events()
    state.add_utterance(utterance(1), NOW)
    assert state.should_continue_as_new(suggested_by_server=False)

    carried = CallInput("t1", "c1", "c1", options=state.options, carry=state.carry())
    resumed = CallState(carried, NOW)
    assert resumed.runs == 2
    assert not resumed.add_utterance(utterance(1), NOW)
    assert [e.seq for e in resumed.take_events()] == [3]  # the unpublished event, same seq
    assert resumed.add_utterance(utterance(2), NOW)
    assert resumed.take_events()[0].seq == 4
    assert [u.start_ms for u in resumed.take_utterances()] == [0, 2000, 4000]


def test_ended_call_takes_no_more_utterances() -> None:
    state = new_state()
    state.request_end("api")
    state.set_status(CallStatus.ENDED, NOW)
    assert not state.add_utterance(utterance(0), NOW)
    assert state.snapshot().ended_at == NOW.isoformat()
