"""End to end: espeak-ng speech -> DeepgramAsr (deepgram-sdk) -> local Deepgram-protocol
server -> faster-whisper, and back. Nothing is mocked: real model, server and SDK."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import subprocess
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from voice.asr.base import AsrAuthError, AsrResult, AsrUtteranceEnd, StreamingAsr
from voice.asr.deepgram import DeepgramAsr, ReconnectPolicy
from voice.asr.local_engine import LocalAsr, LocalResult, WhisperEngine
from voice.asr.segmenter import EndpointConfig
from voice.asr.server import RunningServer, running_server
from voice.asr.whisper_decoder import DecodeRequest, usable_cores
from voice.transcript_metrics import normalize, word_error_rate

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="test speech needs espeak-ng and sox (`make system-deps` installs them)",
)

API_KEY = "test-key"
RATE = 8000
# (channel, espeak voice arguments, text); channel 0 is the customer, 1 the agent.
LINES: list[tuple[int, list[str], str]] = [
    (
        0,
        ["-v", "en-us", "-s", "140"],
        "Hello, I would like to ask about my internet service. "
        "The charge looks much higher than last month.",
    ),
    (
        1,
        ["-v", "en-us", "-p", "70", "-s", "140"],
        "I can help with that. Could you please confirm your account number for me?",
    ),
    (0, ["-v", "en-us", "-s", "140"], "Sure. The account is under the name John Smith."),
    (
        1,
        ["-v", "en-us", "-p", "70", "-s", "140"],
        "Thank you. I will remove the extra charge from your next invoice.",
    ),
]
GAP_S = 0.8
# Times real time. Finals are decoded with beam search and the turn's earlier audio, and
# interims are skipped while a final is decoding, so much faster than this the engine
# has no time left for interims.
SPEED = 2.0
# Measured WER on this audio: 0.19 (customer), 0.04 (agent), with beam search and the
# held-sentence context (2026-11-30); the bound is the larger plus about 0.1.
MAX_WER = 0.3


@dataclass(frozen=True)
class Dialogue:
    pcm: bytes  # interleaved s16le, 8 kHz, 2 channels
    texts: dict[int, str]

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / (4 * RATE)


def say(text: str, voice: Sequence[str], workdir: Path) -> np.ndarray:
    """Speak text with espeak-ng, resampled by sox to 8 kHz mono s16."""
    raw, out = workdir / "raw.wav", workdir / "tel.wav"
    subprocess.run(["espeak-ng", *voice, "-w", str(raw), text], check=True)
    # -R -D: no random dither, so the same text always gives the same samples.
    resample = ["sox", "-R", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)]
    subprocess.run(resample, check=True)
    with wave.open(str(out)) as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def synthesize_dialogue(workdir: Path, lines: Sequence[tuple[int, list[str], str]]) -> Dialogue:
    """Lines one after the other, each on its speaker's channel, with pauses between."""
    clips = [(channel, say(text, voice, workdir)) for channel, voice, text in lines]
    gap = int(GAP_S * RATE)
    stereo = np.zeros((gap + sum(c.size + gap for _, c in clips), 2), dtype="<i2")
    position = gap
    for channel, clip in clips:
        stereo[position : position + clip.size, channel] = clip
        position += clip.size + gap
    texts = {ch: " ".join(text for c, _, text in lines if c == ch) for ch in (0, 1)}
    return Dialogue(stereo.tobytes(), texts)


@dataclass
class Run:
    events: list[AsrResult | AsrUtteranceEnd] = field(default_factory=list)
    connections: int = 0

    def finals(self, channel: int) -> list[AsrResult]:
        return [
            e
            for e in self.events
            if isinstance(e, AsrResult) and e.is_final and e.channel == channel
        ]

    def text(self, channel: int) -> str:
        return " ".join(r.text for r in self.finals(channel))

    def words(self, channel: int) -> list[tuple[str, float, float]]:
        return [(w.word, w.start_s, w.end_s) for r in self.finals(channel) for w in r.words]


async def stream_through(
    asr: StreamingAsr, pcm: bytes, *, speed: float = SPEED, chunk_s: float = 0.1
) -> Run:
    """Send audio in chunks at `speed` x real time, then close; collect every event."""
    run = Run()
    chunk = int(chunk_s * RATE) * 4
    async with asr.stream(sample_rate=RATE, channels=2) as stream:

        async def collect() -> None:
            async for event in stream.events():
                run.events.append(event)

        collector = asyncio.create_task(collect())
        for begin in range(0, len(pcm), chunk):
            await stream.send_audio(pcm[begin : begin + chunk])
            await asyncio.sleep(chunk_s / speed)
    await collector
    run.connections = getattr(stream, "connections", 0)
    return run


