"""Greetings and answers whose small words the recogniser lost ("this wiktor whatcha
need", "that'll be me ...", "is this still ..."), numbers broken off or opened oddly (a
card taken back after a ticket number, a card split by "lemme grab it", a birth date
opening with "too", a code said "triple nine fore"), a phone number asked for "to find the
ticket", and what only looks like these: weights said "about 185", a firm answering
"how can I help?", the word "spelled", a price "eleven ninety nine", the card on file
"ending" in some digits, a tax form's number."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("a:kettle run axe club this wiktor whatcha need", "wiktor"),
        ("a:silverline talent this nuno", "nuno"),
        ("hi this oriol vidal um u guys r comin monday for the fence", "oriol vidal"),
        ("that'll be me wanjiru ndegwa and i'm the captain", "wanjiru ndegwa"),
        ("a:and is this still nanami tsuda", "nanami tsuda"),
    ],
)
def test_a_name_whose_small_words_were_lost(detector: PiiDetector, line: str, name: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert (E.PERSON, name) in found


@pytest.mark.parametrize("line", ["a:is this still open", "a:and is this still correct"])
def test_is_this_still_asks_of_things_too(detector: PiiDetector, line: str) -> None:
    assert said_in_turn(detector, line) == [[]]


def test_a_birth_date_opening_with_too(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(detector, "a:ok whats ur date a birth", "too fourteen eighty ate")
    assert answer == [(E.DATE_OF_BIRTH, "too fourteen eighty ate")]


def test_a_code_said_triple_then_a_digit_is_a_code(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "hi the code on the side gate changed last week so ur guy couldnt get in",
        "a:oh sorry whats the new one",
        "triple six fore",
    )
    assert answer == [(E.PIN, "triple six fore")]


def test_a_price_said_in_pairs_is_no_code(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "a:the lift chair is eleven ninety nine and we take checks")
    assert found == []


def test_a_card_taken_back_after_a_ticket_number(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "hi im payin for the lens repair ticket sixty two oh nine",
        "a:ok thats one forty whats the card",
        "fore won ate six oh wait that ones expired hold on",
    )
    assert [kind for kind, _ in answer] == [E.CREDIT_CARD]


def test_a_card_split_by_lemme_grab_it_is_one_card(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector,
        "its a visa fore oh fore three fore ate three nine um hang on lemme grab it"
        " five fore ate six too oh five seven",
    )
    assert [kind for kind, _ in found] == [E.CREDIT_CARD]


def test_a_phone_number_asked_for_to_find_the_ticket(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:can i get your phone number to find the ticket",
        "six one seven five five five oh one four two",
    )
    assert answer == [(E.PHONE_NUMBER, "six one seven five five five oh one four two")]


def test_weights_said_about_and_around_are_no_codes(detector: PiiDetector) -> None:
    *_, weights = said_in_turn(
        detector,
        "4539 1488 0343 6467, expiration 11/28, security code 317.",
        "a:That went through. We need both names and weights for the manifest.",
        "I'm Teodor Lindqvist, about 190, and my daughter is Maren, around 95.",
    )
    assert [kind for kind, _ in weights] == [E.PERSON, E.PERSON]


def test_the_word_spelled_before_a_spelling_is_no_name(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "no its thuy spelled t h u y")
    assert found == [(E.PERSON, "thuy"), (E.PERSON, "t h u y")]


@pytest.mark.parametrize(
    "greeting",
    [
        "a:Starfield Optics, how can I help?",
        "a:Purl and Ply Yarns, yes, we have 3 left in the Teal Feather colorway.",
    ],
)
def test_a_firm_answering_how_can_i_help_is_no_person(detector: PiiDetector, greeting: str) -> None:
    assert said_in_turn(detector, greeting) == [[]]


def test_an_agent_answering_with_their_name_still_names_them(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "a:Bianca Reyes, how can I help?")
    assert found == [(E.PERSON, "Bianca Reyes")]


def test_which_card_on_file_by_its_last_digits_is_no_card(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:i can add the tip to the card on file",
        "twenty dollars please the one ending six oh four two",
    )
    assert answer == []


def test_a_tax_form_by_its_number_is_no_social(detector: PiiDetector) -> None:
    *_, asked = said_in_turn(
        detector,
        "a:and the last four of your social",
        "8817",
        "a:Thanks. And the mailing address for your 1099?",
    )
    assert asked == []
    *_, answer = said_in_turn(detector, "a:the last four of your social please", "its 1099")
    assert answer == [(E.US_SSN, "1099")]


def test_a_card_taken_back_after_a_pause(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector, "ok put it on my card its fore oh won won ate six oh um wait no"
    )
    assert found == [(E.CREDIT_CARD, "fore oh won won ate six oh")]


def test_a_load_or_a_permit_by_its_number_is_no_pii(detector: PiiDetector) -> None:
    (load,) = said_in_turn(
        detector, "a:for the advance on load six three three oh nine we send half today"
    )
    (permit,) = said_in_turn(
        detector, "a:tell him to reference permit number two six dash oh four four one nine"
    )
    assert load == permit == []
    (pin,) = said_in_turn(detector, "the new pin for truck ate twelve is fore fore won too")
    assert pin == [(E.PIN, "fore fore won too")]
