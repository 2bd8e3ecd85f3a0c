"""Local streaming ASR: faster-whisper (base, int8, CPU) behind a per-channel VAD endpointer.

Whisper is not a streaming model, so streaming is built around it: a Silero VAD (the one
bundled with faster-whisper) tracks speech per channel in 32 ms windows; while a speaker
talks the current utterance is re-decoded about once a second for interim results, and
when the VAD sees enough silence (endpointing) the utterance is decoded once more, with
word timestamps, as a final result. Silent stretches are covered by empty final results
so each channel's timeline is partitioned into contiguous results, which lets a client
resume a broken connection from the end of its last final result.

One WhisperModel is loaded per process and shared by every stream; decoding runs in a
bounded thread pool. Interim decodes are skipped while the pool is busy, so under load
the finals (the durable output) do not queue behind best-effort interims.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import threading
import zlib
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from voice.asr.base import AsrError, AsrResult, AsrSpeechStarted, AsrUtteranceEnd, AsrWord
from voice.asr.model_files import whisper_model_dir

log = logging.getLogger(__name__)

WHISPER_RATE = 16_000
_FRAME_MS = 32  # VAD and segmentation step
_VAD_WINDOW = 512  # Silero's window at 16 kHz (32 ms)
_VAD_CONTEXT = 64  # samples of the previous window Silero sees
_VAD_QUIET = 0.2  # below this probability a window counts towards a state reset
_VAD_RESET_WINDOWS = 8
_MIN_FRAMES = 1000  # encoder input floor: 10 s of mel frames
_TIME_PRECISION = 0.02  # seconds per whisper timestamp token
_PREPEND_PUNCT = "\"'“¿([{-"
_APPEND_PUNCT = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True, slots=True)
class LocalResult(AsrResult):
    """An AsrResult that also says whether a Finalize request produced it (for the server)."""

    from_finalize: bool = False


LocalEvent = LocalResult | AsrUtteranceEnd | AsrSpeechStarted


@dataclass(frozen=True, kw_only=True)
class EndpointConfig:
    """How audio is cut into utterances. Times in milliseconds unless named _s."""

    endpointing_ms: int | None = 300  # None: no VAD endpointing, finals only on limits/flush
    utterance_end_ms: int | None = 1000
    interim_every_s: float | None = 1.0  # None: no interim results
    preroll_ms: int = 192  # audio kept before the VAD onset, which fires a little late
    min_speech_ms: int = 96  # shorter voiced blips (clicks, coughs) are not decoded
    max_utterance_s: float = 15.0  # whisper sees at most 30 s; long turns are cut earlier
    silence_final_s: float = 5.0  # cadence of empty finals while a channel is silent
    vad_threshold: float = 0.5
    energy_floor_dbfs: float = -60.0  # windows quieter than this skip the VAD model


@dataclass(frozen=True, slots=True)
class Decoded:
    """Whisper output for one audio buffer; word times are relative to its start."""

    text: str
    words: list[AsrWord]
    confidence: float


class WhisperEngine:
    """A faster-whisper model plus the bounded pool that runs it; thread- and loop-safe."""

    _shared: ClassVar[WhisperEngine | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()
    model_loads: ClassVar[int] = 0  # how many models this process built (tests, metrics)

    def __init__(
        self,
        *,
        model_dir: Path | None = None,
        language: str = "en",
        beam_size: int = 1,
        max_parallel: int = 1,
        cpu_threads: int | None = None,
    ) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        threads = cpu_threads or max(1, (os.cpu_count() or 1) // max_parallel)
        self._model = WhisperModel(
            str(model_dir or whisper_model_dir()),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            num_workers=max_parallel,
        )
        WhisperEngine.model_loads += 1
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual, "transcribe", language
        )
        self._suppress = get_suppressed_tokens(self._tokenizer, [-1])
        self._beam_size = beam_size
        self._max_parallel = max_parallel
        self._pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="whisper")
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @classmethod
    def shared(cls, **kwargs: Any) -> WhisperEngine:
        """The process-wide engine; the first caller's settings win."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(**kwargs)
            return cls._shared

    @property
    def max_parallel(self) -> int:
        return self._max_parallel

    async def transcribe(
        self, samples: np.ndarray, sample_rate: int, *, optional: bool = False
    ) -> Decoded | None:
        """Decode int16 mono samples; optional work returns None instead of queueing."""
        with self._count_lock:
            if optional and self._in_flight >= self._max_parallel:
                return None
            self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self.decode, samples, sample_rate)
        finally:
            with self._count_lock:
                self._in_flight -= 1

    def decode(self, samples: np.ndarray, sample_rate: int) -> Decoded:
        """Blocking decode (runs in the pool)."""
        audio = to_whisper_rate(samples, sample_rate)
        duration_s = len(audio) / WHISPER_RATE
        features = self._model.feature_extractor(audio)[:, :-1]
        encoder_output = self._model.encode(_pad_features(features))
        # Timestamp tokens stay on: they tell where the speech ends, so text that whisper
        # invents past the end of the audio (a known failure on padded input) is cut off.
        prompt = list(self._tokenizer.sot_sequence)
        result = self._model.model.generate(
            encoder_output,
            [prompt],
            beam_size=self._beam_size,
            max_length=min(self._model.max_length, len(prompt) + _max_tokens(duration_s)),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
            max_initial_timestamp_index=50,  # first word within 1 s, as faster-whisper does
        )[0]
        tokens = _speech_tokens(result.sequences_ids[0], self._tokenizer, duration_s)
        if _looks_like_silence(result, tokens, self._tokenizer):
            return Decoded(text="", words=[], confidence=0.0)
        words = self._align(tokens, encoder_output, features.shape[1], duration_s)
        confidence = float(np.mean([w.confidence for w in words])) if words else 0.0
        return Decoded(text=" ".join(w.word for w in words), words=words, confidence=confidence)

    def _align(
        self, tokens: list[int], encoder_output: Any, frames: int, duration_s: float
    ) -> list[AsrWord]:
        from faster_whisper.transcribe import merge_punctuations

        if not tokens:
            return []
        alignment = self._model.find_alignment(self._tokenizer, [tokens], encoder_output, frames)
        items = alignment[0]
        merge_punctuations(items, _PREPEND_PUNCT, _APPEND_PUNCT)
        words = []
        for item in items:
            text = item["word"].strip()
            if not text:
                continue
            start = min(float(item["start"]), duration_s)
            end = min(max(float(item["end"]), start), duration_s)
            words.append(AsrWord(text, start, end, float(item["probability"])))
        return words


