"""The call workflow's state machine as a plain class, so unit tests can drive it directly."""

from __future__ import annotations

import dataclasses
from collections import deque
from datetime import datetime, timedelta
from typing import Any

from callguide.model import CallStatus, Hint, HintFeedback, StageTiming, Utterance
from workflows.call_types import CallCarry, CallEvent, CallInput, CallSnapshot


def utterance_event_data(utterance: Utterance) -> dict[str, Any]:
    """An utterance as the event stream (Redis, SSE) carries it: never its original text."""
    data = dataclasses.asdict(utterance)
    data.pop("original", None)
    data["speaker"] = utterance.speaker.value
    return data


def hint_event_data(hint: Hint) -> dict[str, Any]:
    """A hint as the event stream (Redis, SSE) carries it."""
    return dataclasses.asdict(hint)


class CallState:
    def __init__(self, call: CallInput, now: datetime) -> None:
        self.call = call
        self.options = call.options
        self.status = CallStatus.ACTIVE
        self.ended_at: str | None = None
        self.utterances_this_run = 0
        # Set once the stream has stopped and the call is being closed: later signals are
        # stale retries, and taking them would publish what is never persisted.
        self.intake_closed = False
        carry = call.carry or CallCarry(
            started_at=now.isoformat(),
            next_event_seq=1,
            watermarks_ms={},
            counts={},
            recent=[],
            pending_events=[],
            pending_utterances=[],
        )
        self.started_at = carry.started_at
        self.next_event_seq = carry.next_event_seq
        self.watermarks_ms = dict(carry.watermarks_ms)
        self.counts = dict(carry.counts)
        self.recent: deque[Utterance] = deque(
            carry.recent, maxlen=self.options.recent_utterance_limit
        )
        self.pending_events = list(carry.pending_events)
        self.pending_utterances = list(carry.pending_utterances)
        self.pending_revisions = list(carry.pending_revisions)
        self.pending_since: datetime | None = now if self.pending_utterances else None
        self.last_utterance_at = carry.last_utterance_at
        self.end_reason = carry.end_reason
        self.failure_reason = carry.failure_reason
        self.runs = carry.runs
        self.started_recorded = call.carry is not None and carry.started_recorded
        self.dropped_live_events = carry.dropped_live_events
        self.guidance_started = carry.guidance_started
        self.recent_hints: deque[Hint] = deque(
            carry.recent_hints, maxlen=self.options.recent_hint_limit
        )
        self.pending_hints = list(carry.pending_hints)
        self.pending_feedback = list(carry.pending_feedback)
        self.hint_feedback = dict(carry.hint_feedback)
        self.late_hints = carry.late_hints
        if self.pending_hints or self.pending_feedback or self.pending_revisions:
            self.pending_since = now
        if call.carry is None:
            self._emit("status", now, {"status": self.status.value})

    @property
    def utterance_count(self) -> int:
        return sum(self.counts.values())

    @property
    def end_requested(self) -> bool:
        return self.end_reason is not None

    def add_utterance(self, utterance: Utterance, now: datetime) -> bool:
        """Takes a final utterance unless it starts inside audio already covered.

        Turns on one track never overlap, so an utterance starting before the speaker's
        last accepted end is a re-transcription of audio the call already has.
        """
        if self.intake_closed or self.status in (CallStatus.ENDED, CallStatus.FAILED):
            return False
        speaker = utterance.speaker.value
        if utterance.start_ms < self.watermarks_ms.get(speaker, -1):
            return False
        self.watermarks_ms[speaker] = utterance.end_ms
        # The signal stage ends here; `now` is workflow time, so a replay stamps the same.
        timing = dataclasses.replace(
            utterance.timing or StageTiming(), signalled_ms=int(now.timestamp() * 1000)
        )
        utterance = dataclasses.replace(utterance, timing=timing)
        self.counts[speaker] = self.counts.get(speaker, 0) + 1
        self.utterances_this_run += 1
        self.recent.append(utterance)
        self.pending_utterances.append(utterance)
        if self.pending_since is None:
            self.pending_since = now
        self.last_utterance_at = now.isoformat()
        self._emit("utterance", now, utterance_event_data(utterance))
        return True

    def revise_utterance(self, utterance: Utterance, now: datetime) -> bool:
        """Takes the revised redaction of an utterance the call has among its recent turns
        (the same audio span): it replaces the old one there and in what is still to be
        stored, or is stored as an update. Its timing stays the first delivery's."""
        if self.intake_closed or self.status in (CallStatus.ENDED, CallStatus.FAILED):
            return False
        span = utterance.span
        known = next((u for u in self.recent if u.span == span), None)
        if known is None:
            return False  # never taken (a re-transcription), or long since out of view
        utterance = dataclasses.replace(utterance, timing=known.timing)
        self.recent = deque(
            (utterance if u.span == span else u for u in self.recent), maxlen=self.recent.maxlen
        )
        if any(u.span == span for u in self.pending_utterances):
            self.pending_utterances = [
                utterance if u.span == span else u for u in self.pending_utterances
            ]
        else:
            self.pending_revisions = [u for u in self.pending_revisions if u.span != span]
            self.pending_revisions.append(utterance)
            self._records_pending(now)
        self._emit("utterance_revised", now, utterance_event_data(utterance))
        return True

    def add_hint(self, hint: Hint, now: datetime, deliver_by: datetime | None = None) -> bool:
        """Takes a hint from the call's guidance, unless it is a re-delivery, the call is
        closing, or it comes after its deadline (dropped and counted: never shown late)."""
        if self.intake_closed or self.status in (CallStatus.ENDED, CallStatus.FAILED):
            return False
        if deliver_by is not None and now > deliver_by:
            self.late_hints += 1
            return False
        if any(h.hint_id == hint.hint_id for h in self.recent_hints):
            return False
        # when the agent saw it: as guidance showed it, or now (workflow time)
        hint = dataclasses.replace(hint, delivered_at=hint.delivered_at or now.isoformat())
        self.recent_hints.append(hint)
        self.pending_hints.append(hint)
        self._records_pending(now)
        live_for = datetime.fromisoformat(hint.expires_at) - datetime.fromisoformat(hint.created_at)
        self._emit("hint", now, hint_event_data(hint), max(1, int(live_for.total_seconds())))
        return True

    def add_feedback(self, feedback: HintFeedback, now: datetime) -> None:
        """Records the agent's feedback on a hint; the API checked that the hint exists."""
        self.hint_feedback[feedback.hint_id] = feedback.feedback.value
        self.pending_feedback.append(feedback)
        self._records_pending(now)
        self._emit(
            "hint_feedback",
            now,
            {"hint_id": feedback.hint_id, "feedback": feedback.feedback.value, "at": feedback.at},
        )

    @property
    def records_pending(self) -> bool:
        return bool(
            self.pending_utterances
            or self.pending_hints
            or self.pending_feedback
            or self.pending_revisions
        )

    def take_hint_records(self) -> tuple[list[Hint], list[HintFeedback]]:
        hints, self.pending_hints = self.pending_hints, []
        feedback, self.pending_feedback = self.pending_feedback, []
        return hints, feedback

    def return_hint_records(self, hints: list[Hint], feedback: list[HintFeedback]) -> None:
        self.pending_hints = hints + self.pending_hints
        self.pending_feedback = feedback + self.pending_feedback

    def _records_pending(self, now: datetime) -> None:
        if self.pending_since is None:
            self.pending_since = now

    def request_end(self, reason: str) -> None:
        if self.end_reason is None:
            self.end_reason = reason

    def fail(self, reason: str) -> None:
        """Records why the call failed; it ends as failed whatever ends it first."""
        self.request_end("stream_failed")
        if self.failure_reason is None:
            self.failure_reason = reason

    def limit_deadline(self) -> datetime:
        """When the call ends on its own unless something happens first."""
        started = datetime.fromisoformat(self.started_at)
        last = datetime.fromisoformat(self.last_utterance_at or self.started_at)
        return min(
            started + timedelta(seconds=self.options.max_call_duration_s),
            last + timedelta(seconds=self.options.idle_limit_s),
        )

    def drain_deadline(self, ended_at: datetime, idle: timedelta, longest: timedelta) -> datetime:
        """Until when an ended call's stream may go on transcribing audio in flight.

        `idle` past the end or the last utterance, whichever is later: a stream that keeps
        delivering turns (one resumed after a worker failover, catching up on the audio it
        missed) finishes them, one that went quiet is stopped. Never past `longest`.
        """
        last = datetime.fromisoformat(self.last_utterance_at or self.started_at)
        return min(ended_at + longest, max(ended_at, last) + idle)

    def expired_limit(self, now: datetime) -> str | None:
        """The end reason once a lifetime limit has passed: a lost hang-up ends here."""
        started = datetime.fromisoformat(self.started_at)
        if now >= started + timedelta(seconds=self.options.max_call_duration_s):
            return "max_duration"
        last = datetime.fromisoformat(self.last_utterance_at or self.started_at)
        if now >= last + timedelta(seconds=self.options.idle_limit_s):
            return "idle"
        return None

    def set_status(self, status: CallStatus, now: datetime) -> None:
        self.status = status
        data: dict[str, Any] = {"status": status.value}
        if status in (CallStatus.ENDED, CallStatus.FAILED):
            self.ended_at = now.isoformat()
            data["end_reason"] = self.end_reason
        if status is CallStatus.FAILED:
            data["failure_reason"] = self.failure_reason
        self._emit("status", now, data)

    def take_events(self, now: datetime) -> list[CallEvent]:
        """Everything to publish now; live events that went stale waiting are dropped."""
        events, self.pending_events = self.pending_events, []
        fresh = [e for e in events if not _stale(e, now)]
        self.dropped_live_events += len(events) - len(fresh)
        return fresh

    def requeue_events(self, events: list[CallEvent]) -> None:
        """Puts back events a failed publish did not deliver, ahead of newer ones."""
        self.pending_events = sorted(events + self.pending_events, key=lambda e: e.seq)

    def drop_pending_events(self) -> None:
        self.dropped_live_events += len(self.pending_events)
        self.pending_events = []

    def persist_due(self, now: datetime, flush_interval: timedelta) -> bool:
        """A full batch, or records that have waited the flush interval."""
        if len(self.pending_utterances) >= self.options.utterance_batch_size:
            return True
        return self.pending_since is not None and now >= self.pending_since + flush_interval

    def take_utterances(self) -> tuple[list[Utterance], list[Utterance]]:
        """The utterances to store and the stored ones to update; pending hints and
        feedback go with them (take_hint_records), so all wait for the same flush."""
        batch, self.pending_utterances = self.pending_utterances, []
        revised, self.pending_revisions = self.pending_revisions, []
        self.pending_since = None
        return batch, revised

    def return_utterances(
        self, batch: list[Utterance], revised: list[Utterance], since: datetime
    ) -> None:
        """Puts back a batch a failed write did not store; it is due again at once. A
        revision that came meanwhile is newer than the one put back."""
        self.pending_utterances = batch + self.pending_utterances
        newer = {u.span for u in self.pending_revisions}
        self.pending_revisions = [u for u in revised if u.span not in newer] + (
            self.pending_revisions
        )
        self.pending_since = min(since, self.pending_since or since)

    def emit_live(
        self, event_type: str, now: datetime, data: dict[str, Any], live_for_s: int
    ) -> None:
        self._emit(event_type, now, data, live_for_s)

    def should_continue_as_new(self, suggested_by_server: bool) -> bool:
        limit = self.options.continue_as_new_after_utterances
        return suggested_by_server or self.utterances_this_run >= limit

    def carry(self) -> CallCarry:
        return CallCarry(
            started_at=self.started_at,
            next_event_seq=self.next_event_seq,
            watermarks_ms=dict(self.watermarks_ms),
            counts=dict(self.counts),
            recent=list(self.recent),
            pending_events=list(self.pending_events),
            pending_utterances=list(self.pending_utterances),
            pending_revisions=list(self.pending_revisions),
            last_utterance_at=self.last_utterance_at,
            end_reason=self.end_reason,
            runs=self.runs + 1,
            failure_reason=self.failure_reason,
            started_recorded=self.started_recorded,
            dropped_live_events=self.dropped_live_events,
            guidance_started=self.guidance_started,
            recent_hints=list(self.recent_hints),
            pending_hints=list(self.pending_hints),
            pending_feedback=list(self.pending_feedback),
            hint_feedback=dict(self.hint_feedback),
            late_hints=self.late_hints,
        )

    def snapshot(self) -> CallSnapshot:
        return CallSnapshot(
            tenant_id=self.call.tenant_id,
            call_id=self.call.call_id,
            contact_id=self.call.contact_id,
            status=self.status.value,
            started_at=self.started_at,
            utterance_count=self.utterance_count,
            counts=dict(self.counts),
            recent_utterances=list(self.recent),
            last_utterance_at=self.last_utterance_at,
            ended_at=self.ended_at,
            end_reason=self.end_reason,
            failure_reason=self.failure_reason,
            runs=self.runs,
            hints=list(self.recent_hints),
            hint_feedback=dict(self.hint_feedback),
        )

    def _emit(
        self, event_type: str, now: datetime, data: dict[str, Any], live_for_s: int | None = None
    ) -> None:
        event = CallEvent(self.next_event_seq, event_type, now.isoformat(), data, live_for_s)
        self.next_event_seq += 1
        self.pending_events.append(event)


def _stale(event: CallEvent, now: datetime) -> bool:
    if event.live_for_s is None:
        return False
    return now > datetime.fromisoformat(event.at) + timedelta(seconds=event.live_for_s)
