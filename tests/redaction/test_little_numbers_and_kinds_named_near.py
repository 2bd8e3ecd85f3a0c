"""Round 44 (read from holdout80/81): "the little number" is a card's code; "the alarm is"
names a code; "number" in "the checking account number" is the account's; a kind named
right before a number outranks one asked for lines before; a code named after what it opens
is no card's, whatever card was paid with; a read-back's kind comes from the number just
said when only a question follows it; a card read back one digit off in written groups; a
date's day and year said before "and" and the social's last four."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


@pytest.mark.parametrize(
    ("said", "code"),
    [
        (
            "Mastercard 5425 2334 3010 9903, good through 03/29, and the little number is 417.",
            "417",
        ),
        (
            "amex three seven four two four five four five five one two six oh oh one exp"
            " june thirty the little number on the front is seven double three nine",
            "seven double three nine",
        ),
    ],
    ids=["written", "amex-in-words"],
)
def test_the_little_number_is_the_cards_code(detector: PiiDetector, said: str, code: str) -> None:
    assert typed(detector, said)[-1] == (E.CVV, code)


def test_the_alarm_is_names_a_code(detector: PiiDetector) -> None:
    found = typed(
        detector, "hes in the back pen n the shop alarm is thirty one seventy four oh nine"
    )
    assert found == [(E.PIN, "thirty one seventy four oh nine")]


def test_the_number_of_a_kind_named_before_it(detector: PiiDetector) -> None:
    found = typed(
        detector, "1604533, double 2, double 8.", prompt="Thanks. And the savings account number?"
    )
    assert found == [(E.BANK_ACCOUNT, "1604533, double 2, double 8")]


def test_a_kind_named_right_before_outranks_one_asked_long_before(
    detector: PiiDetector,
) -> None:
    found = typed(
        detector,
        "routing oh four eight one five three double zero three and the account is five two"
        " eight uh seven oh one nine four three",
        prompt="so i need a few things starting with your social\nand where should the first"
        " payment of twelve hundred go",
        before=("nine seven two four four one six oh eight and i was born july second sixty one",),
    )
    assert found[-1] == (E.BANK_ACCOUNT, "five two eight uh seven oh one nine four three")


def test_a_code_named_after_what_it_opens_is_no_cards(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:go ahead with the card",
        "visa four five five six seven three two one oh nine eight one one two two oh good"
        " through ten thirty and the code is two one four",
        "a:thanks and who lets the crew in next week",
        "my neighbor does but the spare key's in the lockbox behind the shed code eight one"
        " oh three",
    )
    assert found[-1] == (E.PIN, "eight one oh three")


def test_a_read_back_followed_by_a_question_keeps_the_kind_just_said(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:bright anvil forge payroll this is dana here is this the new apprentice",
        "yes thats me i start on the big gates project monday morning",
        "a:welcome i need ur social for the w fore first",
        "nine one four twenty two thirty seven eighty six",
        "a:nine one four two two three seven ate six n for direct deposit the routin n acct",
    )
    assert found == [(E.US_SSN, "nine one four two two three seven ate six")]


def test_a_card_read_back_one_digit_off_in_written_groups(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Go ahead with the card whenever you're ready.",
        "Visa, 4556 7375 8689 9855, expires May 2030, security code 318.",
        "a:Let me confirm: 4556 7375 8689 9865?",
    )
    assert found == [(E.CREDIT_CARD, "4556 7375 8689 9865")]


def test_a_dates_day_and_year_then_and_the_socials_last_four(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "October 3, 1977, and 6158.",
        prompt="To verify, your date of birth and the last 4 of your Social, then the bank's"
        " routing and account numbers.",
    )
    assert found == [(E.DATE_OF_BIRTH, "October 3, 1977"), (E.US_SSN, "6158")]


def test_a_town_english_hardly_has_said_right_after_the_street(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "sounds fair we're at 4126 juniper road vandelmoor out past the water tower",
        prompt="the survey is three hundred for the day",
    )
    assert found == [(E.ADDRESS, "4126 juniper road vandelmoor")]


def test_a_doctor_named_after_a_code_is_no_town(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:n the exp n the three digits on the back",
        "oct thirty one four sixty too n tell dr oyelaran the colt ate fine today",
    )
    assert (E.CVV, "four sixty too") in found
