"""Round 30: a card begun and taken back ("discover six five oh too wait no", "5153, oh
wait", "hmm scratch that"); a code named with where it is written ("the access code on
your kit receipt"); a count of digits ("four digit code") that is no digit; a two-digit
year after its apostrophe ("March 13, '47"); an area code named right before it after a
card's code; what several things are asked for ("for the w four n direct deposit"); a
name said again with its surname; an agent greeted by a name that is also a place."""

from __future__ import annotations

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_call, said_in_turn, typed

E = EntityType


def test_discover_right_before_digits_names_a_card(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:want to pay that now", "sure discover six oh one one wait no thats expired"
    )
    assert found == [(E.CREDIT_CARD, "six oh one one")]


def test_discover_as_a_verb_names_nothing(detector: PiiDetector) -> None:
    assert typed(detector, "did you discover 4 of them") == []


def test_a_card_begun_then_oh_wait(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:What card would you like to use?",
        "4024, oh wait, that one's expired. Use my Mastercard: 5555 5555 5555 4444.",
    )
    assert found == [(E.CREDIT_CARD, "4024"), (E.CREDIT_CARD, "5555 5555 5555 4444")]


def test_a_card_begun_then_scratch_that(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card number when youre ready",
        "its five one oh five hmm scratch that use this fore won won won won won won won won"
        " won won won won won won won",
    )
    assert found[0] == (E.CREDIT_CARD, "five one oh five")


def test_a_code_named_with_where_it_is_written(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:Last step, read me the 6-digit access code on your kit receipt.", "402719."
    )
    assert found == [(E.PIN, "402719")]


def test_a_count_of_digits_is_no_digit(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card expiry and code",
        "amex three seven one four four nine six three five three nine eight four three one"
        " expires june of thirty one four digit code two two eight one",
    )
    assert (E.EXPIRY, "june of thirty one") in found
    assert (E.CVV, "two two eight one") in found


def test_a_two_digit_year_after_its_apostrophe(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:And your date of birth?", "I was born May 9, '52.")
    assert found == [(E.DATE_OF_BIRTH, "May 9, '52")]


def test_an_area_code_named_after_a_card_s_code(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card number exp and code",
        "visa fore won won won won won won won won won won won won won won won exp oh five"
        " thirty code too too won n my cell is six won seven",
    )
    assert found[-1] == (E.PHONE_NUMBER, "six won seven")


def test_what_several_things_are_asked_for_is_not_asked(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:for the w four n direct deposit i need ur full social n date a birth",
        "nine won two three three fore ate ate six n june ninth eighty one",
    )
    assert found == [
        (E.US_SSN, "nine won two three three fore ate ate six"),
        (E.DATE_OF_BIRTH, "june ninth eighty one"),
    ]


def test_a_name_said_again_takes_its_surname(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "my wife lusa will pick it up", "customer")
    again = said_in_call(call, "so lusa ngwenya did i spell that right", "agent")
    assert names_in(again) == ["lusa ngwenya"]


def test_an_agent_greeted_by_a_name_that_is_also_a_place(detector: PiiDetector) -> None:
    assert "denver" in names_in(
        typed(detector, "hi denver my name's ikaika kealoha i'm calling about the deposit")
    )


def test_a_word_english_hardly_uses_said_with_a_role_after_it(detector: PiiDetector) -> None:
    found = typed(detector, "yes and dorje our bike guy can look at it friday")
    assert names_in(found) == ["dorje"]


def test_a_code_the_agent_will_give_is_not_asked_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i can give you the gate code once i check your date of birth and social last four",
        "nine nine eighty and twenty six oh four",
    )
    assert found == [
        (E.DATE_OF_BIRTH, "nine nine eighty"),
        (E.US_SSN, "twenty six oh four"),
    ]


def test_a_card_given_whole_asks_the_next_speaker_nothing(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and the card",
        "discover six oh one one one one one one one one one one one one one seven",
        "a:thanks the new roof goes on in twenty twenty eight",
    )
    assert found == []
