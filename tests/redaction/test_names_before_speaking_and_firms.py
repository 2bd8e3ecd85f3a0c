"""A name said right before "speaking" or "born" is whole, its first word a word or not;
buildings, lofts and firms of partners are no one; a caller ringing from a town names a
place; Medicaid is a programme."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("windward sail loft tulip wamytan speaking", "tulip wamytan"),
        ("scorch club hot sauce vine sabenorio speaking", "vine sabenorio"),
    ],
)
def test_an_agents_word_name_before_speaking(detector: PiiDetector, line: str, name: str) -> None:
    *_, found = said_in_turn(detector, f"a:{line}")
    assert found == [(E.PERSON, name)]


def test_a_name_before_born(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what should the marker read",
        "orchid vongsa born september fourteenth nineteen forty one",
    )
    assert found == [
        (E.PERSON, "orchid vongsa"),
        (E.DATE_OF_BIRTH, "september fourteenth nineteen forty one"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Hi, I manage Halvorsen Tower. We need the full exterior done.",
        "hi i manage the verona apartments on lake street",
        "Hello, I'm ringing from Manchester about the plaque.",
    ],
)
def test_buildings_and_towns_are_no_one(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "a:how can i help", line)
    assert found == []


@pytest.mark.parametrize(
    "line", ["ortega and wells sail loft how can i help", "Pike and Tanner Sail Loft."]
)
def test_a_firm_of_partners(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, f"a:{line}")
    assert found == []


def test_a_person_and_the_power_of_attorney(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:are you on the account",
        "i'm her son my mom is evangeline rusk and the power of attorney was filed",
    )
    assert found == [(E.PERSON, "evangeline rusk")]


def test_medicaid_and_the_marina_are_no_one(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "Can you check my coverage?",
        "a:Your date of birth and your full Social, since it's Medicaid?",
    )
    assert found == []
    *_, gate = said_in_turn(
        detector, "how do i get in", "a:The marina gate code is 8 9 9 1 0, then the pound key."
    )
    assert gate == [(E.PIN, "8 9 9 1 0")]
