"""Round 37: an Amex begun with six digits and finished on the speaker's next line, with
its expiry and four-digit code said on; a card's last digits then its expiry by month name,
after an address the line before; a month-named expiry right after a card where a birth date
was asked earlier; texts offered before a phone number; a phone begun as an area code and an
exchange; "that's 5 so far, keep going"; a house number after a birth date that ended the
line before; box, unit and building numbers inside an address where a code was asked; a
town said right before the next answer's cue."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_an_amex_finished_on_the_next_line_with_its_expiry_and_code(
    detector: PiiDetector,
) -> None:
    *_, begun, _, rest = said_in_turn(
        detector,
        "a:how are you paying today",
        "the amex please three seven one two five five",
        "a:mhm",
        "six six oh one nine oh three four oh eleven twenty nine code four four one six",
    )
    assert (E.CREDIT_CARD, "three seven one two five five") in begun
    assert rest == [
        (E.CREDIT_CARD, "six six oh one nine oh three four oh"),
        (E.EXPIRY, "eleven twenty nine"),
        (E.CVV, "four four one six"),
    ]


def test_a_card_said_after_an_address_keeps_its_last_digits(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "send it to forty two larch court number six",
        "a:and the card",
        "visa five four five two oh seven one six three three nine eight two oh one five"
        " march twenty nine four oh two",
    )
    card = "five four five two oh seven one six three three nine eight two oh one five"
    assert found == [
        (E.CREDIT_CARD, card),
        (E.EXPIRY, "march twenty nine"),
        (E.CVV, "four oh two"),
    ]


def test_a_month_right_after_a_card_is_its_expiry_not_the_birth_date_asked_before(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:name n date a birth",
        "ray ellis june ninth eighty one",
        "a:k how u payin",
        "amex three seven one two five five six six oh one nine oh three four oh"
        " june thirty one n the fore digit code too six six ate",
    )
    assert found == [
        (E.CREDIT_CARD, "three seven one two five five six six oh one nine oh three four oh"),
        (E.EXPIRY, "june thirty one"),
        (E.CVV, "too six six ate"),
    ]


def test_a_phone_number_after_texts_are_offered(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:ur order ships monday want shipping texts",
        "yea six oh two triple five oh one four four",
    )
    assert found == [(E.PHONE_NUMBER, "six oh two triple five oh one four four")]


def test_a_phone_begun_with_its_area_code_and_exchange(detector: PiiDetector) -> None:
    *_, found, rest = said_in_turn(
        detector,
        "a:What's the best callback number?",
        "Hold on. The number is four one two, 555...",
        "0193, sorry about that.",
    )
    assert found == [(E.PHONE_NUMBER, "four one two, 555")]
    assert rest == [(E.PHONE_NUMBER, "0193")]


def test_an_account_goes_on_after_a_count_so_far(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Go ahead with the account number.",
        "It's 4 4 0 9 1...",
        "a:Okay, that's 5 so far, keep going.",
        "3 8 2 7 6. Will the deposit show tomorrow?",
    )
    assert found == [(E.BANK_ACCOUNT, "3 8 2 7 6")]


def test_a_house_number_after_a_birth_date_that_ended_the_line_before(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I'll need your date of birth and your home address",
        "sure my birthday is four nine eighty eight",
        "a:and the address",
        "sixty one birchwood drive apartment two mapleton",
    )
    assert found == [(E.ADDRESS, "sixty one birchwood drive apartment two mapleton")]


def test_box_and_suite_numbers_inside_an_address_are_no_codes(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I need the expiration and the security code, and is it still p o box four"
        " twenty two dunmore?",
    )
    assert found == [(E.ADDRESS, "p o box four twenty two dunmore")]
    *_, found = said_in_turn(
        detector,
        "a:ok the exp n the code",
        "oct twenty nine n six oh one n send it to kenmore st number two"
        " fifteen suite three forty salem oregon",
    )
    assert found == [
        (E.EXPIRY, "oct twenty nine"),
        (E.CVV, "six oh one"),
        (E.ADDRESS, "kenmore st number two fifteen suite three forty salem oregon"),
    ]


def test_a_town_ends_where_the_next_answer_is_named(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:where do we ship it and a phone for the driver",
        "p o box three eighty one hartwell phone four one seven five five five oh one two two",
    )
    assert found == [
        (E.ADDRESS, "p o box three eighty one hartwell"),
        (E.PHONE_NUMBER, "four one seven five five five oh one two two"),
    ]
