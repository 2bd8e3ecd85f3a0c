"""Codes for apps and accounts written whole, phones asked for as someone's to call or to
try, and a new question between a number and the next line: the address asked for after
an account, the end of the social asked for with a birth date, "last fore", and an
account taken up again after "sry"."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_an_account_pin_written_whole(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:To change the plan I need your account PIN.", "It's 47182093, the long one."
    )
    assert found == [(E.PIN, "47182093")]


def test_a_loan_number_lines_after_the_pin_is_no_pin(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:What's your PIN?",
        "It's 6620.",
        "a:Thanks. The payoff on loan RV-51730284 is $9,112.40, good through Friday.",
    )
    assert (E.PIN, "51730284") not in found


def test_app_codes(detector: PiiDetector) -> None:
    *_, given = said_in_turn(
        detector,
        "a:Done. Your temporary app code is 3316408, and you'll pick a new one at login.",
    )
    assert given == [(E.PIN, "3316408")]
    *_, read = said_in_turn(
        detector,
        "a:i'll need the app code on the bottom of the thermostat",
        "it's four oh two double eight one and my account email is on file",
    )
    assert read == [(E.PIN, "four oh two double eight one")]


def test_a_phone_to_try_or_for_someone_to_call(detector: PiiDetector) -> None:
    *_, tried = said_in_turn(
        detector,
        "a:i see an account under that name",
        "yes and if i don't pick up try six one two five five five oh one four eight",
    )
    assert tried == [(E.PHONE_NUMBER, "six one two five five five oh one four eight")]
    *_, begun = said_in_turn(
        detector,
        "a:and a number for the driver to call when he's close",
        "it's six one two five five five",
    )
    assert begun == [(E.PHONE_NUMBER, "six one two five five five")]


def test_the_address_asked_between_an_account_and_a_house_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "routing oh seven one nine two one eight nine one and account four four six two oh one"
        " double seven",
        "a:and the job site address",
        "sixty one oh four two harbor view drive and the gate is open",
    )
    assert found == [(E.ADDRESS, "sixty one oh four two harbor view drive")]


def test_the_end_of_the_social_asked_with_a_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i'll need a birth date and the end of your social just the four digits",
        "sure five nineteen sixty two and forty one eighty",
    )
    assert found == [(E.DATE_OF_BIRTH, "five nineteen sixty two"), (E.US_SSN, "forty one eighty")]


def test_last_fore_asks_for_the_social(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:k i need his last fore n date a birth",
        "too ate won six n march third fifty won",
    )
    assert found[0] == (E.US_SSN, "too ate won six")


def test_an_account_taken_up_again_after_sry(detector: PiiDetector) -> None:
    *_, first, rest = said_in_turn(
        detector,
        "a:routing n account",
        "routin oh seven one nine two one eight nine one account six two seven oh",
        "sry three three nine fore thats the rest",
    )
    assert first[-1][0] == E.BANK_ACCOUNT
    assert [kind for kind, _ in rest] == [E.BANK_ACCOUNT]
    assert rest[0][1].endswith("three three nine fore")
