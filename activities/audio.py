"""The `audio` queue: one long-running activity per call streams its audio through ASR.

Heartbeats prove progress, not liveness: the activity beats only when the pipeline's
``Liveness`` vouches for it (a fragment went to the ASR, an utterance was delivered, or
the reader provably waits on KVS), so a wedged pipeline stops beating and Temporal's
heartbeat timeout retries it from the last checkpoint. Interim text is best-effort: it
goes through a small bounded queue with its own task and never holds up final
utterances.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.exceptions import ApplicationError

from activities.guidance_feed import EarlyPhrases, GuidanceFeed
from activities.live_redaction import LiveRedactor
from callguide.metrics import ACTIVE_CALLS
from callguide.model import AudioCheckpoint, Utterance
from redaction.live import LiveFinal
from storage.redis_streams import CallEventStreams
from voice.asr.base import AsrAuthError, StreamingAsr
from voice.call_audio import CallAudioPipeline, CallAudioSource, Liveness
from voice.kvs_reader import (
    KvsBadSelectorError,
    KvsCorruptMediaError,
    KvsStreamRejectedError,
    ReaderCheckpoint,
    StreamEnd,
)
from voice.utterances import InterimText
from workflows.call import CallWorkflow
from workflows.call_types import (
    STREAM_CALL_AUDIO,
    StreamCallAudio,
    StreamCallAudioResult,
    UtteranceRevision,
)

log = logging.getLogger(__name__)

HEARTBEAT_EVERY_S = 1.0
# Asking the call whether the contact ended must not hold the reader up for long.
STREAM_CONTROL_TIMEOUT = timedelta(seconds=5)
# Interim text is stale within a second or two: a short queue, a short publish timeout.
INTERIM_QUEUE_SIZE = 32
INTERIM_PUBLISH_TIMEOUT_S = 0.5

ContactEnded = Callable[[], Awaitable[bool]]


class ReaderFactory(Protocol):
    def __call__(
        self,
        request: StreamCallAudio,
        resume: ReaderCheckpoint | None,
        *,
        contact_ended: ContactEnded,
    ) -> CallAudioSource: ...


def resume_point(request: StreamCallAudio) -> AudioCheckpoint | None:
    """A retry resumes from its last heartbeat; a first attempt from what the workflow carried."""
    details = activity.info().heartbeat_details
    if details:
        return AudioCheckpoint(**details[0])
    return request.resume


def end_reason(end: StreamEnd | None) -> str:
    """What the call is told about why its stream ended on its own."""
    return "stream_stalled" if end is StreamEnd.STALLED else "stream_ended"


def bad_selector(exc: KvsBadSelectorError) -> ApplicationError:
    """Input the API could not catch (a selector stored before validation, or one KVS
    itself calls invalid) fails the same way on every retry: fail the call once, saying why."""
    return ApplicationError(str(exc), type="KvsBadSelector", non_retryable=True)


class CheckpointHeartbeat:
    """Beats the newest checkpoint each second, but only while the pipeline vouches for it."""

    def __init__(
        self,
        checkpoint: AudioCheckpoint | None,
        liveness: Liveness,
        beat: Callable[..., None] = activity.heartbeat,
    ) -> None:
        self.latest = checkpoint
        self._liveness = liveness
        self._beat = beat

    def record(self, checkpoint: AudioCheckpoint) -> None:
        self.latest = checkpoint

    def tick(self) -> bool:
        if not self._liveness.vouch():
            return False
        self._beat(*([self.latest] if self.latest is not None else []))
        return True

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._beat_while_moving())
        try:
            yield
        finally:
            task.cancel()

    async def _beat_while_moving(self) -> None:
        while True:
            self.tick()
            await asyncio.sleep(HEARTBEAT_EVERY_S)


class InterimPublisher:
    """Publishes interim text on its own task; drops (and counts) what it cannot publish
    promptly, so a slow or broken Redis never delays the call's final utterances."""

    def __init__(
        self,
        publish: Callable[[InterimText], Awaitable[Any]],
        *,
        queue_size: int = INTERIM_QUEUE_SIZE,
        timeout_s: float = INTERIM_PUBLISH_TIMEOUT_S,
    ) -> None:
        self._publish = publish
        self._queue: asyncio.Queue[InterimText] = asyncio.Queue(queue_size)
        self._timeout_s = timeout_s
        self.published = 0
        self.dropped = 0

    async def offer(self, interim: InterimText) -> None:
        """Never waits: a full queue drops the interim."""
        try:
            self._queue.put_nowait(interim)
        except asyncio.QueueFull:
            self.dropped += 1

    @contextlib.asynccontextmanager
    async def running(self, call_id: str) -> AsyncIterator[InterimPublisher]:
        task = asyncio.create_task(self._drain())
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.dropped += self._queue.qsize()
            if self.dropped:
                # Counts only: interim text is PII.
                log.warning(
                    "call %s: %d interim transcripts published, %d dropped",
                    call_id,
                    self.published,
                    self.dropped,
                )

    async def _drain(self) -> None:
        while True:
            interim = await self._queue.get()
            try:
                async with asyncio.timeout(self._timeout_s):
                    await self._publish(interim)
                self.published += 1
            except asyncio.CancelledError:  # the call is over: this one is not published
                self.dropped += 1
                raise
            except Exception:  # Redis down or slow: live text is worth nothing late
                self.dropped += 1


