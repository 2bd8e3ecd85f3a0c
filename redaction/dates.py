"""Dates of birth and card expiry dates, written or spoken.

Month-name forms ("July 2nd 1972", "the second of July nineteen seventy two",
"April 2027", "march fourteenth, nineteen eighty six") are parsed from tokens here; digit
forms ("07/02/1972", "oh seven oh two seventy two", "oh four twenty seven", "04/27")
are digit runs, read by `digit_dates.py`. A cue names the kind ("born", "expires");
without one, only a full date in a year long past is taken as a date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from redaction.context import Cue
from redaction.date_context import after_card, age_reached_on, code_follows, death_date
from redaction.digit_dates import (
    MIN_AGE_YEARS,
    calendar_year,
    full_year,
    plausible_birth_year,
    this_year,
)
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.spoken import ORDINALS, TENS, DigitRun, Gap, Kind
from redaction.tokens import HESITATIONS, homophone_digit
from redaction.transcript import Transcript

# Month names that are also everyday words: a date only with a day or year beside them.
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "dec", "sep", "oct", "jun", "jul"})


@dataclass(frozen=True)
class _Date:
    first: int  # token indices, inclusive
    last: int
    month: int
    day: int | None
    year: int | None
    said_as_day: bool = False  # "june third": a day, never the year an expiry has


def ordinal_day(doc: Transcript, k: int) -> tuple[int, int] | None:
    """A day said as an ordinal at token k: (day, last token)."""
    toks = doc.tokens
    if k >= len(toks):
        return None
    tok = toks[k]
    if tok.kind == Kind.ORDINAL:
        day = int(tok.text[:-2])
        return (day, k) if 1 <= day <= 31 else None
    w = tok.lower
    if w in ORDINALS:
        return ORDINALS[w], k
    if w in ("twenty", "thirty"):
        j = k + 1
        if j < len(toks) and toks[j].text == "-":
            j += 1
        if j < len(toks) and toks[j].lower in ORDINALS and ORDINALS[toks[j].lower] < 10:
            day = TENS[w] + ORDINALS[toks[j].lower]
            return (day, j) if day <= 31 else None
    return None


def _skip(doc: Transcript, k: int, words: tuple[str, ...]) -> int:
    toks = doc.tokens
    # "August of '27": the apostrophe of a two-digit year is skipped too; "march uh ninth":
    # so is a pause
    while k < len(toks) and (
        toks[k].text in (",", ".", "'", "’")
        or toks[k].lower in words
        or toks[k].lower in HESITATIONS
    ):
        k += 1
    return k


def _run_at(doc: Transcript, k: int) -> DigitRun | None:
    """The run starting at token k, up to a line break: a date is said within one line,
    whatever number the speaker's next line begins with ("Exp January 2030" / "it's six
    zero three")."""
    run = doc.run_starting.get(k)
    if run is None:
        return None
    for i in range(1, len(run.pieces)):
        if run.pieces[i].gap == Gap.LINE:
            return run.sub(0, i)
    return run


def _year_at(doc: Transcript, k: int) -> tuple[int, int] | None:
    """A year (4 digits, or 2 said as "seventy two") starting at token k."""
    run = _run_at(doc, k)
    if run is None:
        return _heard_year(doc, k)
    year = full_year(run.digits)
    if year is not None:
        return year, run.last_token
    # the year, then the next number asked for in one breath: "valentine's day seventy
    # nine one oh six seven" (a birth date, then a social's last four)
    for cut in (1, 2):
        said = run.pieces[:cut]
        digits = "".join(p.digits for p in said)
        if cut < len(run.pieces) and len(digits) in (2, 4) and not said[0].written:
            year = full_year(digits)
            if year is not None:
                return year, said[-1].last_token
    return None


def _heard_year(doc: Transcript, k: int) -> tuple[int, int] | None:
    """ "oh too" at token k, a year said as two digits that a recogniser wrote as words
    ("born aug twenty first oh too"): no run, as "too" alone is seldom a digit."""
    toks = doc.tokens
    if k + 1 >= len(toks) or toks[k].lower not in ("oh", "o"):
        return None
    digit = homophone_digit(toks[k + 1].lower)
    if digit is None:
        return None
    year = full_year("0" + digit)
    return (year, k + 1) if year is not None else None


