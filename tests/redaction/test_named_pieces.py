"""A number read in named pieces ("first three ... middle two ... last four ...") is the
kind of number asked for before it, every piece of it; the count word names a piece and
is no digit; a count of something else ("the first two payments") names no piece, and the
last four of a card asked for on its own still identify nobody."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("prompt", "line", "pieces"),
    [
        (
            "a:i'll need your social to open the claim",
            "okay social is first three nine six three middle two two one last four five"
            " eight nine four",
            [
                (E.US_SSN, "nine six three"),
                (E.US_SSN, "two one"),
                (E.US_SSN, "five eight nine four"),
            ],
        ),
        (
            "a:What's the Social on the account?",
            "First three are 9 4 1, then 22, then last four 7 0 3 8.",
            [(E.US_SSN, "9 4 1, then 22"), (E.US_SSN, "7 0 3 8")],
        ),
        (
            "a:go ahead with the card number",
            "first four 4532 next four 1187 next four 2290 last four 6412",
            [
                (E.CREDIT_CARD, "4532"),
                (E.CREDIT_CARD, "1187"),
                (E.CREDIT_CARD, "2290"),
                (E.CREDIT_CARD, "6412"),
            ],
        ),
    ],
)
def test_each_named_piece_is_the_number_asked_for(
    detector: PiiDetector, prompt: str, line: str, pieces: list[tuple[EntityType, str]]
) -> None:
    _, found = said_in_turn(detector, prompt, line)
    assert found == pieces


def test_a_count_of_something_else_names_no_piece(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and a good phone number for you",
        "five oh three five five five oh one six two",
        "the first two payments were 50 each",
    )
    assert found == []


def test_the_last_four_of_a_card_asked_alone_identify_nobody(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:go ahead with the card number",
        "first four 4532 next four 1187 next four 2290 last four 6412",
        "a:thanks and can i get the last four of the card on file too",
        "sure last four 5521",
    )
    assert found == []
