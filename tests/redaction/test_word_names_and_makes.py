"""People named where a word could stand: read off a badge, as a sentence's subject who
was born, by a short or a role-placed surname, as a word-name before a rare surname, by
the same surname after "and", after a role with an adverb-like ending, as hyphenated
syllables, before a modal; after a lower-case title, the surname alone. And what is no
person: a make after "a", a plan after its name, an orchestra, a school, "Full name",
"dr" after a street (Drive), a person after "n" that ends an address."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("The tech's badge said Marsh. Nice guy, very careful.", ["Marsh"]),
        ("Ilinca was born March 2nd, 2009.", ["Ilinca"]),
        ("and the reservation should be under minh vu", ["minh vu"]),
        ("a:no worries anjali hale is ur installer confirm the gate code", ["anjali hale"]),
        (
            "a:i found the membership under clay lindgren how would you like to pay",
            ["clay lindgren"],
        ),
        (
            "a:and that's under margarethe frost and lukas frost correct",
            ["margarethe frost", "lukas frost"],
        ),
        ("oh and my husband birch might answer the door", ["birch"]),
        ("ok and my wife jaylen will be home", ["jaylen"]),
        ("a:yup driver keshly moreau dropped it off", ["keshly moreau"]),
        ("hi this is hye-won i'm calling about the karaoke room", ["hye-won"]),
        ("a:thanks mrs adeyemi season members get early booking", ["adeyemi"]),
        ("a:got it and the client is mrs prudence hill at the lake house", ["prudence hill"]),
        ("a:thank you mister ashworth autopay starts on the first", ["ashworth"]),
        ("a:thank you mister mc cabe and a good callback number", ["mc cabe"]),
    ],
)
def test_names_a_word_could_stand_for(detector: PiiDetector, line: str, names: list[str]) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


@pytest.mark.parametrize(
    "line",
    [
        "a:Lakeshore Philharmonic box office, how can I help?",
        "Hi, it's from Maplewood Elementary, we need 30 tickets.",
        "a:We can set that up today. Full name and date of birth?",
        "I sent in two paring knives and a Global chef's knife last week.",
        "Hi, we have the Voyager family membership and want to upgrade.",
        "I'd like to renew our Sunday Classics subscription, same seats.",
        "a:the driver technician rescheduled it for thursday",
    ],
)
def test_no_person_is_named(detector: PiiDetector, line: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == []


def test_a_persons_plan_is_still_theirs(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "Sunita's plan is the gold one.")
    assert names_in(found) == ["Sunita"]


def test_dr_after_a_street_is_drive(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:whats the address n how do we get in",
        "forty one ten maple dr okemos michigan n the side gate code is won too ate ate",
    )
    assert names_in(found) == []
    assert (E.ADDRESS, "forty one ten maple dr okemos michigan") in found


def test_a_person_after_n_ends_the_address(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:k whats the delivery address",
        "twenty won oh six harbor st savannah n foreman dario lemos will sign",
    )
    assert (E.ADDRESS, "twenty won oh six harbor st savannah") in found
    assert names_in(found) == ["dario lemos"]
