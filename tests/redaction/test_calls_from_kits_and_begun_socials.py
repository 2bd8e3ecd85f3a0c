"""The number a caller calls from, a social begun right after its name, an Amex's four
digit code, a code asked for between two lines, a ZIP that ends with its line, and a
test kit's or a deposit's number."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_the_number_a_caller_calls_from(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:route dispatch",
        "hey it's me on route six calling from eight five six five five five oh one three seven",
    )
    assert (E.PHONE_NUMBER, "eight five six five five five oh one three seven") in found


def test_a_social_begun_right_after_its_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:yes i need your social and your birth date for the w four",
        "social is nine five five seven one four",
    )
    assert found == [(E.US_SSN, "nine five five seven one four")]


def test_an_amex_code_called_the_four_digit(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card please",
        "amex three seven seven nine double two six seven five oh eight double four three"
        " eight exp oh three twenty seven n the four digit eight oh five four",
    )
    assert (E.CVV, "eight oh five four") in found


def test_a_code_asked_between_an_account_and_its_answer(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I'll need your routing and account numbers.",
        "Routing is 039328012, account 871-490-458.",
        "a:Thank you. The tech said the side gate was locked. Is there a code?",
        "Yeah, it's 4934, then the pound key.",
    )
    assert found == [(E.PIN, "4934")]


def test_a_zip_ends_with_its_line(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Who's the property owner on the permit?",
        "The address is Rural Route 3, Box 57, Otter Tail, Minnesota 56571.",
        "a:For the permit file I also need the last four of the owner's Social.",
        "8297. And call me at 966-555-0188 when the results are in.",
    )
    assert found == [(E.US_SSN, "8297"), (E.PHONE_NUMBER, "966-555-0188")]


def test_a_kit_number_and_a_deposit(detector: PiiDetector) -> None:
    *_, kit = said_in_turn(
        detector,
        "a:water lab",
        "i dropped off a well sample kit four four nine two and nobody called me back at"
        " five five six five five five oh one two three",
    )
    assert kit == [(E.PHONE_NUMBER, "five five six five five five oh one two three")]
    *_, deposit = said_in_turn(
        detector,
        "can i book the six am slot",
        "a:k the bait shed code is fore ate ate won fore won six deposit is won hundred",
    )
    assert deposit == [(E.PIN, "fore ate ate won fore won six")]
