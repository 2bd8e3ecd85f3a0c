"""Whom a caller greets before saying who calls, who answers before asking what is
needed, a particle inside a relative's name, a principal's surname, and a kite's make
that is no trainer's name."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_greeted_before_the_caller_says_who_calls(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:crane kite co", "hey juniper its aitor etxeberria i want a kite"
    )
    assert found == [(E.PERSON, "juniper"), (E.PERSON, "aitor etxeberria")]


@pytest.mark.parametrize("line", ["hi yea its me again", "hey there it's the balloon guy"])
def test_greeted_no_one(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "a:crane kite co", line)
    assert found == []


def test_who_answers_before_asking_what_is_needed(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:coral n crane kite co this is juniper whatcha need")
    assert found == [(E.PERSON, "juniper")]
    *_, desk = said_in_turn(detector, "a:coral n crane kite co this is billing how can i help")
    assert desk == []


def test_a_particle_inside_a_relatives_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:lakeside livery how can i help",
        "hi we need the hearse for my uncle hamza el din service is thursday",
    )
    assert found == [(E.PERSON, "hamza el din")]


def test_a_principal_and_a_trainer_kite(detector: PiiDetector) -> None:
    *_, principal = said_in_turn(
        detector, "a:who signs for the school", "principal kaneza and she's in tomorrow"
    )
    assert principal == [(E.PERSON, "kaneza")]
    *_, kite = said_in_turn(
        detector, "a:what can i do for you", "i ordered the twelve meter trainer kite"
    )
    assert kite == []


def test_instead_and_policyholder_are_no_one(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:where should the receipt go", "Send it to my sister instead, thanks."
    )
    assert found == []
    *_, asked = said_in_turn(detector, "I need to file a claim", "a:Okay. Policyholder name?")
    assert asked == []
