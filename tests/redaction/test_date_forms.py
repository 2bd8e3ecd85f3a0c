"""Dates said in forms that used to slip through: a full date with a four-digit year
said in groups without slashes (no cue needed), and an expiry as a month and a
two-digit year ("february thirty two")."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("yes, 11 3 1987", "11 3 1987"),
        ("it would be oh nine thirty nineteen seventy", "oh nine thirty nineteen seventy"),
        ("uh 7 4 1999 I think", "7 4 1999"),
    ],
)
def test_full_date_with_four_digit_year_is_a_birth_date(
    detector: PiiDetector, text: str, span: str
) -> None:
    assert typed(detector, text) == [(E.DATE_OF_BIRTH, span)]


@pytest.mark.parametrize(
    "text",
    [
        "we shipped 3 10 2025 last week",  # a recent year: no birth date
        "the order number is 4 5 1998",
    ],
)
def test_other_groups_ending_in_a_year_stay(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        ("when does the card expire?", "it's good till october thirty one", "october thirty one"),
        ("expiration date please", "uh, june thirty four", "june thirty four"),
        ("", "the visa is valid till may forty", "may forty"),
    ],
)
def test_expiry_as_month_and_two_digit_year(
    detector: PiiDetector, prompt: str, text: str, span: str
) -> None:
    assert typed(detector, text, prompt) == [(E.EXPIRY, span)]


def test_a_month_and_a_quantity_without_cue_stays(detector: PiiDetector) -> None:
    assert typed(detector, "back in march fifty of us signed up") == []


@pytest.mark.parametrize("word", ["febuary", "februry", "agust", "septmber", "novembr"])
def test_a_misspelt_month_is_still_the_month(detector: PiiDetector, word: str) -> None:
    text = f"{word} twenty ninth nineteen eighty four"
    assert typed(detector, text, prompt="and your date of birth?") == [(E.DATE_OF_BIRTH, text)]


def test_a_word_a_letter_from_a_month_is_not_one(detector: PiiDetector) -> None:
    text = "the match on the twenty third"  # "march" with one letter changed
    assert typed(detector, text, prompt="and your date of birth?") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Sure, it's 17.02.1983, European style.", "17.02.1983"),
        ("born 9.6.2001 in Ohio", "9.6.2001"),
    ],
)
def test_a_date_written_with_dots_is_no_decimal(
    detector: PiiDetector, text: str, span: str
) -> None:
    assert (E.DATE_OF_BIRTH, span) in typed(detector, text, "and your date of birth?")


def test_a_decimal_and_a_version_stay(detector: PiiDetector) -> None:
    assert typed(detector, "the add-on is 12.50 and the app is on 3.14.2") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("my son turns nine on October 4th, so the party is that weekend", "October 4th"),
        ("she's turning 70 on june twelfth", "june twelfth"),
        ("our twins turn six on the third of may", "third of may"),
    ],
)
def test_the_day_an_age_is_reached_is_a_birthday(
    detector: PiiDetector, text: str, span: str
) -> None:
    assert typed(detector, text) == [(E.DATE_OF_BIRTH, span)]


def test_a_date_something_else_turns_on_is_not(detector: PiiDetector) -> None:
    assert typed(detector, "the heat turns on on October 4th") == []


def test_of_heard_as_a_between_a_day_and_its_month(detector: PiiDetector) -> None:
    found = typed(detector, "forth a july fifty won", prompt="n whats ur date a birth")
    assert found == [(EntityType.DATE_OF_BIRTH, "forth a july fifty won")]
    assert typed(detector, "i have a july flight", prompt="n whats ur date a birth") == []
