"""Addresses and birth dates begun, taken back and said again: "for ninety no sorry for
nineteen fairview road", "june for no june fourteenth nineteen sixty two", "march for uh
sorry may fourth". The restart is found as an address or a date; the words taken back
are as private (they are most of it) and are found here, with the restart's type."""

from __future__ import annotations

from redaction.dates import month_of
from redaction.model import EntityType, Finding
from redaction.spoken import Kind, Token
from redaction.tokens import HESITATIONS, HOMOPHONE_DIGITS
from redaction.transcript import Transcript

# Words that take back what was just said, and those that may come with them.
_TAKING_BACK = frozenset({"no", "sorry", "wait", "mean", "actually", "oops", "scratch"})
_WITH_THEM = HESITATIONS | frozenset({"i", "that", "or", "make", "it"})
# How many words a slip may run to before the words taking it back.
_SLIP_WORDS = 5
_SLIP_SCORE = 0.6
_RESTARTED = (EntityType.ADDRESS, EntityType.DATE_OF_BIRTH)


def taken_back(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The words a caller took back before an address or a birth date found after them."""
    out = []
    for finding in found:
        if finding.type not in _RESTARTED:
            continue
        first = next((k for k, t in enumerate(doc.tokens) if t.start >= finding.start), None)
        if first is None:
            continue
        k, taking_back = first - 1, False
        if k >= 0 and doc.tokens[k].lower in HOMOPHONE_DIGITS:
            k -= 1  # the restart's first digit, heard as a word
        while (
            k >= 0
            and doc.tokens[k].kind == Kind.WORD
            and (doc.tokens[k].lower in _TAKING_BACK or doc.tokens[k].lower in _WITH_THEM)
        ):
            taking_back = taking_back or doc.tokens[k].lower in _TAKING_BACK
            k -= 1
        if not taking_back or k < 0:
            continue
        restart = doc.tokens[first]
        if first > 0 and doc.tokens[first - 1].lower in HOMOPHONE_DIGITS:
            restart = doc.tokens[first - 1]  # "... no sorry for nineteen fairview road"
        start = _slip_start(doc, k, restart)
        if start is None:
            continue
        begins = doc.tokens[start].start
        if any(f.start <= begins < f.end and f.score >= _SLIP_SCORE for f in found):
            continue  # already found as something else
        out.append(Finding(finding.type, begins, doc.tokens[k].end, _SLIP_SCORE))
    return out


def _slip_start(doc: Transcript, last: int, restart: Token) -> int | None:
    """The first token of a slip ending at token `last` that begins like the restart: the
    same word ("for ninety" / "for nineteen"), or a month for a month."""
    line = doc.token_line[last]
    for k in range(last, max(last - _SLIP_WORDS, -1), -1):
        tok = doc.tokens[k]
        if doc.token_line[k] != line or tok.kind == Kind.PUNCT:
            return None
        if tok.lower == restart.lower or (
            month_of(tok.lower) is not None and month_of(restart.lower) is not None
        ):
            return k
    return None
