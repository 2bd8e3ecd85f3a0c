"""Local streaming ASR: faster-whisper (base, int8, CPU) behind a per-channel VAD endpointer.

Whisper is not a streaming model, so streaming is built around it. `segmenter` cuts each
channel into utterances (VAD off the event loop, in a worker thread); this module runs the
decodes in order, one stream loop per session, in the shared `whisper_decoder` engine:

- finals are decoded with beam search, interims greedily (and skipped while the engine
  is busy, so under load the finals, the durable output, never queue behind them);
- a decode's audio is its own utterance, or the held final it joins and what follows;
  only the words that fall in the new region are emitted, so a final, once sent, is
  never revised (Deepgram's protocol has no revision), and a stream resumed after the
  last final sent decodes exactly what this one would have;
- a final at a VAD pause whose text does not end a sentence ("It's 4111,") is held back
  and decoded again with the audio that follows, as one piece, until the sentence ends,
  the turn ends (utterance_end_ms of silence) or the context would be too long; so digit
  groups read with pauses arrive in one final, never in pieces whisper cannot read;
- silent stretches are covered by empty finals, so a client can resume a broken
  connection from the end of its last final.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

import numpy as np

from voice.asr.base import AsrError, AsrResult, AsrSpeechStarted, AsrUtteranceEnd, AsrWord
from voice.asr.segmenter import (
    FRAME_MS,
    ChannelSegmenter,
    DecodeAudio,
    EndpointConfig,
    SegmentAction,
    SpeechStart,
)
from voice.asr.whisper_decoder import SILENCE, Decoded, DecodeRequest, WhisperEngine

__all__ = [
    "DecodingConfig",
    "EndpointConfig",
    "LocalAsr",
    "LocalAsrStream",
    "LocalEvent",
    "LocalResult",
    "WhisperEngine",
]

log = logging.getLogger(__name__)

_STRETCH_S = 0.15
# How far into the region a word that starts in the pre-roll must reach to be new.
_INTO_REGION_S = 0.05
_DIGIT_WORD = re.compile(r"\d[\d-]*[,.]?")  # "5", "5425,", "415-555-0163."
_DOTTED_PIECE = re.compile(r"\.\d+[,.?!]?")  # ".0", ".27." after "0" in "0.9.27."


@dataclass(frozen=True, slots=True)
class LocalResult(AsrResult):
    """An AsrResult that also says whether a Finalize request produced it (for the server)."""

    from_finalize: bool = False


LocalEvent = LocalResult | AsrUtteranceEnd | AsrSpeechStarted


@dataclass(frozen=True, kw_only=True)
class DecodingConfig:
    """How utterances are decoded."""

    final_beam_size: int = 5  # finals are the record: beam search, as whisper is evaluated
    interim_beam_size: int = 1  # interims are replaced within a second: greedy is enough
    # The speaker's recent final words as a whisper prompt. Off by default: on the sample
    # calls a prompt carried misrecognitions and number styles ("$5.5.5") into later turns.
    prompt_words: int = 0


class _End:
    pass


_END = _End()


class _SpeakerText:
    """A channel's recent final words with their stream times, for prompts."""

    def __init__(self, keep: int) -> None:
        self._words: collections.deque[AsrWord] = collections.deque(maxlen=keep)

    def add(self, words: Iterable[AsrWord]) -> None:
        self._words.extend(words)

    def before(self, time_s: float) -> str:
        """Text said before time_s: a decode whose audio starts there never hears it."""
        return " ".join(w.word for w in self._words if w.end_s <= time_s)


@dataclass(slots=True)
class _Held:
    """A final not sent yet: its text did not end a sentence."""

    result: LocalResult
    region_start: int  # sample
    speech_start: int  # sample where the audio it was decoded from began


def ends_sentence(word: str) -> bool:
    """Whether a final ending in this word may be sent. Not after a digit string, even
    with a full stop: numbers are read in groups, and Whisper often ends a group with one."""
    if _DIGIT_WORD.fullmatch(word):
        return False
    return word.rstrip("\"')]”").endswith((".", "?", "!", "…"))


class LocalAsrStream:
    """One live session: segmentation in a worker thread, decodes in the shared engine."""

    def __init__(
        self,
        *,
        engine: WhisperEngine,
        config: EndpointConfig,
        sample_rate: int,
        channels: int,
        decoding: DecodingConfig | None = None,
    ) -> None:
        if sample_rate * FRAME_MS % 1000 or sample_rate < 8000:
            raise AsrError(f"unsupported sample rate {sample_rate}")
        self._engine = engine
        self._decoding = decoding or DecodingConfig()
        self._rate = sample_rate
        self._channels = channels
        self._segmenters = [
            ChannelSegmenter(channel=ch, sample_rate=sample_rate, config=config)
            for ch in range(channels)
        ]
        # One segmentation at a time, in arrival order: the VAD state is per stream.
        self._segmenting = asyncio.Lock()
        self._jobs: collections.deque[SegmentAction | _End] = collections.deque()
        self._job_added = asyncio.Event()
        self._out: asyncio.Queue[LocalEvent | _End | BaseException] = asyncio.Queue()
        self._remainder = b""
        self._last_word_end: dict[int, float] = {}  # of the open turn, for UtteranceEnd
        self._reported_until: dict[int, float] = {}  # end of the last word sent, per channel
        self._said = [_SpeakerText(self._decoding.prompt_words) for _ in range(channels)]
        self._held: dict[int, _Held] = {}
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
        await self._segment(
            lambda: [a for seg in self._segmenters for a in seg.accept(frames[:, seg.channel])]
        )

    async def finalize(self) -> None:
        await self._segment(
            lambda: [
                a for seg in self._segmenters for a in seg.flush(from_finalize=True, closing=False)
            ]
        )

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
        self._closed = True
        await self._segment(
            lambda: [
                a for seg in self._segmenters for a in seg.flush(from_finalize=False, closing=True)
            ]
        )
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

    async def _segment(self, work: Callable[[], list[SegmentAction]]) -> None:
        """Run VAD and segmentation off the event loop (a 32 ms window per model call)."""
        async with self._segmenting:
            self._enqueue(await asyncio.to_thread(work))

    def _enqueue(self, actions: Iterable[SegmentAction | _End]) -> None:
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
                    for channel in list(self._held):
                        self._release(channel)
                    self._out.put_nowait(_END)
                    return
                await self._run(job)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # surface engine failures to the consumer
            log.exception("local ASR stream failed")
            self._out.put_nowait(AsrError(f"local ASR failed: {exc}"))

    async def _run(self, job: SegmentAction) -> None:
        if isinstance(job, SpeechStart):
            self._out.put_nowait(AsrSpeechStarted(job.channel, job.sample / self._rate))
        elif not isinstance(job, DecodeAudio):
            self._release(job.channel)
            last = self._last_word_end.pop(job.channel, None)
            if last is not None:
                self._out.put_nowait(AsrUtteranceEnd(job.channel, last))
        elif job.final:
            await self._final(job)
        elif not self._superseded(job):
            result = await self._decode(job, *self._starts(job))
            if result is not None:
                self._out.put_nowait(result)

    def _starts(self, job: DecodeAudio) -> tuple[int, int]:
        """(region start, audio start) of the job's decode: its own utterance, or the held
        final it joins when the job's audio still covers that.

        No context before that: a stream resumed after the last final sent (a reconnect,
        a worker failover) then decodes exactly the audio this one does.
        """
        held = self._held.get(job.channel)
        if held is not None and job.audio.size and job.audio_start <= held.speech_start:
            return held.region_start, held.speech_start
        return job.region_start, job.speech_start if job.audio.size else job.audio_start

    async def _final(self, job: DecodeAudio) -> None:
        region_start, speech_start = self._starts(job)
        if region_start == job.region_start:
            self._release(job.channel)
        result = await self._decode(job, region_start, speech_start)
        assert result is not None  # finals are never optional
        self._held.pop(job.channel, None)
        if job.speech_final and result.words and not ends_sentence(result.words[-1].word):
            self._held[job.channel] = _Held(result, region_start, speech_start)
        else:
            self._emit_final(result)

    def _release(self, channel: int) -> None:
        held = self._held.pop(channel, None)
        if held is not None:
            self._emit_final(held.result)

    def _emit_final(self, result: LocalResult) -> None:
        if result.words:
            self._last_word_end[result.channel] = result.words[-1].end_s
            self._reported_until[result.channel] = result.words[-1].end_s
            self._said[result.channel].add(result.words)
        self._out.put_nowait(result)

    def _superseded(self, job: DecodeAudio) -> bool:
        """An interim is stale once newer audio of its channel is already queued."""
        return any(isinstance(j, DecodeAudio) and j.channel == job.channel for j in self._jobs)

    async def _decode(self, job: DecodeAudio, region_start: int, begin: int) -> LocalResult | None:
        decoded: Decoded = SILENCE
        audio = job.audio[begin - job.audio_start :]
        offset = begin / self._rate  # stream time of the audio's first sample
        if audio.size:
            request = DecodeRequest(
                samples=audio,
                sample_rate=self._rate,
                beam_size=(
                    self._decoding.final_beam_size
                    if job.final
                    else self._decoding.interim_beam_size
                ),
                prompt=self._said[job.channel].before(offset),
            )
            maybe = await self._engine.transcribe(request, optional=not job.final)
            if maybe is None:
                return None
            decoded = maybe
        words = new_words(
            decoded.words,
            offset=offset,
            region_start=region_start / self._rate,
            reported_until=self._reported_until.get(job.channel),
        )
        words = joined_numbers(words)
        return LocalResult(
            channel=job.channel,
            is_final=job.final,
            speech_final=job.speech_final,
            text=" ".join(w.word for w in words),
            words=words,
            start_s=region_start / self._rate,
            end_s=job.region_end / self._rate,
            confidence=float(np.mean([w.confidence for w in words])) if words else 0.0,
            from_finalize=job.from_finalize,
        )


