"""Round 31: an expiry said in the same breath as the card and its code ("... six three oh
seven thirty too code seven nine fore ate"); a month, a year and the code run together
("exp july twenty six five twenty three"); a receipt's number; a social asked for as "the
full number"; a house number said wrong way round, then right."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.digit_dates import this_year
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType

# Two-digit years in words, "twenty nine" (the years an expiry is written with).
_TENS = {2: "twenty", 3: "thirty", 4: "forty"}
_UNITS = ",one,two,three,four,five,six,seven,eight,nine".split(",")

# An American Express test number, said digit by digit.
_AMEX = "three seven eight two eight two two four six three one oh oh oh five"


def test_a_card_and_its_expiry_in_one_breath_then_its_code(detector: PiiDetector) -> None:
    found = typed(detector, f"amex {_AMEX} oh six thirty one code four four one two")
    assert found == [
        (E.CREDIT_CARD, _AMEX),
        (E.EXPIRY, "oh six thirty one"),
        (E.CVV, "four four one two"),
    ]


def test_a_month_a_year_and_the_code_run_together(detector: PiiDetector) -> None:
    tens, unit = divmod((this_year() + 2) % 100, 10)
    year = _TENS[tens] + (f" {_UNITS[unit]}" if unit else "")
    found = typed(
        detector,
        "four one one one one one one one one one one one one one one one exp may"
        f" {year} six oh four",
    )
    assert (E.EXPIRY, f"may {year}") in found
    assert (E.CVV, "six oh four") in found


def test_the_receipt_number_is_still_no_phone_number(detector: PiiDetector) -> None:
    assert typed(detector, "the receipt number is four four one two nine eight") == []


def test_a_social_asked_for_as_the_full_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "they said you need my social before you can pay",
        "a:right we file a tax form so go ahead with the full number",
        "nine four one two two uh eight one seven six",
    )
    assert found == [(E.US_SSN, "nine four one two two uh eight one seven six")]


def test_a_house_number_said_wrong_way_round_then_right(detector: PiiDetector) -> None:
    found = typed(detector, "twelve oh six wait i flipped it twelve six oh birch st dayton ohio")
    assert found == [
        (E.ADDRESS, "twelve oh six"),
        (E.ADDRESS, "twelve six oh birch st dayton ohio"),
    ]
