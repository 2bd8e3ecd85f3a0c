"""Classes of spoken card numbers that used to slip through: zeros said as a chain of
"oh"s between pauses, a card said with a word of money around it, and long runs with no
cue at all."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from redaction.spoken import find_runs

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("three seven, oh oh oh oh, two", "3700002"),
        ("six oh, um, oh oh", "6000"),
        ("nine nine, sorry, oh oh oh, one", "990001"),
        ("oh oh oh five", "0005"),
    ],
)
def test_a_chain_of_ohs_between_pauses_is_zeros(text: str, digits: str) -> None:
    assert "".join(r.digits for r in find_runs(text)) == digits


@pytest.mark.parametrize("text", ["oh oh, I think I forgot it", "oh, oh right", "oh oh"])
def test_an_exclamation_is_no_number(text: str) -> None:
    assert find_runs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "it's five four five four, uh, five four five four, oh oh oh oh, oh oh oh oh",
        "go with six oh one one, um, oh oh oh oh, oh oh oh oh, oh oh oh four",
    ],
)
def test_card_with_zero_groups_said_as_ohs(detector: PiiDetector, text: str) -> None:
    out = typed(detector, text, prompt="what card would you like to use")
    assert [t for t, _ in out] == [E.CREDIT_CARD]
    assert out[0][1].endswith(("oh", "four"))


@pytest.mark.parametrize(
    "text",
    [
        "put the charge on 4242 4242 4242 4242 please",
        "pay the balance with four two four two, four two four two, four two four two, 4242",
        "the total can go on 5555555555554444",
    ],
)
def test_a_money_word_does_not_hide_a_card(detector: PiiDetector, text: str) -> None:
    assert [t for t, _ in typed(detector, text)] == [E.CREDIT_CARD]


@pytest.mark.parametrize(
    "text",
    [
        "the total is 1499 for the year",
        "your balance comes to two thousand four hundred",
        "the charge was 12 34",
    ],
)
def test_a_money_word_still_makes_short_numbers_amounts(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "okay it's six two two two, um, six two two two, six two two two",  # 12 of 16 said
        "right, 7 7 3 1, one sec, 2 0 0 8 uh 9 6 6 1",
        "so it's 6011 0009",  # the first groups of a card, the rest in the next line
    ],
)
def test_long_digit_runs_without_a_cue_are_redacted_as_cards(
    detector: PiiDetector, text: str
) -> None:
    assert [t for t, _ in typed(detector, text)] == [E.CREDIT_CARD]


@pytest.mark.parametrize(
    "text",
    [
        "the promo runs 2025 2026 for new lines",
        "we moved 4000 4000 of them last year",  # not at the end of the line
        "the order number is 1234 5678 9012 3456",
    ],
)
def test_harmless_grouped_numbers_stay(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    "text", ["the meter said 60614 this morning", "my usage was 10458 in june, way too high"]
)
def test_meter_readings_and_usage_are_no_pii(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []
