"""Phrase moments spotted in live (interim) text, so a hint can come before the turn ends.

Where utterances are assembled (the audio worker), each redacted interim is offered here;
the spotter answers with the reminder moments whose phrases it now contains, each once per
utterance (interims of one utterance repeat its words as they grow). Only reminders are
spotted early: they need nothing but the moment itself, while a knowledge article or a
suggested reply is chosen from the final text. Whether a spotted moment fires (its
cooldown) is still the guidance workflow's decision. Pure: no I/O.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from guidance.moments import MomentMatcher, Turn
from guidance.policy import HintType, Moment

# Utterances whose spotted moments are remembered (a call has two speakers; older ones
# are finished).
REMEMBERED_UTTERANCES = 8


def early_moments(moments: Sequence[Moment]) -> list[Moment]:
    """The moments that can fire from interim text: enabled phrase-triggered reminders
    (example sentences left out: similarity is judged on the final turn)."""
    return [
        m.model_copy(update={"examples": ()})
        for m in moments
        if m.enabled
        and m.phrases
        and m.absent_within_s is None
        and m.hint.type is HintType.REMINDER
    ]


class PhraseSpotter:
    def __init__(self, moments: Sequence[Moment]) -> None:
        self._matcher = MomentMatcher(early_moments(moments))
        self._spotted: OrderedDict[tuple[str, int], set[str]] = OrderedDict()

    def spot(self, speaker: str, text: str, start_ms: int) -> list[str]:
        """Moments this interim newly says, for its utterance (speaker, start)."""
        found = self._matcher.match(Turn(speaker, text, start_ms / 1000, final=False))
        key = (speaker, start_ms)
        seen = self._spotted.setdefault(key, set())
        self._spotted.move_to_end(key)
        while len(self._spotted) > REMEMBERED_UTTERANCES:
            self._spotted.popitem(last=False)
        new = [m.moment_id for m in found.matches if m.moment_id not in seen]
        seen.update(new)
        return new
