"""A card's code sized by the card (three digits but on an Amex), one code per card, a
code named right before its digits, a number the speaker trailed off in and went on
with, and an agent's line that asks for nothing, after which the caller's own words
still say what their number is."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_code_after_a_card_from_the_line_before_has_the_cards_length(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector,
        "ship it to me and it's a discover six oh one one four two seven seven "
        "three nine one five eight eight oh five",
        "a:expiration and security code please",
        "june twenty thirty four one seven and email the receipt please",
    )
    assert answer == [(E.EXPIRY, "june twenty thirty"), (E.CVV, "four one seven")]


def test_a_second_expiry_named_the_code_is_the_code(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:ok the exp n the fore digit code on the front",
        "exp june thirty won n the code is oh ate too five",
    )
    assert answer == [(E.EXPIRY, "june thirty won"), (E.CVV, "oh ate too five")]


def test_a_four_digit_number_after_a_visas_code_is_no_second_code(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:Card number?",
        "Visa 4111 1111 1111 1111, expiration 06/31, code 482. My son will collect it "
        "and he'll tell you 7306.",
    )
    assert (E.CVV, "482") in answer
    assert (E.PIN, "7306") in answer


def test_a_code_named_right_before_it_beats_an_older_question(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:the rebate form needs the last four of your social",
        "three three eight one and the address is twelve pine ridge road",
        "a:is there a gate our installers have to get past",
        "yeah the gate code is six two nine four and call me when you're close",
    )
    assert answer == [(E.PIN, "six two nine four")]


def test_an_account_trailed_off_goes_on_in_the_next_line(detector: PiiDetector) -> None:
    *_, begun, _, rest = said_in_turn(
        detector,
        "a:Routing number, please.",
        "It's 021000021. The account is 4410...",
        "a:Okay.",
        "7150. Sorry, the checkbook was upside down.",
    )
    assert begun == [(E.BANK_ROUTING, "021000021"), (E.BANK_ACCOUNT, "4410")]
    assert rest == [(E.BANK_ACCOUNT, "7150")]


def test_a_prompt_asking_nothing_leaves_the_callers_own_question(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:payroll office how can i help",
        "hi the form says you need my social for the new hire packet",
        "a:sure we can't set up pay without it go ahead",
        "ok its nine ate seven six too",
    )
    assert answer == [(E.US_SSN, "nine ate seven six too")]


def test_an_agents_own_question_is_spent_once_the_caller_answered(
    detector: PiiDetector,
) -> None:
    *_, reply = said_in_turn(
        detector,
        "a:I need your date of birth to find the record.",
        "I was born May 2nd, 1961.",
        "a:Found it. Your order shipped June 14. Anything else?",
    )
    assert reply == []


def test_a_credit_application_asks_for_the_social(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "hi i left a number off my credit application for the sixteen by eighty home",
        "a:no problem go ahead",
        "nine one four six two eight three three seven",
    )
    assert answer == [(E.US_SSN, "nine one four six two eight three three seven")]


def test_a_date_right_after_born_is_the_birth_date_whatever_was_asked_first(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:to verify you i need the last four of your social and your date of birth",
        "last four twenty twelve and i was born four ten sixty one",
    )
    assert answer == [(E.US_SSN, "twenty twelve"), (E.DATE_OF_BIRTH, "four ten sixty one")]


def test_a_month_after_a_card_read_in_two_goes_is_its_expiry(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:card number",
        "discover six oh one one four two seven seven sorry the dog is barking",
        "a:no worries go on",
        "three nine one five eight eight oh five april twenty nine back is two two six",
    )
    assert (E.EXPIRY, "april twenty nine") in answer
