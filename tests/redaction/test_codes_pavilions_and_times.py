"""A long code said in one breath after "code is", a card's code written after its
expiry, a pavilion inside an address, a birth year said in words before the month, a
digit said before "triple", a deductible, and a time said after "by"."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_locker_code_of_seven_digits(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "is my board done",
        "a:its done its in locker nine n the code is fore five nine ate five ate too",
    )
    assert found == [(E.PIN, "fore five nine ate five ate too")]


def test_a_code_over_two_lines_after_a_card_stays_the_cards(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and the month and year it expires",
        "March of 2030",
        "a:and the little code",
        "3 0 4",
    )
    assert found == [(E.CVV, "3 0 4")]


def test_a_written_code_after_the_expiry(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Amex is fine. Go ahead.",
        "3782 822463 10005, expiration 05/32, and the code is 8949.",
    )
    assert (E.CVV, "8949") in found


def test_a_pavilion_inside_an_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:And where's the party?",
        "Yes, 815 Lodge Road, Pavilion 3, Maple Heights, Ohio 44137.",
    )
    assert found == [(E.ADDRESS, "815 Lodge Road, Pavilion 3, Maple Heights, Ohio 44137")]


def test_a_birth_year_in_words_before_the_month(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:And your date of birth?", "Nineteen sixty-eight, August 22nd."
    )
    assert found == [(E.DATE_OF_BIRTH, "Nineteen sixty-eight, August 22nd")]


def test_a_digit_before_triple(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:card expiry and cvv", "expires oct thirty too cvv too triple ate"
    )
    assert (E.CVV, "too triple ate") in found


def test_a_deductible_and_a_time_of_arrival(detector: PiiDetector) -> None:
    *_, deductible = said_in_turn(
        detector,
        "a:last four of the policyholder's social",
        "six six one two",
        "a:thanks rear glass is fore eighty parts n labor n ur deductible is a hundred",
    )
    assert deductible == []
    *_, arrival = said_in_turn(
        detector,
        "a:and the card's expiry",
        "oh nine twenty eight",
        "a:got it hell be there by ten thirty n a cell for the driver",
    )
    assert arrival == []
