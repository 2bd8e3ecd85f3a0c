"""One call's audio pipeline: KVS fragments → both tracks into the ASR → utterances.

It knows nothing of Temporal: the caller passes callbacks for final utterances, interim
text and checkpoints. A checkpoint names the fragment to resume after and what each
speaker has already delivered, so a retried pipeline re-reads a little audio and adds
nothing twice. "Delivered" means the utterance callback returned: an utterance the
assembler has cut but not yet handed over never moves the checkpoint.

The reader (KVS → ASR) and the consumer (ASR events → utterances) run side by side in
one task group: when any part fails, the whole run fails at once, so the caller retries
from the last checkpoint instead of carrying on with a dead half.

``Liveness`` says whether a heartbeat is deserved: something advanced since the last
one, or the pipeline provably waits on its source (the reader reading or reconnecting,
the ASR connecting or sending its last results), and no call that must return promptly
(an audio send, an utterance delivery) has hung.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from callguide.metrics import STAGE_LATENCY, seconds_between
from callguide.model import AudioCheckpoint, Speaker, StageTiming, Utterance
from voice.asr.base import AsrResult, AsrStream, AsrUtteranceEnd, StreamingAsr
from voice.kvs_reader import CallAudio, ReaderCheckpoint, StreamEnd
from voice.utterances import InterimText, UtteranceAssembler

SAMPLE_RATE = 8000
CHUNK_MS = 100
# Speech engines cut audio on a frame grid (the local engine's VAD steps 32 ms). A resumed
# stream is padded so its grid lines up with the undisturbed run's and cuts the same turns.
ASR_FRAME_MS = 32
# A silent speaker must not pin the resume point: no single utterance lasts this long.
MAX_RESUME_LOOKBACK_MS = 60_000
# A send to the ASR or an utterance delivery takes milliseconds; one still running after
# this long is hung, and the pipeline stops vouching for itself so it is retried.
STUCK_AFTER_S = 5.0
# When each recent piece of audio arrived, for stamping an utterance with the arrival of
# its last audio: pieces are a KVS fragment (1-2 s) each, so this covers many minutes.
ARRIVALS_KEPT = 2000


def epoch_ms() -> int:
    return time.time_ns() // 1_000_000


class CallAudioSource(Protocol):
    """What the pipeline needs of a reader (KvsCallReader in production)."""

    def audio(self) -> AsyncGenerator[CallAudio, None]: ...

    @property
    def end_reason(self) -> StreamEnd | None: ...

    @property
    def waiting_on_stream(self) -> bool: ...


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
    end: StreamEnd | None = None


class Liveness:
    """Whether the pipeline provably moves; a heartbeat asks ``vouch()`` before beating."""

    def __init__(
        self, *, stuck_after_s: float = STUCK_AFTER_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stuck_after_s = stuck_after_s
        self._clock = clock
        self._advanced = False
        self._busy: dict[int, float] = {}
        self._ids = itertools.count()
        self._waiting: Callable[[], bool] = lambda: False

    def advanced(self) -> None:
        """Progress mark: a fragment went to the ASR, an utterance was delivered."""
        self._advanced = True

    def waiting_on(self, probe: Callable[[], bool]) -> None:
        """Where to learn whether the pipeline is waiting on its source right now."""
        self._waiting = probe

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Around a call that must return promptly; one that does not is a hang."""
        key = next(self._ids)
        self._busy[key] = self._clock()
        try:
            yield
        finally:
            del self._busy[key]

    def stuck(self) -> bool:
        now = self._clock()
        return any(now - since >= self.stuck_after_s for since in self._busy.values())

    def vouch(self) -> bool:
        """True when a heartbeat is deserved now; takes the progress mark."""
        advanced, self._advanced = self._advanced, False
        if self.stuck():
            return False
        return advanced or self._waiting()


@dataclass(frozen=True)
class _FragmentMark:
    fragment_number: str
    continuation_token: str
    start_ms: int
    end_ms: int


