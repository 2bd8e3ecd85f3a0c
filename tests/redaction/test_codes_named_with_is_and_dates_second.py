"""Round 35: a code named with "is" right after an address ("... georgia its gated code is
seven five five oh n watch out ..."); a lockout code named with when it holds ("this season
is ..."); a birth date said as a month, a day and a year after the social asked for first."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_a_code_is_named_right_after_the_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats the address for the drop off",
        "six ten larch ln boise idaho its gated code is three oh nine one n watch for the cat",
    )
    assert (E.ADDRESS, "six ten larch ln boise idaho") in found
    assert (E.PIN, "three oh nine one") in found


def test_a_lockout_code_for_the_season(detector: PiiDetector) -> None:
    found = typed(detector, "the pump house lockout code this season is two two seven one nine")
    assert found == [(E.PIN, "two two seven one nine")]


def test_a_season_pass_price_is_no_code(detector: PiiDetector) -> None:
    assert typed(detector, "the season pass this season is one forty nine") == []


def test_a_birth_date_after_the_social(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i need ur social n date of birth",
        "nine four four one two seven three oh six n eleven four eighty one",
    )
    assert found == [
        (E.US_SSN, "nine four four one two seven three oh six"),
        (E.DATE_OF_BIRTH, "eleven four eighty one"),
    ]


def test_the_last_four_then_the_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:last four of the social n ur birthday",
        "fifty one thirty two n six nine seventy",
    )
    assert found == [(E.US_SSN, "fifty one thirty two"), (E.DATE_OF_BIRTH, "six nine seventy")]