class AudioActivities:
    def __init__(
        self,
        *,
        asr: StreamingAsr,
        streams: CallEventStreams,
        reader_factory: ReaderFactory,
        redactor: LiveRedactor,
        early: EarlyPhrases | None = None,
    ) -> None:
        self._asr = asr
        self._streams = streams
        self._reader_factory = reader_factory
        self.redactor = redactor
        # Phrase reminders spotted in interim text, for the call's guidance (optional).
        self._early = early

    async def deliver_utterance(
        self, workflow: WorkflowHandle[Any, Any], utterance: Utterance
    ) -> None:
        """Hands a final utterance to the call (a seam for fault drills)."""
        await workflow.signal(CallWorkflow.add_utterance, utterance)

    async def deliver_final(
        self, workflow: WorkflowHandle[Any, Any], final: LiveFinal, feed: GuidanceFeed | None
    ) -> None:
        """Hands a redacted final to the call and its guidance, then the revision of the
        speaker's previous turn it brought, if any (the call only: guidance has moved on)."""
        if feed is None:
            await self.deliver_utterance(workflow, final.utterance)
        else:
            # The call and its guidance get the turn at once: a hint does not wait on the
            # call's workflow task (the call, told so, does not hand the turn over again).
            stamped = feed.stamp(final.utterance)
            await asyncio.gather(self.deliver_utterance(workflow, stamped), feed.hand_over(stamped))
        if final.revised is not None:
            await self.deliver_revision(workflow, final.revised)

    async def deliver_revision(
        self, workflow: WorkflowHandle[Any, Any], revised: Utterance
    ) -> None:
        """Hands the call an earlier utterance's revised redaction."""
        await workflow.signal(CallWorkflow.revise_utterance, UtteranceRevision(revised))

    async def publish_interim(self, request: StreamCallAudio, interim: InterimText) -> None:
        # Interim text is no durable fact: it goes to live viewers, never into history.
        data = dataclasses.asdict(interim) | {"speaker": interim.speaker.value}
        event = {"type": "interim", "at": datetime.now(UTC).isoformat(), "data": data}
        await self._streams.publish_transient(request.tenant_id, request.call_id, event)

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream_call_audio(self, request: StreamCallAudio) -> StreamCallAudioResult:
        checkpoint = resume_point(request)
        workflow = activity.client().get_workflow_handle(request.workflow_id)

        async def contact_ended() -> bool:
            try:
                control = await workflow.query(
                    CallWorkflow.stream_control, rpc_timeout=STREAM_CONTROL_TIMEOUT
                )
            except Exception as error:  # not knowing is not an end: keep waiting
                # The type only: a failure's message may quote the workflow's state.
                log.warning(
                    "call %s: stream_control query failed (%s)",
                    request.call_id,
                    type(error).__name__,
                )
                return False
            return bool(control.end_requested)

        async def send_utterance(utterance: Utterance) -> None:
            await self.deliver_final(workflow, await redaction.final(utterance), feed)

        async def publish(interim: InterimText) -> None:
            redacted = await redaction.interim(interim)
            if feed is not None:
                feed.offer(redacted)
            await self.publish_interim(request, redacted)

        interims = InterimPublisher(publish)
        liveness = Liveness()
        heartbeat = CheckpointHeartbeat(checkpoint, liveness)
        try:  # the pipeline builds its reader at once, and the reader checks its selector
            pipeline = CallAudioPipeline(
                reader_factory=lambda resume: self._reader_factory(
                    request, resume, contact_ended=contact_ended
                ),
                asr=self._asr,
                on_utterance=send_utterance,
                on_interim=interims.offer,
                on_checkpoint=heartbeat.record,
                checkpoint=checkpoint,
                liveness=liveness,
            )
        except KvsBadSelectorError as exc:
            raise bad_selector(exc) from exc
        # Text leaves this worker only redacted: finals before they are signalled (and so
        # before they are stored, published or seen by guidance), interims before display.
        redaction = await self.redactor.for_call(request.tenant_id, request.call_id)
        feed = await self._guidance_feed(request)
        try:
            # Counted while this worker streams the call's audio, however the stream ends.
            with ACTIVE_CALLS.track_inprogress():
                async with interims.running(request.call_id), heartbeat.running():
                    outcome = await pipeline.run()
            if feed is not None:
                await feed.settle()
        except asyncio.CancelledError:
            if heartbeat.latest is not None:
                # A continued-as-new run picks the stream up exactly here.
                await workflow.signal(CallWorkflow.audio_handover, heartbeat.latest)
            raise
        except KvsBadSelectorError as exc:
            raise bad_selector(exc) from exc
        except KvsCorruptMediaError as exc:
            raise ApplicationError(str(exc), type="CorruptMedia", non_retryable=True) from exc
        except KvsStreamRejectedError as exc:
            raise ApplicationError(str(exc), type="KvsRejected", non_retryable=True) from exc
        except AsrAuthError as exc:
            raise ApplicationError(str(exc), type="AsrAuth", non_retryable=True) from exc
        finally:
            if feed is not None:
                feed.abandon()  # no-op once settled; a cancelled stream waits for nothing
        return StreamCallAudioResult(
            outcome.fragments, outcome.utterances, outcome.audio_ms, end_reason(outcome.end)
        )

    async def _guidance_feed(self, request: StreamCallAudio) -> GuidanceFeed | None:
        if request.guidance_workflow_id is None:
            return None
        spotter = await self._early.spotter(request.tenant_id) if self._early else None
        guidance = activity.client().get_workflow_handle(request.guidance_workflow_id)
        return GuidanceFeed(guidance=guidance, spotter=spotter)
