"""A date of birth the recogniser garbled: in a birth context the month name and every
number said around it as a day and a year is one finding, valid date or not; without
one, nothing changes."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        ("and your date of birth?", "July 2, 1972-1979.", "July 2, 1972-1979"),
        ("can I get your birthday please", "uh March 40 9088", "March 40 9088"),
        ("and the date of birth on the account?", "it's the 3rd of June 85", "3rd of June 85"),
        (
            "and can I have your date of birth?",
            "it's the 22nd of September, 19 84 86",
            "22nd of September, 19 84 86",
        ),
        ("date of birth?", "sure it's 12 December 19", "12 December 19"),
        ("", "my birthday is november 31 1990 1991", "november 31 1990 1991"),
        ("", "born october 3 2 0 1 9 8", "october 3 2 0 1 9 8"),
        ("what's your DOB", "Feb 30th, 2 0 0 9 1", "Feb 30th, 2 0 0 9 1"),
    ],
)
def test_month_and_numbers_around_it_are_one_birth_date(
    detector: PiiDetector, prompt: str, text: str, span: str
) -> None:
    assert typed(detector, text, prompt) == [(E.DATE_OF_BIRTH, span)]


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        (
            "and your date of birth?",
            "oh seven forty two, seventy two",
            "oh seven forty two, seventy two",
        ),
        ("date of birth?", "it's 13 45 1980", "13 45 1980"),
        ("what is the birth date on file", "uh 19 31 72", "19 31 72"),
    ],
)
def test_digits_said_as_a_garbled_date_of_birth(
    detector: PiiDetector, prompt: str, text: str, span: str
) -> None:
    assert typed(detector, text, prompt) == [(E.DATE_OF_BIRTH, span)]


def test_the_birth_date_stops_before_the_next_number(detector: PiiDetector) -> None:
    text = "born March 2 1980, 4 4 5 5 is my pin"
    assert typed(detector, text) == [(E.DATE_OF_BIRTH, "March 2 1980"), (E.PIN, "4 4 5 5")]
    text = "born on the 2nd of feb 1977, and my pin is 4 4 5 5"
    assert typed(detector, text) == [(E.DATE_OF_BIRTH, "2nd of feb 1977"), (E.PIN, "4 4 5 5")]


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("what seems to be the problem?", "the plan changed on July 2, 2023"),
        ("when did you sign up?", "back in March 2019 I think"),
        ("", "I was born in march, I have 2 kids"),
        ("and your date of birth?", "sure, give me 2 minutes"),
        ("", "it's 29.99 a month since June 3"),
    ],
)
def test_dates_without_a_birth_context_stay(detector: PiiDetector, prompt: str, text: str) -> None:
    assert typed(detector, text, prompt) == []


def test_without_a_birth_context_a_garbled_date_keeps_todays_reading(
    detector: PiiDetector,
) -> None:
    # no month-name birth date is made up: July stays as it was
    found = typed(detector, "July 2, 1972-1979.", "what seems to be the problem?")
    assert all(not span.startswith("July") for _, span in found)
