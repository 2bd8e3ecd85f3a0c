"""Round 39: an amount said in thousands is no social, bank number or phone number; a ZIP
code whose last digit is heard as a word; a month said with its zero and a year where a card
is being paid; a name spelled with "I" said right after the spelling."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_an_amount_in_thousands_before_the_social_is_asked(detector: PiiDetector) -> None:
    assert (
        typed(detector, "the loan is six thousand two hundred n to run it i need ur social") == []
    )
    *_, found = said_in_turn(
        detector,
        "a:the quote was three thousand four hundred whats ur social",
        "nine one seven two two six four oh eight",
    )
    assert found == [(E.US_SSN, "nine one seven two two six four oh eight")]


def test_a_code_said_in_thousands_is_still_redacted(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "amex three seven fore six too won ate fore nine three six ate too won three",
        "a:and the four digit security code",
        "two thousand eight",
    )
    assert found == [(E.CVV, "two thousand eight")]


def test_a_zip_whose_last_digit_is_heard_as_a_word(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "so thats fore twenty won maple rd salida colorado ate won too won too right",
    )
    assert found == [(E.ADDRESS, "fore twenty won maple rd salida colorado ate won too won too")]


def test_a_month_with_its_zero_and_a_year_where_a_card_is_paid(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what card",
        "visa fore won too six ugh no this won says oh nine twenty five its expired",
    )
    assert (E.EXPIRY, "oh nine twenty five") in found
    assert typed(detector, "we open at oh nine twenty five on weekdays") == []


@pytest.mark.parametrize(
    ("spelled", "name"),
    [("e k w u e m e i", "e k w u e m e"), ("e-k-w-u-e-m-e-i", "e-k-w-u-e-m-e")],
)
def test_a_name_spelled_then_i_begins_the_next_clause(
    detector: PiiDetector, spelled: str, name: str
) -> None:
    found = typed(detector, f"hi i'm ruth ekwueme that's {spelled} ordered two bags")
    assert (E.PERSON, name) in found


def test_a_social_begun_after_a_birth_year_in_thousands(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "his birthday is may ninth two thousand four",
        "a:and i need your social as the cosigner",
        "nine one two six six",
    )
    assert found == [(E.US_SSN, "nine one two six six")]


def test_a_cards_first_group_broken_off(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and your birthday first",
        "may two eighty one and put it on visa four seven one two no wait that ones expired",
    )
    assert found == [(E.DATE_OF_BIRTH, "may two eighty one"), (E.CREDIT_CARD, "four seven one two")]
