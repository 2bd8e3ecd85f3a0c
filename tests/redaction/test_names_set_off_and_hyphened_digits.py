"""Names set off by what the person is or by what they are called ("our maintenance guy,
Scrappy, at ...", "that's my old nickname, Pancake."), a party named after "was", an
agent's name after the firm's with no "this is" ("... houseboat rentals sundae
rajaonarison"), and "oh" written into a hyphened number ("oh-four-six")."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_turn

E = EntityType


def test_a_name_set_off_by_commas_after_what_the_person_is(detector: PiiDetector) -> None:
    said = "If the gate sticks, call our caretaker, Turnip, at the barn."
    assert people(detector, said) == ["Turnip"]
    assert people(detector, "hey guy, what's up with my order") == []


def test_a_nickname_named_so(detector: PiiDetector) -> None:
    said = "Sign it from me, that's my old nickname, Waffle."
    assert people(detector, said) == ["Waffle"]


def test_a_nickname_explained_before_it_is_named(detector: PiiDetector) -> None:
    said = "that's yoyo like the toy it's what the crew calls me"
    assert people(detector, said) == ["yoyo"]


def test_a_party_named_after_was(detector: PiiDetector) -> None:
    assert people(detector, "n the buyer was tandi mokoena") == ["tandi mokoena"]


def test_an_agent_named_after_the_firm_with_no_this_is(detector: PiiDetector) -> None:
    said = "lakeshore pontoon rentals widget ramanantsoa"
    *_, answer = said_in_turn(detector, "a:" + said)
    assert answer == [(E.PERSON, "widget ramanantsoa")]


def test_oh_hyphened_into_a_number_is_its_zero(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:And the routing number on the check?",
        "It's oh-seven-one, nine-two-one, eight-two-oh.",
    )
    assert answer == [(E.BANK_ROUTING, "oh-seven-one, nine-two-one, eight-two-oh")]
