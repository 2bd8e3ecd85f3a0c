"""The day someone died is not their birth date; a question asked after a number in the
same line asks for what comes next; a ticket opened with the social is not what the
social's digits are; an order spoken of long before a phone number does not make it an
order number; an amount paid is an amount; "december twenty twenty nine" is a month and
year."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_death_date_beside_a_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what should the stone read",
        "born september fifteenth nineteen forty three passed march ninth twenty twenty four",
    )
    assert found == [(E.DATE_OF_BIRTH, "september fifteenth nineteen forty three")]
    *_, died = said_in_turn(
        detector,
        "a:and the dates",
        "She was born May 2, 1938 and died June 30, 2025.",
    )
    assert died == [(E.DATE_OF_BIRTH, "May 2, 1938")]


def test_a_time_before_a_question_for_the_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "can the doctor see me this week",
        "a:he has tuesday at ten fifteen what's your name and date of birth",
    )
    assert found == []


def test_the_last_four_asked_to_open_a_ticket(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:thx n the last fore of his social to open a repair ticket",
        "oh five tree tree",
    )
    assert found == [(E.US_SSN, "oh five tree tree")]


def test_a_ticket_number_asked_for_is_still_no_social(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i have your social on file, what's the ticket number",
        "oh five three three",
    )
    assert found == []


def test_a_phone_said_long_after_an_order_is_spoken_of(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:boomtown fireworks outlet whatcha need",
        "hey i wanna order the finale crate n fore of the rocket packs for pickup under"
        " nine oh six five five five oh won oh five",
    )
    assert found == [(E.PHONE_NUMBER, "nine oh six five five five oh won oh five")]
    *_, order = said_in_turn(
        detector, "a:and the order number", "nine oh six five five five oh one oh five"
    )
    assert order == []


def test_an_amount_paid_after_the_last_four(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:last four of your social",
        "four two six one and i'll pay the eleven hundred forty with visa",
    )
    assert found == [(E.US_SSN, "four two six one")]


def test_a_month_and_a_year_of_this_century(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:thanks the expiry and cvc and your first lesson is with dana on the training hill"
        " the gate code there is six four nine three seven three oh",
        "december twenty twenty nine code five one two",
    )
    assert all(kind != E.DATE_OF_BIRTH for kind, _ in found)
    assert " ".join(text for _, text in found).startswith("december twenty twenty nine")
    *_, carded = said_in_turn(detector, "a:and the card's expiry", "december twenty twenty nine")
    assert carded == [(E.EXPIRY, "december twenty twenty nine")]
    *_, wedding = said_in_turn(detector, "a:when's the wedding", "december twenty twenty nine")
    assert wedding == []