# ---- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dialogue(tmp_path_factory: pytest.TempPathFactory) -> Dialogue:
    return synthesize_dialogue(tmp_path_factory.mktemp("speech"), LINES)


@pytest.fixture(scope="module")
def engine() -> WhisperEngine:
    return WhisperEngine.shared()


@pytest.fixture(scope="module")
def server(engine: WhisperEngine) -> Iterator[RunningServer]:
    with running_server(engine=engine, api_key=API_KEY) as running:
        yield running


@pytest.fixture(scope="module")
async def baseline(server: RunningServer, dialogue: Dialogue) -> Run:
    """One undisturbed run, shared by the tests that compare against it."""
    return await stream_through(DeepgramAsr(api_key=API_KEY, url=server.url), dialogue.pcm)


# ---- tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [0, 1])
def test_each_channel_is_transcribed_within_the_wer_bound(
    baseline: Run, dialogue: Dialogue, channel: int
) -> None:
    wer = word_error_rate(dialogue.texts[channel], baseline.text(channel))
    assert wer <= MAX_WER, (wer, baseline.text(channel))


@pytest.mark.parametrize("channel", [0, 1])
def test_word_times_are_absolute_and_monotonic(
    baseline: Run, dialogue: Dialogue, channel: int
) -> None:
    words = baseline.words(channel)
    assert words
    starts = [start for _, start, _ in words]
    assert starts == sorted(starts)
    assert all(0.0 <= start <= end <= dialogue.duration_s for _, start, end in words)
    # The customer speaks first (after a 0.8 s pause), the agent only after that. Whisper
    # may time a first word from the start of its decode, the pre-roll before the VAD onset
    # (which fires late itself): times relative to a decode would start near 0.
    preroll_s = EndpointConfig().preroll_ms / 1000
    first_speech = 0.8 - preroll_s - 0.1 if channel == 0 else 6.0
    assert starts[0] >= first_speech
    finals = baseline.finals(channel)
    assert all(a.end_s <= b.start_s + 1e-6 for a, b in itertools.pairwise(finals))


@pytest.mark.parametrize("channel", [0, 1])
def test_interim_results_come_before_their_final(baseline: Run, channel: int) -> None:
    results = [e for e in baseline.events if isinstance(e, AsrResult) and e.channel == channel]
    finals = [r for r in results if r.is_final]
    preceded = 0
    for final in finals:
        at = results.index(final)
        same_utterance = [r for r in results if r.start_s == final.start_s and not r.is_final]
        assert all(results.index(r) < at for r in same_utterance), "interim after its final"
        preceded += bool(same_utterance)
    assert preceded >= 1


def test_utterance_end_follows_the_last_word_of_a_turn(baseline: Run) -> None:
    for channel in (0, 1):
        turn_ends = [
            (i, e)
            for i, e in enumerate(baseline.events)
            if isinstance(e, AsrUtteranceEnd) and e.channel == channel
        ]
        assert turn_ends
        for index, turn_end in turn_ends:
            earlier_words = [
                w.end_s
                for e in baseline.events[:index]
                if isinstance(e, AsrResult) and e.is_final and e.channel == channel
                for w in e.words
            ]
            assert earlier_words and turn_end.last_word_end_s == pytest.approx(
                max(earlier_words), abs=0.05
            )


@pytest.mark.parametrize(
    ("close_code", "after_s"),
    [(1011, 9.0), (1006, 15.0)],  # a server error mid agent turn; a dead TCP link later on
)
async def test_reconnect_mid_stream_loses_and_duplicates_nothing(
    engine: WhisperEngine, dialogue: Dialogue, baseline: Run, close_code: int, after_s: float
) -> None:
    with running_server(
        engine=engine, api_key=API_KEY, fail_after_audio_s=after_s, fail_close_code=close_code
    ) as flaky:
        asr = DeepgramAsr(
            api_key=API_KEY,
            url=flaky.url,
            reconnect=ReconnectPolicy(initial_backoff_s=0.1, max_backoff_s=0.5),
        )
        disturbed = await stream_through(asr, dialogue.pcm)
        assert flaky.server.faults.fired == 1
    assert disturbed.connections == 2
    for channel in (0, 1):
        # The new connection decodes its first turn without that turn's earlier audio as
        # context, so a word there may come out differently; nothing may be lost or repeated.
        assert word_error_rate(baseline.text(channel), disturbed.text(channel)) <= 0.1
        got, want = disturbed.words(channel), baseline.words(channel)
        assert abs(len(got) - len(want)) <= 1
        assert all(a[2] <= b[1] + 0.05 for a, b in itertools.pairwise(got)), "overlapping words"
        assert got[0][1] == pytest.approx(want[0][1], abs=0.05)
        assert got[-1][2] == pytest.approx(want[-1][2], abs=0.05)


