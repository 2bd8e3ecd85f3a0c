"""An address given in answer to an address question (or after "my address is") is one
finding from the house number to the end of the sentence, street suffix or not; a state
followed by a ZIP code is part of an address whatever was asked."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


def test_a_leading_number_stays_its_own_finding(detector: PiiDetector) -> None:
    text = "737 4202 Maple Tree, Trinity Field, Illinois, 62704."
    found = typed(detector, text, "What is the billing address?")
    assert (E.ADDRESS, "4202 Maple Tree, Trinity Field, Illinois, 62704") in found
    covered = {
        i
        for f in detector.detect(text, prompt="What is the billing address?")
        for i in range(f.start, f.end)
    }
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        (
            "and where do you live?",
            "sure, it's 18 Cobble Hill, Brookside, Ohio 43004",
            "18 Cobble Hill, Brookside, Ohio 43004",
        ),
        (
            "what's the mailing address",
            "4202 maple tree trinity field illinois 62704 thank you",
            "4202 maple tree trinity field illinois 62704",
        ),
        ("where should we ship it? the shipping address?", "it's 12 Birch Grove", "12 Birch Grove"),
        (
            "",
            "ship to 99 Quarry Bend apt 4, Dayton OH 45402. Thanks!",
            "99 Quarry Bend apt 4, Dayton OH 45402",
        ),
        (
            "",
            "my home address is nine oh one Willow Hollow, Fairview Heights",
            "nine oh one Willow Hollow, Fairview Heights",
        ),
        (
            "what's the service address on file",
            "um 3 9 Orchard Rise in boise idaho",
            "3 9 Orchard Rise in boise idaho",
        ),
    ],
)
def test_an_answered_address_runs_to_the_end_of_the_sentence(
    detector: PiiDetector, prompt: str, text: str, span: str
) -> None:
    assert typed(detector, text, prompt) == [(E.ADDRESS, span)]


def test_the_address_stops_before_what_comes_next(detector: PiiDetector) -> None:
    prompt = "what's the shipping address?"
    text = (
        "uh four twenty two Larkspur Hollow, Fairview, TX 7 5 0 6 9, and the phone is 214 555 0100"
    )
    assert typed(detector, text, prompt) == [
        (E.ADDRESS, "four twenty two Larkspur Hollow, Fairview, TX 7 5 0 6 9"),
        (E.PHONE_NUMBER, "214 555 0100"),
    ]
    text = "my mailing address is 56 cherry lane, not the house"
    assert typed(detector, text) == [(E.ADDRESS, "56 cherry lane")]


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("what's your address?", "I have 3 kids and 2 dogs"),
        ("what's the billing address?", "the plan is 45 dollars"),
        ("what's the shipping address?", "it's 2 orders, both late"),
        ("where do you live?", "give me 5 minutes please"),
        ("what's the billing address?", "it's the same as the Premium 500 plan"),
        ("what seems to be the problem?", "I paid 12 Maple Leaf tickets"),
    ],
)
def test_harmless_numbers_after_an_address_question_stay(
    detector: PiiDetector, prompt: str, text: str
) -> None:
    assert [t for t, _ in typed(detector, text, prompt)] == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("we're in Springfield, Illinois 62704 now", "Springfield, Illinois 62704"),
        ("i'm in tampa florida 3 3 6 0 2 these days", "tampa florida 3 3 6 0 2"),
        ("Boise, ID 83702-1234, yes", "Boise, ID 83702-1234"),
        ("it's Texas, 75001", "Texas, 75001"),
        ("Dayton OH 45402", "Dayton OH 45402"),
    ],
)
def test_a_state_and_zip_code_are_an_address_anywhere(
    detector: PiiDetector, text: str, span: str
) -> None:
    assert typed(detector, text) == [(E.ADDRESS, span)]


def test_a_state_code_that_is_a_word_needs_a_city(detector: PiiDetector) -> None:
    assert all(t != E.ADDRESS for t, _ in typed(detector, "OK 12345 is my pin"))
    assert typed(detector, "we have 3 stores in Texas and 2 in Ohio") == []


@pytest.mark.parametrize(
    ("prompt", "text", "expected"),
    [
        (
            "what's the property address?",
            "um forty two eighteen",
            [(E.ADDRESS, "forty two eighteen")],
        ),
        ("and the street address?", "8810.", [(E.ADDRESS, "8810")]),
        ("how many bedrooms at that address?", "uh three", []),
        ("how much is the deposit on that address?", "its 500", []),
    ],
)
def test_a_house_number_said_alone_answers_an_address_question(
    detector: PiiDetector, prompt: str, text: str, expected: list[tuple[EntityType, str]]
) -> None:
    # the street follows on the next line; a count or an amount is no house number
    assert typed(detector, text, prompt) == expected
