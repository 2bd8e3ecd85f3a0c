"""Numbers as callers give them across lines and clauses: a question asked before the
speaker's previous line governs a number begun there; a card resumed at the start of
the next line; a code said right after the expiry; two answers said in one breath with
"and"; a record a value is put into, a cue naming its own later number, a date before a
new question, a birth date given with "born"; PINs of seven or eight digits; seats,
routes, citations and lens powers, which are not PII."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_number_begun_after_the_question_answers_it(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "hi im gettin the dyson at four ninety nine on the six month no interest plan",
        "a:ok i need ur social n a phone",
        "its nine too won six uh",
        "ate ate three oh five n my cell is on file",
    )
    assert (E.US_SSN, "ate ate three oh five") in found


def test_a_card_resumed_on_the_next_line(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Which card would you like to use?",
        "Amex, 3714 496353, sorry, my glasses are in the car.",
        "98431, expires 04/29.",
    )
    assert (E.CREDIT_CARD, "98431") in found
    assert (E.EXPIRY, "04/29") in found


def test_a_line_that_only_follows_a_card_is_not_its_rest(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Which card would you like to use?",
        "Amex, 3714 496353, sorry, my glasses are in the car.",
        "12345 is my order number by the way.",
    )
    assert found == []


def test_a_code_said_right_after_the_expiry(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector,
        "k visa four won won won won won won won won won won won won won won won exp oh"
        " nine twenty eight n fore sixty",
    )
    assert (E.EXPIRY, "oh nine twenty eight") in found
    assert (E.CVV, "fore sixty") in found


def test_two_answers_said_with_and_stay_two(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:can you verify your birth date and then the last four of your social",
        "four eleven eighty seven and fifty two sixty one",
    )
    assert found == [
        (E.DATE_OF_BIRTH, "four eleven eighty seven"),
        (E.US_SSN, "fifty two sixty one"),
    ]


def test_one_social_said_with_and_stays_one(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector, "a:whats ur social", "nine eight seven and six five and four three two one"
    )
    assert found == [(E.US_SSN, "nine eight seven and six five and four three two one")]


def test_where_a_value_is_put_does_not_stop_it(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:whats the lockbox code and ill put it in the work order for the crew",
        "its seven one seven three two and it sticks a little",
    )
    assert found == [(E.PIN, "seven one seven three two")]


@pytest.mark.parametrize(
    ("line", "pin"),
    [
        ("the pin is double oh four six two one nine", "double oh four six two one nine"),
        ("PIN is 3 8 8 1 0 2 7 6, sorry, it's a long one.", "3 8 8 1 0 2 7 6"),
    ],
)
def test_a_pin_of_seven_or_eight_digits(detector: PiiDetector, line: str, pin: str) -> None:
    _, found = said_in_turn(detector, "a:and the pin on the account", line)
    assert (E.PIN, pin) in found


def test_a_number_written_whole_after_a_pin_is_no_pin(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:For security, what's your four-digit PIN?",
        "The PIN is 7391.",
        "a:Thank you. The payoff on loan AL-66120457 is $9,410.22.",
    )
    assert found == []


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Birthday is 7/4/88, and my cell is 414-555-0188.", "7/4/88"),
        ("its born sept ninth oh too n the pin is six six won too", "sept ninth oh too"),
    ],
)
def test_a_birth_date_with_a_short_year(detector: PiiDetector, line: str, date: str) -> None:
    _, found = said_in_turn(detector, "a:and the date of birth", line)
    assert (E.DATE_OF_BIRTH, date) in found


def test_a_filler_inside_an_account(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:routing n acct",
        "routin oh too six oh oh nine five nine three acct fore fore won like six six too oh",
    )
    assert (E.BANK_ACCOUNT, "fore fore won like six six too oh") in found


def test_a_cue_naming_its_own_number_leaves_the_zip(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:can you confirm the address",
        "twelve oh six larkspur lane raleigh two seven six oh three and the gate code for the"
        " subdivision is four four one nine",
    )
    assert found == [
        (E.ADDRESS, "twelve oh six larkspur lane raleigh two seven six oh three"),
        (E.PIN, "four four one nine"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "same four seats in the balcony row k one oh two and one oh three",
        "the judge gave me citation number nine one four four two seven",
        "a:your seats are section one twelve row nine moved to the ate oclock show",
    ],
)
def test_seats_citations_and_lens_powers_are_not_pii(detector: PiiDetector, line: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert found == []


def test_a_date_before_a_new_question_is_no_birth_date(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector,
        "a:Junior passes are $59 for kids on opening day, June 2. What's his date of birth?",
    )
    assert found == []


def test_a_lens_power_after_a_birth_date_is_none(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:sure whats his date a birth",
        "three nine ninety one",
        "a:ok minus three fifty both eyes too boxes is won eighty after rebate",
    )
    assert found == []


def test_a_date_after_born_was_given_there(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I need your Social and date of birth to find the record.",
        "941 22 6310, and I was born April 3rd, 1994.",
        "a:Found you, Ana. It went out March 14. What's the new mailing address?",
    )
    assert found == [(E.PERSON, "Ana")]


def test_the_accounts_pin_is_no_account_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:is she there or do you have the acct pin",
        "she said its four ate ate won",
        "a:thanks i have six oh won five five five oh won four two on file still good",
    )
    assert found == [(E.PHONE_NUMBER, "six oh won five five five oh won four two")]
