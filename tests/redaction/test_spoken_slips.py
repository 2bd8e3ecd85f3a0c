"""Answers as a recogniser writes them on a noisy line: the question misheard ("date a
birth"), digits as homophones between other numbers, pauses inside an address or a date,
an expiry and its code asked for together, names taken back and said again, names after
"<party> is", after "calls me", in a greeting ending "speakin", after a number and
"and its"; and the everyday sentences those forms must not catch."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import typed

E = EntityType


@pytest.mark.parametrize(
    ("prompt", "answer", "expected"),
    [
        # the question as recognisers write it
        ("i need ur date a birth", "fore fifteen eighty six", "fore fifteen eighty six"),
        # "too" between two numbers, or a month and a year, is the digit
        ("and his date of birth", "ten too nineteen ninety nine", "ten too nineteen ninety nine"),
        (
            "date of birth please",
            "june too nineteen seventy nine",
            "june too nineteen seventy nine",
        ),
        ("date of birth please", "june to nineteen seventy nine", "june to nineteen seventy nine"),
        # a pause between the month and the day
        ("and your date of birth", "march uh ninth ninety two", "march uh ninth ninety two"),
        ("your birthday", "june uh fifth um nineteen eighty", "june uh fifth um nineteen eighty"),
    ],
)
def test_a_birth_date_said_on_a_noisy_line(
    detector: PiiDetector, prompt: str, answer: str, expected: str
) -> None:
    assert (E.DATE_OF_BIRTH, expected) in typed(detector, answer, prompt=prompt)


@pytest.mark.parametrize(
    "text", ["i was there from ten to twenty years", "it costs ten too many", "from may to june"]
)
def test_to_between_numbers_stays_a_word(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text, prompt="how long have you been a customer") == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "fourteen twelve uh beacon street apartment too f brookline",
            "fourteen twelve uh beacon street apartment too f brookline",
        ),
        (
            "won twenty too um maple street apartment too dover delaware",
            "won twenty too um maple street apartment too dover delaware",
        ),
        ("its twenty for oh uh grand view boulevard", "twenty for oh uh grand view boulevard"),
    ],
)
def test_an_address_with_a_pause_or_a_town_after_the_unit(
    detector: PiiDetector, answer: str, expected: str
) -> None:
    assert typed(detector, answer, prompt="and the address") == [(E.ADDRESS, expected)]


def test_a_word_after_a_unit_is_no_town(detector: PiiDetector) -> None:
    text = "twelve oak street apartment 4 tomorrow is fine"
    assert typed(detector, text, prompt="and the address") == [
        (E.ADDRESS, "twelve oak street apartment 4")
    ]


@pytest.mark.parametrize(
    ("prompt", "answer", "expiry", "code"),
    [
        (
            "expiration and the three digit",
            "oh won thirty for ate won",
            "oh won thirty",
            "for ate won",
        ),
        (
            "and expiration and security",
            "ten twenty ate too too seven",
            "ten twenty ate",
            "too too seven",
        ),
    ],
)
def test_an_expiry_and_code_asked_for_together(
    detector: PiiDetector, prompt: str, answer: str, expiry: str, code: str
) -> None:
    assert typed(detector, answer, prompt=prompt) == [(E.EXPIRY, expiry), (E.CVV, code)]


def test_a_three_digit_number_elsewhere_is_no_code(detector: PiiDetector) -> None:
    prompt = "it's a three digit number on the side of the box"
    assert typed(detector, "ok its four five one", prompt=prompt) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("straight a driving kaylee speakin", "kaylee"),
        ("hearth and home chimney eamon speaking", "eamon"),
        ("city tow mikey speakin", "mikey"),
    ],
)
def test_an_agent_named_after_a_company_that_joins_words(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert typed(detector, text) == [(E.PERSON, name)]


@pytest.mark.parametrize("text", ["and the person speaking", "well and the guy speaking"])
def test_speaking_after_no_company_names_no_one(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("it's mrs pruitt she's in eighty one b", "pruitt"),
        ("ok miss farrow for the proceeds wire", "farrow"),
        ("great the buyer is helena march and her email is", "helena march"),
        ("the defendant is dashawn pettiway", "dashawn pettiway"),
        ("wilhelmina stroud but everybody calls me billie", "billie"),
    ],
)
def test_a_name_after_a_title_a_party_or_a_nickname(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "the tenant is moving out",
        "the contact is no longer valid",
        "can you call me tomorrow",
        "ok miss you have to sign",
    ],
)
def test_parties_and_calls_without_a_name(detector: PiiDetector, text: str) -> None:
    assert [t for t, _ in typed(detector, text)] == []


@pytest.mark.parametrize(
    ("prompt", "answer", "name"),
    [
        (
            "and a phone and ur name",
            "five five five oh won three ate and its birgitta lund",
            "birgitta lund",
        ),
        ("your name and number", "5551234 and its kelsey ortiz", "kelsey ortiz"),
        (
            "and who's the listing agent",
            "bev kowalski at four one nine five five five oh one five five",
            "bev kowalski",
        ),
    ],
)
def test_a_name_given_with_a_number_in_one_answer(
    detector: PiiDetector, prompt: str, answer: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, answer, prompt=prompt)


def test_and_its_before_a_description_is_no_name(detector: PiiDetector) -> None:
    assert typed(detector, "5551234 and its broken", prompt="your name and number") == [
        (E.PHONE_NUMBER, "5551234")
    ]


def test_a_name_taken_back_and_said_again(detector: PiiDetector) -> None:
    found = typed(detector, "fine its under ruth no ruthanne gallagher", prompt="whats the name")
    assert (E.PERSON, "ruthanne gallagher") in found
    # "no" takes the first name back; it is no part of it
    assert [s for t, s in typed(detector, "its john no johnny is my brother")] == [
        "john",
        "johnny",
    ]


def test_a_form_number_is_no_social(detector: PiiDetector) -> None:
    assert typed(detector, "And the last four of your Social for the 1099-S?") == []


def test_a_new_question_starts_a_new_number(detector: PiiDetector) -> None:
    """A number that seems to go on from the caller's previous line answers the question
    asked in between, when it asks for another kind; without one it goes on."""
    before = ("Sure. Routing 125856566, account 4470 2381 95.",)
    prompt = "And the last four of your Social for the 1099-S?"
    assert typed(detector, "6031.", before=before, prompt=prompt) == [(E.US_SSN, "6031")]
    # the caller spoke twice after the question: the number goes on
    found = detector.detect(
        "oh won three six",
        before=("yeah my cell is for oh to five five five",),
        prompt="can he call you first an is there a gate code",
        prompt_between=False,
    )
    assert [f.type for f in found] == [E.PHONE_NUMBER]


def test_the_code_asked_for_as_recognisers_spell_it(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "three seven won oh seven twenty nine",
        prompt="and the see v v and when does it expire",
    )
    assert found == [(E.CVV, "three seven won"), (E.EXPIRY, "oh seven twenty nine")]


def test_a_card_read_after_put_it_on_the_card(detector: PiiDetector) -> None:
    text = "ok yeah put it on the card its forty too fifty ate forty won sixty six"
    assert typed(detector, text) == [(E.CREDIT_CARD, "forty too fifty ate forty won sixty six")]
    # "on the card" alone is where a name or an address is
    assert typed(detector, "its jane doe", prompt="what's the name on the card") == [
        (E.PERSON, "jane doe")
    ]


@pytest.mark.parametrize(
    ("prompt", "text", "expected"),
    [
        (
            "how you paying",
            "card its fore won fore seven wait no that ones expired hold on",
            [(E.CREDIT_CARD, "fore won fore seven")],
        ),
        (
            "sure card number",
            "fifty five ninety no wait thats the old one",
            [(E.CREDIT_CARD, "fifty five ninety")],
        ),
        ("how many people", "four no wait five", []),
    ],
)
def test_digits_taken_back_are_the_start_of_the_number_asked_for(
    detector: PiiDetector, prompt: str, text: str, expected: list[tuple[EntityType, str]]
) -> None:
    assert typed(detector, text, prompt=prompt) == expected
