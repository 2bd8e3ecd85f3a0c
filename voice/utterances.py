"""Turns streaming ASR output into the call's utterances and live interim text.

Times become milliseconds from the call's first sample: the ASR stream's clock starts
at `stream_offset_ms` (where this stream began reading the call's audio). Words that
start before a speaker's delivered watermark are dropped, so a resumed stream that
re-reads audio already transcribed adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from callguide.model import Speaker, Utterance, Word
from voice.asr.base import AGENT_CHANNEL, CUSTOMER_CHANNEL, AsrResult, AsrUtteranceEnd

SPEAKER_BY_CHANNEL = {CUSTOMER_CHANNEL: Speaker.CUSTOMER, AGENT_CHANNEL: Speaker.AGENT}


@dataclass(frozen=True)
class InterimText:
    """What a speaker is saying right now; it may still change."""

    speaker: Speaker
    text: str
    start_ms: int


@dataclass
class _Turn:
    words: list[Word] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)


class UtteranceAssembler:
    def __init__(self, *, stream_offset_ms: int, delivered_ms: dict[str, int] | None = None):
        self._offset_ms = stream_offset_ms
        self.delivered_ms: dict[str, int] = dict(delivered_ms or {})
        self._turns: dict[Speaker, _Turn] = {}

    def on_event(self, event: AsrResult | AsrUtteranceEnd) -> list[Utterance | InterimText]:
        speaker = SPEAKER_BY_CHANNEL.get(event.channel)
        if speaker is None:
            return []
        if isinstance(event, AsrUtteranceEnd):
            return self._close_turn(speaker)
        words = self._new_words(speaker, event)
        if not event.is_final:
            return self._interim(speaker, words)
        turn = self._turns.setdefault(speaker, _Turn())
        turn.words += words
        if words:
            turn.confidences.append(event.confidence)
        return self._close_turn(speaker) if event.speech_final else []

    def flush(self) -> list[Utterance]:
        """Closes every open turn, at the end of the audio."""
        closed: list[Utterance] = []
        for speaker in list(self._turns):
            closed += [u for u in self._close_turn(speaker) if isinstance(u, Utterance)]
        return closed

    def open_turn_start_ms(self) -> dict[str, int]:
        """Where each speaker's unfinished turn began, for choosing a safe resume point."""
        return {s.value: t.words[0].start_ms for s, t in self._turns.items() if t.words}

    def _new_words(self, speaker: Speaker, result: AsrResult) -> list[Word]:
        watermark = self.delivered_ms.get(speaker.value, -1)
        words = [
            Word(
                word=w.word,
                start_ms=self._offset_ms + round(w.start_s * 1000),
                end_ms=self._offset_ms + round(w.end_s * 1000),
                confidence=w.confidence,
            )
            for w in result.words
        ]
        return [w for w in words if w.start_ms >= watermark]

    def _interim(self, speaker: Speaker, words: list[Word]) -> list[Utterance | InterimText]:
        settled = self._turns.get(speaker, _Turn()).words
        shown = settled + words
        if not shown:
            return []
        text = " ".join(w.word for w in shown)
        return [InterimText(speaker=speaker, text=text, start_ms=shown[0].start_ms)]

    def _close_turn(self, speaker: Speaker) -> list[Utterance | InterimText]:
        turn = self._turns.pop(speaker, None)
        if turn is None or not turn.words:
            return []
        words = turn.words
        self.delivered_ms[speaker.value] = words[-1].end_ms
        confidence = sum(turn.confidences) / len(turn.confidences) if turn.confidences else 0.0
        return [
            Utterance(
                speaker=speaker,
                text=" ".join(w.word for w in words),
                start_ms=words[0].start_ms,
                end_ms=words[-1].end_ms,
                confidence=round(confidence, 4),
                words=words,
            )
        ]
