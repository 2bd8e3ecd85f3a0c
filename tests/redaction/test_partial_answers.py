"""Answers that are short or whose cue is a verb: a PIN "set to" a value, an area code
said alone at the end of a line after a phone question, a number after "a text"."""

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
        ("so I changed it to nine one double two", "nine one double two"),
        ("we reset it to 5 5 0 8 last week", "5 5 0 8"),
        ("i set it to thirty one seventy", "thirty one seventy"),
    ],
)
def test_a_code_set_to_a_value_is_a_pin(detector: PiiDetector, text: str, span: str) -> None:
    assert typed(detector, text) == [(E.PIN, span)]


def test_setting_a_small_value_is_no_pin(detector: PiiDetector) -> None:
    assert typed(detector, "i set it to 72 degrees") == []
    assert typed(detector, "i set it to level three") == []


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        ("and a number we can call you back on?", "sure it's three one two", "three one two"),
        ("we'll send you a text to confirm, which number?", "uh 7 1 8", "7 1 8"),
    ],
)
def test_an_area_code_ending_the_line_after_a_phone_question(
    detector: PiiDetector, prompt: str, text: str, span: str
) -> None:
    assert typed(detector, text, prompt) == [(E.PHONE_NUMBER, span)]


def test_three_digits_mid_line_after_a_phone_question_stay(detector: PiiDetector) -> None:
    prompt = "what's the best phone number for you"
    assert typed(detector, "it's the 212 one, not the other", prompt) == []
