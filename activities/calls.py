"""Light activities of the `calls` queue: recording calls, persisting and publishing.

Each write is followed by its analytics events (analytics.events: ids, times and counts,
never text) in the PostgreSQL outbox; a retried activity writes them again and
ClickHouse collapses the repeats. Per-stage latencies go through the in-process
LatencyRecorder, so the live publish path never waits on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from temporalio import activity

from analytics import events
from analytics.latency import LatencyRecorder
from callguide.metrics import LATE_HINTS_DROPPED
from callguide.model import Hint, Utterance
from storage.analytics_outbox import AnalyticsOutbox
from storage.calls import CallStore
from storage.hints import HintStore
from storage.redis_streams import CallEventStreams
from workflows.call_types import (
    PERSIST_UTTERANCES,
    PUBLISH_CALL_EVENTS,
    RECORD_CALL_FINISHED,
    RECORD_CALL_STARTED,
    PersistResult,
    PersistUtterances,
    PublishCallEvents,
    PublishResult,
    RecordCallFinished,
    RecordCallStarted,
)


def _now_ms() -> int:
    return int(time.time() * 1000)


def utterance_key(speaker: str, start_ms: int, end_ms: int) -> str:
    """An utterance's latency sample key: its audio span, which identifies it."""
    return f"{speaker}:{start_ms}:{end_ms}"


def _iso_ms(value: str | None) -> int | None:
    return None if value is None else int(datetime.fromisoformat(value).timestamp() * 1000)


