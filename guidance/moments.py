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
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

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


@dataclass
class _State:
    spec: Moment
    phrases: list[list[str]]
    example_vectors: np.ndarray | None = None
    last_fired_s: float | None = None
    absence_settled: bool = False  # said in time, or already fired


@dataclass
class MomentDetector:
    """One call's moment detection over its tenant's policy moments (disabled ones are
    left out). `embed` is needed only by example moments."""

    moments: Sequence[Moment]
    embed: Embed | None = None
    _states: list[_State] = field(init=False)

    def __post_init__(self) -> None:
        self._states = [
            _State(m, [words_of(p) for p in m.phrases]) for m in self.moments if m.enabled
        ]
        with_examples = [st for st in self._states if st.spec.examples]
        if with_examples and self.embed is None:
            raise ValueError("example moments need an embedding model")
        for st in with_examples:
            assert self.embed is not None
            st.example_vectors = _unit(self.embed(list(st.spec.examples)))

    def on_turn(self, turn: Turn) -> list[Fired]:
        """Moments this turn fires. Interim turns fire phrase moments only (early hints);
        the final turn is the one that counts for examples, questions and absence."""
        words = words_of(turn.text)
        vectors: list[np.ndarray] = []  # the turn's embedding, computed once if needed

        def turn_vector() -> np.ndarray:
            if not vectors:
                assert self.embed is not None
                vectors.append(_unit(self.embed([turn.text]))[0])
            return vectors[0]

        fired: list[Fired] = []
        for st in self._states:
            spec = st.spec
            if spec.speaker not in (Speaker.ANY, turn.speaker):
                continue
            said = next((p for p in st.phrases if _contains(words, p)), None)
            if spec.absent_within_s is not None:
                if said is not None and turn.final and not st.absence_settled:
                    st.absence_settled = True  # said in time: the reminder is not needed
                continue
            hit = self._hit(st, turn, words, said, turn_vector)
            if hit is None or self._cooling(st, turn.at_s):
                continue
            trigger, confidence, matched = hit
            st.last_fired_s = turn.at_s
            fired.append(Fired(spec.id, trigger, turn.at_s, confidence, turn.text, matched))
        return fired

    @staticmethod
    def _hit(
        st: _State,
        turn: Turn,
        words: list[str],
        said: list[str] | None,
        turn_vector: Callable[[], np.ndarray],
    ) -> tuple[Trigger, float, str] | None:
        spec = st.spec
        if said is not None:
            return Trigger.PHRASE, 1.0, " ".join(said)
        if not turn.final:
            return None
        if st.example_vectors is not None and words:
            scores = st.example_vectors @ turn_vector()
            best = int(np.argmax(scores))
            if float(scores[best]) >= spec.similarity:
                return Trigger.EXAMPLE, float(scores[best]), spec.examples[best]
        if spec.questions and is_question(turn.text):
            return Trigger.QUESTION, 0.8, ""
        return None

    def on_tick(self, at_s: float) -> list[Fired]:
        """Absence moments whose time is up at call time `at_s`."""
        fired = []
        for st in self._states:
            spec = st.spec
            if spec.absent_within_s is None or st.absence_settled:
                continue
            if at_s >= spec.absent_within_s:
                st.absence_settled = True
                st.last_fired_s = at_s
                fired.append(Fired(spec.id, Trigger.ABSENCE, at_s, 1.0))
        return fired

    def next_deadline_s(self) -> float | None:
        """The call time of the next absence check, for a timer; None if none is armed."""
        pending = [
            st.spec.absent_within_s
            for st in self._states
            if st.spec.absent_within_s is not None and not st.absence_settled
        ]
        return min(pending) if pending else None

    @staticmethod
    def _cooling(st: _State, at_s: float) -> bool:
        return st.last_fired_s is not None and at_s - st.last_fired_s < st.spec.cooldown_s


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)
