"""Digit runs typed by their length, their checksums and the cues around them.

A run of digits is a card number, a security code, a Social Security number, a phone
number... only by what it looks like (length, Luhn, the ABA checksum, 3-2-4 grouping)
and by what was said around it ("security code", "routing", the agent's question). A
run that cannot be typed is left alone: order numbers, prices and years are not PII.

When a run mixes several numbers ("206 555 0198, 98101"), its sub-runs between pauses
are tried too, and the best-scored ones that do not overlap are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from redaction.checksums import ROUTING_PREFIXES, aba_ok, luhn_ok, nanp_ok
from redaction.context import DIGIT_CUES, Cue
from redaction.dates import (
    MIN_AGE_YEARS,
    date_separated,
    numeric_date,
    numeric_expiry,
    numeric_month_day,
    plausible_birth_year,
    this_year,
)
from redaction.expiry_code import after_whole_card, expiry_first, expiry_then_code
from redaction.model import EntityType, Finding
from redaction.number_spans import card_in_one_breath, false_starts, overlong, widen
from redaction.spoken import DigitRun, Gap, Kind
from redaction.tokens import filler_end
from redaction.transcript import Transcript

E = EntityType

# Cues naming what "the last four" may belong to, other than the social.
_OWNED = frozenset({Cue.CARD, Cue.ACCOUNT, Cue.PHONE, Cue.ROUTING})


@dataclass(frozen=True)
class Label:
    type: EntityType
    score: float


class _Stop(Exception):
    """A cue says the number is not PII (an order number, the last four of a card)."""


def _digit_by_digit(run: DigitRun) -> bool:
    """Read one digit at a time, or as one digit string ("six one seven", "617"); not
    as a time or an amount ("5 30", "ten fifteen")."""
    return len(run.pieces) == 1 or all(len(p.digits) == 1 for p in run.pieces)


def _by_cue(cue: Cue, run: DigitRun, cues: list[Cue], open_end: bool) -> Label | None:
    digits = run.digits
    n = len(digits)
    # The text ends inside the number: the rest may come in the next line (live).
    partial = open_end and n >= 3
    if cue == Cue.NEGATIVE:
        raise _Stop
    if cue == Cue.MONEY:
        if n >= 12:
            return None  # "charge 4005 ... for the balance": the card, not the amount
        raise _Stop
    if cue == Cue.CARD:
        if 13 <= n <= 19 and luhn_ok(digits):
            # grouped as cards print them (4-4-4-4, Amex 4-6-5), a run beats one that
            # passes Luhn by chance with the expiry's digits ("4929 1234 5678 9015, 11/30")
            if run.group_sizes() in ([4, 4, 4, 4], [4, 6, 5]):
                return Label(E.CREDIT_CARD, 0.96)
            # most cards have 15 or 16 digits: a digit more that passes Luhn by chance is
            # rather the next number's
            return Label(E.CREDIT_CARD, 0.95 if n in (15, 16) else 0.93)
        if toll_free(digits):
            return None  # "... or at one eight seven seven ...": the company's line
        if 12 <= n <= 19:
            return Label(E.CREDIT_CARD, 0.6)  # the ASR lost or misheard a digit
        if 9 <= n < 12 or (partial and n < 9):
            return Label(E.CREDIT_CARD, 0.5)
        if n == 8 and run.group_sizes() == [4, 4]:
            return Label(E.CREDIT_CARD, 0.5)  # "5412 3721 um hang on": half the card
    elif cue == Cue.CVV:
        if n == 3:
            return Label(E.CVV, 0.9)
        if n == 4:
            # only American Express prints four; asked for the expiry and the code
            # together, "oh two thirty" or "03/29" is the expiry
            if Cue.EXPIRY in cues and numeric_expiry(run):
                return None
            return Label(E.CVV, 0.8)
    elif cue == Cue.EXPIRY:
        if numeric_expiry(run):
            return Label(E.EXPIRY, 0.9)
    elif cue == Cue.SSN:
        if n == 9:
            return Label(E.US_SSN, 0.95)
        if n == 4:
            return Label(E.US_SSN, 0.8)
        if n in (7, 8, 10) or (partial and n < 9):
            return Label(E.US_SSN, 0.5)
    elif cue in (Cue.LAST_DIGITS, Cue.LAST_FOUR):
        if n in (4, 9) and Cue.SSN in cues:
            return Label(E.US_SSN, 0.85)
        whole_or_begun = n == 4 or (open_end and n < 4)  # not "72 croissants"
        if whole_or_begun and cue == Cue.LAST_FOUR and not _OWNED.intersection(cues):
            # "the last four are 1120", asked of nothing else: a social, as callers are
            # verified by it; better hidden than leaked
            return Label(E.US_SSN, 0.8)
        if n <= 4:
            raise _Stop  # the last four of a card or account identify nobody
    elif cue == Cue.ACCOUNT:
        if n == 9 and aba_ok(digits) and digits[:2] in ROUTING_PREFIXES:
            # read off a check, the routing number comes first and passes its checksum
            return Label(E.BANK_ROUTING, 0.9)
        if 6 <= n <= 17:
            return Label(E.BANK_ACCOUNT, 0.85)
        if partial and n < 6:
            return Label(E.BANK_ACCOUNT, 0.5)
    elif cue == Cue.ROUTING:
        if n == 9:
            # a number that fails the ABA checksum is rather the account said with it
            return Label(E.BANK_ROUTING, 0.95 if aba_ok(digits) else 0.75)
        if partial and n < 9 and digits[:2] in ROUTING_PREFIXES:
            # "routing is oh too too six six seven", the line ending there: the routing
            # number's start, the rest to come
            return Label(E.BANK_ROUTING, 0.5)
        if 6 <= n <= 17:
            # routing numbers have nine digits: asked for the routing (or told where it
            # is on the check), a caller reading another length reads the account
            return Label(E.BANK_ACCOUNT, 0.6)
        if partial:
            return Label(E.BANK_ROUTING, 0.5)
    elif cue == Cue.PIN:
        if 4 <= n <= 6:
            return Label(E.PIN, 0.9)
        if n == 3 and len(run.pieces) == 3 and not any(p.written for p in run.pieces):
            # "gate code is too six won um hold on": a code's start, or a short one, said
            # a digit word at a time (not "120 units", nor an offer's "2 for 1")
            return Label(E.PIN, 0.6)
    elif cue == Cue.PHONE:
        if n == 10 or (n == 11 and digits[0] == "1"):
            return Label(E.PHONE_NUMBER, 0.95)
        if n == 7:
            return Label(E.PHONE_NUMBER, 0.85)
        # a digit lost, or the rest still to come
        # ("call me at 5 30" is too short; "it's six one seven" and the line ends is
        # the area code)
        if n in (8, 9) or (partial and 4 <= n < 10):
            return Label(E.PHONE_NUMBER, 0.5)
        if partial and n == 3 and digits[0] not in "01" and _digit_by_digit(run):
            return Label(E.PHONE_NUMBER, 0.5)
        if n >= 3 and len(run.pieces) == n:
            # the ASR garbled the rest ("free one two, time, time, one four seven"): what
            # survives of a number said digit by digit after a phone cue is still its part
            return Label(E.PHONE_NUMBER, 0.5)
    elif cue == Cue.NUMBER:
        if (n == 10 or (n == 11 and digits[0] == "1")) and nanp_ok(digits):
            return Label(E.PHONE_NUMBER, 0.85)
        if 13 <= n <= 19 and luhn_ok(digits):
            return Label(E.CREDIT_CARD, 0.9)
        if n == 7:
            return Label(E.PHONE_NUMBER, 0.6)
    elif cue == Cue.CODE:
        carded = bool({Cue.CARD, Cue.CVV, Cue.EXPIRY}.intersection(cues))
        if n == 3:
            # "and the code is 233", after the expiry; with no card in sight, weaker than
            # a longer code it may be part of ("the gate code is 8 uh 6 1 8")
            return Label(E.CVV, 0.85 if carded else 0.55)
        if n == 4 and Cue.CARD in cues:
            return Label(E.CVV, 0.7)
        if 4 <= n <= 6 and not carded:
            # "the code is 8152", no card in sight: a code that opens something (a
            # lockbox, a gate, an account), which a caller keeps secret like a PIN
            return Label(E.PIN, 0.6)
    elif cue == Cue.DOB:
        if numeric_date(run) is not None:
            # "5 5 1 2" may be a date, but a short one is a weak reading
            return Label(E.DATE_OF_BIRTH, 0.9 if n > 4 else 0.7)
        if n == 4 and plausible_birth_year(int(digits)):
            return Label(E.DATE_OF_BIRTH, 0.7)
        if numeric_month_day(run):
            return Label(E.DATE_OF_BIRTH, 0.8)
        if _garbled_date(run):
            return Label(E.DATE_OF_BIRTH, 0.75)
    elif cue in (Cue.ZIP, Cue.ADDRESS):
        last = run.pieces[-1]
        if last.digits.endswith("000") and not last.written:
            return None  # "the sixty thousand grain unit": a size, no ZIP code said
        if n in (5, 9):
            return Label(E.ADDRESS, 0.8)
    return None


def _garbled_date(run: DigitRun) -> bool:
    """Said like a month, a day and a year, though no valid date ("13 45 1980", "oh seven
    forty two, seventy two"): the recogniser misheard a digit of a birth date."""
    pieces = run.pieces
    return (
        5 <= len(run.digits) <= 8
        and len(pieces) >= 3
        and len(pieces[0].digits) <= 2
        and len(pieces[-1].digits) in (2, 4)
    )


def _full_year_said(run: DigitRun) -> bool:
    """Month, day and a four-digit year said apart ("2 16 1990", "oh four twelve nineteen
    sixty three"): a date, though not written with slashes."""
    digits = run.digits
    return (
        6 <= len(digits) <= 8
        and digits[-4:-2] in ("19", "20")
        and len(run.pieces) >= 3
        and all(len(p.digits) <= 4 for p in run.pieces)
    )


def _without_cue(run: DigitRun, open_end: bool = False) -> Label | None:
    digits = run.digits
    n = len(digits)
    groups = run.group_sizes()
    if 13 <= n <= 19 and luhn_ok(digits):
        even = len(groups) > 1 and all(g == 4 for g in groups[:-1]) and n in (15, 16)
        return Label(E.CREDIT_CARD, 0.9 if even else 0.85)
    if 12 <= n <= 19:
        # no everyday number is this long; a card read in part, or misheard, is
        return Label(E.CREDIT_CARD, 0.5)
    if open_end and 8 <= n < 12 and len(groups) > 1 and all(g == 4 for g in groups):
        return Label(E.CREDIT_CARD, 0.5)  # "4111 1111" and the line ends: a card begins
    if n == 10 or (n == 11 and digits[0] == "1"):
        return Label(E.PHONE_NUMBER, 0.75 if nanp_ok(digits) else 0.45)
    if n == 9:
        if run.group_sizes() == [3, 2, 4]:
            return Label(E.US_SSN, 0.85)
        if aba_ok(digits) and digits[:2] in ROUTING_PREFIXES:
            return Label(E.BANK_ROUTING, 0.5)
        return Label(E.US_SSN, 0.5)
    if 6 <= n <= 8 and (date_separated(run) or _full_year_said(run)):
        date = numeric_date(run)
        if date is not None and 1900 <= date[2] <= this_year() - MIN_AGE_YEARS:
            return Label(E.DATE_OF_BIRTH, 0.6)
    if n == 7:
        return Label(E.PHONE_NUMBER, 0.5 if run.group_sizes() == [3, 4] else 0.3)
    if open_end and groups == [3, 2]:
        return Label(E.US_SSN, 0.5)  # "nine eight nine, one one" and the line ends
    if 4 <= n <= 6 and len(run.pieces) == n:
        # digits read one at a time, asked for nothing that says otherwise: a code a
        # caller recites (a PIN, or the start of a longer number); amounts, times and
        # quantities are not said digit by digit
        return Label(E.PIN, 0.45)
    return None


def _checked(run: DigitRun, kinds: list[Cue]) -> Label | None:
    """A routing or card number that its checksum vouches for, asked for by one of
    `kinds`: what the run is even where a stopping cue stands nearer."""
    digits = run.digits
    if (
        Cue.ROUTING in kinds
        and len(digits) == 9
        and aba_ok(digits)
        and digits[:2] in ROUTING_PREFIXES
    ):
        return Label(E.BANK_ROUTING, 0.8)
    if Cue.CARD in kinds and 15 <= len(digits) <= 16 and luhn_ok(digits):
        return Label(E.CREDIT_CARD, 0.8)
    return None


def classify(
    run: DigitRun, cues: list[tuple[Cue, float]], *, open_end: bool, written_on: bool = False
) -> Label | None:
    """What the run is, given the cues around it (nearest first); None if nothing.

    `open_end`: the text ends right after the run, so the number may go on.
    `written_on`: the run is cut from a longer number of a card's length written in one
    string, so its own grouping says nothing ("523-334-3010" of "542-523-334-3010-9903")."""
    kinds = [cue for cue, _ in cues if cue in DIGIT_CUES]
    distance = [d for cue, d in cues if cue in DIGIT_CUES]
    # "ending in ..." governs a short number only when it is the nearest cue: in "the card
    # ending in 1111? / No, a new one: ..., expiration 12/26", the expiry is asked for
    # (what the last digits belong to, "the last four of the card", may come nearer)
    governing = next((c for c in kinds if c not in _OWNED and c != Cue.NUMBER), None)
    last = governing in (Cue.LAST_DIGITS, Cue.LAST_FOUR)
    if last and len(run.digits) <= 4 and Cue.SSN not in kinds:
        if Cue.LAST_FOUR not in kinds or _OWNED.intersection(kinds):
            return None  # the last four of a card or an account identify nobody
    # Every cue up to a stopping one is heard, and the best fit wins: in "what's the
    # expiry on that card", "11/29" fits the expiry better than the (nearer) card; a
    # nearer cue wins a tie, as each rank further away costs a little.
    shape = None if written_on else _by_shape(run)
    best = shape
    for rank, cue in enumerate(kinds):
        try:
            label = _by_cue(cue, run, kinds, open_end)
        except _Stop:
            if best is shape and distance[rank] < 1:
                best = None  # "order number 555-010-8842": the cue says what it is
            # "the routing, same as on the form, 1 0 6 ...": a number asked for by name
            # that passes its checksum is that number, whatever stands nearer
            best = best or _checked(run, kinds[rank + 1 :])
            break
        if label is not None:
            label = Label(label.type, max(0.0, label.score - 0.05 * rank))
            if best is None or label.score > best.score:
                best = label
    else:
        if best is None:
            return _without_cue(run, open_end)
    return best


def _by_shape(run: DigitRun) -> Label | None:
    """A number written or grouped the way only one kind is: "(480) 555-0108" is a phone
    number and "123-45-6789" a social, whatever was asked last (but never an order
    number: a stopping cue still wins)."""
    digits = run.digits
    groups = run.group_sizes()
    if groups == [3, 3, 4] and nanp_ok(digits):
        return Label(E.PHONE_NUMBER, 0.9)
    if groups == [3, 2, 4]:
        return Label(E.US_SSN, 0.9)  # written 123-45-6789, or said with those pauses
    return None


MAX_DIGITS = 19
# Gaps that join written digit groups into one number: "542-523-334-3010".
_WRITTEN_ON = frozenset({Gap.HYPHEN, Gap.SLASH})
_CUT_WRITTEN = 0.35
_SHAPED = frozenset({E.PHONE_NUMBER, E.US_SSN})
# Words before a year: "since two thousand eight", "back in 1998".
# Cues under which a year is PII after all: "born in 1972", "expires in 2027".
_DATED = frozenset({Cue.DOB, Cue.EXPIRY})
_HEDGES = frozenset({"like", "about", "around", "maybe", "roughly", "back"})
_BEFORE_YEAR = frozenset({"since", "in", "from", "until", "till", "year", "around", "circa"})


def _year_after(doc: Transcript, run: DigitRun) -> bool:
    """The run begins with a year said after "since", "in"...: not a number to redact,
    whatever was asked before it ("with Northwind Mobile since 2008")."""
    first = run.pieces[0].digits  # the year, whatever the next line goes on with
    year = int(first) if len(first) == 4 else 0
    if not 1900 <= year <= this_year() + 1:
        return False
    k = run.first_token - 1
    while k >= 0 and doc.tokens[k].kind == Kind.PUNCT:
        k -= 1
    while k >= 0 and (filler_end(doc.tokens, k) > k or doc.tokens[k].lower in _HEDGES):
        k -= 1  # "since uh 2008", "since like 2015"
    return k >= 0 and doc.tokens[k].lower in _BEFORE_YEAR


# Said before an amount of about some size: "up to eight thousand", "about eleven
# hundred".
_ROUGHLY = frozenset(
    {"about", "around", "roughly", "approximately", "nearly", "almost", "over", "under", "least"}
)
_SCALES = frozenset({"hundred", "thousand", "million", "grand"})


def _rough_amount(doc: Transcript, run: DigitRun) -> bool:
    """The run is an amount said roughly, with its scale: "approved for up to eight
    thousand", "it comes out every friday about eleven hundred". No code or account is
    said that way."""
    toks = doc.tokens
    said = {toks[k].lower for k in range(run.first_token, run.last_token + 2) if k < len(toks)}
    if not said & _SCALES:
        return False
    k = run.first_token - 1
    before = toks[k].lower if k >= 0 else ""
    return before in _ROUGHLY or (before == "to" and k > 0 and toks[k - 1].lower == "up")


# Said between a routing number and the word that names the account after it.
_BETWEEN_NUMBERS = frozenset({"and", "n", "an", "&", "then", "the", "my", "checking", "savings"})


def _account_named_after_number(doc: Transcript, run: DigitRun) -> bool:
    """ "routing 271933812 account 504418826", "... six six n account won won oh ...":
    "account" said right after another number names this one, whatever checksum its
    digits pass by chance."""
    toks = doc.tokens
    k = run.first_token - 1
    while k >= 0 and (toks[k].kind == Kind.PUNCT or toks[k].lower in ("is", "number", "#")):
        k -= 1
    if k < 0 or toks[k].lower != "account":
        return False
    k -= 1
    while k >= 0 and (toks[k].kind == Kind.PUNCT or toks[k].lower in _BETWEEN_NUMBERS):
        k -= 1
    before = doc.run_ending.get(k)
    return before is not None and len(before.digits) >= 3


def _code_named_before(doc: Transcript, run: DigitRun) -> bool:
    """ "code is", "pin is" or "code's" right before the run, in its own line."""
    toks = doc.tokens
    k = run.first_token - 1
    if k >= 0 and toks[k].lower in ("is", ":"):
        k -= 1
    return k >= 0 and toks[k].lower.removesuffix("'s") in ("code", "pin", "passcode")


def find_numbers(doc: Transcript) -> list[Finding]:
    """Typed findings for the digit runs that touch the line being checked."""
    found: list[Finding] = []
    for run in doc.runs:
        if not doc.overlaps_target(run.start, run.end):
            continue
        if _rough_amount(doc, run):
            continue
        in_one_breath = card_in_one_breath(doc, run) if len(run.digits) > MAX_DIGITS else []
        if in_one_breath:
            found += [f for f in in_one_breath if doc.overlaps_target(f.start, f.end)]
            continue
        open_end = doc.ends_text(run.last_token) or _broken_off(doc, run)
        segments = run.segments()
        candidates: list[tuple[float, bool, int, int, int, EntityType]] = []
        split_segments: set[int] = set()  # said an expiry and its code
        for a in range(len(segments)):
            cues = None
            said = run.sub(*segments[a])
            if doc.overlaps_target(said.start, said.end):
                near = doc.cues_near(said.first_token, said.last_token)
                if after_whole_card(run, segments[a][0]):
                    # the card's number is complete: its expiry and code come next
                    near = [*near, (Cue.EXPIRY, 0.0), (Cue.CVV, 0.0)]
                both = expiry_then_code(doc, said, near)
                if both:
                    found += [f for f in both if doc.overlaps_target(f.start, f.end)]
                    split_segments.add(a)
                    continue
            for b in range(a, len(segments)):
                sub = run.sub(segments[a][0], segments[b][1])
                if len(sub.digits) > MAX_DIGITS:
                    break
                if not doc.overlaps_target(sub.start, sub.end):
                    continue
                if cues is None:
                    cues = doc.cues_near(sub.first_token, run.last_token)
                if _year_after(doc, sub) and not _DATED.intersection(c for c, _ in cues):
                    continue
                if a == 0 and _glued_to_letters(doc, sub):
                    continue  # "notice CP2000", "form W2": a code, not a number
                # only the whole run may be the start of a longer number
                whole = a == 0 and b == len(segments) - 1
                written_on = _cut_from_card_length(run, segments[a][0], segments[b][1])
                label = classify(sub, cues, open_end=open_end and whole, written_on=written_on)
                if label is not None and label.type == E.BANK_ROUTING and a == 0:
                    if _account_named_after_number(doc, sub):
                        label = Label(E.BANK_ACCOUNT, 0.95)
                if label is not None and label.type == E.DATE_OF_BIRTH and a == 0:
                    if _code_named_before(doc, sub):
                        # "your new code is 716482": whatever date its digits make
                        label = Label(E.PIN, 0.9)
                if label is not None:
                    # at equal scores, one number read over two lines is less likely than
                    # two numbers said one after the other (a routing number, then the
                    # account number)
                    one_line = all(p.gap != Gap.LINE for p in sub.pieces[1:])
                    if not one_line and _complete_before_line(sub):
                        continue
                    if not one_line and _asked_another_kind(doc, sub, label.type):
                        continue
                    # a phone number or social cut from a longer number written in one
                    # string ("523-334-3010" of "542-523-334-3010-9903") is less likely
                    # than the whole (a card's digits written one by one are cut anyway)
                    cut = written_on and label.type in _SHAPED
                    score = label.score - (_CUT_WRITTEN if cut else 0.0)
                    # rounded, so that a float's last bit (0.95 - 0.05 < 0.9) never decides
                    # between two readings the rules score alike: the longer one wins then
                    score = round(score, 6)
                    candidates.append((score, one_line, b - a, a, b, label.type))
        taken: set[int] = set(split_segments)
        picks: list[tuple[EntityType, float, int, int]] = []  # piece ranges [i, j)
        for score, _one_line, _size, a, b, entity in sorted(candidates, reverse=True):
            if any(i in taken for i in range(a, b + 1)):
                continue
            taken.update(range(a, b + 1))
            picks.append((entity, score, segments[a][0], segments[b][1]))
        picks = expiry_first(run, picks)
        picks += _code_after_expiry(run, segments, picks)
        for entity, score, i, j in widen(run, picks):
            sub = run.sub(i, j)
            if entity == E.PHONE_NUMBER and toll_free(sub.digits) and not _mine(doc, sub):
                continue  # "our toll-free line is 1-800...": a company's, no caller's
            if doc.overlaps_target(sub.start, sub.end):
                found.append(Finding(entity, sub.start, sub.end, score))
        if not taken and len(run.digits) > MAX_DIGITS:
            too_long = overlong(run, doc.cues_near(run.first_token, run.last_token))
            if too_long is not None:
                found.append(too_long)
    return found + false_starts(doc, found)


def _code_after_expiry(
    run: DigitRun,
    segments: list[tuple[int, int]],
    picks: list[tuple[EntityType, float, int, int]],
) -> list[tuple[EntityType, float, int, int]]:
    """ "exp 03/29, 905": three or four digits said right after an expiry in one breath,
    and read as nothing else, are its card's security code."""
    expiry_ends = {j for entity, _score, _i, j in picks if entity == E.EXPIRY}
    taken = {k for _, _, i, j in picks for k in range(i, j)}
    for a, b in segments:
        if a in expiry_ends and a not in taken and len(run.sub(a, b).digits) in (3, 4):
            return [(E.CVV, 0.7, a, b)]
    return []


# The kind of number a cue in the other party's question asks for.
_ASKED_FOR = {
    Cue.CARD: E.CREDIT_CARD,
    Cue.CVV: E.CVV,
    Cue.EXPIRY: E.EXPIRY,
    Cue.SSN: E.US_SSN,
    Cue.ACCOUNT: E.BANK_ACCOUNT,
    Cue.ROUTING: E.BANK_ROUTING,
    Cue.PIN: E.PIN,
    Cue.PHONE: E.PHONE_NUMBER,
    Cue.DOB: E.DATE_OF_BIRTH,
}


def _asked_another_kind(doc: Transcript, sub: DigitRun, entity: EntityType) -> bool:
    """`sub` goes on from the speaker's previous line into this one, but the other party
    asked for another kind of number in between ("account 4470 2381 95" / "and the last
    four of your social?" / "6031"): this line answers the new question."""
    if doc.token_line[sub.first_token] == doc.target or not doc.prompt_between:
        return False
    asked = {_ASKED_FOR[cue] for cue, _ in doc.prompt_cues if cue in _ASKED_FOR}
    return bool(asked) and entity not in asked


def _cut_from_card_length(run: DigitRun, first: int, end: int) -> bool:
    """Pieces first..end-1 are part of a longer number written in one string, of a
    card's length ("523-334-3010" of "542-523-334-3010-9903")."""
    pieces = run.pieces
    lo, hi = first, end
    while lo > 0 and pieces[lo].gap in _WRITTEN_ON:
        lo -= 1
    while hi < len(pieces) and pieces[hi].gap in _WRITTEN_ON:
        hi += 1
    return (lo, hi) != (first, end) and len(run.sub(lo, hi).digits) >= 13


# Toll-free area codes: businesses' numbers, not a caller's.
_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def toll_free(digits: str) -> bool:
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[:3] in _TOLL_FREE


def _mine(doc: Transcript, run: DigitRun) -> bool:
    """ "my ..." within the five words before the run: the caller's own."""
    words = [t.lower for t in doc.tokens[: run.first_token] if t.kind == Kind.WORD][-5:]
    return "my" in words or "mine" in words


# Said right after digits to take them back: the number was broken off, not finished.
_BREAKING_OFF = frozenset({"no", "wait", "sorry", "oops", "actually", "hold"})


def _broken_off(doc: Transcript, run: DigitRun) -> bool:
    """The speaker takes the number back right after it ("card its fore won fore seven
    wait no that ones expired"): what was said is the start of the number asked for (or,
    said again, of the number it restarts: `number_spans.false_starts`)."""
    k = run.last_token + 1
    while k < len(doc.tokens) and doc.tokens[k].kind == Kind.PUNCT:
        k += 1
    return k < len(doc.tokens) and doc.tokens[k].lower in _BREAKING_OFF


def _glued_to_letters(doc: Transcript, run: DigitRun) -> bool:
    """The run's first digits are written onto letters ("CP2000", "W2"), or its last onto a
    hyphen and a capital ("1099-S", "1040-X"): part of a form's or a code's name."""
    toks, k = doc.tokens, run.first_token
    if k > 0:
        before, first = toks[k - 1], toks[k]
        if before.kind == Kind.WORD and before.end == first.start and before.text.isalpha():
            return True
    j = run.last_token
    if j + 2 < len(toks) and toks[j + 1].text == "-" and toks[j + 1].start == toks[j].end:
        after = toks[j + 2]
        return after.start == toks[j + 1].end and after.text.isalpha() and after.text.isupper()
    return False


def _complete_before_line(run: DigitRun) -> bool:
    """The run joins two numbers across a line break: the part before it is whole by its
    checksum (a routing number, a card), or the part after it is written as a whole."""
    cut = next(i for i in range(1, len(run.pieces)) if run.pieces[i].gap == Gap.LINE)
    head, tail = run.sub(0, cut), run.sub(cut, len(run.pieces))
    digits = head.digits
    if aba_ok(digits) or (13 <= len(digits) <= 19 and luhn_ok(digits)):
        return True
    # the next line starts with a number written whole: "3/22/1957", "(702) 555-0114"
    return date_separated(tail) or _by_shape(tail) is not None
