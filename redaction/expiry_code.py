"""An expiry date and a security code said in one breath: "oh eight twenty seven four
four one" is 08/27, then 441; "november twenty nine double ate seven" is 11/29, then
887. Asked for together, or said after a whole card number, they come as one run of
digits that `redaction.numbers` hands here to be cut in two. Once every finder has read a
line, a second expiry named the code is the code, and a card has one code."""

from __future__ import annotations

from itertools import pairwise

from redaction.checksums import luhn_ok
from redaction.context import Cue
from redaction.digit_dates import numeric_expiry
from redaction.model import EntityType, Finding
from redaction.months import MONTHS
from redaction.spoken import TENS, DigitRun, Gap, Kind, Piece, spoken_digits
from redaction.transcript import Transcript

E = EntityType


def expiry_then_code(
    doc: Transcript, said: DigitRun, cues: list[tuple[Cue, float]], *, card: str = ""
) -> list[Finding]:
    """Asked for the expiry and the code together, an answer may say both without a pause:
    "oh eight twenty seven four four one" is 08/27, then 441. The month and year come
    first, as asked, and the code has three or four digits; where the words run together
    ("twelve thirty six six two"), a tens word and the unit after it may belong to
    different numbers (12/30, then 662). `card` is the card number said just before, if
    whole: only an American Express (15 digits) has a four-digit code, so after one "oh
    too thirty won fore oh six" is 02/30, then 1406, and after any other card a cut
    leaving three digits is taken first."""
    kinds = {cue for cue, _ in cues}
    if cues and cues[0][0] == Cue.NEGATIVE:
        return []  # "that's approved, confirmation number four four seven one two nine"
    # "... exp won too twenty seven nine double three won": the expiry named right before
    # the digits, with the code after it unasked; seven or eight digits after "expires"
    # that split into a month, a year and a code are those
    named_here = _expiry_word_before(doc, said)
    if Cue.EXPIRY not in kinds or not (kinds & {Cue.CVV, Cue.CODE} or named_here):
        return []
    length = code_length(doc, card)
    named = _month_named_before(doc, said, length)
    if named is not None:
        return named
    fallback: list[Finding] = []
    for pieces in (said.pieces, unfolded(doc, said.pieces)):
        for first_expiry in (True, False):  # as asked, mostly; the other way round too
            for cut in range(1, len(pieces)):
                head, tail = DigitRun(pieces[:cut]), DigitRun(pieces[cut:])
                date, code = (head, tail) if first_expiry else (tail, head)
                expiry = len(date.pieces) <= 4 and len(date.digits) in (3, 4)
                if expiry and numeric_expiry(date) and len(code.digits) in (3, 4):
                    both = [
                        Finding(E.EXPIRY, date.start, date.end, 0.85),
                        Finding(E.CVV, code.start, code.end, 0.85),
                    ]
                    if length is None or len(code.digits) == length:
                        return both
                    fallback = fallback or both
    return fallback


# Words that say an expiry follows, right before it: "... exp won too twenty seven".
_EXPIRY_WORDS = frozenset({"exp", "expires", "expiry", "expiration", "expiring"})


def _expiry_word_before(doc: Transcript, said: DigitRun) -> bool:
    k = said.first_token - 1
    while k >= 0 and doc.tokens[k].text in (",", ":"):
        k -= 1
    return k >= 0 and doc.tokens[k].lower in _EXPIRY_WORDS


def fits_card(card: str, code: DigitRun) -> bool:
    """The code's length fits the card said before it (or no whole card was): four digits
    on an American Express (15 digits), three on the others."""
    length = _length_on(card)
    return length is None or len(code.digits) == length


def _length_on(card: str) -> int | None:
    return {15: 4, 16: 3}.get(len(card))


def code_length(doc: Transcript, card: str) -> int | None:
    """How many digits the code has: four on an American Express, named in the lines
    read ("american express", "amex") or asked for ("the four digit code"), or 15 digits
    long; three on any other whole card; None where nothing says."""
    by_card = _length_on(card)
    if by_card is not None:
        return by_card
    said = [t.lower for t in doc.tokens if t.is_word or t.kind == Kind.DIGITS]
    words = doc.prompt_said + said
    for k, word in enumerate(words):
        if word == "amex" or (word == "american" and words[k + 1 : k + 2] == ["express"]):
            return 4
        if word in ("four", "fore", "4") and words[k + 1 : k + 2] in (["digit"], ["digits"]):
            if set(words[k + 2 : k + 4]) & _CODE_WORDS:
                return 4
    return None


# What a card's code is called after "four digit": "the four digit code", "4 digit cvv".
_CODE_WORDS = frozenset({"code", "cvv", "cvc", "security", "cid"})


def card_before(run: DigitRun, first: int) -> str:
    """The digits before pieces[first], said on the lines before it, if they are a whole
    card number (15 or 16 digits that pass the Luhn check); else ""."""
    if first == 0 or run.pieces[first].gap != Gap.LINE:
        return ""
    before = run.sub(0, first).digits
    return before if len(before) in (15, 16) and luhn_ok(before) else ""


