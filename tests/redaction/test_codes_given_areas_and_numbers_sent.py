"""Round 41: a card's first group taken back with "never mind"; an amount the agent states
asks for none; the phone "on your rewards account"; "this one" before a card read in
pairs; "thirty too" ending a year or a box number; a modal verb is no name; "text it to
double six ..."; an area code said as a digit and a pair; a gate's new five-digit code
where a card was just paid; a phone given across two lines read back whole; a code the
agent gives "is the six digits ..." asks the caller for none; "And one welding helmet" opening
the line after a number is no digit of it."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn, typed

E = EntityType


def test_a_cards_first_group_taken_back_with_never_mind(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Card number when you're ready.",
        "Mastercard, 5312... oh never mind, wrong card.",
    )
    assert found == [(E.CREDIT_CARD, "5312")]


def test_an_amount_the_agent_states_asks_for_none(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I also need the last four of your social, and the filing fee is $85 for it.",
        "7719. And you can bill the same card.",
    )
    assert found == [(E.US_SSN, "7719")]
    # an amount read back after the agent states it is still no code
    *_, repeated = said_in_turn(detector, "a:The total is $4,019 today.", "4019? okay")
    assert repeated == []


def test_the_account_a_number_is_kept_on_is_not_asked_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats the cell number on your rewards account",
        "four one two five five five oh one six three",
    )
    assert found == [(E.PHONE_NUMBER, "four one two five five five oh one six three")]
    *_, pin = said_in_turn(
        detector, "a:whats the pin for your online account", "four four nine one"
    )
    assert pin == [(E.PIN, "four four nine one")]


def test_this_one_before_a_card_read_in_pairs(detector: PiiDetector) -> None:
    card = "forty six sixty six seventeen sixty thirty one thirty seven twenty one fifty nine"
    *_, found = said_in_turn(
        detector,
        "a:ok and for the form i need ur birthday",
        f"use this one {card} exp june thirty",
    )
    assert (E.CREDIT_CARD, card) in found


def test_too_after_a_tens_word_ends_a_year_or_a_box_number(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "visa fore six six six won seven six oh three won three seven too won five nine"
        " good thru aug thirty too",
    )
    assert (E.EXPIRY, "aug thirty too") in found
    *_, address = said_in_turn(
        detector,
        "a:where does the tank go",
        "out at the farm rural route won box six fifty too tipton",
    )
    assert address == [(E.ADDRESS, "rural route won box six fifty too tipton")]


def test_a_modal_verb_is_no_name(detector: PiiDetector) -> None:
    assert names_in(typed(detector, "My sister may call back later, she has the invoice.")) == []
    assert names_in(typed(detector, "thanks will i see the balance is one fifty")) == ["will"]


def test_a_phone_the_text_is_sent_to(detector: PiiDetector) -> None:
    found = typed(
        detector, "sure n can u text the receipt to double six too five five five oh one four seven"
    )
    assert found == [(E.PHONE_NUMBER, "double six too five five five oh one four seven")]


def test_an_area_code_said_as_a_digit_and_a_pair(detector: PiiDetector) -> None:
    first, second = said_in_turn(
        detector, "Call me when it's in, my number is six forty-one,", "555-0138."
    )
    assert first == [(E.PHONE_NUMBER, "six forty-one")]
    assert second == [(E.PHONE_NUMBER, "555-0138")]


def test_a_gates_new_code_after_a_card_was_paid(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "Visa 4666 1760 3137 2159, expires 04/30, security code 771.",
        "a:Done. The code for the back gate is 40518 starting Monday.",
    )
    assert found == [(E.PIN, "40518")]


def test_a_phone_given_across_two_lines_read_back_whole(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "hey i ordered a hundred trout fingerlings n the tank kit order too six oh fore",
        "a:k the courier needs a cell to text",
        "ate six too",
        "five five five oh won fore fore sry it cut out",
        "a:ate six too five five five oh won fore fore n its goin to the shop right",
    )
    assert found == [(E.PHONE_NUMBER, "ate six too five five five oh won fore fore")]


def test_a_code_the_agent_gives_with_its_length_asks_for_none(detector: PiiDetector) -> None:
    given, answer = said_in_turn(
        detector,
        "a:Your portal passcode is the six digits 440918, and it resets monthly.",
        "Thanks. The boxes labelled 1982 through 1990 matter most.",
    )
    assert given == [(E.PIN, "440918")]
    assert answer == []


def test_and_one_of_something_does_not_finish_the_number_before(detector: PiiDetector) -> None:
    social, more = said_in_turn(
        detector, "9 1 4, 3 double 8, 2 0 6.", "And one welding helmet too."
    )
    assert social == [(E.US_SSN, "9 1 4, 3 double 8, 2 0 6")]
    assert more == []
    *_, address = said_in_turn(
        detector, "a:what's the service address", "One Main Street, Springfield."
    )
    assert address == [(E.ADDRESS, "One Main Street, Springfield")]
