"""What only looks like a person, a card's expiry or a social: a county that shares a given
name, a shop named before its trade or after its owner, a firm thanking the caller, "seven
a m", the day a job was done, a parcel's, a fare card's and a juror's numbers, a tax form
said "ten ninety nine", an amount "bout twelve hundred"; and an address with a loading
dock, an agent's short name before "whos callin". A person's own things and a caller's
name before the desk they ask for stay names."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


@pytest.mark.parametrize(
    "line",
    [
        "a:delmont county permits how can i help",
        "a:delmont county code enforcement whats the complaint",
        "la palma bakery the one on route twelve this is the manager",
        "a:yup seven a m n itll take bout fore hours",
    ],
)
def test_places_shops_and_times_are_no_people(detector: PiiDetector, line: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert [kind for kind, _ in found if kind == E.PERSON] == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (
            "My late mother Consuelo Soto's furniture sold in the June sale.",
            "Consuelo Soto's",
        ),
        ("the card's under lucy l. lindqvist billing zip eight three seven oh two", "lucy l."),
    ],
)
def test_a_persons_things_and_the_desk_after_a_name_keep_the_name(
    detector: PiiDetector, line: str, name: str
) -> None:
    (found,) = said_in_turn(detector, line)
    assert any(kind == E.PERSON and text.startswith(name) for kind, text in found)


def test_the_day_a_job_was_done_is_no_expiry(detector: PiiDetector) -> None:
    *_, done = said_in_turn(
        detector,
        "the state sticker in car won says it expired in may",
        "a:k we did ur inspection on june third the certificate is just late",
    )
    assert done == []
    *_, expiry = said_in_turn(detector, "a:whats the expiration", "june twenty seven")
    assert expiry == [(E.EXPIRY, "june twenty seven")]


def test_a_parcel_and_a_fare_card_by_their_numbers_are_no_pii(detector: PiiDetector) -> None:
    (parcel,) = said_in_turn(detector, "Parcel 07-113-0042. The second-half bill is $2,146.88.")
    (fare,) = said_in_turn(detector, "The serial on the back of the fare card is 22-0418-7736.")
    assert parcel == fare == []


def test_an_address_with_its_loading_dock(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector, "2863 Foundry Parkway, Dock 6, Elkhart, Indiana. Ask at the gate."
    )
    assert found == [(E.ADDRESS, "2863 Foundry Parkway, Dock 6, Elkhart, Indiana")]


def test_an_agent_greeting_with_a_short_name_before_whos_calling(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "a:county jury office this nkem whos callin")
    assert found == [(E.PERSON, "nkem")]


@pytest.mark.parametrize(
    "line",
    [
        "payroll says they need my social for a ten ninety nine",
        "a:ok thats for the ten ninety nine on ur social u got paid bout twelve hundred total",
        "yesenia ortiz juror number four four one two oh seven",
    ],
)
def test_a_form_an_amount_and_a_juror_number_are_no_numbers_of_a_person(
    detector: PiiDetector, line: str
) -> None:
    (found,) = said_in_turn(detector, line)
    assert [kind for kind, _ in found if kind != E.PERSON] == []


@pytest.mark.parametrize(
    "greeting", ["a:Sunlit Tanning, thanks for holding.", "a:Hatchet Hall, thanks for calling."]
)
def test_a_firm_thanking_the_caller_is_no_person(detector: PiiDetector, greeting: str) -> None:
    assert said_in_turn(detector, greeting) == [[]]


def test_a_shop_named_after_its_owner_is_no_second_person(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "new client ramon soto at soto tire we want nightly checks")
    assert [text for kind, text in found if kind == E.PERSON] == ["ramon soto"]
