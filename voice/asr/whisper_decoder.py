"""Whisper decoding for the local engine: one faster-whisper model, a bounded thread pool.

A decode gets utterance-length audio, optionally preceded by earlier audio of the same
turn (context) and prompted with the speaker's recent final text. Finals use beam search,
interims greedy decoding. The known Whisper failure modes are suppressed here: text
invented past the end of the audio, decoding loops, and text hallucinated on silence.

This module uses faster-whisper below `WhisperModel.transcribe` (feature extractor,
encoder, CTranslate2 `generate`, word alignment) because `transcribe` pads every decode to
30 s and cannot take audio context without emitting it. Those calls are not a public API,
so `faster-whisper` is pinned to one version in pyproject.toml and the decoding tests
exercise each of them.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import soxr

from voice.asr.base import AsrWord
from voice.asr.model_files import whisper_model_dir

WHISPER_RATE = 16_000
_MIN_FRAMES = 1000  # encoder input floor: 10 s of mel frames
_TIME_PRECISION = 0.02  # seconds per whisper timestamp token
_PROMPT_TOKENS = 96  # the prompt's share of whisper's 448-token context
_NUMBERS = re.compile(r"[\s\d.,-]*")  # text of a token that is part of a digit string
_MAX_DIGIT_RUN = 19  # the longest payment card number
_PREPEND_PUNCT = "\"'“¿([{-"
_APPEND_PUNCT = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True, kw_only=True)
class DecodeRequest:
    """int16 mono samples to decode, and how."""

    samples: np.ndarray
    sample_rate: int
    beam_size: int = 1
    prompt: str = ""  # earlier text of the conversation, to condition the decoder on


@dataclass(frozen=True, slots=True)
class Decoded:
    """Whisper output for one audio buffer; word times are relative to its start."""

    text: str
    words: list[AsrWord]
    confidence: float


SILENCE = Decoded(text="", words=[], confidence=0.0)


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
        max_parallel: int | None = None,
        cpu_threads: int | None = None,
    ) -> None:
        """max_parallel None: one decode per core. CTranslate2 gains little from a second
        thread on an utterance-length decode: on 2 cores, two single-threaded decodes
        carry 2.2x the load of one two-threaded decode, and a single decode is no slower
        (docs/benchmarks.md)."""
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        max_parallel = max_parallel or usable_cores()
        threads = cpu_threads or max(1, usable_cores() // max_parallel)
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

    async def transcribe(self, request: DecodeRequest, *, optional: bool = False) -> Decoded | None:
        """Decode in the pool; optional work (interims) returns None instead of queueing."""
        with self._count_lock:
            if optional and self._in_flight >= self._max_parallel:
                return None
            self._in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self.decode, request)
        finally:
            with self._count_lock:
                self._in_flight -= 1

    def decode(self, request: DecodeRequest) -> Decoded:
        """Blocking decode (runs in the pool)."""
        audio = to_whisper_rate(request.samples, request.sample_rate)
        if audio.size == 0:
            return SILENCE
        duration_s = len(audio) / WHISPER_RATE
        features = self._model.feature_extractor(audio)[:, :-1]
        encoder_output = self._model.encode(_pad_features(features))
        prompt = self._prompt(request.prompt)
        # Timestamp tokens stay on: they tell where the speech ends, so text that whisper
        # invents past the end of the audio (a known failure on padded input) is cut off.
        result = self._model.model.generate(
            encoder_output,
            [prompt],
            beam_size=request.beam_size,
            max_length=min(self._model.max_length, len(prompt) + _max_tokens(duration_s)),
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
            max_initial_timestamp_index=50,  # first word within 1 s, as faster-whisper does
        )[0]
        tokens = _speech_tokens(result.sequences_ids[0], self._tokenizer, duration_s)
        if _looks_like_silence(result, tokens, self._tokenizer):
            return SILENCE
        words = self._align(tokens, encoder_output, features.shape[1], duration_s)
        confidence = float(np.mean([w.confidence for w in words])) if words else 0.0
        return Decoded(text=" ".join(w.word for w in words), words=words, confidence=confidence)

    def _prompt(self, text: str) -> list[int]:
        """Whisper's prompt format: <|startofprev|> earlier text, then the task tokens."""
        sot = list(self._tokenizer.sot_sequence)
        if not text.strip():
            return sot
        earlier = self._tokenizer.encode(" " + text.strip())[-_PROMPT_TOKENS:]
        return [self._tokenizer.sot_prev, *earlier, *sot]

    def _align(
        self, tokens: list[int], encoder_output: Any, frames: int, duration_s: float
    ) -> list[AsrWord]:
        from faster_whisper.transcribe import merge_punctuations

        if not tokens:
            return []
        alignment = self._model.find_alignment(self._tokenizer, [tokens], encoder_output, frames)
        items = alignment[0]
        merge_punctuations(items, _PREPEND_PUNCT, _APPEND_PUNCT)
        words: list[AsrWord] = []
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

    per_token: dict[int, int] = {}  # digits in a token, -1 for a token with other text

    def digits(tokens: list[int]) -> int:
        total = 0
        for token in tokens:
            if token not in per_token:
                text = tokenizer.decode([token])
                numeric = _NUMBERS.fullmatch(text) is not None
                per_token[token] = sum(c.isdigit() for c in text) if numeric else -1
            if per_token[token] < 0:
                return 0
            total += per_token[token]
        return total

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
            if segment == previous and not digits(segment):
                break  # whisper looping on its own output
            text += segment
            previous, segment = segment, []
        if (token - tokenizer.timestamp_begin) * _TIME_PRECISION >= duration_s - 0.1:
            return text  # nothing real starts after the audio ends
    if segment and (segment != previous or digits(segment)):
        text += segment
    return _without_loop(text, digits)


def _without_loop(tokens: list[int], digits: Callable[[list[int]], int] = lambda _: 0) -> list[int]:
    """Cut whisper's decoding loops back to the first copy of the repeated part.

    Greedy decoding sometimes locks into "x x x x ..." or says the whole sentence twice;
    the first copy is what was said. A short pattern must repeat 4 times to count, a
    phrase of 5 or more tokens twice (people rarely repeat a whole phrase at once). Digits
    repeat in what people read out ("one one one one"): a pattern of digits counts as a
    loop only once its copies hold more digits than the longest card number.
    """
    for start in range(len(tokens)):
        for period in range(1, (len(tokens) - start) // 2 + 1):
            pattern = tokens[start : start + period]
            copies = 4 if period < 5 else 2
            in_pattern = digits(pattern)
            if in_pattern:
                copies = max(copies, _MAX_DIGIT_RUN // in_pattern + 1)
            end = start + period * copies
            if end <= len(tokens) and tokens[start:end] == pattern * copies:
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


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, where the OS has one)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


def to_whisper_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """int16 samples at sample_rate -> float32 at 16 kHz, resampled by libsoxr."""
    audio = samples.astype(np.float32) / 32768.0
    if sample_rate == WHISPER_RATE or audio.size == 0:
        return audio
    return np.asarray(soxr.resample(audio, sample_rate, WHISPER_RATE, quality="HQ"), np.float32)
