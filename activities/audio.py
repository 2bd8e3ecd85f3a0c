"""The `audio` queue: one long-running activity per call streams its audio through ASR."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from callguide.model import AudioCheckpoint, Utterance
from storage.redis_streams import CallEventStreams
from voice.asr.base import AsrAuthError, StreamingAsr
from voice.call_audio import CallAudioPipeline
from voice.kvs_reader import (
    KvsCallReader,
    KvsCorruptMediaError,
    KvsStreamRejectedError,
    ReaderCheckpoint,
)
from voice.utterances import InterimText
from workflows.call import CallWorkflow
from workflows.call_types import STREAM_CALL_AUDIO, StreamCallAudio, StreamCallAudioResult

HEARTBEAT_EVERY_S = 1.0
ReaderFactory = Callable[[StreamCallAudio, ReaderCheckpoint | None], KvsCallReader]


def resume_point(request: StreamCallAudio) -> AudioCheckpoint | None:
    """A retry resumes from its last heartbeat; a first attempt from what the workflow carried."""
    details = activity.info().heartbeat_details
    if details:
        return AudioCheckpoint(**details[0])
    return request.resume


class CheckpointHeartbeat:
    """Heartbeats the newest checkpoint steadily, also while KVS or the ASR is quiet."""

    def __init__(self, checkpoint: AudioCheckpoint | None) -> None:
        self.latest = checkpoint

    def record(self, checkpoint: AudioCheckpoint) -> None:
        self.latest = checkpoint

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._beat())
        try:
            yield
        finally:
            task.cancel()

    async def _beat(self) -> None:
        while True:
            activity.heartbeat(*([self.latest] if self.latest is not None else []))
            await asyncio.sleep(HEARTBEAT_EVERY_S)


class AudioActivities:
    def __init__(
        self, *, asr: StreamingAsr, streams: CallEventStreams, reader_factory: ReaderFactory
    ) -> None:
        self._asr = asr
        self._streams = streams
        self._reader_factory = reader_factory

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream_call_audio(self, request: StreamCallAudio) -> StreamCallAudioResult:
        checkpoint = resume_point(request)
        heartbeat = CheckpointHeartbeat(checkpoint)
        workflow = activity.client().get_workflow_handle(request.workflow_id)

        async def send_utterance(utterance: Utterance) -> None:
            await workflow.signal(CallWorkflow.add_utterance, utterance)

        async def publish_interim(interim: InterimText) -> None:
            # Interim text is no durable fact: it goes to live viewers, never into history.
            data = dataclasses.asdict(interim) | {"speaker": interim.speaker.value}
            event = {"type": "interim", "at": datetime.now(UTC).isoformat(), "data": data}
            await self._streams.publish_transient(request.tenant_id, request.call_id, event)

        pipeline = CallAudioPipeline(
            reader_factory=lambda resume: self._reader_factory(request, resume),
            asr=self._asr,
            on_utterance=send_utterance,
            on_interim=publish_interim,
            on_checkpoint=heartbeat.record,
            checkpoint=checkpoint,
        )
        try:
            async with heartbeat.running():
                outcome = await pipeline.run()
        except asyncio.CancelledError:
            if heartbeat.latest is not None:
                # A continued-as-new run picks the stream up exactly here.
                await workflow.signal(CallWorkflow.audio_handover, heartbeat.latest)
            raise
        except KvsCorruptMediaError as exc:
            raise ApplicationError(str(exc), type="CorruptMedia", non_retryable=True) from exc
        except KvsStreamRejectedError as exc:
            raise ApplicationError(str(exc), type="KvsRejected", non_retryable=True) from exc
        except AsrAuthError as exc:
            raise ApplicationError(str(exc), type="AsrAuth", non_retryable=True) from exc
        return StreamCallAudioResult(outcome.fragments, outcome.utterances, outcome.audio_ms)
