"""Round 43 (read from holdout78/79): codes keyed in or that open something ("punch in",
"opens with", "the padlock"); a long number's last "too" after pairs; a number taken back,
explained and begun again keeps the restart's kind; a read-back one digit off is still the
number just said; an account read on from the line before stops where this line's address
begins; a house number taken back and explained; an Amex code a few words after "code"."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("the back door sticks so just punch in 48217 when you get there", "48217"),
        ("Yes, 12 Orchard Row. The shed opens with 6093, it sticks a bit.", "6093"),
        ("Tell him the padlock on the side gate is 39105.", "39105"),
    ],
    ids=["punch-in", "opens-with", "padlock"],
)
def test_a_code_keyed_in_or_that_opens_something(
    detector: PiiDetector, said: str, code: str
) -> None:
    assert (E.PIN, code) in typed(detector, said)


@pytest.mark.parametrize(
    "said",
    [
        "the store opens with four staff at nine",
        "punch in your order number 44512 on the site",
        "the season opens with 3 home games",
        "I'll read the recovery key in groups of six: 331826, 504733 and 091265.",
    ],
)
def test_no_code_where_nothing_is_opened(detector: PiiDetector, said: str) -> None:
    assert not any(kind == E.PIN for kind, _ in typed(detector, said))


def test_a_long_numbers_last_too_after_pairs(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "social nine thirty too forty one fore sixteen too and im born may ninth seventy",
        prompt="for the hire form i need your social and birthday",
    )
    assert found[0] == (E.US_SSN, "nine thirty too forty one fore sixteen too")


def test_a_routing_number_taken_back_explained_and_begun_again(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:go ahead with the routing number then the account",
        "routin oh seven one oh oh oh one wait sorry i missed a digit lemme start over oh"
        " seven one oh oh oh oh one three",
    )
    assert found == [
        (E.BANK_ROUTING, "oh seven one oh oh oh one"),
        (E.BANK_ROUTING, "oh seven one oh oh oh oh one three"),
    ]


def test_a_read_back_one_digit_off_is_the_number_just_said(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:routing and account please",
        "routing oh two six oh oh nine five nine three account four four one two six",
        "a:so oh two six oh oh nine five ate three",
    )
    assert found == [(E.BANK_ROUTING, "oh two six oh oh nine five ate three")]


def test_a_read_back_unlike_the_number_just_said_keeps_its_own_reading(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:routing and account please",
        "routing oh two six oh oh nine five nine three account four four one two six",
        "a:and the account again was four four one two six seven seven oh",
    )
    assert all(kind != E.BANK_ROUTING for kind, _ in found)


def test_an_account_read_on_stops_where_the_address_begins(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:ach is fine read me the routing n account",
        "routin oh seven one oh oh oh oh one three account forty too sixty one oh too twenty"
        " seven ate ate four",
        "a:got it n ship where",
        "six oh won too larkspur ct dumont seven oh oh six six",
    )
    assert found == [(E.ADDRESS, "six oh won too larkspur ct dumont seven oh oh six six")]


def test_a_social_begun_goes_on_into_the_next_line(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i need your social date of birth and home address for the file",
        "its tomasz ruda n the social nine four oh two six",
        "three one one five n april ninth eighty one n i live at six two two birch ln",
    )
    assert found[0] == (E.US_SSN, "three one one five")


def test_a_house_number_taken_back_and_explained(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what address should the driver come to",
        "three one fore ate no wait thats the shop its nine oh six tamarack rd kellogg",
    )
    assert found == [
        (E.ADDRESS, "three one fore ate"),
        (E.ADDRESS, "nine oh six tamarack rd kellogg"),
    ]


def test_a_word_before_taking_back_is_no_house_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:is the shipping address still the one on file",
        "oh no we moved it should be two twelve quarry hill in sandpoint idaho",
    )
    assert found == [(E.ADDRESS, "two twelve quarry hill in sandpoint idaho")]


def test_an_amex_code_a_few_words_after_code(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "k amex three four one two nine six three",
        "oh four five two two seven one one exp may twenty nine n the code on front is oh"
        " double six ate",
    )
    assert found[-1] == (E.CVV, "oh double six ate")


def test_an_expiry_said_again_to_correct_a_read_back(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what card",
        "visa four five five six seven three two one oh nine eight one one two two oh"
        " expiring august thirty one code two two seven",
        "a:let me repeat that july thirty one and two two seven",
        "no august thirty one and please ship it to the shop",
    )
    assert (E.EXPIRY, "august thirty one") in found


def test_okay_after_a_code_read_back_is_no_street_or_initial(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:ok we can come out tonight whats the address",
        "four ten larch ave n the alarm code is six two six won nine",
        "a:so six two six won nine k n dorothea is on call shell be there by nine",
    )
    assert found == [(E.PIN, "six two six won nine"), (E.PERSON, "dorothea")]


def test_people_listed_with_plus(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "it's me tavita fonoti plus margaret lealaiauloto and the kids",
        prompt="who's on the booking",
    )
    assert (E.PERSON, "tavita fonoti") in found
