"""Answers to a question for two things at once ("your date of birth and your passcode?",
"your social and date of birth"), and codes begun, taken back and said again: each
value keeps its own type and every digit said is hidden."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import typed

E = EntityType


@pytest.mark.parametrize(
    ("prompt", "text", "date", "code"),
    [
        (
            "For security, what's your date of birth and your account passcode?",
            "October 9, 1957, and the passcode is 740213.",
            "October 9, 1957",
            "740213",
        ),
        (
            "can you verify your name date of birth and the four digit pin",
            "lorcan fitzwilliam march third nineteen eighty two and the pin is six one six four",
            "march third nineteen eighty two",
            "six one six four",
        ),
    ],
)
def test_a_date_said_by_its_month_stays_whole_beside_a_code(
    detector: PiiDetector, prompt: str, text: str, date: str, code: str
) -> None:
    found = typed(detector, text, prompt=prompt)
    assert (E.DATE_OF_BIRTH, date) in found
    assert (E.PIN, code) in found


def test_a_social_broken_by_a_filler_before_the_birth_date(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "nine four two uh six oh won five ate seven n birthday too fourteen seventy won",
        prompt="ok i need ur social n date a birth",
    )
    assert (E.US_SSN, "nine four two uh six oh won five ate seven") in found
    assert (E.DATE_OF_BIRTH, "too fourteen seventy won") in found


@pytest.mark.parametrize(
    ("text", "slip", "code"),
    [
        ("the gate code is six too no wait six ate ate won", "six too", "six ate ate won"),
        ("lockbox code is five fore um no five nine too oh", "five fore", "five nine too oh"),
        ("the door code is 38, sorry, 3905", "38", "3905"),
    ],
)
def test_two_digits_taken_back_are_hidden_with_the_code(
    detector: PiiDetector, text: str, slip: str, code: str
) -> None:
    pins = [span for kind, span in typed(detector, text) if kind == E.PIN]
    assert any(slip in span for span in pins) and any(code in span for span in pins)


@pytest.mark.parametrize(
    "text",
    [
        "we need two no wait three boxes of the large size",
        "it was 45, sorry, 4500 dollars for the repair",
    ],
)
def test_a_quantity_corrected_is_no_code(detector: PiiDetector, text: str) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.PIN] == []
