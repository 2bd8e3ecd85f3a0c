"""What a speaker's next line tells about the number their previous line ended with.

A number read out across two lines is only known once its rest is heard: "okay it's five
one oh five" reads as a PIN, until "and 1051 0510 5100" makes it a card's first group.
These pure functions give the previous line's findings with the number's kind corrected;
spans are never moved, added or dropped, so what was hidden stays hidden.
"""

from __future__ import annotations

from dataclasses import replace

from redaction.checksums import luhn_ok
from redaction.model import EntityType, Finding
from redaction.number_joins import RESUMING
from redaction.spoken import find_runs
from redaction.tokens import tokenize

# The kinds a number read out digit by digit may turn out to be once all of it is heard.
NUMBER_KINDS = frozenset(
    {
        EntityType.CREDIT_CARD,
        EntityType.CVV,
        EntityType.US_SSN,
        EntityType.BANK_ACCOUNT,
        EntityType.BANK_ROUTING,
        EntityType.PIN,
        EntityType.PHONE_NUMBER,
    }
)


def retyped(found: list[Finding], again: list[Finding]) -> list[Finding] | None:
    """`found` with each number's kind taken from a second reading of the same line (with
    the speaker's next line after it) that covers it with another kind of number; None
    when nothing changes."""
    out, changed = [], False
    for f in found:
        if f.type in NUMBER_KINDS:
            other = next(
                (
                    g
                    for g in again
                    if g.type in NUMBER_KINDS
                    and g.type != f.type
                    and g.start <= f.start
                    and f.end <= g.end
                ),
                None,
            )
            if other is not None:
                f, changed = replace(f, type=other.type, score=other.score), True
        out.append(f)
    return out if changed else None


def card_begun(
    said: str, said_found: list[Finding], text: str, found: list[Finding]
) -> list[Finding] | None:
    """`said_found` with the number `said` ends with read as a card's start, where `text`
    opens with the rest of a card (found as one) and together they make a whole card: its
    network's length (15 digits for an Amex, 16 for the others) and a valid Luhn check;
    None otherwise. Only "okay", "and", "uh"... may come before the rest."""
    said_runs = find_runs(said)
    numbers = [f for f in said_found if f.type in NUMBER_KINDS]
    if not said_runs or not numbers:
        return None
    begun = max(numbers, key=lambda f: f.end)
    if begun.type == EntityType.CREDIT_CARD or said_runs[-1].end > begun.end:
        return None  # a card already, or another number said after it
    runs = find_runs(text)
    rest = min(found, key=lambda f: f.start, default=None)
    if not runs or rest is None or rest.type != EntityType.CREDIT_CARD:
        return None
    if runs[0].start < rest.start or not all(
        t.lower in RESUMING for t in tokenize(text[: rest.start]) if t.is_word
    ):
        return None
    head = "".join(r.digits for r in said_runs if begun.start <= r.start and r.end <= begun.end)
    tail = "".join(r.digits for r in runs if rest.start <= r.start and r.end <= rest.end)
    whole = head + tail
    length = 15 if whole[:2] in ("34", "37") else 16
    if not head or whole[0] not in "3456" or len(whole) != length or not luhn_ok(whole):
        return None
    return [
        replace(f, type=EntityType.CREDIT_CARD, score=rest.score) if f is begun else f
        for f in said_found
    ]
