"""CallAudioPipeline on fakes: failures end the run at once, checkpoints trail delivery,
and Liveness vouches only for a pipeline that moves."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from callguide.model import AudioCheckpoint, Utterance
from voice.asr.base import AsrResult, AsrUtteranceEnd, AsrWord
from voice.call_audio import CallAudioPipeline, Liveness, muted_before
from voice.kvs_reader import CallAudio, KvsCorruptMediaError, ReaderCheckpoint, StreamEnd
from voice.utterances import InterimText

FRAGMENT_MS = 100
FRAGMENT_BYTES = 8 * FRAGMENT_MS * 2  # 8 kHz s16le mono


class FakeReader:
    """Fragments of silence every `every_s`, `count` of them (None: without end)."""

    def __init__(
        self, *, count: int | None, every_s: float = 0.005, fail_at: int | None = None
    ) -> None:
        self._count = count
        self._every_s = every_s
        self._fail_at = fail_at
        self.end_reason: StreamEnd | None = None
        self.waiting_on_stream = False
        self.yielded = 0

    async def audio(self) -> AsyncGenerator[CallAudio, None]:
        self.waiting_on_stream = True
        try:
            while self._count is None or self.yielded < self._count:
                await asyncio.sleep(self._every_s)
                if self.yielded == self._fail_at:
                    raise KvsCorruptMediaError("1", 42, "broken")
                number = str(1000 + self.yielded)
                piece = CallAudio(
                    number, number, 0.0, self.yielded * FRAGMENT_MS, *[bytes(FRAGMENT_BYTES)] * 2
                )
                self.yielded += 1
                self.waiting_on_stream = False
                yield piece
                self.waiting_on_stream = True
            self.end_reason = StreamEnd.CONTACT_ENDED
        finally:
            self.waiting_on_stream = False


class FakeStream:
    """Each fragment's worth of audio comes back as one finished customer utterance."""

    def __init__(self, hang_sends_after: int | None) -> None:
        self._events: asyncio.Queue[AsrResult | AsrUtteranceEnd | None] = asyncio.Queue()
        self._bytes = 0
        self._hang_sends_after = hang_sends_after
        self._sent_fragments = 0

    async def send_audio(self, pcm: bytes) -> None:
        if self._hang_sends_after is not None and self._sent_fragments >= self._hang_sends_after:
            await asyncio.Event().wait()  # an ASR send that never returns
        self._bytes += len(pcm)
        while self._bytes >= 2 * FRAGMENT_BYTES:
            self._bytes -= 2 * FRAGMENT_BYTES
            start = self._sent_fragments * FRAGMENT_MS / 1000
            end = start + FRAGMENT_MS / 2000
            word = AsrWord(f"w{self._sent_fragments}", start, end, 0.9)
            self._sent_fragments += 1
            self._events.put_nowait(
                AsrResult(0, True, True, word.word, [word], start_s=start, end_s=end)
            )

    async def finalize(self) -> None:
        pass

    def close(self) -> None:
        self._events.put_nowait(None)

    async def _iterate(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        while (event := await self._events.get()) is not None:
            yield event

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._iterate()


class FakeAsr:
    def __init__(self, hang_sends_after: int | None = None) -> None:
        self._hang_sends_after = hang_sends_after

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[FakeStream]:
        stream = FakeStream(self._hang_sends_after)
        try:
            yield stream
        finally:
            stream.close()


@dataclass
class Recorder:
    """The callbacks a caller passes; `deliver` decides what a delivery does."""

    deliver: Callable[[Utterance], Awaitable[None]] | None = None
    delivered: list[Utterance] = field(default_factory=list)
    checkpoints: list[AudioCheckpoint] = field(default_factory=list)

    async def on_utterance(self, utterance: Utterance) -> None:
        if self.deliver is not None:
            await self.deliver(utterance)
        self.delivered.append(utterance)

    async def on_interim(self, interim: InterimText) -> None:
        pass

    def on_checkpoint(self, checkpoint: AudioCheckpoint) -> None:
        self.checkpoints.append(checkpoint)


def pipeline(
    reader: FakeReader, recorder: Recorder, asr: FakeAsr | None = None, **options: object
) -> CallAudioPipeline:
    def reader_factory(resume: ReaderCheckpoint | None) -> FakeReader:
        return reader

    return CallAudioPipeline(
        reader_factory=reader_factory,
        asr=asr or FakeAsr(),
        on_utterance=recorder.on_utterance,
        on_interim=recorder.on_interim,
        on_checkpoint=recorder.on_checkpoint,
        **options,  # type: ignore[arg-type]
    )


async def test_a_whole_call_delivers_every_utterance() -> None:
    recorder = Recorder()
    outcome = await pipeline(FakeReader(count=5), recorder).run()
    assert [u.text for u in recorder.delivered] == [f"w{i}" for i in range(5)]
    assert (outcome.fragments, outcome.utterances, outcome.audio_ms) == (5, 5, 500)
    assert outcome.end is StreamEnd.CONTACT_ENDED
    assert recorder.checkpoints[-1].delivered_ms == {"customer": 450}


async def test_a_failing_consumer_fails_the_run_at_once() -> None:
    class SignalFailed(Exception):
        pass

    async def fail_on_the_third(utterance: Utterance) -> None:
        if utterance.text == "w2":
            raise SignalFailed("the workflow is unreachable")

    recorder = Recorder(deliver=fail_on_the_third)
    reader = FakeReader(count=None)  # the call would go on for ever
    began = time.monotonic()
    with pytest.raises(SignalFailed):
        await asyncio.wait_for(pipeline(reader, recorder).run(), timeout=5)
    assert time.monotonic() - began < 1
    assert [u.text for u in recorder.delivered] == ["w0", "w1"]
    # No checkpoint claims the utterance that never arrived (w2 ends at 250 ms).
    assert all(c.delivered_ms.get("customer", 0) <= 150 for c in recorder.checkpoints)


async def test_a_failing_reader_fails_the_run_with_its_own_error() -> None:
    with pytest.raises(KvsCorruptMediaError, match="corrupt MKV at byte offset 42"):
        await pipeline(FakeReader(count=10, fail_at=3), Recorder()).run()


async def test_checkpoints_trail_an_utterance_still_being_delivered() -> None:
    released = asyncio.Event()

    async def slow_second(utterance: Utterance) -> None:
        if utterance.text == "w1":
            await released.wait()

    recorder = Recorder(deliver=slow_second)
    run = asyncio.create_task(pipeline(FakeReader(count=30), recorder).run())
    await asyncio.sleep(0.3)  # fragments keep flowing meanwhile
    assert len(recorder.checkpoints) >= 20
    assert all(c.delivered_ms.get("customer", 0) <= 50 for c in recorder.checkpoints)
    released.set()
    await run
    assert recorder.checkpoints[-1].delivered_ms == {"customer": 2950}


# --- liveness ---------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_liveness_vouches_once_per_progress_mark() -> None:
    liveness = Liveness(stuck_after_s=5, clock=Clock())
    assert not liveness.vouch()
    liveness.advanced()
    assert liveness.vouch()
    assert not liveness.vouch()  # nothing new since


def test_liveness_vouches_while_waiting_on_the_stream() -> None:
    waiting = [True]
    liveness = Liveness(stuck_after_s=5, clock=Clock())
    liveness.waiting_on(lambda: waiting[0])
    assert liveness.vouch() and liveness.vouch()
    waiting[0] = False
    assert not liveness.vouch()


def test_liveness_refuses_while_a_call_hangs() -> None:
    clock = Clock()
    liveness = Liveness(stuck_after_s=5, clock=clock)
    liveness.waiting_on(lambda: True)
    with liveness.busy():
        clock.now += 4.9
        liveness.advanced()
        assert liveness.vouch()  # slow, not yet hung
        clock.now += 0.2
        liveness.advanced()
        assert liveness.stuck() and not liveness.vouch()
    assert liveness.vouch()  # it returned after all


async def watch(liveness: Liveness, seconds: float) -> list[bool]:
    verdicts = []
    for _ in range(round(seconds / 0.05)):
        await asyncio.sleep(0.05)
        verdicts.append(liveness.vouch())
    return verdicts


async def test_a_consumer_stuck_in_a_delivery_stops_the_vouching() -> None:
    async def hang(utterance: Utterance) -> None:
        if utterance.text == "w3":
            await asyncio.Event().wait()  # a signal call that never returns

    liveness = Liveness(stuck_after_s=0.3)
    reader = FakeReader(count=None, every_s=0.02)
    run = asyncio.create_task(pipeline(reader, Recorder(deliver=hang), liveness=liveness).run())
    verdicts = await watch(liveness, 1.5)
    run.cancel()  # a hung delivery does not hold the cancellation up for long
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(run, 2)
    assert verdicts[0]  # it was moving
    assert reader.yielded > 20  # audio kept flowing, yet:
    assert not any(verdicts[-10:])


async def test_an_asr_send_that_never_returns_stops_the_vouching() -> None:
    liveness = Liveness(stuck_after_s=0.3)
    asr = FakeAsr(hang_sends_after=3)
    run = asyncio.create_task(
        pipeline(FakeReader(count=None), Recorder(), asr, liveness=liveness).run()
    )
    verdicts = await watch(liveness, 1.0)
    run.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await run
    assert verdicts[0] and not any(verdicts[-10:])


async def test_a_quiet_stream_keeps_the_vouching() -> None:
    liveness = Liveness(stuck_after_s=0.3)
    reader = FakeReader(count=2, every_s=0.6)  # a slow stream: the reader waits on KVS
    run = asyncio.create_task(pipeline(reader, Recorder(), liveness=liveness).run())
    verdicts = await watch(liveness, 1.0)
    await run
    assert all(verdicts)


def test_a_resumed_stream_hears_delivered_audio_as_silence() -> None:
    pcm = b"\x01\x02" * 8000  # one second at 8 kHz, starting at 10 s on the call clock
    muted = muted_before(pcm, 10_000, 10_250)
    assert muted[:4000] == bytes(4000)  # the first 250 ms: 2000 samples
    assert muted[4000:] == pcm[4000:] and len(muted) == len(pcm)
    assert muted_before(pcm, 10_000, 9_000) == pcm  # delivered before this fragment
    assert muted_before(pcm, 10_000, 12_000) == bytes(len(pcm))  # all delivered already
