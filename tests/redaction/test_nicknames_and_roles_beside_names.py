"""Everyday words that name someone by how they are known ("his nickname is waffles", "we
all call her pepper") or by the role said right after them ("Pickle, our installer,
...", "noodle the foreman said ..."), and the same shapes that name no one."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from tests.redaction.forms import people


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("my cousin bartholomew but his nickname is waffles", "waffles"),
        ("her nickname pickle stuck since grade school", "pickle"),
        ("we all call her pepper at the shop", "pepper"),
        ("everyone calls him tank", "tank"),
        ("my son goes by sprocket these days", "sprocket"),
    ],
)
def test_a_nickname_is_a_name(detector: PiiDetector, line: str, name: str) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    "line",
    [
        "we all call him back after the estimate",
        "everyone calls her tomorrow about the order",
        "the job goes by fast on weekends",
    ],
)
def test_what_follows_calling_someone_is_not_always_a_name(
    detector: PiiDetector, line: str
) -> None:
    assert people(detector, line) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("I'll send Pickle, our installer, on Friday morning.", "Pickle"),
        ("Thimble, my coach, said the form was missing.", "Thimble"),
        ("ok so noodle the foreman said to call about my check", "noodle"),
    ],
)
def test_a_word_with_a_role_right_after_it_is_a_name(
    detector: PiiDetector, line: str, name: str
) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    "line",
    [
        "please call the manager before noon",
        "can you ask our driver to wait outside",
        "the truck the driver took was blue",
        "at the depot our dispatcher said it left",
    ],
)
def test_a_verb_a_thing_or_a_place_before_a_role_is_no_one(
    detector: PiiDetector, line: str
) -> None:
    assert people(detector, line) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("its okonkwo from the feed store about my order", "okonkwo"),
        ("it's tavita calling from harbor rigging", "tavita"),
    ],
)
def test_a_caller_opening_with_who_and_where_from(
    detector: PiiDetector, line: str, name: str
) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    "line", ["it's water from the tank again", "its gravel from the quarry that you sent"]
)
def test_a_thing_and_where_it_comes_from_is_no_caller(detector: PiiDetector, line: str) -> None:
    assert people(detector, line) == []