def muted_before(pcm: bytes, start_ms: int, until_ms: int) -> bytes:
    """16-bit mono PCM starting at start_ms with the samples before until_ms zeroed."""
    cut = min(len(pcm), max(0, (until_ms - start_ms) * SAMPLE_RATE // 1000 * 2))
    return bytes(cut) + pcm[cut:] if cut else pcm


def interleave(customer: bytes, agent: bytes) -> bytes:
    """Two mono s16le tracks of equal length into one 2-channel s16le stream."""
    left = np.frombuffer(customer, dtype="<i2")
    right = np.frombuffer(agent, dtype="<i2")
    return np.column_stack((left, right)).tobytes()


class CallAudioPipeline:
    def __init__(
        self,
        *,
        reader_factory: Callable[[ReaderCheckpoint | None], CallAudioSource],
        asr: StreamingAsr,
        on_utterance: Callable[[Utterance], Awaitable[None]],
        on_interim: Callable[[InterimText], Awaitable[None]],
        on_checkpoint: Callable[[AudioCheckpoint], None],
        checkpoint: AudioCheckpoint | None = None,
        liveness: Liveness | None = None,
    ) -> None:
        self._start = checkpoint or AudioCheckpoint()
        self._reader = reader_factory(reader_checkpoint(self._start))
        self.liveness = liveness or Liveness()
        self.liveness.waiting_on(self._waiting_on_source)
        self._waiting_on_asr = False
        self._asr = asr
        self._on_utterance = on_utterance
        self._on_interim = on_interim
        self._on_checkpoint = on_checkpoint
        self._lead_ms = self._start.resume_start_ms % ASR_FRAME_MS
        self._assembler = UtteranceAssembler(
            stream_offset_ms=self._start.resume_start_ms - self._lead_ms,
            delivered_ms=self._start.delivered_ms,
        )
        # What the utterance callback has taken, per speaker; the assembler's own
        # watermark runs ahead of it by the utterances still being delivered.
        self._delivered_ms = dict(self._start.delivered_ms)
        self._marks: deque[_FragmentMark] = deque()
        # (audio end in call ms, arrival in epoch ms) per piece of audio read.
        self._arrivals: deque[tuple[int, int]] = deque(maxlen=ARRIVALS_KEPT)
        self._fragments = 0
        self._utterances = 0
        self._audio_end_ms = self._start.resume_start_ms

    async def run(self) -> StreamOutcome:
        try:
            async with asyncio.TaskGroup() as tasks:
                self._waiting_on_asr = True  # connecting, with the ASR's own retries
                try:
                    async with self._asr.stream(sample_rate=SAMPLE_RATE, channels=2) as stream:
                        self._waiting_on_asr = False
                        tasks.create_task(self._consume(stream.events()))
                        await self._feed(stream)
                        # Leaving the block waits for the ASR's last results (bounded by
                        # its close timeout); the consumer delivers them meanwhile.
                        self._waiting_on_asr = True
                finally:
                    self._waiting_on_asr = False
        except BaseExceptionGroup as group:
            raise first_error(group) from None
        for utterance in self._assembler.flush():
            await self._deliver(self._stamped(utterance))
        return StreamOutcome(
            self._fragments, self._utterances, self._audio_end_ms, self._reader.end_reason
        )

    def _waiting_on_source(self) -> bool:
        return self._waiting_on_asr or self._reader.waiting_on_stream

    async def _feed(self, stream: AsrStream) -> None:
        if self._lead_ms:
            await stream.send_audio(bytes(SAMPLE_RATE * 2 * 2 * self._lead_ms // 1000))
        async with contextlib.aclosing(self._reader.audio()) as pieces:
            async for audio in pieces:
                await self._send(stream, audio)
        await stream.finalize()

    async def _send(self, stream: AsrStream, audio: CallAudio) -> None:
        arrived_ms = epoch_ms()
        # A resumed stream re-reads audio a speaker's delivered utterances already cover.
        # It goes to the ASR as silence: the engine then starts that speaker's next turn
        # from the same point, with the same context, as the undisturbed stream did,
        # instead of decoding the tail of a sentence it already sent on its own.
        delivered = self._start.delivered_ms
        stereo = interleave(
            muted_before(
                audio.customer_pcm, audio.start_ms, delivered.get(Speaker.CUSTOMER.value, 0)
            ),
            muted_before(audio.agent_pcm, audio.start_ms, delivered.get(Speaker.AGENT.value, 0)),
        )
        step = SAMPLE_RATE * 2 * 2 * CHUNK_MS // 1000
        for begin in range(0, len(stereo), step):
            with self.liveness.busy():
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
        self._arrivals.append((self._audio_end_ms, arrived_ms))
        self._fragments += 1
        self.liveness.advanced()
        self._on_checkpoint(self.checkpoint())

    async def _consume(self, events: AsyncIterator[AsrResult | AsrUtteranceEnd]) -> None:
        async for event in events:
            for output in self._assembler.on_event(event):
                if isinstance(output, Utterance):
                    await self._deliver(self._stamped(output))
                else:
                    with self.liveness.busy():
                        await self._on_interim(output)

    def _stamped(self, utterance: Utterance) -> Utterance:
        """The utterance with when its last audio arrived and when the ASR finalised it
        (now), the first two stages of its way to the agent; observes the ASR stage."""
        final_ms = epoch_ms()
        received_ms = next(
            (at for end_ms, at in self._arrivals if end_ms >= utterance.end_ms),
            self._arrivals[-1][1] if self._arrivals else None,
        )
        latency_s = seconds_between(received_ms, final_ms)
        if latency_s is not None:
            STAGE_LATENCY.labels(stage="asr_final").observe(latency_s)
        timing = StageTiming(audio_received_ms=received_ms, asr_final_ms=final_ms)
        return dataclasses.replace(utterance, timing=timing)

    async def _deliver(self, utterance: Utterance) -> None:
        """Sends and records an utterance whole: a cancellation waits for both, so the
        checkpoint rarely misses an utterance the call already has. It waits only as long
        as a delivery may take: a hung one must not hold the cancellation up, and one the
        checkpoint misses is delivered again by the retry and deduplicated by the call."""
        delivery = asyncio.ensure_future(self._send_and_record(utterance))
        try:
            await asyncio.shield(delivery)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(delivery, self.liveness.stuck_after_s)
            raise

    async def _send_and_record(self, utterance: Utterance) -> None:
        with self.liveness.busy():
            await self._on_utterance(utterance)
        speaker = utterance.speaker.value
        self._delivered_ms[speaker] = max(self._delivered_ms.get(speaker, 0), utterance.end_ms)
        self._utterances += 1
        self.liveness.advanced()
        self._on_checkpoint(self.checkpoint())

    def checkpoint(self) -> AudioCheckpoint:
        delivered = self._delivered_ms
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


def first_error(group: BaseExceptionGroup) -> BaseException:
    """The failure that brought a task group down (the others were cancelled by it)."""
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            error = first_error(error)
        if not isinstance(error, asyncio.CancelledError):
            return error
    return asyncio.CancelledError()
