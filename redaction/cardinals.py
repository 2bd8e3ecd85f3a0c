"""Number words read as digits: cardinals, digit-by-digit reading, "double"/"triple"."""

from __future__ import annotations

from collections.abc import Sequence

from redaction.number_words import REPEATS, TEENS, TENS, UNITS
from redaction.tokens import Kind, Token


def _small(words: list[str], i: int) -> tuple[int, int, int] | None:
    """A number below 100 starting at words[i]: (value, width in digits, next index)."""
    if i >= len(words):
        return None
    w = words[i]
    if w in TENS:
        if i + 1 < len(words) and words[i + 1] in UNITS and words[i + 1] not in ("oh", "o", "zero"):
            return TENS[w] + UNITS[words[i + 1]], 2, i + 2
        return TENS[w], 2, i + 1
    if w in TEENS:
        return TEENS[w], 2, i + 1
    if w in UNITS:
        return UNITS[w], 1, i + 1
    if w == "a":
        return 1, 1, i + 1
    return None


def read_number_words(chunk: Sequence[Token]) -> list[tuple[str, int, int]]:
    """The digits of number tokens said without a pause ("one fifty eight", "double five",
    "two thousand and five", "4 1 1 1 one one"), as (digits, first, last) pieces with
    indices into `chunk`. Digit-by-digit reading stays digit by digit; cardinals become
    their value ("one hundred eighty four" -> "184"); "twenty twenty seven" is "20" "27"."""
    words = [t.lower for t in chunk]
    pieces: list[tuple[str, int, int]] = []
    i = 0
    while i < len(chunk):
        tok = chunk[i]
        if tok.kind == Kind.DIGITS:
            pieces.append((tok.text, i, i))
            i += 1
            continue
        w = words[i]
        if w in REPEATS and i + 1 < len(chunk):
            nxt = chunk[i + 1]
            digit = nxt.text if nxt.kind == Kind.DIGITS else str(UNITS.get(words[i + 1], ""))
            if len(digit) == 1:
                pieces.append((digit * REPEATS[w], i, i + 1))
                i += 2
                continue
        small = _small(words, i)
        if small is None:  # "hundred" or "and" without a number before it
            i += 1
            continue
        value, width, j = small
        total: int | None = None
        if j < len(words) and words[j] == "hundred":
            total, j = value * 100, j + 1
            if j + 1 < len(words) and words[j] == "and":
                j += 1
            had_and = j > 0 and words[j - 1] == "and"
            rest = _small(words, j)
            if rest is not None and words[j] not in ("oh", "o", "a"):
                # "eight hundred five five five" is read digit by digit after "800"
                bare_unit = words[j] in UNITS
                if had_and or not bare_unit or rest[2] >= len(words):
                    total, j = total + rest[0], rest[2]
        elif j < len(words) and words[j] == "thousand":
            total, j = value * 1000, j + 1
            if j + 1 < len(words) and words[j] == "and":
                j += 1
            rest = _small(words, j)
            if rest is not None and words[j] not in ("oh", "o", "a"):
                part, j = rest[0], rest[2]
                if j < len(words) and words[j] == "hundred":
                    part, j = part * 100, j + 1
                    if j + 1 < len(words) and words[j] == "and":
                        j += 1
                    more = _small(words, j)
                    if more is not None and words[j] not in ("oh", "o", "a"):
                        part, j = part + more[0], more[2]
                total += part
        if total is not None:
            pieces.append((str(total), i, j - 1))
        else:
            pieces.append((str(value).zfill(width), i, j - 1))
        i = j
    return pieces
