"""A slip at a marina, a hangar at an airfield or a stall at a fairground is where a
caller is found; a street said before its house number is still an address; a highway
contract route is a rural route."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_slip_before_its_marina_and_street(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Where's the boat kept?",
        "Slip D-23, Haddock Point Marina, 436 Breakwater Road, Annapolis, MD 21403.",
    )
    assert found == [
        (E.ADDRESS, "Slip D-23, Haddock Point Marina"),
        (E.ADDRESS, "436 Breakwater Road, Annapolis, MD 21403"),
    ]


def test_a_marina_before_its_slip(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:where do we meet the boat",
        "shes at pelican point marina slip fifty tree gate code is nine won nine six too",
    )
    assert (E.ADDRESS, "pelican point marina slip fifty tree") in found
    *_, hangar = said_in_turn(
        detector, "a:where's the plane", "hangar twelve b at cedar valley airpark"
    )
    assert hangar == [(E.ADDRESS, "hangar twelve b at cedar valley airpark")]


@pytest.mark.parametrize(
    "line", ["we have a booth 12 at the show this weekend", "the mower's in stall four"]
)
def test_a_booth_with_no_facility_or_question_is_no_address(
    detector: PiiDetector, line: str
) -> None:
    *_, found = said_in_turn(detector, "a:anything else", line)
    assert found == []


def test_a_street_said_before_its_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:And the new address?",
        "It's on Vine Street, number 212, unit 3B, Burlington, Vermont 05401.",
    )
    assert found == [(E.ADDRESS, "Vine Street, number 212, unit 3B, Burlington, Vermont 05401")]
    *_, noisy = said_in_turn(
        detector,
        "a:where are we shipping",
        "i moved so ship to sahara lane number ate forty too apt too tucson ate five seven won won",
    )
    assert noisy == [
        (
            E.ADDRESS,
            "sahara lane number ate forty too apt too tucson ate five seven won won",
        )
    ]


def test_a_street_and_a_count_after_it_is_no_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:how was the parade", "we walked down main street for 20 minutes"
    )
    assert found == []


def test_a_highway_contract_route(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:where does the paper stub go",
        "to h c too box fore oh ate buffalo wyoming ate too ate fore won",
    )
    assert found == [(E.ADDRESS, "h c too box fore oh ate buffalo wyoming ate too ate fore won")]
