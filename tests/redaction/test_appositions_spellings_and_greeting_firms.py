"""A name said with what the person is beside it, a greeting's "this" with its "is" lost, a
given name before a surname spelled straight after it, a number to call told after bank
details, an account named right before its digits, a code after an expiry and a pause,
and what only looks like a name: a firm answering with "good morning", a mail site
spelled and said, the word "routing" with its g dropped."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn, typed

E = EntityType


def test_a_name_then_what_the_person_is(detector: PiiDetector) -> None:
    [kin] = said_in_turn(detector, "If I'm out, call Odalys, my stepdaughter, at the shop.")
    assert names_in(kin) == ["Odalys"]
    [role] = said_in_turn(detector, "n please tell bramble the farrier to latch the gate")
    assert names_in(role) == ["bramble"]
    [caller] = said_in_turn(detector, "we signed up for the dance with quillon the caller")
    assert names_in(caller) == ["quillon"]


def test_what_a_person_is_said_of_no_name_stays_unmarked(detector: PiiDetector) -> None:
    for text in (
        "tell him the driver is running late",
        "can i speak with the manager the caller said",
        "call the office, my boss is out",
    ):
        [found] = said_in_turn(detector, text)
        assert names_in(found) == [], text


def test_a_greetings_this_with_its_is_lost(detector: PiiDetector) -> None:
    [found] = said_in_turn(detector, "hi this tavita faleolo property manager for the lots")
    assert names_in(found) == ["tavita faleolo"]
    [found] = said_in_turn(detector, "hi this morning the truck never came")
    assert names_in(found) == []


def test_a_given_name_before_a_surname_spelled_after_it(detector: PiiDetector) -> None:
    [lower] = said_in_turn(detector, "ludmila hrabal h r a b a l and the phone on it is my cell")
    assert "ludmila hrabal" in names_in(lower)
    [titled] = said_in_turn(detector, "thanks mister okafor o k a f o r")
    assert "mister" not in " ".join(names_in(titled))


def test_a_number_to_call_told_after_bank_details(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:whats the account and routing for the deposit",
        "account seven seven one two oh nine three four four routing oh seven one oh oh"
        " oh oh one three and if anything bounces call four one four five five five oh one"
        " two two",
    )
    assert (E.PHONE_NUMBER, "four one four five five five oh one two two") in answer


def test_calling_in_a_while_names_no_number(detector: PiiDetector) -> None:
    assert typed(detector, "i'll call in 2 weeks about order 55512") == []


def test_an_account_named_right_before_its_digits(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:And the last four of the borrower's Social?",
        "4418. Draft it from savings, account 731905527, same as last year.",
    )
    assert answer == [(E.US_SSN, "4418"), (E.BANK_ACCOUNT, "731905527")]


def test_a_code_after_an_expiry_and_a_pause(detector: PiiDetector) -> None:
    # "927" would make an expiry of its own, September 2027
    found = typed(detector, "Visa 4111 1111 1111 1111, expires 8/31, 927.")
    assert (E.EXPIRY, "8/31") in found
    assert (E.CVV, "927") in found


def test_two_dates_written_after_an_expiry_stay_dates(detector: PiiDetector) -> None:
    found = typed(detector, "the old card expired 3/29, 4/30 is the new one")
    assert E.CVV not in {kind for kind, _ in found}


def test_a_firm_answering_with_good_morning_is_no_person(detector: PiiDetector) -> None:
    for text in (
        "a:Snowline Plow and Ice, good morning. You're calling about a contract?",
        "a:Whitepine Plow and Ice, good afternoon.",
    ):
        [found] = said_in_turn(detector, text)
        assert names_in(found) == [], text


def test_a_mail_site_spelled_and_said_is_no_person(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:so thats ruthie at yahoo dot com",
        "no its a o l aol n my cell is four one four five five five oh one three three",
    )
    assert names_in(answer) == []


def test_routing_with_its_g_dropped_is_no_person(detector: PiiDetector) -> None:
    [found] = said_in_turn(
        detector, "routin triple fore oh seven won oh oh oh won n acct ate ate too five won six"
    )
    assert names_in(found) == []
