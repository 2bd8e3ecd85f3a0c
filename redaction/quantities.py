"""Numbers that are plainly not identifiers: money ("$49.99", "$1,500"), a time of day
("at ten thirty", "4 p.m.", "3:30"), a decimal ("three point seven"), a percentage or a
quantity with its unit ("10 business days", "a four-digit pin").

`redaction.spoken.find_runs` leaves such a number out of the digit runs it builds.
"""

from __future__ import annotations

from redaction.number_words import MEASURE_WORDS, TEENS, TENS, UNITS, numeric_word
from redaction.tokens import Kind, Token

_CURRENCY = frozenset("$€£¥")
# Said between a quantity and its unit ("10 business days"), unlike "5 5 0 8 last week".
_UNIT_ADJECTIVES = frozenset(
    # "a", "an", "per": "sixteen fifty an hour" is a rate
    """business working calendar more extra free additional full whole billing monthly
    weekly total a an per""".split()
)


# Words before and after a time of day.
_AT_A_TIME = frozenset({"at", "by", "around", "until", "till", "before", "after"})
_AFTER_A_TIME = frozenset(
    """am pm a p o'clock sharp tomorrow today tonight on this next at and or in eastern
    central pacific mountain time tmrw tmr tmw tonite""".split()
)


def _clock_time(tokens: list[Token], first: int, last: int) -> bool:
    """An hour then its minutes, said as two numbers ("ten thirty", "7 45", "nine oh
    five")."""
    words = [tokens[k].lower for k in range(first, last + 1)]
    if len(words) == 3 and words[1] in ("oh", "o"):
        words = [words[0], words[2]]  # "nine oh five"
    if len(words) == 3 and words[1] in ("twenty", "thirty", "forty", "fifty"):
        unit = UNITS.get(words[2])
        if unit is None or not 1 <= unit <= 9:
            return False
        words = [words[0], str(TENS[words[1]] + unit)]  # "nine forty five"
    if len(words) != 2:
        return False
    hour, minutes = (_small_number(w) for w in words)
    return hour is not None and minutes is not None and 1 <= hour <= 12 and 0 <= minutes <= 59


def _small_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return UNITS.get(word, TEENS.get(word, TENS.get(word)))


def harmless(text: str, tokens: list[Token], first: int, last: int) -> bool:
    """Money, a time, a decimal, a percentage or a quantity: not an identifier."""
    before = tokens[first - 1] if first > 0 else None
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    if before is not None and before.text in _CURRENCY:
        return True
    said_at = before
    if before is not None and before.lower in ("like", "about") and first >= 2:
        said_at = tokens[first - 2]  # "by like nine thirty"
    if said_at is not None and said_at.lower in _AT_A_TIME and _clock_time(tokens, first, last):
        # "your visit is at ten thirty"; not "text me at five oh three, five fifty five ..."
        more = (
            last + 2 < len(tokens)
            and tokens[last + 1].text in ",."
            and (tokens[last + 2].kind == Kind.DIGITS or numeric_word(tokens[last + 2].lower))
        )
        # ... and not "at four eleven pine hollow court": a time is followed by the end,
        # a pause or a time word
        nxt = tokens[last + 1] if last + 1 < len(tokens) else None
        ends = nxt is None or nxt.kind != Kind.WORD or nxt.lower in _AFTER_A_TIME
        if ends and not more:
            return True
    if before is not None and before.text == "," and first >= 2:
        whole = tokens[first - 2]  # "$1,500": the digits after a thousands comma
        if whole.kind == Kind.DIGITS and whole.end == before.start == tokens[first].start - 1:
            if whole.start > 0 and text[whole.start - 1] in _CURRENCY:
                return True
    if (before is not None and before.lower == "point") or (
        after is not None and after.lower == "point"
    ):
        return True  # "three point seven three": a decimal said aloud
    if after is not None and after.lower in ("a", "p") and last + 3 < len(tokens):
        if tokens[last + 2].text == "." and tokens[last + 3].lower == "m":
            return True  # "4 p.m."
    if after is not None:
        if after.text in ("%",) or after.lower in MEASURE_WORDS:
            return True
        if after.text == "-" and last + 2 < len(tokens) and after.start == tokens[last].end:
            if tokens[last + 2].lower in MEASURE_WORDS:
                return True  # "a four-digit pin", "a 30-day trial"
        # "10 business days", "20 more minutes": one word between the number and its unit
        if after.lower in _UNIT_ADJECTIVES and last + 2 < len(tokens):
            if tokens[last + 2].lower in MEASURE_WORDS:
                return True
        # "49.99", "3:30": a decimal or a clock time written without spaces
        if after.text in (".", ":") and after.start == tokens[last].end and last + 2 < len(tokens):
            frac = tokens[last + 2]
            if frac.kind == Kind.DIGITS and frac.start == after.end:
                if after.text == ":" and len(frac.text) == 2:
                    return True
                if after.text == "." and len(frac.text) <= 2 and not _dotted(tokens, last):
                    return True
    if before is not None and before.text in (".", ":") and first >= 2:
        whole = tokens[first - 2]
        if whole.kind == Kind.DIGITS and whole.end == before.start == tokens[first].start - 1:
            if before.text == ":" and len(tokens[first].text) == 2:
                return True
            if before.text == "." and len(tokens[first].text) <= 2 and not _dotted(tokens, first):
                return True
            if whole.start > 0 and text[whole.start - 1] in _CURRENCY:
                return True
    return False


def _dotted(tokens: list[Token], k: int) -> bool:
    """The digits at k are one of three groups joined by dots with no space, shaped like a
    date ("04.11.1990", "3.7.85"): not a decimal. A version ("2.4.1") stays one."""

    def glued(a: int, b: int) -> bool:
        return 0 <= a and b < len(tokens) and tokens[a].end == tokens[b].start

    def group(i: int) -> bool:
        return 0 <= i < len(tokens) and tokens[i].kind == Kind.DIGITS

    first = k
    while group(first - 2) and tokens[first - 1].text == "." and glued(first - 2, first - 1):
        if not glued(first - 1, first):
            break
        first -= 2
    last = k
    while group(last + 2) and tokens[last + 1].text == "." and glued(last, last + 1):
        if not glued(last + 1, last + 2):
            break
        last += 2
    groups = [len(tokens[i].text) for i in range(first, last + 1, 2)]
    return len(groups) == 3 and max(groups[:2]) <= 2 and groups[2] in (2, 4)
