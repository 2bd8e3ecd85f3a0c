"""Two rare words read out as a name ("k i have salamato sow"), whom to ask for, an
account named right before a number spaced like a phone, a range of hours, and a birth
year said before the month."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("a:k i have salamato sow", "salamato sow"),
        ("the name on it should be salamatou sow", "salamatou sow"),
    ],
)
def test_a_name_read_out(detector: PiiDetector, line: str, name: str) -> None:
    *_, found = said_in_turn(detector, "a:what name goes on the stone", line)
    assert found == [(E.PERSON, name)]


def test_a_dish_is_no_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:what are you having", "i have pad thai")
    assert found == []


def test_whom_to_ask_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:a number for the delivery",
        "seven oh one five five five oh one four eight and ask for porsche if i don't pick up",
    )
    assert (E.PERSON, "porsche") in found
    *_, helped = said_in_turn(detector, "a:anything else", "ask for help if you need it")
    assert helped == []


def test_an_account_read_back_spaced_like_a_phone(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "It's 768 263 1328.", "a:Reading back, account 768 263 1328?"
    )
    assert found == [(E.BANK_ACCOUNT, "768 263 1328")]
    *_, phone = said_in_turn(detector, "a:and the account holder's cell?", "928-555-0173.")
    assert phone == [(E.PHONE_NUMBER, "928-555-0173")]


def test_a_range_of_hours_after_a_card(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:And the CVV?",
        "It's 204.",
        "a:Thanks. We deliver between 8 and 11. Delivery address and a contact phone?",
    )
    assert found == []


def test_a_birth_year_before_the_month(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Your Social and date of birth?",
        "Social is 917 62 9652. Birthday 1979, July 30th.",
    )
    assert found == [(E.US_SSN, "917 62 9652"), (E.DATE_OF_BIRTH, "1979, July 30th")]
