"""Addresses and birth dates begun, taken back and said again: "for ninety no sorry for
nineteen fairview road", "june for no june fourteenth nineteen sixty two", "march for uh
sorry may fourth". The restart is found as an address or a date; the words taken back
are as private (they are most of it) and are found here, with the restart's type. And
names said again another way ("its mags i mean margarethe eberhardt-zuniga"): the name
taken back is found, and the one said after it is found here."""

from __future__ import annotations

import re

from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.name_words import hyphenated, name_like, nameable
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import HESITATIONS, HOMOPHONE_DIGITS
from redaction.transcript import Transcript

# Words that take back what was just said, and those that may come with them.
_TAKING_BACK = frozenset({"no", "sorry", "wait", "mean", "actually", "oops", "scratch"})
_WITH_THEM = HESITATIONS | frozenset(
    {"i", "that", "or", "make", "it"} | {"flipped", "switched", "swapped", "mixed", "up"}
)  # "fourteen oh ate wait i flipped it fourteen ate oh revere st"
# How many words a slip may run to before the words taking it back.
_SLIP_WORDS = 5
_SLIP_SCORE = 0.6
_RESTARTED = (EntityType.ADDRESS, EntityType.DATE_OF_BIRTH)


def _before_taking_back(doc: Transcript, k: int) -> tuple[int, bool]:
    """The token before the words taking something back that end at token k ("no sorry",
    "uh wait"), and whether any such word was said."""
    taking_back = False
    while k >= 0 and (
        (doc.tokens[k].kind == Kind.WORD and doc.tokens[k].lower in _TAKING_BACK | _WITH_THEM)
        or doc.tokens[k].text == ","  # "47, sorry, 74 Dodge Street"
    ):
        taking_back = taking_back or doc.tokens[k].lower in _TAKING_BACK
        k -= 1
    return k, taking_back


# How many words a caller may say between taking an address's number back and the
# address said again ("fore seven too six sorry thats my office its five too seven ...").
_EXPLAINING_WORDS = 6


def _before_explaining(doc: Transcript, k: int) -> tuple[int, bool]:
    """The token before a few words of the line ending at token k that take back what was
    said and say why, with no number among them, and whether there were such words."""
    line = doc.token_line[k] if k >= 0 else -1
    n = k
    while n >= 0 and k - n < _EXPLAINING_WORDS and doc.token_line[n] == line:
        tok = doc.tokens[n]
        if _number_said(tok) or tok.kind != Kind.WORD:
            break
        if tok.lower in _TAKING_BACK and _number_before(doc, n):
            return n - 1, True
        n -= 1
    return k, False


def _number_before(doc: Transcript, k: int) -> bool:
    """A number ends right before token k: a digit string, or two number words ("oh no we
    moved" opens with a word, not a number)."""
    if k < 1 or not _number_said(doc.tokens[k - 1]):
        return False
    return doc.tokens[k - 1].kind == Kind.DIGITS or (k > 1 and _number_said(doc.tokens[k - 2]))


