"""A unit said before its house number ("apt too b twenty yeoman st", "Building C, 712
..."), a mailbox ending in digits heard as words ("rioflanker too tree at ..."), a name
given after "legal is" or asked after "is that", and a birth date's year said straight
into the next number asked for."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_turn, typed

E = EntityType


def test_a_unit_before_the_house_number_is_part_of_the_address(detector: PiiDetector) -> None:
    said = "ship to apt fore c sixty ate larkin st dayton ohio"
    assert typed(detector, said) == [(E.ADDRESS, "apt fore c sixty ate larkin st dayton ohio")]
    said = "It's Unit 9, 4410 Quarry Road, Boulder."
    assert typed(detector, said) == [(E.ADDRESS, "Unit 9, 4410 Quarry Road, Boulder")]
    said = "Deliver it to Building D, 300 Cannery Lane."
    assert typed(detector, said) == [(E.ADDRESS, "Building D, 300 Cannery Lane")]


def test_a_room_said_apart_from_the_address_stays_apart(detector: PiiDetector) -> None:
    said = "i'm in room 12 of the annex at 40 elm street"
    assert typed(detector, said) == [(E.ADDRESS, "40 elm street")]


def test_a_mailbox_ending_in_digits_heard_as_words(detector: PiiDetector) -> None:
    said = "n its tidewalker too tree at gmail dot com"
    assert typed(detector, said) == [(E.EMAIL_ADDRESS, "tidewalker too tree at gmail dot com")]


def test_an_okay_opening_the_line_is_no_part_of_the_mailbox(detector: PiiDetector) -> None:
    said = "k tidewalker too tree at gmail dot com n the class is at six"
    assert typed(detector, said) == [(E.EMAIL_ADDRESS, "tidewalker too tree at gmail dot com")]
    said = "email is jo underscore k seventy at outlook dot com"
    assert typed(detector, said) == [
        (E.EMAIL_ADDRESS, "jo underscore k seventy at outlook dot com")
    ]


def test_a_legal_name_after_a_nickname(detector: PiiDetector) -> None:
    said = "sprocket that's what the crew calls me but legal is anselm vukovich"
    assert "anselm vukovich" in people(detector, said)


def test_a_name_asked_after_is_that(detector: PiiDetector) -> None:
    assert people(detector, "one sec i see two accounts is that torin okonkwo") == ["torin okonkwo"]
    assert people(detector, "is that the right card") == []


def test_a_birth_year_said_straight_into_the_next_number(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:i need your date of birth and the last four of your social",
        "christmas eve eighty two and my number is four four oh one",
    )
    assert (E.DATE_OF_BIRTH, "christmas eve eighty two") in answer


def test_whom_a_parcel_is_for_is_no_street(detector: PiiDetector) -> None:
    said = (
        "ship it to forty two pike street dayton ohio four five four oh two"
        " attention soraya tavakoli"
    )
    assert typed(detector, said) == [
        (E.ADDRESS, "forty two pike street dayton ohio four five four oh two"),
        (E.PERSON, "soraya tavakoli"),
    ]


def test_a_name_said_before_its_mailbox_is_no_part_of_it(detector: PiiDetector) -> None:
    said = "tavita lomalagi tavita dot lomalagi at gmail dot com"
    assert typed(detector, said) == [
        (E.PERSON, "tavita lomalagi"),
        (E.EMAIL_ADDRESS, "tavita dot lomalagi at gmail dot com"),
    ]
