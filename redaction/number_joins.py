"""Numbers that words break or join: a card taken up again on the speaker's next line, a
routing number begun with a word heard for a digit, a code said right after its card's
expiry, and two answers said in one breath with "and". Checksums and sure readings, not
cues, vouch for each join or split; `redaction.numbers` calls these on its findings."""

from __future__ import annotations

from typing import NamedTuple

from redaction.checksums import ROUTING_PREFIXES, aba_ok, luhn_ok
from redaction.context import Cue
from redaction.digit_dates import numeric_expiry
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.spoken import DigitRun
from redaction.transcript import Transcript

E = EntityType

# Said between a card's expiry and its code: "exp ten twenty six n won fifteen".
_WEAK = 0.5
BETWEEN_EXPIRY_AND_CODE = frozenset({"and", "n", "&", "then", "uh", "um"})
# A card's code named between its expiry and its digits.
_CODE_NAMES = frozenset({"code", "cvv", "cvc", "security", "cvv2", "csc"})


def code_after_expiry_said(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A number of three or four digits said right after a card's expiry (in digits or
    with its month's name), with only "and" between, that nothing else claimed surely:
    the card's code."""
    ends = {f.end for f in found if f.type == E.EXPIRY}
    if not ends:
        return []
    month_ends = {
        f.end
        for f in found
        if f.type == E.EXPIRY and month_of(doc.text[f.start : f.end].split()[0].lower())
    }
    out = []
    for whole in doc.runs:
        # the code may end a run that began with the expiry's own numbers ("july twenty
        # nine and five oh seven")
        for first in range(len(whole.pieces)):
            run = whole.sub(first, len(whole.pieces)) if first else whole
            if not 3 <= len(run.digits) <= 4 or not doc.overlaps_target(run.start, run.end):
                continue
            k = run.first_token - 1
            named = False  # "... oh seven thirty too code seven nine fore ate"
            while k >= 0 and (
                doc.tokens[k].lower in BETWEEN_EXPIRY_AND_CODE
                or doc.tokens[k].text == ","
                or doc.tokens[k].lower in _CODE_NAMES
            ):
                named = named or doc.tokens[k].lower in _CODE_NAMES
                k -= 1
            # right after an expiry said with its month's name, nothing between: "exp july
            # twenty six five twenty three"
            after_month = first > 0 and doc.tokens[k].end in month_ends
            if not (
                k >= 0 and (k < run.first_token - 1 or after_month) and doc.tokens[k].end in ends
            ):
                continue
            # a weak guess ("won sixty six" as a card's start, the line ending) yields, and
            # so does a code guessed as a lock's where its name follows the expiry
            claimed = [f for f in found if f.start < run.end and run.start < f.end]
            if any(f.score > _WEAK and not (named and f.type == E.PIN) for f in claimed):
                continue
            out.append(Finding(E.CVV, run.start, run.end, 0.85 if named else 0.8))
    return out


_Candidate = tuple[float, bool, int, int, int, EntityType]
# What joins two answers said in one breath: "... ninety two and sixty six fifty seven".
_AND = frozenset({"and", "n", "&"})
# How sure each of two answers must be for the pair to beat the whole.
_SURE_PART = 0.8


def two_answers_kept(
    doc: Transcript, run: DigitRun, segments: list[tuple[int, int]], candidates: list[_Candidate]
) -> list[_Candidate]:
    """Without the readings that span an "and" where each side is read, surely, as a
    different kind: "your birth date and the last four of your social?" / "two twenty
    three ninety two and sixty six fifty seven" is a date and a social's last four, not one
    nine-digit social."""
    by_range = {(a, b): (score, kind) for score, _, _, a, b, kind in candidates}
    out = []
    for candidate in candidates:
        a, b = candidate[3], candidate[4]
        split = False
        for s in range(a, b):
            left, right = by_range.get((a, s)), by_range.get((s + 1, b))
            if left is None or right is None or left[1] == right[1]:
                continue
            if min(left[0], right[0]) < _SURE_PART:
                continue
            before = run.pieces[segments[s][1] - 1].last_token
            after = run.pieces[segments[s + 1][0]].first_token
            if any(t.lower in _AND for t in doc.tokens[before + 1 : after]):
                split = True
                break
        if not split:
            out.append(candidate)
    return out


# Said before the rest of a number taken up again: "okay oh three nine eight ...".
RESUMING = frozenset({"okay", "ok", "k", "so", "sorry", "uh", "um", "alright", "and", "then"})


# Everyday words heard for a digit that no run takes as one after a cue noun ("change the
# routing to ..."): "routin to seven for oh five ..." may still begin with it.
# Words between a card's last digits and the expiry's cue: "..., um, exp".
_EXPIRY_REACH = 2


def _expiry_follows(doc: Transcript, run: DigitRun) -> bool:
    return any(
        m.cue == Cue.EXPIRY and run.last_token < m.first <= run.last_token + _EXPIRY_REACH
        for m in doc.cues
    )


_WORD_DIGITS = {"to": "2", "too": "2", "for": "4"}
_ROUTING_WORDS = frozenset({"routing", "routin", "aba"})


def routing_begun_with_a_word(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """An eight-digit run after "routing" and "to" (or "for") that the word's digit makes a
    routing number passing its checksum: the word is its first digit."""
    out = list(found)
    for run in doc.runs:
        k = run.first_token - 1
        if len(run.digits) != 8 or k < 1 or not doc.overlaps_target(run.start, run.end):
            continue
        said, cue = doc.tokens[k], doc.tokens[k - 1]
        digit = _WORD_DIGITS.get(said.lower)
        if digit is None or cue.lower not in _ROUTING_WORDS:
            continue
        whole = digit + run.digits
        if aba_ok(whole) and whole[:2] in ROUTING_PREFIXES:
            out = [f for f in out if not (f.start < run.end and run.start < f.end)]
            out.append(Finding(E.BANK_ROUTING, said.start, run.end, 0.95))
    return out


class _Halves(NamedTuple):
    """A number begun on the speaker's previous line and the run their line opens with."""

    begun: DigitRun
    opening: DigitRun
    straight_on: bool  # nothing but "okay", "so", "sorry" ... said before the opening


def _resumed(doc: Transcript, found: list[Finding]) -> _Halves | None:
    """The number the speaker's previous line ended with, though words came after it,
    and the first run of the line being checked: the two halves of one number, unless the
    opening was read surely as something else."""
    if doc.target == 0:
        return None
    lo, hi = doc.lines[doc.target]
    prev_lo, prev_hi = doc.lines[doc.target - 1]
    opening = None
    said_from = lo  # where the words before the rest begin
    for run in (r for r in doc.runs if r.end > lo and r.start < hi):
        sure = next((f for f in found if f.start == run.start and f.score >= _SURE_PART), None)
        if sure is None:
            opening = run
            break
        # read surely as something else, asked for meanwhile: "oh four two one nine and
        # then three five oh seven ..." gives the billing ZIP, then the card's rest
        rest = next((i for i, p in enumerate(run.pieces) if p.start >= sure.end), None)
        if rest is not None:
            opening, said_from = run.sub(rest, len(run.pieces)), sure.end
            break
        said_from = run.end
    if opening is None:
        return None
    if opening.start < lo:
        # one run from the line before on: what was said there is the number's start
        first = next((i for i, p in enumerate(opening.pieces) if p.start >= lo), 0)
        if first == 0:
            return None
        return _Halves(opening.sub(0, first), opening.sub(first, len(opening.pieces)), True)
    opening_words = [t for t in doc.tokens if t.is_word and said_from <= t.start < opening.start]
    straight_on = all(t.lower in RESUMING for t in opening_words)
    begun = [r for r in doc.runs if prev_lo <= r.start and r.end <= prev_hi]
    return _Halves(begun[-1], opening, straight_on) if begun else None


def _completed(begun: DigitRun, opening: DigitRun, length: int) -> int | None:
    """How many of the opening's pieces complete the begun number at `length` digits."""
    for cut in range(len(opening.pieces), 0, -1):
        if len(begun.digits) + len(opening.sub(0, cut).digits) == length:
            return cut
    return None


def _read_instead(found: list[Finding], read: list[Finding]) -> list[Finding]:
    """`found`, where what is `read` now takes the place of less sure readings."""
    start, end = read[0].start, read[-1].end
    kept = [f for f in found if f.end <= start or f.start >= end or f.score > _RESUMED]
    return kept + read


def card_resumed(doc: Transcript, found: list[Finding], *, card_said: bool) -> list[Finding]:
    """`found`, with the rest of a card read where the line opens with it and its start
    ended the speaker's previous line's number, though words came after it ("Amex, 3769
    051243, hold on, the light is bad." / "27087, expires ..."): together they make a card
    that passes Luhn. Where no card was named, the expiry said right after the rest names
    it ("... nine six ate exp feb twenty ate"). The card ends at its network's length, and
    an expiry said on in the same breath is read as one ("... six four eleven twenty
    seven code ..."). Other words may open the line where a card was clearly begun ("...
    4232 5237 0123..." / "Sorry, reading it off the fridge. 2855, expires 06/29")."""
    halves = _resumed(doc, found)
    if halves is None:
        return found
    head, opening = halves.begun.digits, halves.opening
    if not card_said and not _expiry_follows(doc, opening):
        return found
    fewest = _MIN_BEGUN if halves.straight_on else _MIN_BEGUN_THEN_WORDS
    if not (fewest <= len(head) <= 12 and head[0] in "3456"):
        return found
    cut = _completed(halves.begun, opening, 15 if head[:2] in ("34", "37") else 16)
    if cut is None or not luhn_ok(head + opening.sub(0, cut).digits):
        return found
    rest = opening.sub(0, cut)
    read = [Finding(E.CREDIT_CARD, rest.start, rest.end, _RESUMED)]
    if cut < len(opening.pieces):
        after = opening.sub(cut, len(opening.pieces))
        if len(after.digits) in (3, 4) and numeric_expiry(after):
            read.append(Finding(E.EXPIRY, after.start, after.end, _RESUMED))
    return _read_instead(found, read)


def ssn_resumed(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """`found`, with the rest of a social read where the line opens with it and its first
    three or five digits, asked for, ended the speaker's previous line's number ("nine
    seven five um hold on its on the card" / "double fore nine fore five too n birthday
    is ...")."""
    halves = _resumed(doc, found)
    if halves is None or not halves.straight_on or len(halves.begun.digits) not in (3, 5):
        return found
    begun = halves.begun
    if begun.digits[:3] in ("000", "666"):
        return found
    # asked for as one number (the question before the line it was begun in)
    asked = doc.cues_near(begun.first_token, halves.opening.last_token, ahead=0)
    if not asked or asked[0][0] != Cue.SSN:
        return found
    cut = _completed(begun, halves.opening, 9)
    if cut is None:
        return found
    rest = halves.opening.sub(0, cut)
    return _read_instead(found, [Finding(E.US_SSN, rest.start, rest.end, _RESUMED)])


# How surely a number taken up again is read.
_RESUMED = 0.85
# The fewest digits of a card begun on a line that the next line's opening may complete:
# a first group ("Visa, four five one two" / "... seven two oh one, hang on"); with other
# words before the rest, two groups or more.
_MIN_BEGUN = 4
_MIN_BEGUN_THEN_WORDS = 8