# Digits heard as words that a day can be between a month and a year ("march too two
# thousand ten"); not "to" or "for" ("from march to 2010", "for may for 2024").
_HEARD_DAYS = frozenset({"too", "won", "fore", "ate"})


def _after_month(doc: Transcript, month_tok: int, month: int) -> _Date | None:
    k = _skip(doc, month_tok + 1, ("the",))
    if k < len(doc.tokens) and doc.tokens[k].kind == Kind.NEWLINE:
        # "... born september" / "third nineteen ninety one": the day in the next line
        k = _skip(doc, k + 1, ("the",))
    ordinal = ordinal_day(doc, k)
    if ordinal is None and k < len(doc.tokens) and doc.tokens[k].lower == "ate":
        if doc.tokens[k - 1].lower == "the":
            ordinal = (8, k)  # "march the ate": "the eighth", as a recogniser heard it
    if ordinal is None and k < len(doc.tokens) and doc.tokens[k].lower in _HEARD_DAYS:
        heard = homophone_digit(doc.tokens[k].lower)
        if heard is not None and _year_at(doc, k + 1) is not None:
            ordinal = (int(heard), k)  # "march too two thousand ten": the 2nd, then a year
    if ordinal is not None:
        day, last = ordinal
        y = _year_at(doc, _skip(doc, last + 1, ("of",)))
        if y is not None:
            return _Date(month_tok, y[1], month, day, y[0])
        return _Date(month_tok, last, month, day, None, said_as_day=True)
    k = _skip(doc, month_tok + 1, ("of", "the"))
    run = _run_at(doc, k)
    if run is None:
        return None
    date = _month_then(run, month_tok, month)
    if date is not None and date.year is None and date.day is not None:
        # "March 13, '47": the year after a comma, its apostrophe written
        y = _year_after_apostrophe(doc, run.last_token + 1)
        if y is not None:
            return _Date(month_tok, y[1], month, date.day, y[0])
    first = run.segments()[0]
    if date is None and first[1] < len(run.pieces):
        # "jan thirty and seven two six": the date, then the next number (a security code)
        date = _month_then(run.sub(*first), month_tok, month)
    rest = "".join(p.digits for p in run.pieces[1:])
    head = run.pieces[0].digits
    # a card's expiry year is at most ten years ahead ("december thirty ate six nine six"
    # is the 2030 expiry and a four-digit code, not 2038 and three digits)
    soon = len(head) == 2 and -1 <= 2000 + int(head) - this_year() <= _EXPIRY_YEARS
    if date is None and soon and len(rest) in (3, 4):
        # "exp july twenty six five twenty three": the month and a year said as one
        # number, then the next number in the same breath (the card's code)
        date = _month_then(run.sub(0, 1), month_tok, month)
    return date


# How many years ahead a card's expiry may be.
_EXPIRY_YEARS = 8


def _year_after_apostrophe(doc: Transcript, k: int) -> tuple[int, int] | None:
    """A two-digit year written with its apostrophe from token k, perhaps after a comma
    (", '47")."""
    toks = doc.tokens
    if k < len(toks) and toks[k].text == ",":
        k += 1
    if k >= len(toks) or toks[k].text not in ("'", "’"):
        return None
    run = doc.run_starting.get(k + 1)
    if run is None or len(run.pieces) != 1 or len(run.digits) != 2:
        return None
    year = full_year(run.digits)
    return None if year is None else (year, run.last_token)


def _month_then(run: DigitRun, month_tok: int, month: int) -> _Date | None:
    """The date a month name makes with the digits said after it, if any."""
    pieces = run.pieces
    head = int(pieces[0].digits)
    rest = "".join(p.digits for p in pieces[1:])
    if len(pieces) > 1 and 1 <= head <= 31 and len(pieces[0].digits) <= 2:
        year = full_year(rest)
        if year is not None and calendar_year(year):  # "July 2 1972", "march fourteen eighty six"
            return _Date(month_tok, run.last_token, month, head, year)
    year = full_year(run.digits)
    if year is not None and len(run.digits) == 4 and calendar_year(year):  # "April 2027"
        return _Date(month_tok, run.last_token, month, None, year)
    if len(pieces) == 1 and 1 <= head <= 31:  # "april twenty seven": day or year
        return _Date(month_tok, run.last_token, month, head, None)
    if len(pieces) == 1 and len(run.digits) == 2:  # "february thirty two": a year
        return _Date(month_tok, run.last_token, month, None, full_year(run.digits))
    return None


