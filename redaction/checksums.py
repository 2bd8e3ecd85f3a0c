"""The checksums and number plans that tell a card, a routing number or a phone number
from digits that only have its length."""

from __future__ import annotations

# ABA routing numbers start with these two-digit Federal Reserve prefixes.
ROUTING_PREFIXES = frozenset(
    [f"{n:02d}" for n in range(0, 13)]
    + [f"{n:02d}" for n in range(21, 33)]
    + [f"{n:02d}" for n in range(61, 73)]
    + ["80"]
)


def luhn_ok(digits: str) -> bool:
    """The Luhn check every payment card number passes."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def aba_ok(digits: str) -> bool:
    """The ABA checksum every US routing number passes."""
    if len(digits) != 9:
        return False
    d = [int(c) for c in digits]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0


def nanp_ok(digits: str) -> bool:
    """A North American number: area code and exchange do not start with 0 or 1."""
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"
