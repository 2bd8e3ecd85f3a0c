"""Mailboxes with an everyday word in them; ZIP codes begun with a heard digit or ending
an address while a code is asked for; a month said after a whole card is its expiry, and
no one is born in a year to come; "text" right before a number names a phone; times and
totals are no codes; firms answering in lower case; what is left of a number without a
digit, or a finding of function words alone, hides nothing."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "email"),
    [
        (
            "a:you're all set and the receipt goes to b dot her at gmail dot com like last time",
            "b dot her at gmail dot com",
        ),
        ("T her 64 at yahoo dot com, all lowercase.", "T her 64 at yahoo dot com"),
        ("its j dot him at outlook dot com", "j dot him at outlook dot com"),
    ],
)
def test_a_mailbox_with_an_everyday_word(detector: PiiDetector, line: str, email: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert (E.EMAIL_ADDRESS, email) in found


def test_a_zip_begun_with_a_heard_digit(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:whats the return address",
        "k ship it to fore too won maple ct apt too raleigh north carolina too seven six oh"
        " three n thats it",
    )
    assert found == [
        (
            E.ADDRESS,
            "fore too won maple ct apt too raleigh north carolina too seven six oh three",
        )
    ]


def test_a_zip_ending_an_address_is_no_code(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:confirm the address n any gate code",
        "six too oh oh birch way mount vernon ohio fore three oh five oh gate code won won"
        " six three",
    )
    assert found == [
        (E.ADDRESS, "six too oh oh birch way mount vernon ohio fore three oh five oh"),
        (E.PIN, "won won six three"),
    ]


@pytest.mark.parametrize(
    ("line", "expiry"),
    [
        (
            "visa fore won won won won won won won won won won won won won won won march twenty"
            " ate cvv six seven nine",
            "march twenty ate",
        ),
        (
            "put it on my mastercard five five five five five five five five five five five five"
            " four four four four july twenty thirty cvv seven three won",
            "july twenty thirty",
        ),
    ],
)
def test_a_month_after_a_whole_card_is_its_expiry(
    detector: PiiDetector, line: str, expiry: str
) -> None:
    *_, found = said_in_turn(detector, "i got charged twice for the birthday party package", line)
    assert (E.EXPIRY, expiry) in found
    assert not any(kind == E.DATE_OF_BIRTH for kind, _ in found)


@pytest.mark.parametrize(
    "line",
    [
        "a:all charged and we'll text nine two eight five five five oh one nine three when it"
        " ships",
        "a:all set n ill text tracking to the three five seven triple five oh won nine six",
    ],
)
def test_text_names_the_phone_after_a_card(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "amex three seven two four nine one six oh five seven", line)
    assert [kind for kind, _ in found] == [E.PHONE_NUMBER]


def test_a_card_broken_off_with_sry(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:n the card",
        "its discover six five three nine too too won sry lemme start over",
    )
    assert found == [(E.CREDIT_CARD, "six five three nine too too won")]


@pytest.mark.parametrize(
    ("line", "found_there"),
    [
        (
            "a:your door code is two oh seven four and it starts working at nine forty five",
            [(E.PIN, "two oh seven four")],
        ),
        ("a:perfect hell be there by like nine thirty", []),
        ("a:readin back n thats won thousand ate hundred twenty total", []),
    ],
)
def test_times_and_totals_are_no_codes(
    detector: PiiDetector, line: str, found_there: list[tuple[EntityType, str]]
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats ur social and the card",
        "social nine oh five nine won double five double ate n visa fore won won won won won won"
        " won won won won won won won won won",
        line,
    )
    assert found == found_there


def test_no_leftover_of_a_number_without_a_digit(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:i can pull up his account can you give me his date of birth and the service address",
        "march third nineteen forty one and it's six twelve quarry hill road",
    )
    assert found == [
        (E.DATE_OF_BIRTH, "march third nineteen forty one"),
        (E.ADDRESS, "six twelve quarry hill road"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "a:Wren and Thistle, subscription support. Can I have the name on the box?",
        "a:shady pines awning n pergola scheduling",
        "a:velvet mic karaoke whats up",
        "a:birch bark canoe and kayak rental how can i help",
    ],
)
def test_firms_answering(detector: PiiDetector, line: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == []


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("a:deeds office jomo speakin", ["jomo"]),
        ("a:crestmark mortgage mister lindqvist your renewal came in", ["lindqvist"]),
        ("a:Grace Kim, how can I help?", ["Grace Kim"]),
        ("The emergency contact is me, Otis Mbeki.", ["Otis Mbeki"]),
    ],
)
def test_people_answering_or_named(detector: PiiDetector, line: str, names: list[str]) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names