def new_words(
    words: Iterable[AsrWord],
    *,
    offset: float,
    region_start: float,
    reported_until: float | None = None,
) -> list[AsrWord]:
    """Words of a decode, on the stream clock, that were said in the new region.

    A word said before the region belongs to the context: an earlier result reported it.
    But Whisper times the first word of a decode from the start of its audio, so a short
    word right after the pre-roll ("What is ...") can look as if it were said in the
    pre-roll, before the region. Such a word is new all the same when it starts after the
    last word this channel reported (`reported_until`) and reaches into the region: no
    earlier result can have said it. Kept words start no earlier than the region, so
    results stay contiguous on each channel.
    """
    kept = []
    for w in words:
        start, end = w.start_s + offset, w.end_s + offset
        unreported = reported_until is None or start >= reported_until
        if _after(start, end, region_start) or (
            unreported and end >= region_start + _INTO_REGION_S
        ):
            kept.append(AsrWord(w.word, max(start, region_start), end, w.confidence))
    return kept


def joined_numbers(words: list[AsrWord]) -> list[AsrWord]:
    """Whisper writes "2-0-0-6" or "415-555-0163" as one number, but its word split cuts
    it at each hyphen ("415", "-555", "-0163"): make the number one word again."""
    joined: list[AsrWord] = []
    for w in words:
        if w.word.startswith("-") and w.word[1:2].isdigit():
            if joined and joined[-1].word[-1:].isdigit():
                last = joined.pop()
                w = AsrWord(
                    last.word + w.word, last.start_s, w.end_s, min(last.confidence, w.confidence)
                )
            else:  # the number began in audio an earlier result reported
                w = AsrWord(w.word[1:], w.start_s, w.end_s, w.confidence)
        joined.append(w)
    return _unbroken_digits(_undotted(joined))


def _undotted(words: list[AsrWord]) -> list[AsrWord]:
    """Whisper writes digits read one by one as "5.0.3." and a price as "4.99", and its
    word split cuts both at each dot ("5", ".0", ".3."). One dotted piece after a number
    is a decimal: join it back ("4.99"). Two or more are digits read out: each piece
    becomes a digit word of its own ("5 0 3."), as digits read with pauses come out."""
    out: list[AsrWord] = []
    i = 0
    while i < len(words):
        w = words[i]
        run = i + 1
        if w.word[-1:].isdigit():
            while run < len(words) and _DOTTED_PIECE.fullmatch(words[run].word):
                run += 1
        pieces = words[i + 1 : run]
        if len(pieces) == 1:
            last = pieces[0]
            conf = min(w.confidence, last.confidence)
            out.append(AsrWord(w.word + last.word, w.start_s, last.end_s, conf))
        else:
            out.append(w)
            out += [AsrWord(p.word[1:], p.start_s, p.end_s, p.confidence) for p in pieces]
        i = run
    return out


def _unbroken_digits(words: list[AsrWord]) -> list[AsrWord]:
    """Drop the commas and full stops Whisper puts between digits read one by one
    ("5, 5, 5, 2." or "5425. 2334,"): a number read in groups stays one digit string,
    each word keeping its own timing. Punctuation after the last digit stays."""
    digits = [bool(_DIGIT_WORD.fullmatch(w.word)) for w in words]
    cleaned = []
    for i, w in enumerate(words):
        if digits[i] and i + 1 < len(words) and digits[i + 1]:
            w = AsrWord(w.word.rstrip(",."), w.start_s, w.end_s, w.confidence)
        cleaned.append(w)
    return cleaned


def _after(start: float, end: float, boundary: float) -> bool:
    """Whether a word was said after the boundary. Whisper's word timings often stretch a
    word that follows a pause back into the pause, so a word that ends well past the
    boundary counts as after it even when its middle does not."""
    return (start + end) / 2 >= boundary or end >= boundary + _STRETCH_S


class LocalAsr:
    """StreamingAsr over the process-wide whisper engine."""

    def __init__(
        self,
        *,
        engine: WhisperEngine | None = None,
        config: EndpointConfig | None = None,
        decoding: DecodingConfig | None = None,
    ) -> None:
        self._engine = engine
        self._config = config or EndpointConfig()
        self._decoding = decoding

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[LocalAsrStream]:
        engine = self._engine
        if engine is None:
            # Loading the model takes a second or two: keep the event loop free meanwhile.
            engine = await asyncio.to_thread(WhisperEngine.shared)
        stream = LocalAsrStream(
            engine=engine,
            config=self._config,
            sample_rate=sample_rate,
            channels=channels,
            decoding=self._decoding,
        )
        try:
            yield stream
        except BaseException:
            await stream.abort()
            raise
        await stream.close()
