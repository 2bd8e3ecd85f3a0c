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
        "a:ok for direct deposit i'll need your social n birthday first",
        "nine two seven four four one eight eight three n march fourth eighty one",
    )
    assert found == [
        (E.US_SSN, "nine two seven four four one eight eight three"),
        (E.DATE_OF_BIRTH, "march fourth eighty one"),
    ]


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


def test_a_card_broken_off_with_an_exclamation_is_a_card_begun(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:total is forty two", "card is fifty one twelve oh dang that one's expired"
    )
    assert [kind for kind, _ in found] == [E.CREDIT_CARD]


def test_another_card_begun_after_one_taken_back(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:how would you like to pay",
        "card its six oh won won wait no that ones expired hold on",
        "ok its fore won won seven too six six ate",
    )
    assert found == [(E.CREDIT_CARD, "fore won won seven too six six ate")]


def test_digits_said_one_by_one_with_no_card_in_sight_are_no_card(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what's the tracking on the return",
        "ok its fore won won seven too six six ate",
    )
    assert E.CREDIT_CARD not in [kind for kind, _ in found]


def test_a_clause_saying_why_asks_for_nothing_more(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I also need the last four of your Social since you're the account owner.",
        "8127.",
    )
    assert found == [(E.US_SSN, "8127")]


def test_where_a_social_is_kept_is_not_asked_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats the gate code n last fore of the social on the acct",
        "its too fore six won then pound n ate ate oh three",
    )
    assert found == [(E.PIN, "too fore six won"), (E.US_SSN, "ate ate oh three")]


def test_a_kind_named_later_with_its_own_number_is_not_the_first(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:For security, the last four of your Social and your four-digit PIN?",
        "6630, and the PIN is 1987.",
    )
    assert found == [(E.US_SSN, "6630"), (E.PIN, "1987")]


def test_a_code_corrected_later_in_the_line_is_still_a_code(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "Visa, 4111 1111 1111 1111, 09/31, code 274. No, sorry, the code is 247.",
    )
    assert [kind for kind, _ in found] == [E.CREDIT_CARD, E.EXPIRY, E.CVV, E.CVV]


def test_a_card_taken_back_before_another_is_named_is_still_a_card(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:how are you paying today",
        "six oh one one four two oh nine wait that one's maxed let me use the visa four one one"
        " one one one one one one one one one one one one one",
    )
    assert [kind for kind, _ in found] == [E.CREDIT_CARD, E.CREDIT_CARD]


def test_a_phone_number_said_after_paying_by_card_is_no_card(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:the card number please",
        "four one one one one one one one one one one one one one one one",
        "a:and the expiry and code",
        "oh nine thirty code two two one n if u need me five two four five five five oh one"
        " nine eight",
    )
    assert (E.PHONE_NUMBER, "five two four five five five oh one nine eight") in found


def test_a_firm_s_own_top_level_domain(detector: PiiDetector) -> None:
    found = typed(detector, "send the invoices to billing at stonecrop dot farm thanks")
    assert found == [(E.EMAIL_ADDRESS, "billing at stonecrop dot farm")]


def test_a_domain_label_that_is_also_a_top_level_domain_goes_on(
    detector: PiiDetector,
) -> None:
    found = typed(detector, "its reza at oak dash studio dot net")
    assert found == [(E.EMAIL_ADDRESS, "reza at oak dash studio dot net")]


def test_a_mailbox_joined_by_and_after_a_phone_number(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "three one two five five five oh one four four and salt and pine at gmail dot com",
    )
    assert (E.EMAIL_ADDRESS, "salt and pine at gmail dot com") in found


def test_a_number_begun_with_its_area_code_as_the_line_ends(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "my neighbor will sign for it her number is six one seven")
    assert (E.PHONE_NUMBER, "six one seven") in found


def test_a_count_said_after_number_is_no_area_code(detector: PiiDetector) -> None:
    assert typed(detector, "the number is 250") == []


def test_two_answers_joined_by_and_answer_in_the_order_asked(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:let's verify you with the last four of your social and your birth date",
        "six two seven one and april nine nineteen eighty eight",
    )
    assert found == [
        (E.US_SSN, "six two seven one"),
        (E.DATE_OF_BIRTH, "april nine nineteen eighty eight"),
    ]
