""" "The last four": of the social unless a card, account or phone is named; the "four" of
the phrase is no digit; and it says nothing of a number said before it."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from redaction.spoken import find_runs

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


def test_the_four_of_last_four_is_no_digit() -> None:
    assert [r.digits for r in find_runs("the last four four two nine one")] == ["4291"]
    assert [r.digits for r in find_runs("your last 4 are 8 8 0 3")] == ["8803"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("and my last four is two eight eight one", "two eight eight one"),
        ("the final four digits, nine nine oh seven", "nine nine oh seven"),
        ("ok, last four four four oh one checks out", "four four oh one"),
        ("last 4 digits 6 0 1 2", "6 0 1 2"),
    ],
)
def test_last_four_with_nothing_else_named_is_a_social(
    detector: PiiDetector, text: str, span: str
) -> None:
    assert (E.US_SSN, span) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "the card ending in 4412 was declined",
        "is it the visa, last four 3021?",
        "the last four of the checking account are 7710",
        "your phone number's last four, 0198, right?",
    ],
)
def test_last_four_of_something_named_stays(detector: PiiDetector, text: str) -> None:
    assert [t for t, _ in typed(detector, text)] == []


def test_a_number_in_the_question_does_not_push_its_cue_away(detector: PiiDetector) -> None:
    prompt = "my social security number is 4 0 1, 2 2, 7 7 3 9 and it's on the old plan too"
    assert typed(detector, "great, the last four seven seven three nine match", prompt) == [
        (E.US_SSN, "seven seven three nine")
    ]


def test_last_four_ahead_says_nothing_of_a_year_before_it(detector: PiiDetector) -> None:
    text = "born may the third nineteen seventy, and the last four are 5 5 1 2"
    out = typed(detector, text)
    assert (E.DATE_OF_BIRTH, "may the third nineteen seventy") in out
    assert (E.US_SSN, "5 5 1 2") in out


def test_a_cue_followed_by_its_own_number_names_only_that_one(detector: PiiDetector) -> None:
    text = "date of birth nine four eighty one, and my pin is 7 7 0 2"
    out = typed(detector, text)
    assert (E.DATE_OF_BIRTH, "nine four eighty one") in out
    assert (E.PIN, "7 7 0 2") in out
    # with nothing after it, a cue still names the number before it
    assert typed(detector, "it's 3 3 8 1, that's my pin") == [(E.PIN, "3 3 8 1")]