def card_said_before(doc: Transcript, run: DigitRun) -> str:
    """The digits of a whole card number said just before the run, with at most a month's
    name, "exp" or both between ("mastercard five one two four ... one three june twenty thirty
    three four nine", "... exp april twenty six ..."): its expiry and code follow. Else
    ""."""
    prev = next((r for r in reversed(doc.runs) if r.last_token < run.first_token), None)
    if prev is None or len(prev.digits) not in (15, 16) or not luhn_ok(prev.digits):
        return ""
    # the card may end the speaker's line before ("... six oh one one ... one nine" /
    # "expiration and security code please" / "april twenty thirty five six one")
    between = [
        t
        for t in doc.tokens[prev.last_token + 1 : run.first_token]
        if t.text != "," and t.kind != Kind.NEWLINE
    ]
    months = sum(1 for t in between if t.lower in MONTHS)
    expiry_words = sum(1 for t in between if t.lower in _EXPIRY_WORDS)
    if months + expiry_words == len(between) and months <= 1 and expiry_words <= 1:
        return prev.digits  # "... exp april twenty six five won ate"
    return ""


def _month_named_before(
    doc: Transcript, said: DigitRun, length: int | None
) -> list[Finding] | None:
    """ "november twenty nine double ate seven": the month said by name, the year's two
    digits, then a code of three or four: the expiry from the month on, then the code. A
    code of `length` digits is taken first: after an Amex, "july twenty thirty eight six
    three seven" is 07/2030, then 8637."""
    month = said.pieces[0].first_token - 1
    if month < 0 or doc.tokens[month].lower not in MONTHS:
        return None
    first: list[Finding] | None = None
    for pieces in (said.pieces, unfolded(doc, said.pieces)):
        for cut in range(1, len(pieces)):
            year, code = DigitRun(pieces[:cut]), DigitRun(pieces[cut:])
            if len(year.digits) in (2, 4) and len(code.digits) in (3, 4):
                if len(year.digits) == 4 and not year.digits.startswith("20"):
                    continue
                both = [
                    Finding(E.EXPIRY, doc.tokens[month].start, year.end, 0.85),
                    Finding(E.CVV, code.start, code.end, 0.85),
                ]
                if length is None or len(code.digits) == length:
                    return both
                first = first or both
    return first


def unfolded(doc: Transcript, pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """The pieces with every "thirty six" said as two words split into "thirty", "six":
    where numbers run together, a tens word and the unit after it may belong to two."""
    out: list[Piece] = []
    for piece in pieces:
        tens, unit = piece.first_token, piece.last_token
        if piece.written or unit != tens + 1 or len(piece.digits) != 2 or piece.digits[1] == "0":
            out.append(piece)
            continue
        a, b = doc.tokens[tens], doc.tokens[unit]
        if a.lower not in TENS:
            out.append(piece)  # "double ate": one digit said twice, not a tens and a unit
            continue
        out.append(Piece(piece.digits[0] + "0", a.start, a.end, piece.gap, False, tens, tens))
        out.append(Piece(piece.digits[1], b.start, b.end, Gap.SPACE, False, unit, unit))
    return tuple(out)


def expiry_first(
    run: DigitRun, picks: list[tuple[EntityType, float, int, int]]
) -> list[tuple[EntityType, float, int, int]]:
    """Two security codes in one answer are an expiry and its code, said in the order
    asked: in "ate twenty six and won oh for" the first, a month and year, is the expiry."""
    ordered = sorted(picks, key=lambda pick: pick[2])
    codes = [k for k, pick in enumerate(ordered) if pick[0] == E.CVV]
    if len(codes) < 2 or any(pick[0] == E.EXPIRY for pick in ordered):
        return picks
    _, score, i, j = ordered[codes[0]]
    if not numeric_expiry(run.sub(i, j)):
        return picks
    ordered[codes[0]] = (E.EXPIRY, score, i, j)
    return ordered


# What a card's code is called, and what links it to the expiry before it: "... and the
# security code is ...".
_CODE_WORDS = frozenset({"code", "cvv", "cvc", "cid", "security"})
_LINKING = _CODE_WORDS | {"and", "n", "then", "the", "its", "is", "it's", "code's"}


def second_expiry_is_code(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """ "expiration oh three twenty seven and eight three four", "expires 3/29, 932": a
    second number read as an expiry, said right after the first with only "and", a pause
    or the code's name between ("exp may thirty tree n the code is oh won too six"), is the
    code (a card has one expiry)."""
    out = list(found)
    expiries = sorted((f for f in found if f.type == E.EXPIRY), key=lambda f: f.start)
    for first, second in pairwise(expiries):
        if second.start < first.end:
            continue  # one expiry, read by two finders
        between = doc.text[first.end : second.start].replace(",", " ").split()
        said = doc.text[second.start : second.end]
        digits = spoken_digits(said)
        # "expires 3/29, 932": after a pause too, though not a date written as one; "exp
        # may thirty tree n the code is oh won too six": named the code
        named = bool(_CODE_WORDS.intersection(between))
        plain = between in (["and"], ["n"], []) or (named and _LINKING.issuperset(between))
        if plain and len(digits) in (3, 4) and "/" not in said:
            out[out.index(second)] = Finding(E.CVV, second.start, second.end, 0.8)
    return out


def one_code_per_card(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """ "Visa 4270 ..., expiration 04/29, code 571. My daughter will pick it up, and she'll
    give you 4515.": a card has one security code, and only an American Express prints
    four digits; a four-digit number read as a second code after a three-digit one is a
    code of another kind, kept secret like a PIN."""
    codes = sorted((f for f in found if f.type == E.CVV), key=lambda f: f.start)
    if len(codes) < 2 or len(spoken_digits(doc.text[codes[0].start : codes[0].end])) != 3:
        return found
    out = list(found)
    for code in codes[1:]:
        if code.start >= codes[0].end and len(spoken_digits(doc.text[code.start : code.end])) == 4:
            out[out.index(code)] = Finding(E.PIN, code.start, code.end, 0.6)
    return out
