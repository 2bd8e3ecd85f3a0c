"""Dates said or written as digits: "07/02/1972", "oh seven oh two seventy two", "04/27".

Each helper reads one digit run; `dates.py` finds the month-name forms and names the kind.
"""

from __future__ import annotations

import datetime

from redaction.spoken import DigitRun, Gap

# Without a cue, a full date is a birth date only if the person would be this old.
MIN_AGE_YEARS = 12


def this_year() -> int:
    return datetime.date.today().year


def full_year(digits: str) -> int | None:
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        yy = int(digits)
        return 2000 + yy if yy <= this_year() % 100 else 1900 + yy
    return None


def plausible_birth_year(year: int) -> bool:
    return 1900 <= year <= this_year()


# How far ahead a date said in a call may lie: a card's expiry, a loan's end.
_YEARS_AHEAD = 20


def calendar_year(year: int) -> bool:
    """A year a date said in a call can have: not "9114" of "december 27 and 9114"."""
    return 1900 <= year <= this_year() + _YEARS_AHEAD


def valid_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def numeric_expiry(run: DigitRun) -> bool:
    """MMYY, MYY or MMYYYY, possibly "04/27", "oh four twenty seven", "4 slash 27", with a
    year a card in use can have (not "nine nine two", not "four two zero")."""
    digits = run.digits
    groups = run.group_sizes()
    if len(groups) == 2 and groups[0] in (1, 2) and groups[1] in (2, 4):
        month, year = int(digits[: groups[0]]), digits[groups[0] :]
        return 1 <= month <= 12 and _card_year(year)
    if len(digits) == 4:
        return 1 <= int(digits[:2]) <= 12 and _card_year(digits[2:])
    if len(digits) == 3:
        return 1 <= int(digits[0]) <= 9 and _card_year(digits[1:])
    if len(digits) == 6:
        return 1 <= int(digits[:2]) <= 12 and _card_year(digits[2:])
    return False


# Cards run for up to about ten years; one expired a few years ago may still be read out.
_CARD_YEARS_BACK = 3
_CARD_YEARS_AHEAD = 10


def _card_year(year: str) -> bool:
    now = this_year()
    if len(year) == 2:
        full = now // 100 * 100 + int(year)
    elif len(year) == 4:
        full = int(year)
    else:
        return False
    return now - _CARD_YEARS_BACK <= full <= now + _CARD_YEARS_AHEAD


def numeric_date(run: DigitRun) -> tuple[int, int, int] | None:
    """(month, day, year) of "07/02/1972", "7-2-72", "oh seven oh two seventy two"."""
    digits = run.digits
    groups = run.group_sizes()
    if len(run.pieces) == 3 and all(p.written for p in run.pieces):
        groups = [len(p.digits) for p in run.pieces]  # "7 2 72"
    if date_separated(run) and [len(p.digits) for p in run.pieces][:1] == [4]:
        return _year_first(run)  # "1979-11-04"
    if len(groups) == 3 and groups[0] in (1, 2) and groups[1] in (1, 2) and groups[2] in (2, 4):
        a = int(digits[: groups[0]])
        b = int(digits[groups[0] : groups[0] + groups[1]])
        year = full_year(digits[groups[0] + groups[1] :])
        if year is None:
            return None
        if valid_day(a, b):
            return a, b, year
        if valid_day(b, a):  # day first
            return b, a, year
        return None
    pieces = run.pieces
    if len(pieces) >= 3 and len(pieces[0].digits) <= 2 and len(pieces[1].digits) <= 2:
        # "one fifteen nineteen eighty five", "twelve three ninety"
        year = full_year("".join(p.digits for p in pieces[2:]))
        month, day = int(pieces[0].digits), int(pieces[1].digits)
        if year is not None and valid_day(month, day):
            return month, day, year
    if len(digits) in (6, 8):
        month, day = int(digits[:2]), int(digits[2:4])
        year = full_year(digits[4:])
        if year is not None and valid_day(month, day):
            return month, day, year
    if len(digits) == 8 and digits[:2] in ("19", "20") and len(pieces) >= 3:
        # the year first, as forms write it: "nineteen eighty two oh nine oh four"
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if plausible_birth_year(year) and valid_day(month, day):
            return month, day, year
    return None


def _year_first(run: DigitRun) -> tuple[int, int, int] | None:
    """(month, day, year) of an ISO-style date ("1979-11-04", "2011/2/14")."""
    sizes = [len(p.digits) for p in run.pieces]
    if len(sizes) != 3 or sizes[1] > 2 or sizes[2] > 2:
        return None
    year, month, day = (int(p.digits) for p in run.pieces)
    if not plausible_birth_year(year) or not valid_day(month, day):
        return None
    return month, day, year


def numeric_month_day(run: DigitRun) -> bool:
    """ "12/25", "twelve twenty five": a birthday without its year."""
    groups = run.group_sizes()
    if len(groups) == 1 and len(run.pieces) == 2:
        groups = [len(p.digits) for p in run.pieces]
    if len(groups) != 2 or groups[0] > 2 or groups[1] > 2:
        return False
    month, day = int(run.digits[: groups[0]]), int(run.digits[groups[0] :])
    return valid_day(month, day)


def written_expiry(run: DigitRun) -> bool:
    """ "04/33": a month and a card's year, written with a slash."""
    pieces = run.pieces
    slashed = len(pieces) == 2 and pieces[1].gap == Gap.SLASH and all(p.written for p in pieces)
    return slashed and numeric_expiry(run)


def date_separated(run: DigitRun) -> bool:
    """Written like a date: digit groups split by slashes, hyphens or dots only."""
    gaps = {p.gap for p in run.pieces[1:]}
    written = all(p.written for p in run.pieces)
    return written and bool(gaps) and gaps <= {Gap.SLASH, Gap.HYPHEN, Gap.PUNCT}