def _before_month(doc: Transcript, month_tok: int, month: int) -> _Date | None:
    """ "the second of July (nineteen seventy two)", "forth a july" as noisy recognisers
    write "fourth of july"."""
    k = month_tok - 1
    if k < 1 or doc.tokens[k].lower not in ("of", "a"):
        return None
    k -= 1
    start = k
    if doc.tokens[k].lower in ORDINALS and k >= 2 and doc.tokens[k - 1].text == "-":
        start = k - 2
    elif doc.tokens[k].lower in ORDINALS and k >= 1 and doc.tokens[k - 1].lower in TENS:
        start = k - 1
    ordinal = ordinal_day(doc, start)
    if ordinal is None or ordinal[1] != k:
        return None
    y = _year_at(doc, _skip(doc, month_tok + 1, ()))
    if y is not None:
        return _Date(start, y[1], month, ordinal[0], y[0])
    return _Date(start, month_tok, month, ordinal[0], None, said_as_day=True)


# Holidays on a fixed date, said for a birthday ("born on Christmas Eve 2014"): the
# words that name each, after any "saint"/"st", with possessives dropped.
_HOLIDAYS: dict[tuple[str, ...], tuple[int, int]] = {
    ("christmas", "eve"): (12, 24),
    ("christmas", "day"): (12, 25),
    ("christmas",): (12, 25),
    ("new", "year", "day"): (1, 1),
    ("new", "year", "eve"): (12, 31),
    ("valentine", "day"): (2, 14),
    ("halloween",): (10, 31),
    ("patrick", "day"): (3, 17),
    ("independence", "day"): (7, 4),
    ("veterans", "day"): (11, 11),
    ("groundhog", "day"): (2, 2),
    ("leap", "day"): (2, 29),
}
_HOLIDAY_WORDS = max(len(words) for words in _HOLIDAYS)


def _holiday_word(word: str) -> str:
    """A word of a holiday's name without its possessive: "valentine's", "valentines" and
    "new year's" as "valentine" and "year"."""
    word = word.replace("’", "'").removesuffix("'s").rstrip("'")
    return word[:-1] if word in ("valentines", "years", "patricks") else word


def _holiday(doc: Transcript, k: int) -> _Date | None:
    """A fixed-date holiday named from token k, with the year said after it if one is."""
    toks = doc.tokens
    words: list[str] = []
    j = k
    while j < len(toks) and len(words) < _HOLIDAY_WORDS and toks[j].kind == Kind.WORD:
        words.append(_holiday_word(toks[j].lower))
        j += 1
    for n in range(len(words), 0, -1):
        day = _HOLIDAYS.get(tuple(words[:n]))
        if day is None:
            continue
        last = k + n - 1
        y = _year_at(doc, _skip(doc, last + 1, ("of",)))
        if y is not None:
            return _Date(k, y[1], day[0], day[1], y[0])
        return _Date(k, last, day[0], day[1], None, said_as_day=True)
    return None


def _score(doc: Transcript, date: _Date) -> tuple[EntityType, float] | None:
    if after_card(doc, date.first) and not date.said_as_day:
        return EntityType.EXPIRY, 0.9
    # no one is born in a year still to come: "july twenty thirty" is a card's
    born_yet = date.year is None or date.year <= this_year()
    if born_yet and age_reached_on(doc, date.first):
        return EntityType.DATE_OF_BIRTH, 0.8
    for cue, _dist in doc.cues_near(date.first, date.last):
        if cue == Cue.DOB and born_yet:
            return EntityType.DATE_OF_BIRTH, 0.9
        if cue == Cue.EXPIRY and not date.said_as_day:
            return EntityType.EXPIRY, 0.9
        if cue in (Cue.NEGATIVE, Cue.MONEY):
            break
    else:
        if not date.said_as_day and code_follows(doc, date.last) and _cards(doc):
            return EntityType.EXPIRY, 0.8  # "... and its july twenty nine and five oh seven"
    if date.day is not None and date.year is not None:
        if _twenty_twenty(doc, date):
            # "december twenty twenty nine": december 2029 sooner than the 20th of
            # december 1929, so a card's expiry if it has not come yet
            year = 2000 + date.day + date.year % 100
            return (EntityType.EXPIRY, 0.6) if year >= this_year() and _cards(doc) else None
        if plausible_birth_year(date.year) and date.year <= this_year() - MIN_AGE_YEARS:
            return EntityType.DATE_OF_BIRTH, 0.6
    return None


