"""Post-call PII detection: the whole call, as Whisper decodes it, read as one conversation.

The live pass redacts what the streaming recogniser wrote, and that recogniser now and then
mishears PII ("Thank you, Sarah" streamed as "Thank you, sir"): what was never written
cannot be found, and the name would stay audible in the stored recording. After the call
the redactor decodes each track whole (the verifier's WhisperTranscriber, which hears the
whole call at once and does better), cuts each track's words into lines, interleaves both
tracks' lines by start time and reads them in batch with `redact_conversation` (each line
with its speaker's earlier and later lines and the other party's question). Each finding's
characters are mapped back to the words they cover, and so to a time span in its track.

Here too is that decode, `WhisperTranscriber`, which the verifier uses on the redacted audio;
the rest is pure functions over words and findings: no I/O, no Temporal. What is heard stays
in memory; only entity types and times leave this module.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import ctranslate2
import numpy as np

from redaction.conversation import redact_conversation
from redaction.detector import PiiDetector
from redaction.model import Finding
from redaction.policy import RedactionPolicy
from voice.asr.whisper_decoder import to_whisper_rate
from workflows.redaction_types import TrackSpan

# A pause this long between two words ends a line. Turns on a call are a second or more
# apart, while the pauses inside a sentence (a breath, a number read out in groups) stay
# under half a second on the sample calls: 0.7 s keeps a card number read in groups on one
# line and still splits a question from its answer when Whisper writes no punctuation.
LINE_GAP_MS = 700
# Whisper's sentence punctuation ends a line too: the live recogniser cuts its utterances at
# sentence ends, and the detector's context (the speaker's lines around a line, the other
# party's question) is built for lines of that size. A number cut across lines is still
# found, since each line is read with its neighbours.
SENTENCE_ENDS = (".", "?", "!")
# A period after these is not a sentence end: a title belongs with the name it precedes,
# a street type with the rest of the address.
ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "mt.", "apt.", "ave."})


class TranscriptionStopped(Exception):
    """The activity was cancelled while its decode ran in a thread."""


@dataclass(frozen=True)
class HeardWord:
    """A word as Whisper wrote it: a leading space starts a new word, none continues one
    ("4", "-1", "-1" is the number "4-1-1")."""

    word: str
    start_ms: int
    end_ms: int


DECODE_SEED = 0


class WhisperTranscriber:
    """Whole-track decode with faster-whisper and the packaged model, as
    bench/bench_asr_accuracy.py does; one model per process, one decode at a time."""

    def __init__(self, *, beam_size: int = 5) -> None:
        self._beam_size = beam_size
        self._model: Any = None
        self._lock = threading.Lock()

    def words(
        self,
        samples: np.ndarray,
        sample_rate: int,
        stop: threading.Event,
        decoded: Callable[[int], None] | None = None,
    ) -> list[HeardWord]:
        """Blocking whole-track decode; raises TranscriptionStopped once ``stop`` is set.
        ``decoded`` hears how far (ms) the decode has got, after each segment."""
        if samples.size == 0 or not np.any(samples):
            return []
        audio = to_whisper_rate(samples, sample_rate)
        heard: list[HeardWord] = []
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                from voice.asr.model_files import whisper_model_dir

                self._model = WhisperModel(
                    str(whisper_model_dir()), device="cpu", compute_type="int8"
                )
            # A doubtful segment is decoded again at rising temperatures, which samples:
            # seeded, the same audio gives the same words, so a verdict can be reproduced
            # (without that fallback, beeps send the decoder into repetition loops).
            ctranslate2.set_random_seed(DECODE_SEED)
            segments, _ = self._model.transcribe(
                audio,
                beam_size=self._beam_size,
                language="en",
                vad_filter=True,
                word_timestamps=True,
                condition_on_previous_text=False,
            )
            for segment in segments:  # decoded lazily, segment by segment
                if stop.is_set():
                    raise TranscriptionStopped()
                for word in segment.words or []:
                    start = round(word.start * 1000)
                    heard.append(HeardWord(word.word, start, max(start, round(word.end * 1000))))
                if decoded is not None:
                    decoded(round(segment.end * 1000))
        return heard


# One model per process, built on first use (it takes seconds to load).
SHARED_TRANSCRIBER = WhisperTranscriber()


class TimedWord(Protocol):
    """A word as Whisper writes it: a leading space starts a new word, none continues one."""

    @property
    def word(self) -> str: ...

    @property
    def start_ms(self) -> int: ...

    @property
    def end_ms(self) -> int: ...


@dataclass(frozen=True)
class Line:
    """One line of one track: its text, built from its words, and each word's characters."""

    track: str
    words: tuple[TimedWord, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]

    @property
    def start_ms(self) -> int:
        return self.words[0].start_ms

    def time_of(self, finding: Finding) -> tuple[int, int] | None:
        """The time the words under the finding's characters take, or None if none are."""
        hit = [
            word
            for word, (a, b) in zip(self.words, self.offsets, strict=True)
            if a < finding.end and b > finding.start
        ]
        if not hit:
            return None
        return min(w.start_ms for w in hit), max(w.end_ms for w in hit)


def line_of(track: str, words: Sequence[TimedWord]) -> Line:
    text, offsets = "", []
    for word in words:
        piece = word.word if text else word.word.lstrip()
        offsets.append((len(text), len(text) + len(piece)))
        text += piece
    return Line(track, tuple(words), text, tuple(offsets))


