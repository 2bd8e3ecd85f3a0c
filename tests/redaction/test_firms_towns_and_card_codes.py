"""What is no person: a town a trucker hauls out of, the building or the show a job is
at, a firm that answers the phone before the agent's name, a desk or "How can we help".
And the numbers after a card: a four-digit code after an Amex or when one is asked for,
an expiry and a code said after the card with only the month between, a code said after
the expiry with "and", a card paid "with discover", the phone a receipt is texted to, a
date's year before an e-mail, a town before "n"."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType

# A Visa test number said digit by digit.
_VISA = " ".join(["four"] + ["one"] * 15)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "Ama Boateng, I haul for you out of Joliet. I want my pay going to a new bank.",
            ["Ama Boateng"],
        ),
        ("Hi, I start nights at the Ravenholt building on Monday.", []),
        ("Hi, I'm on the install crew from the Vegas show.", []),
        # a town's name that is a person's too stays theirs where it is owned
        ("the card is in Madison's name", ["Madison"]),
    ],
)
def test_a_town_or_a_building_is_no_person(
    detector: PiiDetector, line: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


@pytest.mark.parametrize(
    ("greeting", "names"),
    [
        ("Birch and Bellows Glassworks, this is Odile.", ["Odile"]),
        # "and" inside a firm's name is no word the name ends before
        ("Northstar Tint and Wrap, this is Sabine.", ["Sabine"]),
        ("Brava Lumen, coaching office.", []),
        ("Meadowlark Hatchery. How can we help you?", []),
        # an agent calling a customer names the customer first
        ("Maria Lopez, this is John from Acme.", ["Maria Lopez", "John"]),
    ],
)
def test_a_firm_answering_the_phone_is_no_person(
    detector: PiiDetector, greeting: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, "a:" + greeting)
    assert names_in(found) == names


def test_words_on_the_line_before_a_name_do_not_make_it_a_place(
    detector: PiiDetector,
) -> None:
    """ "... butte mt", then "hemi rangitane ..." on the next line: "mt" ends the town and
    is no "Mount" before the name."""
    *_, answer = said_in_turn(
        detector,
        "we just moved to butte mt",
        "a:name n phone",
        "hemi rangitane fore oh six five five five oh won three seven",
    )
    assert (E.PERSON, "hemi rangitane") in answer


@pytest.mark.parametrize(
    ("lines", "expiry", "code"),
    [
        # after an Amex, the code has four digits: 05/2030 then 1426, not 05/2031 then 426
        (
            (
                "its an amex three seven one four four nine six three five three nine eight"
                " four three one",
                "a:expiration and the four digit code",
            ),
            "may twenty thirty",
            "one four two six",
        ),
        # ... and so when four digits are asked for
        (
            ("a:the expiration and the four digit code please",),
            "may twenty thirty",
            "one four two six",
        ),
        # with no card named and no length asked, the year is whole
        (("a:the expiration and the code please",), "may twenty thirty one", "four two six"),
    ],
)
def test_the_codes_length_decides_where_the_expiry_ends(
    detector: PiiDetector, lines: tuple[str, ...], expiry: str, code: str
) -> None:
    *_, found = said_in_turn(detector, *lines, "may twenty thirty one four two six")
    assert found == [(E.EXPIRY, expiry), (E.CVV, code)]


def test_the_expiry_and_code_after_a_card_and_the_phone_a_receipt_goes_to(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card for the deposit",
        f"visa {_VISA} march twenty nine four five two and text the receipt to three one"
        " two five five five oh one nine eight",
    )
    assert found == [
        (E.CREDIT_CARD, _VISA),
        (E.EXPIRY, "march twenty nine"),
        (E.CVV, "four five two"),
        (E.PHONE_NUMBER, "three one two five five five oh one nine eight"),
    ]


def test_a_number_after_the_expiry_and_and_is_the_code(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:the card number and the billing zip",
        f"{_VISA} zip six oh six one one expiration oh four twenty eight and six one two",
    )
    assert found[-2:] == [(E.EXPIRY, "oh four twenty eight"), (E.CVV, "six one two")]


def test_half_a_card_after_paying_with_discover(detector: PiiDetector) -> None:
    *_, half = said_in_turn(
        detector, "ill pay the balance with discover", "six oh one one two two ate ate"
    )
    assert half == [(E.CREDIT_CARD, "six oh one one two two ate ate")]
    # "discover" the verb names no card
    *_, count = said_in_turn(
        detector, "a:what did you discover on the roof", "six or seven shingles loose"
    )
    assert count == []


def test_a_dates_year_is_no_part_of_the_email_after_it(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "may third sixty one kofi b at aol dot com")
    assert found == [
        (E.DATE_OF_BIRTH, "may third sixty one"),
        (E.EMAIL_ADDRESS, "kofi b at aol dot com"),
    ]


def test_the_town_ends_before_n(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector, "its forty two quarry ln in dunmore n my email is kb at aol dot com"
    )
    assert found[0] == (E.ADDRESS, "forty two quarry ln in dunmore")


def test_a_gates_code_said_after_the_address_is_a_pin(detector: PiiDetector) -> None:
    *_, answer, read_back = said_in_turn(
        detector,
        "a:whats the address",
        "its forty one birch row and there's a gate the code is seven one four four two",
        "a:seven one four four two got it",
    )
    assert answer[-1] == (E.PIN, "seven one four four two")
    assert read_back == [(E.PIN, "seven one four four two")]


def test_the_agents_question_outranks_the_callers_earlier_line(detector: PiiDetector) -> None:
    """ "send me the invoice" names an invoice's number; the agent's question after it asks
    for the phone, and the answer is that."""
    *_, answer = said_in_turn(
        detector,
        "great can you send me the invoice",
        "a:sure what's the best number and do you want a copy by email too",
        "six one seven five five five oh one four four and ana ruiz at gmail dot com",
    )
    assert answer[0] == (E.PHONE_NUMBER, "six one seven five five five oh one four four")


def test_oh_too_after_the_day_is_the_year(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(detector, "a:n date a birth", "june eleventh oh too")
    assert answer == [(E.DATE_OF_BIRTH, "june eleventh oh too")]


def test_a_code_named_in_the_callers_earlier_line_still_governs(detector: PiiDetector) -> None:
    """Only what would stop a number ("the invoice") yields to the agent's question; the
    caller's own "alarm code" before an answer that asks nothing still names the code."""
    *_, answer = said_in_turn(
        detector,
        "and the cleaners still use alarm code 3605, right?",
        "a:Yes, that's what's in the notes.",
        "Change that to 7291. We reset it last week.",
    )
    assert answer == [(E.PIN, "7291")]