def _pad_features(features: np.ndarray) -> np.ndarray:
    """Pad mel frames with >= 2 s of silence to a 2 s bucket of at least 10 s, not to 30 s.

    CTranslate2 accepts encoder inputs shorter than whisper's 30 s window; for
    utterance-length audio that is 3-5x faster and, on telephone speech, as accurate.
    With less silence after the speech the decoder tends to repeat itself.
    """
    frames = features.shape[1]
    bucket = min(3000, max(_MIN_FRAMES, -(-(frames + 200) // 200) * 200))
    return np.pad(features[:, :bucket], ((0, 0), (0, bucket - min(frames, bucket))))


def _max_tokens(duration_s: float) -> int:
    """A generous bound on tokens for this much speech, so a looping decode stays cheap."""
    return int(16 + 8 * duration_s)


def _speech_tokens(ids: list[int], tokenizer: Any, duration_s: float) -> list[int]:
    """Text tokens of the segments that lie inside the audio, stopping at a repeat."""
    text: list[int] = []
    segment: list[int] = []
    previous: list[int] | None = None
    for token in ids:
        if token < tokenizer.eot:
            segment.append(token)
            continue
        if token < tokenizer.timestamp_begin:
            continue
        if segment:
            if segment == previous:
                break  # whisper looping on its own output
            text += segment
            previous, segment = segment, []
        if (token - tokenizer.timestamp_begin) * _TIME_PRECISION >= duration_s - 0.1:
            return text  # nothing real starts after the audio ends
    if segment and segment != previous:
        text += segment
    return _without_loop(text)


def _without_loop(tokens: list[int]) -> list[int]:
    """Cut whisper's decoding loops back to the first copy of the repeated part.

    Greedy decoding sometimes locks into "x x x x ..." or says the whole sentence twice;
    the first copy is what was said. A short pattern must repeat 4 times to count, a
    phrase of 5 or more tokens twice (people rarely repeat a whole phrase at once).
    """
    for start in range(len(tokens)):
        for period in range(1, (len(tokens) - start) // 2 + 1):
            copies = 4 if period < 5 else 2
            end = start + period * copies
            if end <= len(tokens) and tokens[start:end] == tokens[start : start + period] * copies:
                return tokens[: start + period]
    return tokens


def _looks_like_silence(result: Any, tokens: list[int], tokenizer: Any) -> bool:
    """Whisper's own no-speech rule, plus its repetition check against hallucinations."""
    if not tokens:
        return True
    length = len(result.sequences_ids[0])
    avg_logprob = result.scores[0] * length / (length + 1)
    if result.no_speech_prob > 0.6 and avg_logprob < -1.0:
        return True
    text = tokenizer.decode(tokens).strip().encode()
    return len(text) > 24 and len(text) / len(zlib.compress(text)) > 2.4


def to_whisper_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """int16 samples at sample_rate -> float32 at 16 kHz.

    Integer factors use zero-stuffing and a windowed-sinc low-pass, so the images of an
    8 kHz telephone band are removed instead of smeared into the mel features.
    """
    audio = samples.astype(np.float32) / 32768.0
    if sample_rate == WHISPER_RATE or audio.size == 0:
        return audio
    if WHISPER_RATE % sample_rate:
        positions = np.arange(round(audio.size * WHISPER_RATE / sample_rate))
        stretched = np.interp(positions * sample_rate / WHISPER_RATE, np.arange(audio.size), audio)
        return stretched.astype(np.float32)
    factor = WHISPER_RATE // sample_rate
    stuffed = np.zeros(audio.size * factor, dtype=np.float32)
    stuffed[::factor] = audio
    return np.convolve(stuffed, _interpolation_filter(factor), mode="same").astype(np.float32)


def _interpolation_filter(factor: int, half_width: int = 8) -> np.ndarray:
    n = np.arange(-half_width * factor, half_width * factor + 1)
    taps = np.sinc(n / factor) * np.hanning(n.size)
    return (taps * factor / taps.sum()).astype(np.float32)


class StreamingVad:
    """Silero VAD over one channel, one 32 ms window per call so results never depend
    on how the audio was chunked on the wire."""

    def __init__(self, *, sample_rate: int, energy_floor_dbfs: float) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self.frame = sample_rate * _FRAME_MS // 1000
        self._floor = 10 ** (energy_floor_dbfs / 20)
        self._state = np.zeros((2, 1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_VAD_CONTEXT, dtype=np.float32)
        self._last = np.float32(0.0)
        self._quiet_run = 0
        # Input positions of the 512 VAD samples, interpolated from this frame and the
        # last sample of the previous one.
        self._positions = (np.arange(_VAD_WINDOW) + 1) * self.frame / _VAD_WINDOW - 1
        self._grid = np.arange(-1, self.frame)

    def probability(self, frame: np.ndarray) -> float:
        audio = frame.astype(np.float32) / 32768.0
        joined = np.concatenate(([self._last], audio))
        window = np.interp(self._positions, self._grid, joined).astype(np.float32)
        self._last = audio[-1]
        context, self._context = self._context, window[-_VAD_CONTEXT:]
        probability = 0.0
        if float(np.sqrt(np.mean(window**2))) >= self._floor:
            probability = self._run_model(np.concatenate((context, window))[None, :])
        self._quiet_run = self._quiet_run + 1 if probability < _VAD_QUIET else 0
        if self._quiet_run >= _VAD_RESET_WINDOWS:
            # Forget the LSTM state during steady silence. Two VADs that started at
            # different points (a stream and its replay after a reconnect) then agree
            # bit for bit from the first pause on, so they cut the same utterances.
            self._state[:] = 0.0
        return probability

    def _run_model(self, batch: np.ndarray) -> float:
        prob, h, c = self._session.run(
            None, {"input": batch, "h": self._state[0], "c": self._state[1]}
        )
        self._state = np.stack((h, c))
        return float(np.ravel(prob)[0])


# ---- segmentation: per-channel actions, in sample units --------------------------------


@dataclass(slots=True)
class _SpeechStart:
    channel: int
    sample: int


@dataclass(slots=True)
class _UtteranceEndCheck:
    channel: int


@dataclass(slots=True)
class _Decode:
    """Decode audio[audio_start:region_end] and report it as covering the region."""

    channel: int
    final: bool
    region_start: int
    region_end: int
    audio_start: int
    audio: np.ndarray
    speech_final: bool = False
    from_finalize: bool = False


_Action = _SpeechStart | _UtteranceEndCheck | _Decode


@dataclass(slots=True)
class _Utterance:
    audio_start: int
    voiced: int = 0
    since_interim: int = 0
    probs: list[float] = field(default_factory=list)


class _SampleLog:
    """int16 samples from `start` on, trimmed from the front as results are finalised."""

    def __init__(self) -> None:
        self.start = 0
        self._data = bytearray()

    def append(self, samples: np.ndarray) -> None:
        self._data += samples.astype("<i2").tobytes()

    def slice(self, begin: int, end: int) -> np.ndarray:
        raw = self._data[2 * (begin - self.start) : 2 * (end - self.start)]
        return np.frombuffer(bytes(raw), dtype="<i2")

    def trim(self, before: int) -> None:
        del self._data[: 2 * (before - self.start)]
        self.start = before


class ChannelSegmenter:
    """Turns one channel's samples into speech-start, interim, final and turn-end actions."""

    def __init__(self, *, channel: int, sample_rate: int, config: EndpointConfig) -> None:
        self.channel = channel
        self._cfg = config
        self._vad = StreamingVad(
            sample_rate=sample_rate, energy_floor_dbfs=config.energy_floor_dbfs
        )
        self._frame = self._vad.frame
        ms = sample_rate // 1000
        # Whole VAD windows, so every boundary stays on the window grid of the stream.
        self._preroll = round(config.preroll_ms / _FRAME_MS) * self._frame
        self._endpoint = None if config.endpointing_ms is None else config.endpointing_ms * ms
        self._turn_end = None if config.utterance_end_ms is None else config.utterance_end_ms * ms
        self._min_speech = config.min_speech_ms * ms
        self._max_utterance = int(config.max_utterance_s * sample_rate)
        self._silence_final = int(config.silence_final_s * sample_rate)
        self._interim_every = int((config.interim_every_s or 0) * sample_rate)
        self._log = _SampleLog()
        self._pending = np.zeros(0, dtype=np.int16)
        self._pos = 0  # samples consumed by the VAD
        self._region_start = 0  # end of the last final result
        self._utt: _Utterance | None = None
        self._quiet = 0  # samples since the last voiced window
        self._turn_open = False  # voiced audio seen since the last turn-end check

    def accept(self, samples: np.ndarray) -> list[_Action]:
        data = np.concatenate((self._pending, samples))
        whole = data.size - data.size % self._frame
        self._pending = data[whole:]
        actions: list[_Action] = []
        for begin in range(0, whole, self._frame):
            actions += self._on_frame(data[begin : begin + self._frame])
        return actions

    def flush(self, *, from_finalize: bool, closing: bool) -> list[_Action]:
        """Finish the open utterance. A Finalize keeps the partial window for later so the
        VAD grid stays aligned; closing consumes it."""
        if closing and self._pending.size:
            self._log.append(self._pending)
            self._pos += self._pending.size
            self._pending = self._pending[:0]
        actions: list[_Action] = []
        if self._utt is not None:
            actions += self._end_utterance(speech_final=False, from_finalize=from_finalize)
        # A Finalize always gets an answer (Deepgram replies from_finalize even to silence);
        # closing covers the trailing silence so the timeline has no gap.
        if not actions and (from_finalize or (closing and self._region_start < self._pos)):
            actions.append(self._empty_final(self._pos, from_finalize=from_finalize))
        if self._turn_open:
            self._turn_open = False
            actions.append(_UtteranceEndCheck(self.channel))
        return actions

    def _on_frame(self, frame: np.ndarray) -> list[_Action]:
        start = self._pos
        self._pos += frame.size
        self._log.append(frame)
        prob = self._vad.probability(frame)
        threshold = self._cfg.vad_threshold
        # Hysteresis: once talking, a weaker window still counts as speech.
        voiced = prob >= threshold or (self._utt is not None and prob >= threshold - 0.15)
        actions: list[_Action] = []
        if voiced:
            self._quiet = 0
            self._turn_open = True
            if self._utt is None:
                begin = max(self._region_start, start - self._preroll)
                self._utt = _Utterance(audio_start=begin)
                actions.append(_SpeechStart(self.channel, start))
            self._utt.voiced += frame.size
        else:
            self._quiet += frame.size
        if self._utt is not None:
            actions += self._in_utterance(prob)
        else:
            actions += self._in_silence()
        return actions

    def _in_utterance(self, prob: float) -> list[_Action]:
        utt = self._utt
        assert utt is not None
        utt.probs.append(prob)
        utt.since_interim += self._frame
        if self._endpoint is not None and self._quiet >= self._endpoint:
            return self._end_utterance(speech_final=True, from_finalize=False)
        if self._pos - utt.audio_start >= self._max_utterance:
            return self._cut_long_utterance()
        if self._interim_every and utt.since_interim >= self._interim_every:
            utt.since_interim = 0
            return [self._decode(utt, final=False, end=self._pos)]
        return []

    def _in_silence(self) -> list[_Action]:
        actions: list[_Action] = []
        if self._turn_open and self._turn_end is not None and self._quiet >= self._turn_end:
            self._turn_open = False
            actions.append(_UtteranceEndCheck(self.channel))
        # Keep the pre-roll out of empty finals: it may belong to the next utterance.
        if self._pos - self._region_start >= self._silence_final + self._preroll:
            actions.append(self._empty_final(self._pos - self._preroll, from_finalize=False))
        return actions

    def _end_utterance(self, *, speech_final: bool, from_finalize: bool) -> list[_Action]:
        utt, self._utt = self._utt, None
        if utt is None or utt.voiced < self._min_speech:
            return []
        action = self._decode(utt, final=True, end=self._pos)
        action.speech_final, action.from_finalize = speech_final, from_finalize
        self._commit(self._pos)
        return [action]

    def _cut_long_utterance(self) -> list[_Action]:
        """Force a final during a long turn, cutting at the quietest recent window."""
        utt = self._utt
        assert utt is not None
        recent = min(len(utt.probs), max(1, 2000 // _FRAME_MS))
        quietest = int(np.argmin(utt.probs[-recent:])) + len(utt.probs) - recent
        cut = self._pos - (len(utt.probs) - quietest - 1) * self._frame
        action = self._decode(utt, final=True, end=cut)
        self._commit(cut)
        rest = utt.probs[quietest + 1 :]
        self._utt = _Utterance(audio_start=cut, voiced=len(rest) * self._frame)
        self._utt.probs = rest
        return [action]

    def _decode(self, utt: _Utterance, *, final: bool, end: int) -> _Decode:
        audio = self._log.slice(utt.audio_start, end)
        return _Decode(self.channel, final, self._region_start, end, utt.audio_start, audio)

    def _empty_final(self, end: int, *, from_finalize: bool) -> _Decode:
        action = _Decode(
            self.channel, True, self._region_start, end, end, np.zeros(0, dtype=np.int16)
        )
        action.from_finalize = from_finalize
        self._commit(end)
        return action

    def _commit(self, end: int) -> None:
        self._region_start = end
        self._log.trim(end)


# ---- the stream --------------------------------------------------------------------------


class _End:
    pass


_END = _End()


class LocalAsrStream:
    """One live session: VAD runs inline on send_audio, decoding in the shared engine."""

    def __init__(
        self, *, engine: WhisperEngine, config: EndpointConfig, sample_rate: int, channels: int
    ) -> None:
        if sample_rate * _FRAME_MS % 1000 or sample_rate < 8000:
            raise AsrError(f"unsupported sample rate {sample_rate}")
        self._engine = engine
        self._rate = sample_rate
        self._channels = channels
        self._segmenters = [
            ChannelSegmenter(channel=ch, sample_rate=sample_rate, config=config)
            for ch in range(channels)
        ]
        self._jobs: collections.deque[_Action | _End] = collections.deque()
        self._job_added = asyncio.Event()
        self._out: asyncio.Queue[LocalEvent | _End | BaseException] = asyncio.Queue()
        self._remainder = b""
        self._last_word_end: dict[int, float] = {}
        self._closed = False
        self._worker = asyncio.create_task(self._work())

    async def send_audio(self, pcm: bytes) -> None:
        if self._closed:
            raise AsrError("stream is closed")
        data = self._remainder + pcm
        usable = len(data) - len(data) % (2 * self._channels)
        self._remainder = data[usable:]
        if not usable:
            return
        frames = np.frombuffer(data[:usable], dtype="<i2").reshape(-1, self._channels)
        for seg in self._segmenters:
            self._enqueue(seg.accept(frames[:, seg.channel]))

    async def finalize(self) -> None:
        for seg in self._segmenters:
            self._enqueue(seg.flush(from_finalize=True, closing=False))

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._public_events()

    async def _public_events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        async for event in self.all_events():
            if isinstance(event, AsrUtteranceEnd) or (isinstance(event, AsrResult) and event.words):
                yield event

    async def all_events(self) -> AsyncIterator[LocalEvent]:
        """Every event, including empty finals and speech starts (the server needs them)."""
        while True:
            item = await self._out.get()
            if isinstance(item, _End):
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    async def close(self) -> None:
        """Flush everything as finals and wait until all results are out."""
        if self._closed:
            return
        for seg in self._segmenters:
            self._enqueue(seg.flush(from_finalize=False, closing=True))
        self._closed = True
        self._enqueue([_END])
        try:
            await asyncio.shield(self._worker)
        except asyncio.CancelledError:
            await self.abort()  # stop decoding for a caller that is gone
            raise

    async def abort(self) -> None:
        self._closed = True
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker
        self._out.put_nowait(_END)

    def _enqueue(self, actions: Iterable[_Action | _End]) -> None:
        self._jobs.extend(actions)
        self._job_added.set()

    async def _work(self) -> None:
        try:
            while True:
                while not self._jobs:
                    self._job_added.clear()
                    await self._job_added.wait()
                job = self._jobs.popleft()
                if isinstance(job, _End):
                    self._out.put_nowait(_END)
                    return
                await self._run(job)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # surface engine failures to the consumer
            log.exception("local ASR stream failed")
            self._out.put_nowait(AsrError(f"local ASR failed: {exc}"))

    async def _run(self, job: _Action) -> None:
        if isinstance(job, _SpeechStart):
            self._out.put_nowait(AsrSpeechStarted(job.channel, job.sample / self._rate))
        elif isinstance(job, _UtteranceEndCheck):
            last = self._last_word_end.pop(job.channel, None)
            if last is not None:
                self._out.put_nowait(AsrUtteranceEnd(job.channel, last))
        elif job.final or not self._superseded(job):
            result = await self._decode(job)
            if result is not None:
                self._out.put_nowait(result)

    def _superseded(self, job: _Decode) -> bool:
        """An interim is stale once newer audio of its channel is already queued."""
        return any(isinstance(j, _Decode) and j.channel == job.channel for j in self._jobs)

    async def _decode(self, job: _Decode) -> LocalResult | None:
        decoded = Decoded(text="", words=[], confidence=0.0)
        if job.audio.size:
            maybe = await self._engine.transcribe(job.audio, self._rate, optional=not job.final)
            if maybe is None:
                return None
            decoded = maybe
        offset = job.audio_start / self._rate
        words = [
            AsrWord(w.word, w.start_s + offset, w.end_s + offset, w.confidence)
            for w in decoded.words
        ]
        if job.final and words:
            self._last_word_end[job.channel] = words[-1].end_s
        return LocalResult(
            channel=job.channel,
            is_final=job.final,
            speech_final=job.speech_final,
            text=decoded.text,
            words=words,
            start_s=job.region_start / self._rate,
            end_s=job.region_end / self._rate,
            confidence=decoded.confidence,
            from_finalize=job.from_finalize,
        )


class LocalAsr:
    """StreamingAsr over the process-wide whisper engine."""

    def __init__(
        self, *, engine: WhisperEngine | None = None, config: EndpointConfig | None = None
    ) -> None:
        self._engine = engine
        self._config = config or EndpointConfig()

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[LocalAsrStream]:
        engine = self._engine
        if engine is None:
            # Loading the model takes a second or two: keep the event loop free meanwhile.
            engine = await asyncio.to_thread(WhisperEngine.shared)
        stream = LocalAsrStream(
            engine=engine, config=self._config, sample_rate=sample_rate, channels=channels
        )
        try:
            yield stream
        except BaseException:
            await stream.abort()
            raise
        await stream.close()
