"""What a speaker's next line tells about the number their previous line ended with.

A number read out across two lines is only known once its rest is heard: "okay it's five
one oh five" reads as a PIN, until "and 1051 0510 5100" makes it a card's first group.
These pure functions give the previous line's findings with the number's kind corrected;
spans are never moved, added or dropped, so what was hidden stays hidden.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from redaction.checksums import luhn_ok
from redaction.model import NUMBER_KINDS, EntityType, Finding
from redaction.number_joins import RESUMING
from redaction.spoken import find_runs
from redaction.tokens import tokenize

# What the rest of a number can make of its start. A code (PIN, CVV) is said whole, so
# the next line never finishes one: a second reading that makes the line's last number a
# code has read the next line's question or card into it ("... he can call me at 570..."
# / "555-0115" is a phone's area code, not a code).
_FINISHED_KINDS = NUMBER_KINDS - {EntityType.PIN, EntityType.CVV}


def _last_number(found: list[Finding]) -> Finding | None:
    """The number found last in a line."""
    return max((f for f in found if f.type in NUMBER_KINDS), key=lambda f: f.end, default=None)


def retyped(found: list[Finding], again: list[Finding]) -> list[Finding] | None:
    """`found` with the kind of the number the line ends with taken from a second reading
    of the line (with the speaker's next line after it) that covers it with another kind
    of number, one a next line can finish; None when nothing changes."""
    last = _last_number(found)
    if last is None:
        return None
    other = next(
        (
            g
            for g in again
            if g.type in _FINISHED_KINDS
            and g.type != last.type
            and g.start <= last.start
            and last.end <= g.end
        ),
        None,
    )
    if other is None:
        return None
    return [replace(f, type=other.type, score=other.score) if f is last else f for f in found]


class _Halves(NamedTuple):
    """The number a line ends with and the one the speaker's next line opens with."""

    begun: Finding
    head: str  # its digits
    rest: Finding
    tail: str


def _halves(
    said: str, said_found: list[Finding], text: str, found: list[Finding]
) -> _Halves | None:
    """The last number of `said`, with no digits said after it, and the first finding of
    `text`, a number with only "okay", "and", "uh"... before it: perhaps one number."""
    begun = _last_number(said_found)
    rest = min(found, key=lambda f: f.start, default=None)
    if begun is None or rest is None or rest.type not in NUMBER_KINDS:
        return None
    said_runs, runs = find_runs(said), find_runs(text)
    if not said_runs or not runs:
        return None
    if said_runs[-1].end > begun.end or runs[0].start < rest.start:
        return None  # another number said after it, or before the rest
    if not all(t.lower in RESUMING for t in tokenize(text[: rest.start]) if t.is_word):
        return None
    head = "".join(r.digits for r in said_runs if begun.start <= r.start and r.end <= begun.end)
    tail = "".join(r.digits for r in runs if rest.start <= r.start and r.end <= rest.end)
    return _Halves(begun, head, rest, tail) if head and tail else None


def card_begun(
    said: str, said_found: list[Finding], text: str, found: list[Finding]
) -> list[Finding] | None:
    """`said_found` with the number `said` ends with read as a card's start, where `text`
    opens with the rest of a card (found as one) and together they make a whole card: its
    network's length (15 digits for an Amex, 16 for the others) and a valid Luhn check;
    None otherwise."""
    halves = _halves(said, said_found, text, found)
    if halves is None or halves.rest.type != EntityType.CREDIT_CARD:
        return None
    if halves.begun.type == EntityType.CREDIT_CARD:
        return None  # a card already
    whole = halves.head + halves.tail
    length = 15 if whole[:2] in ("34", "37") else 16
    if whole[0] not in "3456" or len(whole) != length or not luhn_ok(whole):
        return None
    return [
        replace(f, type=EntityType.CREDIT_CARD, score=halves.rest.score) if f is halves.begun else f
        for f in said_found
    ]


def joined(
    said: str, said_found: list[Finding], text: str, found: list[Finding]
) -> tuple[str, EntityType] | None:
    """The digits and kind of one number `said` ended with and `text` finished, both
    halves read as that kind ("ate five three" / "five five five oh won nine six"): what
    a read-back of the whole says again."""
    halves = _halves(said, said_found, text, found)
    if halves is None or halves.begun.type != halves.rest.type:
        return None
    return halves.head + halves.tail, halves.rest.type
