"""Round 36: a code a thing has, said as no card's code is ("the shed has a code, 7
double 2 5"); a code read back on from the line before; a room's code; a code named after a
level or a room with a number of its own; an account written like a social; the receipt's
destination asked for; a birth date asked for on a form; an address that does not run on
into the answer to another question; a verb after a house number; an agent answering "you've
got <name>"."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_a_code_a_thing_has(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:What's the card's expiration date?",
        "09/28. And for the delivery, the shed has a code, 7 double 2 5.",
    )
    assert (E.PIN, "7 double 2 5") in found


def test_a_code_read_back_after_a_phone_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "my cell is three oh three five five five oh one eight two",
        "a:thanks your door code is six five triple oh",
        "six five oh oh oh okay",
    )
    assert found == [(E.PIN, "six five oh oh oh")]


def test_a_room_code_changed(detector: PiiDetector) -> None:
    found = typed(detector, "Also, the feed room code changed yesterday, it's 40917 now.")
    assert found == [(E.PIN, "40917")]


def test_a_code_named_after_a_level_with_its_number(detector: PiiDetector) -> None:
    found = typed(detector, "your keypad code for level three is two two nine oh one")
    assert found == [(E.PIN, "two two nine oh one")]


def test_the_level_alone_is_no_code(detector: PiiDetector) -> None:
    assert typed(detector, "the keypad is on level three by the elevator") == []


def test_an_account_written_like_a_social(detector: PiiDetector) -> None:
    assert typed(detector, "Routing 011000015, account 518 44 2096.") == [
        (E.BANK_ROUTING, "011000015"),
        (E.BANK_ACCOUNT, "518 44 2096"),
    ]


def test_the_account_then_where_the_receipt_goes(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:got it n the acct n where should the receipt go",
        "seven seven oh one two nine four six n the receipt to books at corbin tile dot com",
    )
    assert (E.BANK_ACCOUNT, "seven seven oh one two nine four six") in found


def test_a_birth_date_asked_for_on_a_form(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:New members need a date of birth on the waiver form.",
        "4-22-79. And I'll bring my own gloves.",
    )
    assert found == [(E.DATE_OF_BIRTH, "4-22-79")]


def test_an_address_does_not_run_into_the_next_answer(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i need ur social n mailing address",
        "nine oh six one one two two four seven n fore ten wren ln tyler texas",
        "a:got it n for the badge ur date a birth",
        "too fourteen sixty nine",
    )
    assert found == [(E.DATE_OF_BIRTH, "too fourteen sixty nine")]


def test_a_birth_date_then_where_the_mail_goes(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:date of birth and mailing address",
        "oh six eleven seventy two mail goes to p o box three ten salina kansas",
    )
    assert found == [
        (E.DATE_OF_BIRTH, "oh six eleven seventy two"),
        (E.ADDRESS, "p o box three ten salina kansas"),
    ]


def test_an_agent_answering_you_have_got(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:harbor kettle corn order desk you've got tembo")
    assert (E.PERSON, "tembo") in found
    assert typed(detector, "you've got two options on that plan") == []
    assert typed(detector, "well you've got it right") == []


def test_a_second_number_after_a_stopping_word_stays_stopped(detector: PiiDetector) -> None:
    assert typed(detector, "Check the list in the portal for item 3 of 4.") == []
    found = typed(detector, "the tracking number is 1Z 999 AA1 01 2345 6784 it ships thursday")
    assert found == []
