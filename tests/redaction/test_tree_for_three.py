"""A recogniser writes "tree" for "three" among digits; a tree is still a tree."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_phone_with_tree_for_three(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:best callback number",
        "its nine fore tree five five five oh won won tree",
    )
    assert found == [(E.PHONE_NUMBER, "nine fore tree five five five oh won won tree")]


def test_a_social_with_tree_for_three(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:last four of the social", "uh oh five tree tree")
    assert found == [(E.US_SSN, "oh five tree tree")]


@pytest.mark.parametrize(
    "line",
    [
        "we lost one tree in the storm so the crew comes friday",
        "i want fifty tree stakes and a six foot tree",
        "the big tree fell on three cars",
    ],
)
def test_trees_are_trees(detector: PiiDetector, line: str) -> None:
    *_, found = said_in_turn(detector, "a:what can i do for you", line)
    assert found == []