def _cards(doc: Transcript) -> bool:
    """A card, its expiry or its code is spoken of in the lines read."""
    said = [m.cue for m in doc.cues] + [cue for cue, _ in doc.prompt_cues]
    return any(cue in (Cue.CARD, Cue.EXPIRY, Cue.CVV) for cue in said)


def _twenty_twenty(doc: Transcript, date: _Date) -> bool:
    """The date's day and year are said "twenty twenty ...", which also reads as a year
    of this century with no day."""
    words = [tok.lower for tok in doc.tokens[date.first : date.last + 1]]
    old_year = date.year is not None and date.year < 1940
    return date.day == 20 and old_year and "twenty twenty" in " ".join(words)


def birth_context(doc: Transcript, first: int, last: int) -> bool:
    """A date of birth is being given: the nearest cue naming a kind of date (in the
    line or the other party's question) is a birth cue."""
    for cue, _dist in doc.cues_near(first, last):
        if cue == Cue.DOB:
            return True
        if cue in (Cue.EXPIRY, Cue.NEGATIVE, Cue.MONEY):
            return False
    return False


# Gaps a garbled date goes on over: "July 2, 1972-1979", "March 40 9088".
_DATE_JOINS = frozenset({Gap.SPACE, Gap.COMPOUND, Gap.HYPHEN, Gap.SLASH})
_MAX_DATE_GROUPS = 4


def _numbers_after(doc: Transcript, k: int, groups: int) -> tuple[int, int] | None:
    """(last token, groups taken) of the numbers said from token k on as the rest of a
    date, whether or not they make one: groups of at most four digits, joined by spaces,
    hyphens or slashes, or by a comma until a year-like group has come."""
    run = doc.run_starting.get(k)
    if run is None:
        return None
    last = None
    year_seen = False
    for i, j in run.segments():
        piece = run.pieces[i]
        digits = "".join(p.digits for p in run.pieces[i:j])
        if groups >= _MAX_DATE_GROUPS:
            break
        if len(digits) > 4:
            # "october 3 2 0 1 9 8": day and year said as one string of digits; "the 3rd,
            # 1 9 7 2 2": a year with a digit too many
            if last is not None or len(digits) > (8 if groups == 0 else 6):
                break
            groups += 1
        if last is not None and piece.gap not in _DATE_JOINS:
            comma = doc.tokens[piece.first_token - 1].text == ","
            if piece.gap != Gap.PUNCT or year_seen or not comma:
                break
        last = run.pieces[j - 1].last_token
        groups += 1
        year_seen = year_seen or (groups > 1 and len(digits) >= 2)
    return (last, groups) if last is not None else None


def _garbled_span(doc: Transcript, month_tok: int) -> tuple[int, int] | None:
    """Token span of a month name with the numbers said around it as a day and a year,
    even when they make no valid date ("July 2, 1972-1979", "March 40 9088", "the 3rd
    of June 85"): the recogniser garbles digits, and a birthday half hidden leaks."""
    toks = doc.tokens
    first = last = month_tok
    groups = 0
    # before the month: "the 3rd of", "2", "twenty second of"
    k = month_tok - 1
    if k >= 0 and toks[k].lower == "of":
        k -= 1
    if k >= 0:
        run = doc.run_ending.get(k)
        ordinal_start = k
        if toks[k].lower in ORDINALS and k >= 1 and toks[k - 1].lower in TENS:
            ordinal_start = k - 1
        elif toks[k].lower in ORDINALS and k >= 2 and toks[k - 1].text == "-":
            ordinal_start = k - 2
        if toks[k].kind == Kind.ORDINAL or toks[k].lower in ORDINALS:
            first, groups = ordinal_start, 1
        elif run is not None:
            i, j = run.segments()[-1]
            if len("".join(p.digits for p in run.pieces[i:j])) <= 2:
                first, groups = run.pieces[i].first_token, 1
    # after it: "the 2nd, 1972", "2 1972-1979", "40 9088"
    k = _skip(doc, month_tok + 1, ("the", "of"))
    ordinal = ordinal_day(doc, k) if groups == 0 else None
    if ordinal is not None:
        last, groups = ordinal[1], 1
        k = _skip(doc, last + 1, ("of",))
    after = _numbers_after(doc, k, groups)
    if after is not None:
        last, groups = after
    if groups == 0 or (first, last) == (month_tok, month_tok):
        return None
    return first, last