def ends_sentence(word: str) -> bool:
    core = word.strip()
    if not core.endswith(SENTENCE_ENDS) or core.lower() in ABBREVIATIONS:
        return False
    # "S." is an initial or a letter spelled out, not the end of a sentence.
    return not (core.endswith(".") and len(core) == 2 and core[0].isalpha())


def split_lines(track: str, words: Sequence[TimedWord]) -> list[Line]:
    """A track's words cut into lines at a pause of LINE_GAP_MS or a sentence end.

    A piece that continues the previous word ("4", "-1") starts a line only after a pause:
    Whisper glues digits read in separate turns into one "word" ("...09-277-374")."""
    lines: list[Line] = []
    current: list[TimedWord] = []
    for word in words:
        if current:
            previous = current[-1]
            paused = word.start_ms - previous.end_ms >= LINE_GAP_MS
            new_word = word.word[:1].isspace()
            if paused or (new_word and ends_sentence(previous.word)):
                lines.append(line_of(track, current))
                current = []
        current.append(word)
    if current:
        lines.append(line_of(track, current))
    return [line for line in lines if line.text.strip()]


def conversation(words_by_track: Mapping[str, Sequence[TimedWord]]) -> list[Line]:
    """Both tracks' lines in spoken order (by start time; a tie keeps the tracks' order)."""
    lines = [line for track, words in words_by_track.items() for line in split_lines(track, words)]
    return sorted(lines, key=lambda line: line.start_ms)


def post_call_spans(
    words_by_track: Mapping[str, Sequence[TimedWord]],
    *,
    detector: PiiDetector,
    policy: RedactionPolicy,
) -> list[TrackSpan]:
    """The PII spans the detector finds in the whole call's words, read in batch."""
    lines = conversation(words_by_track)
    if not lines:
        return []
    results = redact_conversation(
        [(line.track, line.text) for line in lines], detector=detector, policy=policy
    )
    spans = []
    for line, result in zip(lines, results, strict=True):
        for finding in result.findings:
            time = line.time_of(finding)
            if time is not None:
                spans.append(TrackSpan(line.track, str(finding.type), *time))
    return union_spans([], spans)


def union_spans(live: Sequence[TrackSpan], post_call: Sequence[TrackSpan]) -> list[TrackSpan]:
    """Both passes' spans per track: every second either pass found, and the live types.

    Overlapping (or touching) spans of one pass merge into one: a live group takes the type
    of its first span, since the live pass typed it with the call's own transcript and
    that type is what the utterance records; a post-call group the type of its longest
    span. A post-call span never fuses live spans, though: a whole-track decode may write
    a card number, its expiry and its code as one long number, and the audit still counts
    each with its own type. What a post-call span adds beyond the live spans widens the
    live span it touches (the earlier one between two), or stands on its own. A span that
    ends before it starts is kept as it is, unmerged, for verification to report.
    """
    out: list[TrackSpan] = []
    tracks = list(dict.fromkeys(s.track for s in [*live, *post_call]))
    for track in tracks:
        lives = _merged([s for s in live if s.track == track], first_typed=True)
        for piece in _uncovered(_merged([s for s in post_call if s.track == track]), lives):
            before = next((i for i, s in enumerate(lives) if s.end_ms == piece.start_ms), None)
            after = next((i for i, s in enumerate(lives) if s.start_ms == piece.end_ms), None)
            if before is not None:
                lives[before] = dataclasses.replace(lives[before], end_ms=piece.end_ms)
            elif after is not None:
                lives[after] = dataclasses.replace(lives[after], start_ms=piece.start_ms)
            else:
                lives.append(piece)
        out += lives
        out += [s for s in live if s.track == track and s.end_ms < s.start_ms]
    return sorted(out, key=lambda s: (s.start_ms, s.track, s.end_ms))


def _merged(spans: Sequence[TrackSpan], *, first_typed: bool = False) -> list[TrackSpan]:
    """Overlapping or touching spans of one track merged, typed by their first span or
    their longest; spans that end before they start are left out."""
    groups: list[list[TrackSpan]] = []
    for span in sorted(
        (s for s in spans if s.end_ms >= s.start_ms), key=lambda s: (s.start_ms, s.end_ms)
    ):
        if groups and span.start_ms <= max(s.end_ms for s in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    return [
        TrackSpan(
            group[0].track,
            (group[0] if first_typed else max(group, key=span_length)).type,
            group[0].start_ms,
            max(s.end_ms for s in group),
        )
        for group in groups
    ]


def _uncovered(spans: Sequence[TrackSpan], cover: Sequence[TrackSpan]) -> list[TrackSpan]:
    """The parts of spans that no span of cover overlaps (cover: sorted, disjoint)."""
    pieces = []
    for span in spans:
        start = span.start_ms
        for c in cover:
            if c.end_ms <= start or c.start_ms >= span.end_ms:
                continue
            if c.start_ms > start:
                pieces.append(dataclasses.replace(span, start_ms=start, end_ms=c.start_ms))
            start = max(start, c.end_ms)
        if start < span.end_ms:
            pieces.append(dataclasses.replace(span, start_ms=start))
    return pieces


def span_length(span: TrackSpan) -> int:
    return span.end_ms - span.start_ms


def only_post_call(spans: Sequence[TrackSpan], live: Sequence[TrackSpan]) -> int:
    """How many of the spans no live span overlaps: what the post-call pass alone found."""
    return sum(
        not any(
            s.track == x.track and x.start_ms <= s.end_ms and s.start_ms <= x.end_ms for x in live
        )
        for s in spans
    )
