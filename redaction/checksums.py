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


def whole_card(digits: str) -> bool:
    """A whole card number, as networks issue them: 15 digits starting 34 or 37 (American
    Express), or 16 starting 2 to 6 (Mastercard, Visa, JCB, Discover), passing Luhn. One
    stretch of digits in ten passes Luhn by chance; the issuer's prefix makes such a
    coincidence rarer where a number's end must be found without a cue."""
    if len(digits) == 15:
        shaped = digits[:2] in ("34", "37")
    else:
        shaped = len(digits) == 16 and digits[0] in "23456"
    return shaped and luhn_ok(digits)


def issuer_prefix(digits: str) -> bool:
    """Digits that begin as a network issues cards: 34 or 37 (American Express), 4 (Visa),
    51 to 55 or 2221 to 2720 (Mastercard), 6011 or 65 (Discover)."""
    if digits[:2] in ("34", "37", "65") or digits[:1] == "4" or "51" <= digits[:2] <= "55":
        return True
    return digits[:4] == "6011" or (len(digits) >= 4 and "2221" <= digits[:4] <= "2720")


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
