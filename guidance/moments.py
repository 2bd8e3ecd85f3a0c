"""Moments: what in a call's redacted turns should prompt a hint, and when.

A `MomentDetector` is one call's state over the moments of its tenant's policy
(guidance.policy.Moment). It is fed turns as they arrive (final utterances,
or redacted interim text, always with the call time they were said at) and clock ticks,
and answers with the moments that fire:

* a phrase moment fires when its speaker says one of its phrases (whole words, any case,
  punctuation and redaction tags ignored: "[CREDIT_CARD]" never matches a phrase);
* an example moment fires when a turn means what one of its example sentences means
  (cosine similarity of sentence embeddings at or above the moment's threshold);
* a question moment fires on a question from its speaker;
* an absence moment fires when its speaker has not said any of its phrases within
  `absent_within_s` of the call's start (once; saying a phrase in time disarms it).

A moment that fired does not fire again within its cooldown. The detector does no I/O and
reads no clock: time comes in with each turn and tick, so a workflow can replay it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from guidance.moment_gate import MomentGate, MomentTiming
from guidance.policy import Moment, Speaker

# Sentence embeddings for example moments: texts in, one row per text out.
Embed = Callable[[Sequence[str]], np.ndarray]


class Trigger(StrEnum):
    PHRASE = "phrase"
    EXAMPLE = "example"
    QUESTION = "question"
    ABSENCE = "absence"


@dataclass(frozen=True)
class Turn:
    speaker: str  # "customer" | "agent"
    text: str  # redacted
    at_s: float  # call time the turn ended at
    final: bool = True


@dataclass(frozen=True)
class Fired:
    moment_id: str
    trigger: Trigger
    at_s: float
    confidence: float
    turn_text: str = ""  # the (redacted) turn that fired it; empty for absence
    matched: str = ""  # the phrase or example sentence that matched


_TAG = re.compile(r"\[[A-Z_]+(?::[0-9a-f]+)?\]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUESTION_OPENERS = frozenset(
    """how what when where why which who whose whom can could would will do does did is
    are am was were should shall may might have has""".split()
)
# "I was wondering if ...", "do you know ...": questions said as statements.
_QUESTION_PHRASES = (
    "i was wondering",
    "i wonder",
    "do you know",
    "can you tell me",
    "could you tell me",
    "is there a way",
    "is it possible",
    "i need to know",
    "i'd like to know",
    "i would like to know",
    "how do i",
    "how can i",
)


def words_of(text: str) -> list[str]:
    """Lower-case words of `text`, redaction tags removed."""
    return _WORD.findall(_TAG.sub(" ", text).lower().replace("’", "'"))


def is_question(text: str) -> bool:
    """A question, asked as one ("How do I ...?") or as a statement ("I was wondering if
    roaming costs extra")."""
    words = words_of(text)
    if len(words) < 3:
        return False  # "what?", "sorry?": asking to repeat, not a question to answer
    if text.rstrip().endswith("?"):
        return True
    joined = " ".join(words)
    if any(phrase in joined for phrase in _QUESTION_PHRASES):
        return True
    return words[0] in _QUESTION_OPENERS and len(words) >= 4


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Match:
    """A turn matched a moment; whether it fires is the gate's call (cooldowns)."""

    moment_id: str
    trigger: Trigger
    confidence: float
    matched: str = ""  # the phrase or example sentence that matched


@dataclass(frozen=True)
class TurnMatches:
    matches: tuple[Match, ...] = ()
    # Absence moments whose phrase this (final) turn said: their reminder is not needed.
    said: tuple[str, ...] = ()


@dataclass
class _Spec:
    moment: Moment
    phrases: list[list[str]]
    example_vectors: np.ndarray | None = None


class MomentMatcher:
    """Which of a policy's moments a turn matches. Stateless once built, so one matcher
    serves every call of a policy version; disabled moments are left out. `embed` is needed
    only by example moments."""

    def __init__(self, moments: Sequence[Moment], embed: Embed | None = None) -> None:
        self._specs = [_Spec(m, [words_of(p) for p in m.phrases]) for m in moments if m.enabled]
        self._embed = embed
        with_examples = [sp for sp in self._specs if sp.moment.examples]
        if with_examples and embed is None:
            raise ValueError("example moments need an embedding model")
        for sp in with_examples:
            assert embed is not None
            sp.example_vectors = _unit(embed(list(sp.moment.examples)))

    @property
    def timings(self) -> list[MomentTiming]:
        return [
            MomentTiming(sp.moment.id, sp.moment.cooldown_s, sp.moment.absent_within_s)
            for sp in self._specs
        ]

    def match(self, turn: Turn) -> TurnMatches:
        """Interim turns match phrase moments only (early hints); the final turn is the one
        that counts for examples, questions and absence."""
        words = words_of(turn.text)
        vectors: list[np.ndarray] = []  # the turn's embedding, computed once if needed

        def turn_vector() -> np.ndarray:
            if not vectors:
                assert self._embed is not None
                vectors.append(_unit(self._embed([turn.text]))[0])
            return vectors[0]

        matches: list[Match] = []
        said: list[str] = []
        for sp in self._specs:
            spec = sp.moment
            if spec.speaker not in (Speaker.ANY, turn.speaker):
                continue
            phrase = next((p for p in sp.phrases if _contains(words, p)), None)
            if spec.absent_within_s is not None:
                if phrase is not None and turn.final:
                    said.append(spec.id)
                continue
            hit = self._hit(sp, turn, words, phrase, turn_vector)
            if hit is not None:
                matches.append(Match(spec.id, *hit))
        return TurnMatches(tuple(matches), tuple(said))

    @staticmethod
    def _hit(
        sp: _Spec,
        turn: Turn,
        words: list[str],
        phrase: list[str] | None,
        turn_vector: Callable[[], np.ndarray],
    ) -> tuple[Trigger, float, str] | None:
        spec = sp.moment
        if phrase is not None:
            return Trigger.PHRASE, 1.0, " ".join(phrase)
        if not turn.final:
            return None
        if sp.example_vectors is not None and words:
            scores = sp.example_vectors @ turn_vector()
            best = int(np.argmax(scores))
            if float(scores[best]) >= spec.similarity:
                return Trigger.EXAMPLE, float(scores[best]), spec.examples[best]
        if spec.questions and is_question(turn.text):
            return Trigger.QUESTION, 0.8, ""
        return None


class MomentDetector:
    """One call's moment detection in one object: a matcher and a gate (cooldowns,
    absence timers). The guidance workflow keeps the two apart (matching in an activity,
    the gate in workflow state); tests and tools use this."""

    def __init__(self, moments: Sequence[Moment], embed: Embed | None = None) -> None:
        self.matcher = MomentMatcher(moments, embed)
        self.gate = MomentGate(self.matcher.timings)

    def on_turn(self, turn: Turn) -> list[Fired]:
        """Moments this turn fires."""
        result = self.matcher.match(turn)
        for moment_id in result.said:
            self.gate.disarm(moment_id)
        return [
            Fired(m.moment_id, m.trigger, turn.at_s, m.confidence, turn.text, m.matched)
            for m in result.matches
            if self.gate.admit(m.moment_id, turn.at_s)
        ]

    def on_tick(self, at_s: float) -> list[Fired]:
        """Absence moments whose time is up at call time `at_s`."""
        return [Fired(mid, Trigger.ABSENCE, at_s, 1.0) for mid in self.gate.due(at_s)]

    def next_deadline_s(self) -> float | None:
        """The call time of the next absence check, for a timer; None if none is armed."""
        return self.gate.next_deadline_s()


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)
