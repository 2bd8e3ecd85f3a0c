"""Round 42 (read from holdout76/77): "the end of your social security number" asks for a
social's last four; an Amex's code named right before it, whatever social was asked for
turns before; "the three digits" after a card's expiry; a routing number broken off and
given again whole; a phone said before a mailbox is no part of it; a reference written with
its letters ("KP-4471") is no code."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_the_end_of_your_social_security_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "the account is under harbor lights rentals",
        "a:for sole owners we verify the end of your social security number and a phone",
        "oh seven seven one and it's four one two five five five oh one six three",
    )
    assert found == [
        (E.US_SSN, "oh seven seven one"),
        (E.PHONE_NUMBER, "four one two five five five oh one six three"),
    ]


def test_an_amex_code_named_right_before_it(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:first i need the last four of the social on the lease",
        "eight one one six",
        "a:thanks that matches how are you paying",
        "amex three seven oh four three five two oh five six one seven four eight three"
        " expiring ten twenty nine and the code's five five oh two",
    )
    assert found[-1] == (E.CVV, "five five oh two")


@pytest.mark.parametrize(
    ("said", "prompt", "last"),
    [
        # "the three digits" after a card's expiry
        (
            "visa four six six six one seven six oh three one three seven two one five nine"
            " it expires oh four thirty n the three digits r seven forty one",
            "",
            (E.CVV, "seven forty one"),
        ),
        # a routing number broken off and given again whole
        (
            "june fifth nineteen forty two and oh three one one and her routing is two two one"
            " oh four no sorry that's her old bank it's three one nine seven two five one oh two",
            "i can refund her bank can you confirm her birthday and the last four digits of"
            " her social",
            (E.BANK_ROUTING, "three one nine seven two five one oh two"),
        ),
    ],
    ids=["three-digits", "routing-restarted"],
)
def test_the_number_a_line_ends_with(
    detector: PiiDetector, said: str, prompt: str, last: tuple[EntityType, str]
) -> None:
    assert typed(detector, said, prompt=prompt)[-1] == last


def test_a_phone_said_before_a_mailbox(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "cell is ate one six triple five oh one seven two n r talbot at harbor freight dot com",
    )
    assert (E.PHONE_NUMBER, "ate one six triple five oh one seven two") in found
    assert not any(kind == E.EMAIL_ADDRESS and "ate" in text for kind, text in found)


def test_a_reference_written_with_its_letters(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "Visa 4666 1760 3137 2159, exp 04/30, CVV 771.",
        "a:Approved. Your booking is KP-4471, and we set up two days before.",
    )
    assert found == []
