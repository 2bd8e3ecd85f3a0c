"""Names said with little around them: a surname after a given name whatever follows it,
a name addressed before thanks, a name read back after "ur name", a crew lead, whose
name a record is under, "<name> here" and who the caller is, a short surname spelled, a
colleague named as a sentence's subject; an everyday word once said as a name, addressed
again later in the call. And what a name is not: the verb after it, "spelled wrong"."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType, Finding
from redaction.recurring import REPEAT_SCORE, CallNames
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # a surname the census lists ends the name whatever follows it
        ("hey this rogelio castellanos truck forty i need direct deposit", "rogelio castellanos"),
        # ... and any rare one before "n", a chat word or a tag question
        ("a:k name bilal anand right", "bilal anand"),
        ("a:k fixed ikaika bajwa ull get a email", "ikaika bajwa"),
        # addressed before thanks
        ("a:got it kobina thx", "kobina"),
        # read back after the e-mail that held it
        (
            "a:so thats oyelaran adebisi at gmail dot com n ur name oyelaran adebisi",
            "oyelaran adebisi",
        ),
        # a lead named, and whose name an account is under
        ("the site lead is ravshan they get there at eight", "ravshan"),
        (
            "please put the dog walking invoices on autopay the account's under river sparrow",
            "river sparrow",
        ),
        # "<name> here" and then who the caller is
        ("hey rich temple here captain of the neon ninjas", "rich temple"),
    ],
)
def test_a_name_said_in_passing_is_found_whole(detector: PiiDetector, line: str, name: str) -> None:
    *_, found = said_in_turn(detector, line)
    assert name in names_in(found)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # a colleague, as the subject of what they will do: no cue, no list, only the
        # capital and a word English rarely uses
        ("He is. Sorin can cover this week.", ["Sorin"]),
        ("I'll update the card. Should Teodor text you when he's on his way?", ["Teodor"]),
        ("Wojciech usually walks our lab at noon.", ["Wojciech"]),
        # a firm's coined word is no name: English text never uses it
        ("Brightlane will email the invoice tonight.", []),
    ],
)
def test_a_colleague_named_as_the_subject_is_a_name(
    detector: PiiDetector, line: str, names: list[str]
) -> None:
    *_, found = said_in_turn(
        detector, "a:Pawtrail walkers, how can I help?", "hi its about this week", "a:" + line
    )
    assert names_in(found) == names


def test_a_short_surname_spelled_after_it_is_a_name(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "pierce vo that's p i e r c e and vo is v o")
    assert {"vo", "v o"} <= set(names_in(found))


def test_an_everyday_word_said_as_a_name_is_found_again_where_addressed(
    detector: PiiDetector,
) -> None:
    intro, greeted, passing = said_in_turn(
        detector,
        "a:anvil and rasp farriers good morning this is sage",
        "hi sage my mare threw a shoe",
        "a:the sage green halter is on sale too",
    )
    assert names_in(intro) == ["sage"]
    assert names_in(greeted) == ["sage"]
    assert names_in(passing) == []  # said again, but not to anyone


def test_the_callers_everyday_name_is_found_again_when_the_agent_greets_them(
    detector: PiiDetector,
) -> None:
    *_, again = said_in_turn(
        detector,
        "a:blacklight laser arena leagues",
        "hey rich temple here captain of the neon ninjas",
        "a:hi rich the season fee is two forty",
    )
    assert names_in(again) == ["rich"]


def test_an_everyday_word_guessed_as_a_name_is_not_looked_for_again() -> None:
    """Only a sure finding (an introduction, a name asked for) is looked for again where
    addressed: a weak guess would spread an everyday word through the call."""
    guessed = CallNames()
    guessed.add("hey sky here", [Finding(E.PERSON, 4, 7, 0.6)])
    assert guessed.said_again("hi sky the order shipped", []) == []
    introduced = CallNames()
    introduced.add("this is sky", [Finding(E.PERSON, 8, 11, 0.75)])
    assert introduced.said_again("hi sky the order shipped", []) == [
        Finding(E.PERSON, 3, 6, REPEAT_SCORE)
    ]
    assert introduced.said_again("the sky is clear", []) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("my vet doctor violet ward wants corrective shoes on him", "violet ward"),
        ("My vet, Doctor Imelda Shaw said it was fine.", "Imelda Shaw"),
    ],
)
def test_a_name_ends_before_what_the_person_does(
    detector: PiiDetector, line: str, name: str
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == [name]


def test_what_is_said_of_a_name_is_no_name(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector, "we booked you for the twenty first and my fiance's name is spelled wrong"
    )
    assert names_in(found) == []


@pytest.mark.parametrize(
    "line",
    [
        "a:Thanks. Invoices will go to the office. Proofs usually take 3 days.",
        "a:Autopay will start with the March bill.",
        "a:Understood. Our lead installer will call you by 5.",
        "a:k ur name social n date a birth",
        "a:k n ur name n mailin address for the pass",
    ],
)
def test_a_subject_a_role_or_what_is_asked_next_is_no_name(
    detector: PiiDetector, line: str
) -> None:
    *_, found = said_in_turn(detector, "hi its about my order", line)
    assert names_in(found) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("the name's eun-ji ahn", "eun-ji ahn"),
        # what is asked next ends the name the agent reads back
        ("a:k tesfaye haile date a birth", "tesfaye haile"),
        # a hyphenated name's first part, where only the second was found
        ("a:lakeshore lighting hye-won speakin", "hye-won"),
    ],
)
def test_a_name_is_found_with_its_hyphen_and_without_the_next_question(
    detector: PiiDetector, line: str, name: str
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == [name]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "a:sorry bout that we can send him fri mornin same address won fore six juniper"
            " way in mesa right",
            [],
        ),
        (
            "This is Harjit Sandhu with Sandhu Glass and Mirror. I need to pay the invoice.",
            ["Harjit Sandhu"],
        ),
    ],
)
def test_a_day_and_a_firm_named_after_its_owner_are_no_names(
    detector: PiiDetector, line: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


@pytest.mark.parametrize(
    ("asked", "line", "names"),
    [
        # "thu" is a day in chat, and a given name too
        (
            "a:whats the name and address",
            "thu trang pham eleven oh five tamsen street",
            ["thu trang pham"],
        ),
        ("thanks can u pause my box", "a:got it paused til the twenty first", []),
        (
            "a:coatings line",
            "hey ironbloom payroll its tane whitlock from the blast booth",
            ["tane whitlock"],
        ),
    ],
)
def test_what_opens_a_line_is_a_name_only_when_it_can_be(
    detector: PiiDetector, asked: str, line: str, names: list[str]
) -> None:
    *_, found = said_in_turn(detector, asked, line)
    assert names_in(found) == names
