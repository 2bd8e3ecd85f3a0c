"""Word-names where only a person stands: thanks passed on or said as the line ends, a
doctor's or a captain's surname whatever else the word means, and someone who will meet
the caller or finished the work."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("And tell Peach thanks, she talked me into the camel.", "Peach"),
        ("nine six oh uh five five five oh won double seven n tell torch thanks", "torch"),
        ("yup thats it thx timber", "timber"),
    ],
)
def test_thanks_passed_on_or_said_last(detector: PiiDetector, line: str, name: str) -> None:
    *_, found = said_in_turn(detector, "a:anything else", line)
    assert (E.PERSON, name) in found


@pytest.mark.parametrize(
    "line", ["ok thanks again", "great thanks so much", "Oh, thank goodness.", "thx man"]
)
def test_thanks_to_no_one(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "a:you're all set", line)
    assert found == []


def test_titled_surnames_that_are_words(detector: PiiDetector) -> None:
    *_, doctor = said_in_turn(
        detector, "a:how can i help", "my upper plate cracked can dr pike see me this week"
    )
    assert doctor == [(E.PERSON, "pike")]
    *_, captain = said_in_turn(
        detector, "the boat ready?", "a:yep n captain oakes has her fueled up"
    )
    assert captain == [(E.PERSON, "oakes")]
    *_, skipper = said_in_turn(
        detector, "a:how can i help", "skipper north said u need my bank info"
    )
    assert skipper == [(E.PERSON, "north")]


def test_a_doctors_appointment_is_no_one(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:how can i help", "i have a dr appointment tomorrow")
    assert found == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Perfect. Tango will meet you at the launch at 7:30.", "Tango"),
        ("and nugget will meet you at slip eighteen", "nugget"),
        ("yes rook replaced the drawband and the platen", "rook"),
        ("Whit finished your Smith-Corona this morning.", "Whit"),
    ],
)
def test_someone_who_will_meet_you_or_did_the_work(
    detector: PiiDetector, line: str, name: str
) -> None:
    *_, found = said_in_turn(detector, "is it ready", f"a:{line}")
    assert (E.PERSON, name) in found


@pytest.mark.parametrize(
    "line", ["mulch will come tuesday", "the cake will call for more frosting"]
)
def test_things_that_will_come_are_no_one(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "a:anything else", line)
    assert found == []