async def test_bad_key_is_an_auth_error(server: RunningServer) -> None:
    asr = DeepgramAsr(api_key="wrong-key", url=server.url)
    with pytest.raises(AsrAuthError, match="API key"):
        async with asr.stream():
            pass


async def test_concurrent_streams_share_one_model(
    server: RunningServer, engine: WhisperEngine, dialogue: Dialogue
) -> None:
    first_turns = dialogue.pcm[: int(12.5 * RATE) * 4]
    loads = WhisperEngine.model_loads
    remote = [DeepgramAsr(api_key=API_KEY, url=server.url) for _ in range(2)]
    runs = await asyncio.gather(
        *(stream_through(asr, first_turns, speed=8.0) for asr in remote),
        stream_through(LocalAsr(), first_turns, speed=8.0),
    )
    # Two server connections and an in-process stream ran on the one shared model.
    assert WhisperEngine.model_loads == loads
    assert WhisperEngine.shared() is engine
    for run in runs:
        assert word_error_rate(LINES[0][2], run.text(0)) <= MAX_WER
        assert run.finals(1), "the agent's first turn was transcribed"


@pytest.mark.skipif(usable_cores() < 2, reason="needs a second core")
async def test_an_interim_is_decoded_while_a_final_is_in_flight(
    engine: WhisperEngine, dialogue: Dialogue
) -> None:
    # One single-threaded decode per core: on a 2-core machine a final no longer takes
    # the whole engine, so an interim (optional work, skipped when no slot is free) still
    # runs beside it, and phrase moments can fire before the turn's final.
    customer = np.frombuffer(dialogue.pcm, dtype="<i2")[0 : int(4 * RATE) * 2 : 2]
    final = DecodeRequest(samples=customer, sample_rate=RATE, beam_size=5)
    interim = DecodeRequest(samples=customer[: int(2.5 * RATE)], sample_rate=RATE)
    in_flight = asyncio.create_task(engine.transcribe(final))
    await asyncio.sleep(0.05)
    assert not in_flight.done()
    beside = await engine.transcribe(interim, optional=True)
    assert beside is not None and "hello" in normalize(beside.text)
    assert "hello" in normalize((await in_flight).text)


async def test_local_finalize_flushes_speech_as_final(dialogue: Dialogue) -> None:
    # Stop mid-way through the customer's first sentence and ask for a flush.
    finals: list[LocalResult] = []
    async with LocalAsr().stream(sample_rate=RATE, channels=2) as stream:
        await stream.send_audio(dialogue.pcm[: int(2.5 * RATE) * 4])
        await stream.finalize()
        async for event in stream.all_events():
            if isinstance(event, LocalResult) and event.is_final and event.channel == 0:
                finals.append(event)
                if event.from_finalize:
                    break
    assert finals and finals[-1].from_finalize
    assert normalize(" ".join(f.text for f in finals))[:2] == ["hello", "i"]
    # Flushed up to the last whole 32 ms VAD window of the audio sent.
    assert finals[-1].end_s == pytest.approx(2.5, abs=0.04)


async def test_keepalive_holds_an_idle_connection_open(engine: WhisperEngine) -> None:
    with running_server(engine=engine, api_key=API_KEY, idle_timeout_s=1.0) as quick:
        asr = DeepgramAsr(api_key=API_KEY, url=quick.url, keepalive_s=0.3)
        silence = bytes(int(0.5 * RATE) * 4)
        async with asr.stream() as stream:
            await stream.send_audio(silence)
            await asyncio.sleep(2.5)  # well past the server's idle timeout
            await stream.send_audio(silence)
        assert stream.connections == 1
        assert quick.server.connections == 1
