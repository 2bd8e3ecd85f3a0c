"""Names addressed before a clause a noisy recogniser wrote without its apostrophe ("ok
tobias youll get a text"), codes keyed in and then a key ("... then enter"), door and
buzzer codes asked for in other words, birth dates asked for in the plural as heard,
relatives named after "in law", and people named after their job; and the everyday
sentences those forms must not catch."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ok tobias youll get a text when its ready", "tobias"),
        ("thanks marisol ur all set for the eleventh", "marisol"),
        ("great oluwaseun itll arrive by monday", "oluwaseun"),
        ("perfect ingrid will call you back tomorrow", "ingrid"),
        ("alright benedetta im putting that through now", "benedetta"),
        ("Thanks Evander, you're all set.", "Evander"),
    ],
)
def test_a_name_addressed_before_a_clause_without_its_apostrophe(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "ok great youll get a text when its ready",
        "thanks so much ur all set for the eleventh",
        "ok sure itll be there monday",
        "alright perfect im putting that through now",
        "thanks again youre very kind",
        # a subject and its verb: a name only where the word is known as one
        "thanks refunds will go out friday",
        "thank you since hes under eighteen we need a letter",
    ],
)
def test_an_opener_before_such_a_clause_names_nobody(detector: PiiDetector, text: str) -> None:
    assert [found for found in typed(detector, text) if found[0] == E.PERSON] == []


@pytest.mark.parametrize(
    ("prompt", "answer", "expected"),
    [
        # digits keyed in, then a key: the last homophone is a digit, not "for then"
        ("and the alarm code", "six too six too then enter", "six too six too"),
        ("whats the keypad code for the shed", "nine ate for for then pound", "nine ate for for"),
        # the code asked for without the words "door code"
        ("is there a buzzer code", "fore nine nine won then the bell", "fore nine nine won"),
        ("Is there a code to get into the building?", "It's 4471.", "4471"),
        ("and the lobby code", "its too ate ate won", "too ate ate won"),
    ],
)
def test_a_code_keyed_in_at_a_door_is_a_pin(
    detector: PiiDetector, prompt: str, answer: str, expected: str
) -> None:
    assert (E.PIN, expected) in typed(detector, answer, prompt=prompt)


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("when can the crew come out", "thursday is fine ill wait for then"),
        ("anything else", "we paid for it and then some"),
    ],
)
def test_for_then_in_a_sentence_keys_in_nothing(
    detector: PiiDetector, prompt: str, answer: str
) -> None:
    assert typed(detector, answer, prompt=prompt) == []


def test_birth_dates_asked_for_in_the_plural_as_heard(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "mine is nine twelve sixty five and his is april ninth sixty ate",
        prompt="and date a births for both of you",
    )
    assert (E.DATE_OF_BIRTH, "nine twelve sixty five") in found
    assert (E.DATE_OF_BIRTH, "april ninth sixty ate") in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my father in law desmond achterberg is the cosigner", "desmond achterberg"),
        ("Leave it with the concierge, Bartholomew.", "Bartholomew"),
        ("Our superintendent, Mirela Kostadinova, has the keys.", "Mirela Kostadinova"),
    ],
)
def test_a_relative_in_law_or_a_person_named_after_their_job(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, text)


def test_an_in_law_who_is_not_named(detector: PiiDetector) -> None:
    assert typed(detector, "my mother in law is visiting next week") == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        # a provider's domain ends with whatever its ending was heard as
        ("its marguerite dot oyelaran at aol dot calm", "marguerite dot oyelaran at aol dot calm"),
        # a domain said as three words
        (
            "his email is d okafor at riverside dental group dot com",
            "d okafor at riverside dental group dot com",
        ),
    ],
)
def test_a_mailbox_heard_loosely(detector: PiiDetector, text: str, email: str) -> None:
    assert (E.EMAIL_ADDRESS, email) in typed(detector, text)


def test_at_a_place_followed_by_dot_is_no_mailbox(detector: PiiDetector) -> None:
    assert typed(detector, "we met at the front desk dot then left") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "The names are Priscilla Oduya and Lars Hellqvist.",
            ["Priscilla Oduya", "Lars Hellqvist"],
        ),
        ("the card should say in memory of ambrose kettering", ["ambrose kettering"]),
        ("put it under my maiden name rosalind achebe", ["rosalind achebe"]),
        ("It ships Friday. Henrike in shipping will email you the tracking.", ["Henrike"]),
        ("ok ask for tomasz in billing", ["tomasz"]),
    ],
)
def test_people_named_by_a_phrase_or_their_department(
    detector: PiiDetector, text: str, names: list[str]
) -> None:
    found = typed(detector, text)
    assert all((E.PERSON, name) in found for name in names), found


@pytest.mark.parametrize(
    "text",
    [
        "in memory of grandpa",
        "someone in billing will call you",
        "i worked in sales for years",
        "the names are on the list",
        "To my mechanic, Delgado Auto on Sierra Street.",
        "for the check i need your full legal name date of birth and social",
        "there's a realtor lockbox on the front door",
    ],
)
def test_no_one_is_named_there(detector: PiiDetector, text: str) -> None:
    assert [found for found in typed(detector, text) if found[0] == E.PERSON] == []
