"""Voice activity detection and segmentation for the local engine, one channel at a time.

A Silero VAD (the one bundled with faster-whisper) tracks speech in 32 ms windows. While
a speaker talks the current utterance is re-decoded about once a second for interim
results; when the VAD sees `endpointing_ms` of silence the utterance is decoded once
more as a final result. Silent stretches are covered by empty finals, so each channel's
timeline is partitioned into contiguous results and a client can resume a broken
connection from the end of its last final.

Each decode action carries the turn's earlier audio (up to `context_s`) besides the
utterance's own, so the stream loop can decode a held final (one whose text did not end
a sentence) together with the piece that follows it. A turn ends where the client's
`utterance_end_ms` of silence says it does.

Everything here is plain, synchronous and deterministic in the samples it is given:
the same audio cut into any chunks gives the same actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FRAME_MS = 32  # VAD and segmentation step
_VAD_WINDOW = 512  # Silero's window at 16 kHz (32 ms)
_VAD_CONTEXT = 64  # samples of the previous window Silero sees
_VAD_QUIET = 0.2  # below this probability a window counts towards a state reset
_VAD_RESET_WINDOWS = 8


@dataclass(frozen=True, kw_only=True)
class EndpointConfig:
    """How audio is cut into utterances. Times in milliseconds unless named _s."""

    endpointing_ms: int | None = 300  # None: no VAD endpointing, finals only on limits/flush
    utterance_end_ms: int | None = 1000
    interim_every_s: float | None = 1.0  # None: no interim results
    # Audio kept before the VAD onset. Silero fires 100-250 ms into a soft onset ("July",
    # "Hi"), and whisper drops or mishears a first word whose start is cut (192 ms did).
    # 320 ms covers that lag with room; docs/benchmarks.md has the sweep it was picked from.
    preroll_ms: int = 320
    min_speech_ms: int = 96  # shorter voiced blips (clicks, coughs) are not decoded
    max_utterance_s: float = 15.0  # whisper sees at most 30 s; long turns are cut earlier
    context_s: float = 8.0  # earlier audio of the same turn given to a decode as context
    silence_final_s: float = 5.0  # cadence of empty finals while a channel is silent
    vad_threshold: float = 0.5
    energy_floor_dbfs: float = -60.0  # windows quieter than this skip the VAD model


class StreamingVad:
    """Silero VAD over one channel, one 32 ms window per call so results never depend
    on how the audio was chunked on the wire."""

    def __init__(self, *, sample_rate: int, energy_floor_dbfs: float) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self.frame = sample_rate * FRAME_MS // 1000
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
class SpeechStart:
    channel: int
    sample: int


@dataclass(slots=True)
class TurnEndCheck:
    channel: int


@dataclass(slots=True)
class DecodeAudio:
    """Decode audio[audio_start:region_end] and report it as covering the region.

    Audio before region_start is context: earlier speech of the same turn whose words
    were already reported. Only words that fall in the region are new.
    """

    channel: int
    final: bool
    region_start: int
    region_end: int
    audio_start: int
    audio: np.ndarray
    speech_final: bool = False
    from_finalize: bool = False
    speech_start: int = 0  # where this utterance's own audio begins (after the context)


SegmentAction = SpeechStart | TurnEndCheck | DecodeAudio


@dataclass(slots=True)
class _Utterance:
    audio_start: int
    # Pre-roll before the onset even where it reaches back past the last final's end:
    # that depends only on the audio, not on where an earlier result was cut, so a
    # stream resumed mid-call decodes the same audio for the utterance.
    speech_start: int = 0
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
        if before > self.start:
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
        self._preroll = round(config.preroll_ms / FRAME_MS) * self._frame
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
        self._context = int(config.context_s * sample_rate)
        self._turn_start: int | None = None  # first utterance of the open turn
        self._utt: _Utterance | None = None
        self._quiet = 0  # samples since the last voiced window
        self._turn_open = False  # voiced audio seen since the last turn-end check

    def accept(self, samples: np.ndarray) -> list[SegmentAction]:
        data = np.concatenate((self._pending, samples))
        whole = data.size - data.size % self._frame
        self._pending = data[whole:]
        actions: list[SegmentAction] = []
        for begin in range(0, whole, self._frame):
            actions += self._on_frame(data[begin : begin + self._frame])
        return actions

    def flush(self, *, from_finalize: bool, closing: bool) -> list[SegmentAction]:
        """Finish the open utterance. A Finalize keeps the partial window for later so the
        VAD grid stays aligned; closing consumes it."""
        if closing and self._pending.size:
            self._log.append(self._pending)
            self._pos += self._pending.size
            self._pending = self._pending[:0]
        actions: list[SegmentAction] = []
        if self._utt is not None:
            actions += self._end_utterance(speech_final=False, from_finalize=from_finalize)
        # A Finalize always gets an answer (Deepgram replies from_finalize even to silence);
        # closing covers the trailing silence so the timeline has no gap.
        if not actions and (from_finalize or (closing and self._region_start < self._pos)):
            actions.append(self._empty_final(self._pos, from_finalize=from_finalize))
        if self._turn_open:
            actions.append(self._end_turn())
        return actions

    def _on_frame(self, frame: np.ndarray) -> list[SegmentAction]:
        start = self._pos
        self._pos += frame.size
        self._log.append(frame)
        prob = self._vad.probability(frame)
        threshold = self._cfg.vad_threshold
        # Hysteresis: once talking, a weaker window still counts as speech.
        voiced = prob >= threshold or (self._utt is not None and prob >= threshold - 0.15)
        actions: list[SegmentAction] = []
        if voiced:
            self._quiet = 0
            self._turn_open = True
            if self._utt is None:
                begin = max(self._region_start, start - self._preroll)
                self._utt = _Utterance(
                    audio_start=begin,
                    speech_start=max(self._log.start, start - self._preroll),
                )
                if self._turn_start is None:
                    self._turn_start = begin
                actions.append(SpeechStart(self.channel, start))
            self._utt.voiced += frame.size
        else:
            self._quiet += frame.size
        if self._utt is not None:
            actions += self._in_utterance(prob)
        else:
            actions += self._in_silence()
        return actions

    def _in_utterance(self, prob: float) -> list[SegmentAction]:
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

    def _in_silence(self) -> list[SegmentAction]:
        actions: list[SegmentAction] = []
        if self._turn_open and self._turn_end is not None and self._quiet >= self._turn_end:
            actions.append(self._end_turn())
        # Keep the pre-roll out of empty finals: it may belong to the next utterance.
        if self._pos - self._region_start >= self._silence_final + self._preroll:
            actions.append(self._empty_final(self._pos - self._preroll, from_finalize=False))
        return actions

    def _end_utterance(self, *, speech_final: bool, from_finalize: bool) -> list[SegmentAction]:
        utt, self._utt = self._utt, None
        if utt is None or utt.voiced < self._min_speech:
            return []
        action = self._decode(utt, final=True, end=self._pos)
        action.speech_final, action.from_finalize = speech_final, from_finalize
        self._commit(self._pos)
        return [action]

    def _cut_long_utterance(self) -> list[SegmentAction]:
        """Force a final during a long turn, cutting at the quietest recent window."""
        utt = self._utt
        assert utt is not None
        recent = min(len(utt.probs), max(1, 2000 // FRAME_MS))
        quietest = int(np.argmin(utt.probs[-recent:])) + len(utt.probs) - recent
        cut = self._pos - (len(utt.probs) - quietest - 1) * self._frame
        action = self._decode(utt, final=True, end=cut)
        self._commit(cut)
        rest = utt.probs[quietest + 1 :]
        self._utt = _Utterance(audio_start=cut, speech_start=cut, voiced=len(rest) * self._frame)
        self._utt.probs = rest
        return [action]

    def _end_turn(self) -> TurnEndCheck:
        self._turn_open = False
        self._turn_start = None
        self._log.trim(self._region_start)
        return TurnEndCheck(self.channel)

    def _context_start(self, utterance_start: int) -> int:
        """Where a decode's audio begins: the turn's start, at most context_s earlier."""
        if self._turn_start is None:
            return utterance_start
        return max(self._turn_start, utterance_start - self._context, self._log.start)

    def _decode(self, utt: _Utterance, *, final: bool, end: int) -> DecodeAudio:
        begin = min(self._context_start(utt.audio_start), utt.speech_start)
        audio = self._log.slice(begin, end)
        action = DecodeAudio(self.channel, final, self._region_start, end, begin, audio)
        action.speech_start = utt.speech_start
        return action

    def _empty_final(self, end: int, *, from_finalize: bool) -> DecodeAudio:
        action = DecodeAudio(
            self.channel, True, self._region_start, end, end, np.zeros(0, dtype=np.int16)
        )
        action.from_finalize = from_finalize
        self._turn_start = None  # this much silence ends a turn, even without turn-end checks
        self._commit(end)
        return action

    def _commit(self, end: int) -> None:
        self._region_start = end
        # Keep what the next decode of this turn may take as context.
        keep = end if self._turn_start is None else max(self._turn_start, end - self._context)
        self._log.trim(min(keep, end))
