"""The call workflow's state machine as a plain class, so unit tests can drive it directly."""

from __future__ import annotations

import dataclasses
from collections import deque
from datetime import datetime
from typing import Any

from callguide.model import CallStatus, Utterance
from workflows.call_types import CallCarry, CallEvent, CallInput, CallSnapshot


def utterance_event_data(utterance: Utterance) -> dict[str, Any]:
    data = dataclasses.asdict(utterance)
    data["speaker"] = utterance.speaker.value
    return data


class CallState:
    def __init__(self, call: CallInput, now: datetime) -> None:
        self.call = call
        self.options = call.options
        self.status = CallStatus.ACTIVE
        self.ended_at: str | None = None
        self.failure_reason: str | None = None
        self.utterances_this_run = 0
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
        self.last_utterance_at = carry.last_utterance_at
        self.end_reason = carry.end_reason
        self.runs = carry.runs
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
        if self.status in (CallStatus.ENDED, CallStatus.FAILED):
            return False
        speaker = utterance.speaker.value
        if utterance.start_ms < self.watermarks_ms.get(speaker, -1):
            return False
        self.watermarks_ms[speaker] = utterance.end_ms
        self.counts[speaker] = self.counts.get(speaker, 0) + 1
        self.utterances_this_run += 1
        self.recent.append(utterance)
        self.pending_utterances.append(utterance)
        self.last_utterance_at = now.isoformat()
        self._emit("utterance", now, utterance_event_data(utterance))
        return True

    def request_end(self, reason: str) -> None:
        if self.end_reason is None:
            self.end_reason = reason

    def set_status(self, status: CallStatus, now: datetime, reason: str | None = None) -> None:
        self.status = status
        data: dict[str, Any] = {"status": status.value}
        if status in (CallStatus.ENDED, CallStatus.FAILED):
            self.ended_at = now.isoformat()
            data["end_reason"] = self.end_reason
        if status is CallStatus.FAILED:
            self.failure_reason = reason
            data["failure_reason"] = reason
        self._emit("status", now, data)

    def take_events(self) -> list[CallEvent]:
        events, self.pending_events = self.pending_events, []
        return events

    def persist_due(self) -> bool:
        return len(self.pending_utterances) >= self.options.utterance_batch_size

    def take_utterances(self) -> list[Utterance]:
        batch, self.pending_utterances = self.pending_utterances, []
        return batch

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
            last_utterance_at=self.last_utterance_at,
            end_reason=self.end_reason,
            runs=self.runs + 1,
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
        )

    def _emit(self, event_type: str, now: datetime, data: dict[str, Any]) -> None:
        event = CallEvent(seq=self.next_event_seq, type=event_type, at=now.isoformat(), data=data)
        self.next_event_seq += 1
        self.pending_events.append(event)
