"""Light activities of the `calls` queue: recording calls, persisting and publishing."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from temporalio import activity

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


class CallActivities:
    def __init__(self, *, calls: CallStore, streams: CallEventStreams, hints: HintStore) -> None:
        self._calls = calls
        self._streams = streams
        self._hints = hints

    @activity.defn(name=RECORD_CALL_STARTED)
    async def record_call_started(self, started: RecordCallStarted) -> None:
        await self._calls.record_started(
            tenant_id=started.tenant_id,
            call_id=started.call_id,
            contact_id=started.contact_id,
            workflow_id=started.workflow_id,
            started_at=datetime.fromisoformat(started.started_at),
            instance_arn=started.instance_arn,
            stream_arn=started.stream_arn,
        )

    @activity.defn(name=PERSIST_UTTERANCES)
    async def persist_utterances(self, batch: PersistUtterances) -> PersistResult:
        inserted = await self._calls.add_utterances(
            tenant_id=batch.tenant_id, call_id=batch.call_id, utterances=batch.utterances
        )
        await self._hints.add(tenant_id=batch.tenant_id, call_id=batch.call_id, hints=batch.hints)
        await self._hints.record_feedback(
            tenant_id=batch.tenant_id, call_id=batch.call_id, feedback=batch.feedback
        )
        return PersistResult(inserted=inserted)

    @activity.defn(name=PUBLISH_CALL_EVENTS)
    async def publish_call_events(self, batch: PublishCallEvents) -> PublishResult:
        published = await self._streams.publish(
            batch.tenant_id,
            batch.call_id,
            [(e.seq, dataclasses.asdict(e)) for e in batch.events],
            expire_after_s=batch.expire_after_s,
        )
        return PublishResult(published=published)

    @activity.defn(name=RECORD_CALL_FINISHED)
    async def record_call_finished(self, finished: RecordCallFinished) -> None:
        await self._calls.record_finished(
            tenant_id=finished.tenant_id,
            call_id=finished.call_id,
            status=finished.status,
            ended_at=datetime.fromisoformat(finished.ended_at),
            utterance_count=finished.utterance_count,
            end_reason=finished.end_reason,
            failure_reason=finished.failure_reason,
        )
