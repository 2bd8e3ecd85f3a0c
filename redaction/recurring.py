"""Names said again later in a call: once a caller has said "my daughter abena", the
agent's "ok abena, tuesdays at four thirty" names her too, with no cue around it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from redaction.intros import AMBIGUOUS_GIVEN
from redaction.lexicon import FIRST_NAMES, FUNCTION_WORDS, rare_word
from redaction.model import EntityType, Finding
from redaction.spoken import Kind
from redaction.tokens import tokenize

REPEAT_SCORE = 0.6


def name_words(text: str, findings: Iterable[Finding]) -> set[str]:
    """Words of the PERSON findings in `text` that are safe to look for again: a known
    given name or a word English hardly uses otherwise, never an everyday word a wrong
    finding could spread ("lesson", "texas")."""
    words = set()
    for finding in findings:
        if finding.type != EntityType.PERSON:
            continue
        for tok in tokenize(text[finding.start : finding.end]):
            w = tok.lower
            if tok.kind != Kind.WORD or len(w) < 3 or w in FUNCTION_WORDS:
                continue
            if w in AMBIGUOUS_GIVEN:
                continue  # "may", "june", "bill": a word as often as a name
            if w in FIRST_NAMES or rare_word(w):
                words.add(w)
    return words


def said_again(text: str, names: set[str], found: Sequence[Finding]) -> list[Finding]:
    """Words of `text` that are names said earlier in the call, where no finding is."""
    if not names:
        return []
    taken = [(f.start, f.end) for f in found]
    repeats = []
    for tok in tokenize(text):
        if tok.kind != Kind.WORD or tok.lower not in names:
            continue
        if any(start < tok.end and tok.start < end for start, end in taken):
            continue
        repeats.append(Finding(EntityType.PERSON, tok.start, tok.end, REPEAT_SCORE))
    return repeats
