"""What a question is for is not what it asks ("for direct deposit i need your social");
a stopping word whose own number was said, in the question or an earlier line, stops
nothing later; a code named with what it opens ("the door code for the supply room");
"for" before an amount after digits; "oh" between digits listed with commas; the phone
number "on the account"; mailboxes and domains joined by "and"; and a house number taken
back before the right one."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_the_purpose_of_a_question_is_not_what_it_asks_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:to set up your direct deposit i'll need your social first",
        "nine two seven four four one eight eight three",
    )
    assert found == [(E.US_SSN, "nine two seven four four one eight eight three")]


def test_a_purpose_alone_still_asks_for_its_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what account do you want for direct deposit",
        "four four one nine two seven three three eight one",
    )
    assert [kind for kind, _ in found] == [E.BANK_ACCOUNT]


def test_an_invoice_read_out_by_the_agent_does_not_stop_the_card_after_it(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:ok your invoice is four four one two for ninety dollars",
        "a:go ahead when you're ready",
        "five five five five five five five five five five five five four four four four",
    )
    assert [kind for kind, _ in found] == [E.CREDIT_CARD]


def test_a_receipt_sent_to_a_phone_does_not_stop_the_card_said_next(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "i'll pay by visa n text the receipt to six won ate five five five oh won fore too",
        "a:sure go ahead",
        "fore won won won won won won won won won won won won won won won exp oct twenty nine",
    )
    assert found[0] == (
        E.CREDIT_CARD,
        "fore won won won won won won won won won won won won won won won",
    )


def test_an_order_named_with_its_number_still_stops_that_number(detector: PiiDetector) -> None:
    assert typed(detector, "the order number is 1234 5678 9012 3456") == []


def test_a_code_named_with_the_room_it_opens(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:you're set and the keypad code for the equipment room is four two seven one",
    )
    assert found == [(E.PIN, "four two seven one")]


def test_a_room_numbered_after_its_name_is_still_no_code(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:the door code for room 12 is on the sheet")
    assert found == []


def test_for_before_an_amount_ends_the_number_read_back(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:reading the account back six one three three eight two nine four oh seven for"
        " two hundred fifteen dollars",
    )
    assert found == [(E.BANK_ACCOUNT, "six one three three eight two nine four oh seven")]


def test_oh_between_digits_listed_with_commas_is_zero(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Is there a gate?",
        "Yes, the gate code is seven, oh, two, nine, then star.",
    )
    assert found == [(E.PIN, "seven, oh, two, nine")]


def test_oh_as_an_exclamation_between_numbers_is_no_digit(detector: PiiDetector) -> None:
    assert [text for _, text in typed(detector, "We have 2, oh, and 3 left.")] == []


def test_the_number_on_the_account_is_a_phone_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what's the account under",
        "my name n the number on the account is three ate ate five five five oh won seven six",
    )
    assert (E.PHONE_NUMBER, "three ate ate five five five oh won seven six") in found


def test_a_mailbox_of_two_words_joined_by_and(detector: PiiDetector) -> None:
    found = typed(detector, "send the forms to kofi and dad at gmail dot com please")
    assert found == [(E.EMAIL_ADDRESS, "kofi and dad at gmail dot com")]


def test_a_domain_of_two_words_joined_by_and(detector: PiiDetector) -> None:
    found = typed(detector, "invoices go to accounts at salt and pepper dot net")
    assert found == [(E.EMAIL_ADDRESS, "accounts at salt and pepper dot net")]


def test_and_before_a_mailbox_in_a_sentence_joins_nothing(detector: PiiDetector) -> None:
    found = typed(detector, "i called twice and billing at acme dot com never answered")
    assert found == [(E.EMAIL_ADDRESS, "billing at acme dot com")]


def test_a_house_number_taken_back_before_the_right_one(detector: PiiDetector) -> None:
    found = typed(detector, "Ship it to 58, sorry, 85 Walnut Avenue, Dayton.")
    assert found == [(E.ADDRESS, "58"), (E.ADDRESS, "85 Walnut Avenue, Dayton")]


def test_a_quantity_taken_back_before_a_street_is_no_address(detector: PiiDetector) -> None:
    found = typed(detector, "I ordered 3, sorry, 4 boxes to 12 Main Street")
    assert found == [(E.ADDRESS, "12 Main Street")]


def test_a_phone_number_run_on_into_a_house_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:a phone and the mailing address please",
        "three one two five five five oh one four four two oh six birch hollow lane",
    )
    assert found == [
        (E.PHONE_NUMBER, "three one two five five five oh one four four"),
        (E.ADDRESS, "two oh six birch hollow lane"),
    ]


def test_a_number_written_whole_before_a_street_is_not_cut(detector: PiiDetector) -> None:
    found = typed(detector, "the parcel 3125550144206 goes on Birch Hollow Lane")
    assert (E.ADDRESS, "206 Birch Hollow Lane") not in found