class CallActivities:
    def __init__(
        self,
        *,
        calls: CallStore,
        streams: CallEventStreams,
        hints: HintStore,
        outbox: AnalyticsOutbox | None = None,
        latency: LatencyRecorder | None = None,
    ) -> None:
        self._calls = calls
        self._streams = streams
        self._hints = hints
        self._outbox = outbox
        self._latency = latency

    @activity.defn(name=RECORD_CALL_STARTED)
    async def record_call_started(self, started: RecordCallStarted) -> None:
        started_at = datetime.fromisoformat(started.started_at)
        await self._calls.record_started(
            tenant_id=started.tenant_id,
            call_id=started.call_id,
            contact_id=started.contact_id,
            workflow_id=started.workflow_id,
            started_at=started_at,
            instance_arn=started.instance_arn,
            stream_arn=started.stream_arn,
        )
        if self._outbox is not None:
            await self._outbox.add(
                [
                    events.call_started(
                        tenant_id=started.tenant_id,
                        call_id=started.call_id,
                        started_at=started_at,
                    )
                ]
            )

    @activity.defn(name=PERSIST_UTTERANCES)
    async def persist_utterances(self, batch: PersistUtterances) -> PersistResult:
        inserted = await self._calls.add_utterances(
            tenant_id=batch.tenant_id, call_id=batch.call_id, utterances=batch.utterances
        )
        await self._calls.revise_utterances(
            tenant_id=batch.tenant_id, call_id=batch.call_id, utterances=batch.revised
        )
        await self._hints.add(tenant_id=batch.tenant_id, call_id=batch.call_id, hints=batch.hints)
        await self._hints.record_feedback(
            tenant_id=batch.tenant_id, call_id=batch.call_id, feedback=batch.feedback
        )
        self._record_stored_latency(batch.tenant_id, batch.call_id, batch.utterances, batch.hints)
        if self._outbox is not None:
            tenant, call = batch.tenant_id, batch.call_id
            await self._outbox.add(
                # a revision's event replaces the utterance's row (same key, newer outbox id)
                [
                    events.utterance(tenant_id=tenant, call_id=call, said=u)
                    for u in [*batch.utterances, *batch.revised]
                ]
                + [events.hint_shown(tenant_id=tenant, call_id=call, hint=h) for h in batch.hints]
                + [
                    events.hint_feedback(tenant_id=tenant, call_id=call, feedback=f)
                    for f in batch.feedback
                ]
            )
        return PersistResult(inserted=inserted)

    def _record_stored_latency(
        self,
        tenant_id: str,
        call_id: str,
        utterances: Sequence[Utterance],
        hints: Sequence[Hint],
    ) -> None:
        """asr_final, signal and persisted for each stamped utterance; hint_delivered for
        each hint. Times not stamped yet (None) give no sample."""
        if self._latency is None:
            return
        now = _now_ms()
        for said in utterances:
            timing = said.timing
            if timing is None or timing.asr_final_ms is None:
                continue
            key = utterance_key(said.speaker.value, said.start_ms, said.end_ms)
            stages = {"persisted": now - timing.asr_final_ms}
            if timing.audio_received_ms is not None:
                stages["asr_final"] = timing.asr_final_ms - timing.audio_received_ms
            if timing.signalled_ms is not None:
                stages["signal"] = timing.signalled_ms - timing.asr_final_ms
            for stage, ms in stages.items():
                self._latency.record(
                    tenant_id=tenant_id, call_id=call_id, stage=stage, sample_key=key, ms=ms
                )
        for hint in hints:
            accepted, delivered = _iso_ms(hint.turn_accepted_at), _iso_ms(hint.delivered_at)
            if accepted is None or delivered is None:
                continue
            self._latency.record(
                tenant_id=tenant_id,
                call_id=call_id,
                stage="hint_delivered",
                sample_key=hint.hint_id,
                ms=delivered - accepted,
            )

    @activity.defn(name=PUBLISH_CALL_EVENTS)
    async def publish_call_events(self, batch: PublishCallEvents) -> PublishResult:
        published = await self._streams.publish(
            batch.tenant_id,
            batch.call_id,
            [(e.seq, dataclasses.asdict(e)) for e in batch.events],
            expire_after_s=batch.expire_after_s,
        )
        if self._latency is not None:
            now = _now_ms()
            for event in batch.events:
                if event.type == "utterance":
                    self._record_published(batch.tenant_id, batch.call_id, event.data, now)
        return PublishResult(published=published)

    def _record_published(
        self, tenant_id: str, call_id: str, data: dict[str, Any], now_ms: int
    ) -> None:
        assert self._latency is not None
        timing = data.get("timing") or {}
        asr_final_ms = timing.get("asr_final_ms")
        if asr_final_ms is None:
            return
        key = utterance_key(
            str(data.get("speaker")), data.get("start_ms", 0), data.get("end_ms", 0)
        )
        self._latency.record(
            tenant_id=tenant_id,
            call_id=call_id,
            stage="published",
            sample_key=key,
            ms=now_ms - asr_final_ms,
        )

    @activity.defn(name=RECORD_CALL_FINISHED)
    async def record_call_finished(self, finished: RecordCallFinished) -> None:
        ended_at = datetime.fromisoformat(finished.ended_at)
        await self._calls.record_finished(
            tenant_id=finished.tenant_id,
            call_id=finished.call_id,
            status=finished.status,
            ended_at=ended_at,
            utterance_count=finished.utterance_count,
            end_reason=finished.end_reason,
            failure_reason=finished.failure_reason,
        )
        if finished.late_hints and activity.info().attempt == 1:  # a retry counts nothing again
            LATE_HINTS_DROPPED.inc(finished.late_hints)
        if self._outbox is None:
            return
        record = await self._calls.get(finished.tenant_id, finished.call_id)
        await self._outbox.add(
            [
                events.call_finished(
                    tenant_id=finished.tenant_id,
                    call_id=finished.call_id,
                    status=finished.status,
                    ended_at=ended_at,
                    started_at=record.started_at if record else None,
                    utterance_count=finished.utterance_count,
                    end_reason=finished.end_reason,
                    failure_reason=finished.failure_reason,
                    late_hints=finished.late_hints,
                )
            ]
        )
