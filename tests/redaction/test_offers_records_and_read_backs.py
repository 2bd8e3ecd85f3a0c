"""Round 34: a code offered with a word saying which ("before I give you the shed alarm
code, ..."); a record the agent has found is not asked for ("found your account, what
number should I text ..."); "since" before a year says when, not why; a card begun the
line before running on into its expiry and code; a mailbox after a name, "under score",
and a read-back's opening words; a date said digit by digit after a name; an expiry read
back by the other party; a treasurer named by role."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_turn

E = EntityType


def test_a_code_offered_does_not_govern_the_answer(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Before I give you the shed alarm code, tell me your birth date and the last 4 of"
        " your Social.",
        "March the 3rd, 1988, and 71 20.",
    )
    assert found == [(E.DATE_OF_BIRTH, "March the 3rd, 1988"), (E.US_SSN, "71 20")]


def test_an_account_found_is_not_asked_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:found your account what number should i text the code to",
        "seven one eight two two five oh one four six",
    )
    assert found == [(E.PHONE_NUMBER, "seven one eight two two five oh one four six")]


def test_a_record_asked_for_with_can_i_see(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:can i see your account number please", "four four eight one nine two six"
    )
    assert found == [(E.BANK_ACCOUNT, "four four eight one nine two six")]


def test_since_a_year_says_when_not_why(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I see the account, 2 boxes a month since 2019. First, can you verify the billing ZIP?",
        "It's 60614.",
    )
    assert found == [(E.ADDRESS, "60614")]


def test_a_card_begun_runs_on_into_its_expiry_and_code(detector: PiiDetector) -> None:
    # 6011 5210 3723 2815 (passes Luhn), then 11/27 and 482; the second line alone (3723
    # 2815 11 27 482) would be a whole American Express number too, by chance
    *_, found = said_in_turn(
        detector,
        "a:whats the card",
        "discover six oh one one five two one oh",
        "a:uh huh",
        "three seven two three two eight one five eleven twenty seven four ate two",
    )
    assert found == [
        (E.CREDIT_CARD, "three seven two three two eight one five"),
        (E.EXPIRY, "eleven twenty seven"),
        (E.CVV, "four ate two"),
    ]


def test_a_mailbox_joined_after_the_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:name and email for the receipt",
        "oriana talaud n skipjack dot ori at yahoo dot com",
    )
    assert (E.EMAIL_ADDRESS, "skipjack dot ori at yahoo dot com") in found


def test_an_underscore_said_as_two_words(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:and the email", "its wobble under score forty two at gmail dot com"
    )
    assert found == [(E.EMAIL_ADDRESS, "wobble under score forty two at gmail dot com")]


def test_a_mailbox_read_back_starts_at_the_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "email is r sitorus at out luck dot com",
        "a:k thats r sitorus at outlook dot com got it",
    )
    assert found == [(E.EMAIL_ADDRESS, "r sitorus at outlook dot com")]


def test_a_birth_date_said_digit_by_digit_after_the_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:whats ur name n date a birth", "nestor tiwow too nine oh six"
    )
    assert (E.DATE_OF_BIRTH, "too nine oh six") in found


def test_an_expiry_read_back_by_the_agent(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "visa four one one one one one one one one one one one one one one one june"
        " thirty one code two two seven",
        "a:ok june thirty one right and where should the receipt go",
    )
    assert found == [(E.EXPIRY, "june thirty one")]


def test_a_month_and_day_said_later_is_no_read_back(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "visa four one one one one one one one one one one one one one one one june"
        " thirty one code two two seven",
        "a:got it",
        "and can you deliver june thirtieth",
    )
    assert found == []


def test_a_treasurer_named_by_role(detector: PiiDetector) -> None:
    assert people(detector, "our treasurer mirela talaud does the books") == ["mirela talaud"]
