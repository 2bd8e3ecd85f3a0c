"""A firm an agent answers or calls as ("this is Rootline Ancestry Research") is no
person; a nickname after "everyone calls me", the name asked after "is this", and a
given name said before where one works are people; "may have been" names no one. And
the numbers: a phone asked for "in case" something happens, a card's expiry after "exp"
and its month, or alone on the line after the card, and a code said after "lockbox"."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType

# A card number that passes the Luhn check, said digit by digit.
_CARD = "four six six six one seven six oh three one three seven two one five nine"


@pytest.mark.parametrize(
    ("greeting", "names"),
    [
        (
            "Hi, this is Rootline Ancestry Research. Am I speaking with Nouf Shehri?",
            ["Nouf Shehri"],
        ),
        ("Yes, this is Crestview Admissions Advising. The full package is $3,200.", []),
        ("sorry bout that this is kinfolk trail research billing whats the name on the acct", []),
        # people stay people, however many words their names have
        ("Hi, this is Dana Kim. Is this Ravi?", ["Dana Kim", "Ravi"]),
        ("this is Maria Lopez Garcia", ["Maria Lopez Garcia"]),
        (
            "this is desmond achterberg junior calling about your mother",
            ["desmond achterberg junior"],
        ),
        ("hey this is chidi ezeani owner operator truck forty two", ["chidi ezeani"]),
    ],
)
def test_a_firm_after_this_is_is_no_person(
    detector: PiiDetector, greeting: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, "a:" + greeting)
    assert names_in(found) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("hey it's rastislav oravec but everyone calls me rusty", ["rastislav oravec", "rusty"]),
        (
            "his name was stanislaw wisniewski but everyone called him stan",
            ["stanislaw wisniewski", "stan"],
        ),
        ("hi its winsome pinnock everybody calls me sugar", ["winsome pinnock", "sugar"]),
        ("they call me when its ready", []),
        ("hi is this ondrej this is yaritza from clearpath payroll", ["ondrej", "yaritza"]),
        ("hi is this jabari it's joy at rosewood bench instrument repair", ["jabari", "joy"]),
        ("is this the billing department", []),
        ("its cold at night", []),
        ("My birth mother's surname may have been Rasmussen.", ["Rasmussen"]),
    ],
)
def test_nicknames_and_names_asked_or_given(
    detector: PiiDetector, line: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


def test_a_phone_asked_for_in_case_something_happens(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:perfect and a cell number in case the weather cancels the flight",
        "seven nine nine dash five five five dash oh one oh one",
    )
    assert found == [(E.PHONE_NUMBER, "seven nine nine dash five five five dash oh one oh one")]


def test_a_case_number_is_still_no_pii(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:whats the case number", "its four four one two three")
    assert found == []


def test_an_expiry_after_exp_and_its_month(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:the card on file expired can i get a new one its thirty four dollars a month",
        f"k visa {_CARD} exp april twenty six five one eight",
    )
    assert found == [
        (E.CREDIT_CARD, _CARD),
        (E.EXPIRY, "april twenty six"),
        (E.CVV, "five one eight"),
    ]


def test_an_expiry_alone_on_the_line_after_the_card(detector: PiiDetector) -> None:
    half = _CARD.split()
    *_, found = said_in_turn(
        detector,
        "a:alright what digits are on the front of the card",
        " ".join(half[:8]),
        " ".join(half[8:]),
        "a:and when does it run out",
        "eleven twenty six",
    )
    assert found == [(E.EXPIRY, "eleven twenty six")]


def test_a_code_after_lockbox(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:and the lockbox code", "lockbox too fore too three")
    assert found == [(E.PIN, "too fore too three")]