def taken_back(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The words a caller took back before an address or a birth date found after them."""
    out = []
    for finding in found:
        if finding.type not in _RESTARTED:
            continue
        first = next((k for k, t in enumerate(doc.tokens) if t.start >= finding.start), None)
        if first is None:
            continue
        k = first - 1
        if k >= 0 and doc.tokens[k].lower in HOMOPHONE_DIGITS:
            k -= 1  # the restart's first digit, heard as a word
        k, taking_back = _before_taking_back(doc, k)
        if not taking_back:
            k, taking_back = _before_explaining(doc, first - 1)
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


# Numbers whose slip is worth the restart's type: in "social nine ate no wait nine six oh
# ...", the two digits taken back are the social's first, not a date.
_NUMBERS = frozenset(
    {
        EntityType.CREDIT_CARD,
        EntityType.US_SSN,
        EntityType.BANK_ACCOUNT,
        EntityType.BANK_ROUTING,
        EntityType.PHONE_NUMBER,
    }
)
# Words that may stand between the words taking a number back and the number said again.
_BEFORE_RESTART = frozenset({"just", "its", "it's", "is"})


def retyped_slips(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A number taken back and said again right away ("routin too ate too ate ... no sorry
    just too too ate ...") is the kind of number said again, whatever its digits looked
    like on their own: the slip found as another kind takes the restart's."""
    out = list(found)
    for restart in found:
        if restart.type not in _NUMBERS:
            continue
        k = doc.token_from(restart.start)
        if k is None:
            continue
        k -= 1
        while k >= 0 and doc.tokens[k].lower in _BEFORE_RESTART:
            k -= 1
        k, taking_back = _before_taking_back(doc, k)
        if taking_back and k >= 0 and doc.token_line[k] == doc.token_line[k + 1]:
            end = doc.tokens[k].end
        else:
            end = _explained_slip_end(doc, out, restart)
        for n, slip in enumerate(out):
            if slip.end == end and slip.type != restart.type and slip.score < restart.score:
                out[n] = Finding(restart.type, slip.start, slip.end, slip.score)
    return out


# What a caller says between a number taken back and its restart, beyond "no" and "sorry":
# why ("i skipped one", "missed a digit") and that they begin again ("lemme start over").
_EXPLAINED_RESTART = re.compile(
    r"^[\s,.]*(?:(?:no|sorry|wait|hold on|oops|actually|i mean)\b[\s,.]*)+"
    r"(?:(?:i|i've|ive)\s+)?(?:(?:skipped|missed|dropped|forgot|left out)\s+"
    r"(?:one|won|a digit|a number)\s*)?[\s,.]*"
    r"(?:(?:let me|lemme|ill|i'll|gonna)\s+)?(?:start over|start again|begin again|redo it|"
    r"from the top|again)?[\s,.]*(?:(?:it's|its|it is|is)\s+)?$"
)


# Numbers a slip may have been read as before its restart said what it is.
_SLIPPED = _NUMBERS | {EntityType.PIN}


def _explained_slip_end(doc: Transcript, found: list[Finding], restart: Finding) -> int:
    """Where a number ends that the caller took back, said why and began again right after
    ("routin two nine oh six fore ate nine wait no i skipped won lemme start over two nine
    ..."), or -1."""
    slips = [f for f in found if f.end <= restart.start and f.type in _SLIPPED]
    if not slips:
        return -1
    slip = max(slips, key=lambda f: f.end)
    between = doc.text[slip.end : restart.start].lower()
    if "\n" in between or not _EXPLAINED_RESTART.match(between):
        return -1
    return slip.end


def _slip_start(doc: Transcript, last: int, restart: Token) -> int | None:
    """The first token of a slip ending at token `last` that begins like the restart: the
    same word ("for ninety" / "for nineteen"), a month for a month, or a number for a
    number ("delivery to 47, sorry, 74 dodge street")."""
    line = doc.token_line[last]
    for k in range(last, max(last - _SLIP_WORDS, -1), -1):
        tok = doc.tokens[k]
        if doc.token_line[k] != line or tok.kind == Kind.PUNCT:
            break
        if tok.lower == restart.lower or (
            month_of(tok.lower) is not None and month_of(restart.lower) is not None
        ):
            return k
    if not (_number_said(restart) and _number_said(doc.tokens[last])):
        return None
    k = last
    while k > 0 and doc.token_line[k - 1] == line and _number_said(doc.tokens[k - 1]):
        if doc.tokens[k - 1].lower in ("to", "for"):
            break  # "delivery to 47": the preposition
        k -= 1
    return k if last - k < _SLIP_WORDS else None


def _number_said(tok: Token) -> bool:
    return tok.kind == Kind.DIGITS or tok.lower in NUMBER_WORDS or tok.lower in HOMOPHONE_DIGITS


# Words that restate a name just said, another way: "mags i mean margarethe ...".
_RESTATING = (("i", "mean"), ("or", "rather"), ("sorry",), ("no",), ("actually",))
# Words a restated name may run to (given names, surname).
_RESTATED_WORDS = 3


def restated_names(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The name said after a name the speaker took back ("its mags i mean margarethe
    eberhardt-zuniga"): name-like words up to the end of the clause."""
    out = []
    toks = doc.tokens
    for finding in found:
        if finding.type != EntityType.PERSON:
            continue
        k = doc.token_from(finding.end)
        if k is None:
            continue
        while k < len(toks) and toks[k].text == ",":
            k += 1
        words = next(
            (
                w
                for w in _RESTATING
                if tuple(t.lower for t in toks[k : k + len(w)]) == w
                and all(t.kind == Kind.WORD for t in toks[k : k + len(w)])
            ),
            None,
        )
        if words is None:
            continue
        first = k + len(words)
        while first < len(toks) and (toks[first].text == "," or toks[first].lower in HESITATIONS):
            first += 1
        last, n = first - 1, 0
        while last + 1 < len(toks) and n < _RESTATED_WORDS and nameable(toks[last + 1]):
            if n == 0 and not name_like(toks[last + 1]):
                break
            last = hyphenated(toks, last + 1, len(toks))
            n += 1
        if n == 0 or doc.token_line[last] != doc.token_line[k]:
            continue
        ends = last + 1 >= len(toks) or toks[last + 1].kind in (Kind.PUNCT, Kind.NEWLINE)
        if ends:
            out.append(Finding(EntityType.PERSON, toks[first].start, toks[last].end, 0.7))
    return out
