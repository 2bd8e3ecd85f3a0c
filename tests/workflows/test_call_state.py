"""The call's state machine without a server: dedupe, batching, carry and bounds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from callguide.model import CallStatus, PiiSpan, Speaker, Utterance
from tests.workflows.test_call_workflow import utterance
from workflows.call_state import CallState
from workflows.call_types import CallInput, CallOptions
from workflows.store_backoff import StoreBackoff

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FLUSH = timedelta(seconds=2)


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
    assert not state.persist_due(NOW, FLUSH)
    state.add_utterance(utterance(2), NOW)
    assert state.persist_due(NOW, FLUSH)
    assert len(state.take_utterances()[0]) == 3 and not state.pending_utterances


def test_a_short_batch_is_due_once_its_first_utterance_waited_the_flush_interval() -> None:
    state = new_state(utterance_batch_size=20)
    state.add_utterance(utterance(0), NOW)
    state.add_utterance(utterance(1), NOW + timedelta(seconds=1.5))
    assert not state.persist_due(NOW + timedelta(seconds=1.9), FLUSH)
    assert state.persist_due(NOW + FLUSH, FLUSH)
    state.take_utterances()
    assert state.pending_since is None
    # A write in flight: what arrives meanwhile has its own clock, not the batch's.
    state.add_utterance(utterance(2), NOW + timedelta(seconds=3))
    assert not state.persist_due(NOW + timedelta(seconds=4), FLUSH)
    assert state.persist_due(NOW + timedelta(seconds=5), FLUSH)


def test_a_failed_write_puts_its_batch_back_first_and_due_at_once() -> None:
    state = new_state(utterance_batch_size=20)
    state.add_utterance(utterance(0), NOW)
    batch, revised = state.take_utterances()
    state.add_utterance(utterance(1), NOW + timedelta(seconds=1))
    state.return_utterances(batch, revised, NOW)
    assert [u.start_ms for u in state.pending_utterances] == [0, 2000]
    assert state.persist_due(NOW + FLUSH, FLUSH)


def test_a_failed_publish_keeps_durable_events_and_drops_stale_live_ones() -> None:
    state = new_state()
    state.emit_live("store", NOW, {"store": "postgres"}, live_for_s=30)
    state.add_utterance(utterance(0), NOW)
    events = state.take_events(NOW)
    assert [e.type for e in events] == ["status", "store", "utterance"]
    state.requeue_events(events)  # Redis was down
    state.add_utterance(utterance(1), NOW + timedelta(seconds=40))
    later = state.take_events(NOW + timedelta(seconds=60))
    assert [e.type for e in later] == ["status", "utterance", "utterance"]
    assert [e.seq for e in later] == sorted(e.seq for e in later)
    assert state.dropped_live_events == 1


def test_a_call_ends_after_its_idle_limit_or_its_maximum_duration() -> None:
    state = new_state(idle_limit_s=600, max_call_duration_s=3600)
    assert state.expired_limit(NOW + timedelta(seconds=599)) is None
    assert state.limit_deadline() == NOW + timedelta(seconds=600)
    assert state.expired_limit(NOW + timedelta(seconds=600)) == "idle"
    for minute in range(0, 70, 5):  # someone speaks every five minutes
        state.add_utterance(utterance(minute), NOW + timedelta(minutes=minute))
    assert state.expired_limit(NOW + timedelta(minutes=59)) is None
    assert state.limit_deadline() == NOW + timedelta(hours=1)
    assert state.expired_limit(NOW + timedelta(hours=1)) == "max_duration"


def test_an_ended_calls_stream_drains_while_it_delivers_turns() -> None:
    idle, longest = timedelta(seconds=20), timedelta(minutes=5)
    state = new_state()
    state.add_utterance(utterance(0), NOW)
    ended = NOW + timedelta(seconds=30)
    # Quiet since before the end: the stream gets `idle` from the end.
    assert state.drain_deadline(ended, idle, longest) == ended + idle
    # A resumed stream catching up: each turn it delivers buys it `idle` more...
    state.add_utterance(utterance(1), ended + timedelta(seconds=15))
    assert state.drain_deadline(ended, idle, longest) == ended + timedelta(seconds=35)
    state.add_utterance(utterance(2), ended + timedelta(seconds=50))
    assert state.drain_deadline(ended, idle, longest) == ended + timedelta(seconds=70)
    # ...but never past `longest` after the end.
    state.add_utterance(utterance(3), ended + timedelta(minutes=4, seconds=50))
    assert state.drain_deadline(ended, idle, longest) == ended + longest
    # A turn the call already has (a re-transcription) is no progress.
    quiet = new_state()
    quiet.add_utterance(utterance(0), NOW)
    assert not quiet.add_utterance(utterance(0), ended + timedelta(seconds=10))
    assert quiet.drain_deadline(ended, idle, longest) == ended + idle


def test_a_failure_and_the_unrecorded_start_survive_continue_as_new() -> None:
    state = new_state()
    assert not state.started_recorded
    state.fail("audio stream failed: corrupt MKV")
    carried = CallState(CallInput("t1", "c1", "c1", carry=state.carry()), NOW)
    assert carried.end_requested and carried.end_reason == "stream_failed"
    assert carried.failure_reason == "audio stream failed: corrupt MKV"
    assert not carried.started_recorded


def test_store_backoff_doubles_to_its_ceiling_and_resets_on_success() -> None:
    backoff = StoreBackoff(initial=timedelta(seconds=1), maximum=timedelta(seconds=5))
    assert backoff.ready(NOW) and not backoff.failing
    delays = []
    for _ in range(5):
        backoff.failed(NOW)
        assert backoff.retry_at is not None
        delays.append((backoff.retry_at - NOW).total_seconds())
    assert delays == [1, 2, 4, 5, 5]
    assert not backoff.ready(NOW + timedelta(seconds=4)) and backoff.ready(
        NOW + timedelta(seconds=5)
    )
    backoff.succeeded()
    assert backoff.ready(NOW) and not backoff.failing


def test_carry_keeps_dedupe_sequence_and_pending_work() -> None:
    state = new_state(continue_as_new_after_utterances=2)
    state.add_utterance(utterance(0), NOW)
    state.take_events(NOW)
    state.add_utterance(utterance(1), NOW)
    assert state.should_continue_as_new(suggested_by_server=False)

    carried = CallInput("t1", "c1", "c1", options=state.options, carry=state.carry())
    resumed = CallState(carried, NOW)
    assert resumed.runs == 2
    assert not resumed.add_utterance(utterance(1), NOW)
    assert [e.seq for e in resumed.take_events(NOW)] == [3]  # the unpublished event, same seq
    assert resumed.add_utterance(utterance(2), NOW)
    assert resumed.take_events(NOW)[0].seq == 4
    assert [u.start_ms for u in resumed.take_utterances()[0]] == [0, 2000, 4000]


def test_ended_call_takes_no_more_utterances() -> None:
    state = new_state()
    state.request_end("api")
    state.set_status(CallStatus.ENDED, NOW)
    assert not state.add_utterance(utterance(0), NOW)
    assert state.snapshot().ended_at == NOW.isoformat()


def test_a_closing_call_takes_no_utterance_it_could_not_store() -> None:
    state = new_state()
    state.set_status(CallStatus.ENDING, NOW)
    state.intake_closed = True
    assert not state.add_utterance(utterance(0), NOW)
    assert not state.pending_utterances


def _revised(i: int, text: str) -> Utterance:
    said = utterance(i)
    return dataclasses.replace(
        said, text=text, pii=[PiiSpan("CREDIT_CARD", said.start_ms, said.end_ms)], timing=None
    )


def test_a_revision_replaces_an_utterance_still_to_be_stored() -> None:
    state = new_state(utterance_batch_size=20)
    state.add_utterance(utterance(0), NOW)
    state.add_utterance(utterance(1), NOW)
    state.take_events(NOW)
    assert state.revise_utterance(_revised(0, "it's [CREDIT_CARD]"), NOW)
    batch, revised = state.take_utterances()
    assert [u.text for u in batch] == ["it's [CREDIT_CARD]", "utterance number 1"]
    assert revised == []
    assert batch[0].timing is not None  # the first delivery's timing stays
    assert state.snapshot().recent_utterances[0].pii[0].type == "CREDIT_CARD"
    event = state.take_events(NOW)[-1]
    assert (event.type, event.data["text"]) == ("utterance_revised", "it's [CREDIT_CARD]")


def test_a_revision_of_a_stored_utterance_is_stored_as_an_update() -> None:
    state = new_state(utterance_batch_size=20)
    state.add_utterance(utterance(0), NOW)
    state.take_utterances()
    later = NOW + timedelta(seconds=1)
    assert state.revise_utterance(_revised(0, "first"), later)
    assert state.records_pending and state.persist_due(later + FLUSH, FLUSH)
    batch, revised = state.take_utterances()
    assert batch == [] and [u.text for u in revised] == ["first"]
    # a failed write puts it back, unless a newer revision came meanwhile
    assert state.revise_utterance(_revised(0, "newer"), later)
    state.return_utterances(batch, revised, later)
    assert [u.text for u in state.pending_revisions] == ["newer"]
    # and it travels across continue-as-new
    resumed = CallState(
        CallInput("t1", "c1", "c1", options=state.options, carry=state.carry()), NOW
    )
    assert [u.text for u in resumed.take_utterances()[1]] == ["newer"]


def test_a_revision_of_audio_the_call_never_took_is_ignored() -> None:
    state = new_state()
    state.add_utterance(utterance(0), NOW)
    assert not state.revise_utterance(_revised(5, "never said"), NOW)
    state.request_end("api")
    state.set_status(CallStatus.ENDED, NOW)
    assert not state.revise_utterance(_revised(0, "too late"), NOW)
    assert not state.pending_revisions