def _year_first(doc: Transcript, date: _Date | None) -> _Date | None:
    """The date with a year said before its month ("Birthday 1979, July 30th", "... n
    nineteen ninety nine august thirtieth"), when it has none after: after a pause, or
    right before the month where a birth date is asked for."""
    if date is None or date.year is not None or date.day is None:
        return date
    k = date.first - 1
    paused = k >= 0 and doc.tokens[k].text == ","
    if paused:
        k -= 1
    elif not birth_context(doc, date.first, date.last):
        return date  # "twenty nineteen may the ate": the year said on, not the date's
    run = doc.run_ending.get(k)  # "1979, July 30th", "Nineteen sixty-eight, August 22nd"
    if run is None:
        return date
    # the number said last before the month, in this line ("... six five three n nineteen
    # ninety nine"): a social may run on into the year, a number the line before ended
    # with into the line
    line_start = doc.lines[doc.token_line[k]][0]
    in_line = [
        said
        for said in (run.sub(*segment) for segment in run.segments())
        if said.start >= line_start
    ]
    if not in_line or len(in_line[-1].digits) != 4 or (paused and len(in_line) != 1):
        return date
    year_said = in_line[-1]
    year = int(year_said.digits)
    if not plausible_birth_year(year):
        return date
    if not paused and _ends_a_date(doc, year_said.first_token - 1):
        return date  # "march fourth twenty nineteen may the ate": the first date's year
    return replace(date, first=year_said.first_token, year=year)


def _ends_a_date(doc: Transcript, k: int) -> bool:
    """Token k is a month or a day said as an ordinal: a year after it is that date's."""
    if k < 0:
        return False
    return month_of(doc.tokens[k].lower) is not None or ordinal_day(doc, k) is not None


def find_dates(doc: Transcript) -> list[Finding]:
    """Dates said with a month name, typed by their cue."""
    found: list[Finding] = []
    toks = doc.tokens
    for k, tok in enumerate(toks):
        month = month_of(tok.lower)
        if month is None and tok.kind == Kind.WORD and doc.overlaps_target(tok.start, tok.end):
            holiday = _holiday(doc, k)
            if holiday is not None and birth_context(doc, holiday.first, holiday.last):
                start, end = toks[holiday.first].start, toks[holiday.last].end
                found.append(Finding(EntityType.DATE_OF_BIRTH, start, end, 0.9))
        if month is None or tok.kind != Kind.WORD:
            continue
        if not doc.overlaps_target(tok.start, tok.end + 40):
            continue
        date = _year_first(doc, _before_month(doc, k, month) or _after_month(doc, k, month))
        if death_date(doc, date.first if date else k):
            continue
        # (a month said right after a whole card number is its expiry's, whatever the call
        # asked before: "... four nine ate may thirty too n the code ...")
        in_birth_talk = birth_context(doc, k, k) and not after_card(doc, k)
        garbled = _garbled_span(doc, k) if in_birth_talk else None
        if garbled is not None:
            # in a birth context, the month and every number around it, valid or not
            first = min(garbled[0], date.first) if date else garbled[0]
            last = max(garbled[1], date.last) if date else garbled[1]
            start, end = toks[first].start, toks[last].end
            if doc.overlaps_target(start, end):
                found.append(Finding(EntityType.DATE_OF_BIRTH, start, end, 0.9))
            continue
        if date is None:
            continue
        if tok.lower in _AMBIGUOUS_MONTHS and date.first == k and date.last == k:
            continue
        typed = _score(doc, date)
        if typed is None:
            continue
        start, end = toks[date.first].start, toks[date.last].end
        if doc.overlaps_target(start, end):
            found.append(Finding(typed[0], start, end, typed[1]))
    return found
