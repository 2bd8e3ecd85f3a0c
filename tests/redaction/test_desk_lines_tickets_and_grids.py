"""A phone given as a desk or office line; a name after "name's" or "the name on the
ticket is"; a firm whose capitalised name ends in a firm's word, or filed under one; a
cue word asked for is no name, a surname that is one still is; letters spelling a mail
site either party said; a grid address crosses ("South ... East"), so "n ... n" is
"and"; "n" before a verb is "and"; an Amex begun in its 4-6 groups."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("prompt", "line", "phone"),
    [
        (
            "got it and a direct line in case the producer has questions",
            "my desk is four seven three five five five oh one four four",
            "four seven three five five five oh one four four",
        ),
        (
            "where should we send it",
            "email it to me and if there's a problem call my office at three eight four five"
            " five five oh one nine four extension two twelve",
            "three eight four five five five oh one nine four",
        ),
    ],
)
def test_a_desk_or_office_line_is_a_phone(
    detector: PiiDetector, prompt: str, line: str, phone: str
) -> None:
    *_, found = said_in_turn(
        detector, "a:i need an email for the proof and the invoice", "a:" + prompt, line
    )
    assert (E.PHONE_NUMBER, phone) in found


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("i want a standing order for my goats name's bamidele adeyemi", ["bamidele adeyemi"]),
        ("and the name on the ticket is hale gitau", ["hale gitau"]),
        ("The account's under Pampas Legal Group.", []),
        ("The account's under Maria Garcia.", ["Maria Garcia"]),
        ("a:Hi, Kit? It's Balsam Hollow Tree Farm. Your trees are cut and baled.", ["Kit"]),
        ("a:Sure thing, this is Frostline Fir Farm deliveries.", []),
        ("a:I'll need to verify the account holder. Your name, Social and date of birth?", []),
        ("a:Thank you, Mr. Street. I've cancelled the dispatch.", ["Street"]),
        (
            "a:ok mister van der muelen services r on the first at eleven",
            ["van der muelen"],
        ),
        ("a:oh no we can send someone tmrw mornin how do they get in", []),
    ],
)
def test_names_firms_and_words_asked_for(
    detector: PiiDetector, line: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


def test_a_mail_site_spelled_after_the_agent_said_it(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "its lucia at gmx dot com",
        "a:so thats lucia at gmail dot com",
        "no g m x like the letters",
    )
    assert names_in(found) == []


def test_n_twice_after_numbers_is_and(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card n exp n code",
        "oh fore twenty nine n won three won n pickup is at ate ninety too calloway dr",
    )
    assert found == [
        (E.EXPIRY, "oh fore twenty nine"),
        (E.CVV, "won three won"),
        (E.ADDRESS, "ate ninety too calloway dr"),
    ]


def test_a_grid_address_still_crosses(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:whats the address", "its thirteen forty two south seven hundred east"
    )
    assert found == [(E.ADDRESS, "thirteen forty two south seven hundred east")]


def test_n_before_a_verb_is_and(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and the gate code",
        "yea the side gate code is seven ate six too n send the contract to me",
    )
    assert found == [(E.PIN, "seven ate six too")]


def test_an_amex_begun_in_its_groups(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:card number please", "It's an Amex, 3417 994496...")
    assert found == [(E.CREDIT_CARD, "3417 994496")]


def test_a_reference_in_four_and_six_is_no_card(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:and the card number?", "The claim is 2025-019443...")
    assert E.CREDIT_CARD not in [kind for kind, _ in found]
