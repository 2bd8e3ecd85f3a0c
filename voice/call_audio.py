"""One call's audio pipeline: KVS fragments → both tracks into the ASR → utterances.

It knows nothing of Temporal: the caller passes callbacks for final utterances, interim
text and checkpoints. A checkpoint names the fragment to resume after and what each
speaker has already delivered, so a retried pipeline re-reads a little audio and adds
nothing twice.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import numpy as np

from callguide.model import AudioCheckpoint, Speaker, Utterance
from voice.asr.base import AsrResult, AsrStream, AsrUtteranceEnd, StreamingAsr
from voice.kvs_reader import CallAudio, KvsCallReader, ReaderCheckpoint
from voice.utterances import InterimText, UtteranceAssembler

SAMPLE_RATE = 8000
CHUNK_MS = 100
# Speech engines cut audio on a frame grid (the local engine's VAD steps 32 ms). A resumed
# stream is padded so its grid lines up with the undisturbed run's and cuts the same turns.
ASR_FRAME_MS = 32
# A silent speaker must not pin the resume point: no single utterance lasts this long.
MAX_RESUME_LOOKBACK_MS = 60_000


def reader_checkpoint(checkpoint: AudioCheckpoint) -> ReaderCheckpoint | None:
    if checkpoint.resume_after_fragment is None:
        return None
    return ReaderCheckpoint(
        last_fragment_number=checkpoint.resume_after_fragment,
        continuation_token=checkpoint.resume_token or checkpoint.resume_after_fragment,
        next_start_ms=checkpoint.resume_start_ms,
    )


@dataclass
class StreamOutcome:
    fragments: int
    utterances: int
    audio_ms: int


@dataclass(frozen=True)
class _FragmentMark:
    fragment_number: str
    continuation_token: str
    start_ms: int
    end_ms: int


def interleave(customer: bytes, agent: bytes) -> bytes:
    """Two mono s16le tracks of equal length into one 2-channel s16le stream."""
    left = np.frombuffer(customer, dtype="<i2")
    right = np.frombuffer(agent, dtype="<i2")
    return np.column_stack((left, right)).tobytes()


class CallAudioPipeline:
    def __init__(
        self,
        *,
        reader_factory: Callable[[ReaderCheckpoint | None], KvsCallReader],
        asr: StreamingAsr,
        on_utterance: Callable[[Utterance], Awaitable[None]],
        on_interim: Callable[[InterimText], Awaitable[None]],
        on_checkpoint: Callable[[AudioCheckpoint], None],
        checkpoint: AudioCheckpoint | None = None,
    ) -> None:
        self._start = checkpoint or AudioCheckpoint()
        self._reader = reader_factory(reader_checkpoint(self._start))
        self._asr = asr
        self._on_utterance = on_utterance
        self._on_interim = on_interim
        self._on_checkpoint = on_checkpoint
        self._lead_ms = self._start.resume_start_ms % ASR_FRAME_MS
        self._assembler = UtteranceAssembler(
            stream_offset_ms=self._start.resume_start_ms - self._lead_ms,
            delivered_ms=self._start.delivered_ms,
        )
        self._marks: deque[_FragmentMark] = deque()
        self._fragments = 0
        self._utterances = 0
        self._audio_end_ms = self._start.resume_start_ms

    async def run(self) -> StreamOutcome:
        async with self._asr.stream(sample_rate=SAMPLE_RATE, channels=2) as stream:
            consumer = asyncio.create_task(self._consume(stream.events()))
            try:
                if self._lead_ms:
                    await stream.send_audio(bytes(SAMPLE_RATE * 2 * 2 * self._lead_ms // 1000))
                async for audio in self._reader.audio():
                    await self._send(stream, audio)
                await stream.finalize()
            except BaseException:
                consumer.cancel()
                raise
        await consumer
        for utterance in self._assembler.flush():
            await self._deliver(utterance)
        return StreamOutcome(self._fragments, self._utterances, self._audio_end_ms)

    async def _send(self, stream: AsrStream, audio: CallAudio) -> None:
        stereo = interleave(audio.customer_pcm, audio.agent_pcm)
        step = SAMPLE_RATE * 2 * 2 * CHUNK_MS // 1000
        for begin in range(0, len(stereo), step):
            await stream.send_audio(stereo[begin : begin + step])
        duration_ms = len(audio.customer_pcm) * 1000 // (SAMPLE_RATE * 2)
        self._marks.append(
            _FragmentMark(
                audio.fragment_number,
                audio.continuation_token,
                audio.start_ms,
                audio.start_ms + duration_ms,
            )
        )
        self._audio_end_ms = audio.start_ms + duration_ms
        self._fragments += 1
        self._on_checkpoint(self.checkpoint())

    async def _consume(self, events: AsyncIterator[AsrResult | AsrUtteranceEnd]) -> None:
        async for event in events:
            for output in self._assembler.on_event(event):
                if isinstance(output, Utterance):
                    await self._deliver(output)
                else:
                    await self._on_interim(output)

    async def _deliver(self, utterance: Utterance) -> None:
        """Sends and records an utterance whole: a cancellation waits for both, so the
        checkpoint never misses an utterance the call already has."""
        delivery = asyncio.ensure_future(self._send_and_record(utterance))
        try:
            await asyncio.shield(delivery)
        except asyncio.CancelledError:
            await delivery
            raise

    async def _send_and_record(self, utterance: Utterance) -> None:
        await self._on_utterance(utterance)
        self._utterances += 1
        self._on_checkpoint(self.checkpoint())

    def checkpoint(self) -> AudioCheckpoint:
        delivered = self._assembler.delivered_ms
        start = self._start.resume_start_ms
        safe_ms = min(delivered.get(s.value, start) for s in Speaker)
        safe_ms = max(safe_ms, self._audio_end_ms - MAX_RESUME_LOOKBACK_MS)
        # Keep only the fragment before the one holding safe_ms, and everything after it.
        while len(self._marks) > 1 and self._marks[1].end_ms <= safe_ms:
            self._marks.popleft()
        if not self._marks or self._marks[0].end_ms > safe_ms:
            return AudioCheckpoint(
                resume_after_fragment=self._start.resume_after_fragment,
                resume_token=self._start.resume_token,
                resume_start_ms=start,
                delivered_ms=dict(delivered),
            )
        before = self._marks[0]
        return AudioCheckpoint(
            resume_after_fragment=before.fragment_number,
            resume_token=before.continuation_token,
            resume_start_ms=before.end_ms,
            delivered_ms=dict(delivered),
        )
