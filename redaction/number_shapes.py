"""What a digit run is by its shape alone: its length, its grouping, its checksum and how
it was said, with no cue asking for it ("4111 1111 1111 1111" is a card, "123-45-6789" a
social, "six one seven" said digit by digit and broken off a code). `number_kinds` weighs
these against the cues said around a run."""

from __future__ import annotations

from dataclasses import dataclass

from redaction.checksums import ROUTING_PREFIXES, aba_ok, issuer_prefix, luhn_ok, nanp_ok
from redaction.digit_dates import MIN_AGE_YEARS, date_separated, numeric_date, this_year
from redaction.model import EntityType
from redaction.spoken import DigitRun, Piece

E = EntityType


@dataclass(frozen=True)
class Label:
    type: EntityType
    score: float


def one_digit_said(piece: Piece) -> bool:
    """A piece said as one digit, or one digit said three times ("triple nine"); not a
    pair ("eleven", "ninety nine", which "double nine" cannot be told from here)."""
    return len(piece.digits) == 1 or (
        not piece.written and len(piece.digits) == 3 and len(set(piece.digits)) == 1
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


def without_cue(run: DigitRun, open_end: bool = False) -> Label | None:
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
    if 4 <= n <= 6 and all(one_digit_said(piece) for piece in run.pieces):
        # digits read one at a time, asked for nothing that says otherwise: a code a
        # caller recites (a PIN, or the start of a longer number); amounts, times and
        # quantities are not said digit by digit
        return Label(E.PIN, 0.45)
    return None


def card_begun(run: DigitRun) -> bool:
    """Half a card or more, said a digit at a time from a network's first digits."""
    digits = run.digits
    if len(digits) in (10, 11) and nanp_ok(digits):
        return False  # "n if u need me five too fore five five five ...": a phone number
    return 8 <= len(digits) < 13 and len(run.pieces) == len(digits) and issuer_prefix(digits)


def card_by_checksum(run: DigitRun) -> bool:
    """A card's length, said or grouped as cards are, and its checksum: not a recovery
    key read in groups of six ("402117, 559830 and 190362"). Said digit by digit, or in
    pairs and teens ("forty seven seventy six twenty nine ..."), is as cards are read."""
    digits = run.digits
    grouped = max(run.group_sizes()) <= 4 or all(len(p.digits) <= 2 for p in run.pieces)
    return len(digits) in (15, 16) and grouped and luhn_ok(digits)


def by_shape(run: DigitRun) -> Label | None:
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


# Toll-free area codes: businesses' numbers, not a caller's.
_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def toll_free(digits: str) -> bool:
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[:3] in _TOLL_FREE
