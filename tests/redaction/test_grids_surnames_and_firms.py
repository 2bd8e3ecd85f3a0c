"""Grid addresses ("1342 South 700 East"), streets named in French or Spanish after their
type ("rue de la paix"), a numbered road spelled ("f m nineteen sixty"), a flat number
misheard ("apartment for oh too"); a surname said after a given name found alone; people
known only by name ("a guy named ..."); a caller's "this <name> from <firm>"; a birth date
said year first; codes by "the back says" and card endings with the g dropped; and a
firm's last word before "how can i help", which names no one."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_call, typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("its 2264 West 3100 South, Ogden, Utah", "2264 West 3100 South, Ogden, Utah"),
        (
            "nine fifty north twelve hundred east in provo",
            "nine fifty north twelve hundred east in provo",
        ),
        (
            "please send it to nine twenty rue de la paix in lafayette louisiana",
            "nine twenty rue de la paix in lafayette louisiana",
        ),
        ("its seventeen ten f m twenty nine twenty", "seventeen ten f m twenty nine twenty"),
        (
            "forty two birch street apartment too oh won in albany",
            "forty two birch street apartment too oh won",
        ),
    ],
)
def test_grid_french_spelled_and_misheard_addresses(
    detector: PiiDetector, text: str, address: str
) -> None:
    found = [found for kind, found in typed(detector, text) if kind == E.ADDRESS]
    assert any(address in f for f in found), found


def test_a_distance_and_directions_are_no_grid_address(detector: PiiDetector) -> None:
    assert typed(detector, "we drove 40 miles north 20 east of town") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("yes and our second guest is marguerite okonjo so add her too", "marguerite okonjo"),
        ("its my dads card thaddeus wolcott hes right here", "thaddeus wolcott"),
    ],
)
def test_a_surname_after_a_given_name_found_alone(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


def test_a_contraction_after_a_name_is_no_surname(detector: PiiDetector) -> None:
    assert "lemme" not in " ".join(people(detector, "ok thaddeus lemme check that"))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("i think it was a guy named arlo pettibone he fixed it", "arlo pettibone"),
        ("hey this lucinda from harbor bait and tackle", "lucinda"),
        ("hi this radek novotny at pine street cellars", "radek novotny"),
    ],
)
def test_people_known_by_name_or_calling_from_a_firm(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "good morning maple ridge podiatry how can i help",
        "lakeview taxidermy how can i help",
        "hi this kombucha from the store tastes off",
    ],
)
def test_a_firm_s_last_word_or_a_thing_is_no_name(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_birth_date_said_year_first(detector: PiiDetector) -> None:
    said = "nineteen seventy six oh three oh nine"
    found = typed(detector, said, prompt="and ur date of birth")
    assert found == [(E.DATE_OF_BIRTH, said)]


def test_the_code_by_what_the_back_says(detector: PiiDetector) -> None:
    text = "Visa, 4006 2956 1878 4104, expires 01/29, and the back says 318."
    assert (E.CVV, "318") in typed(detector, text)


def test_a_card_ending_with_the_g_dropped_is_no_code(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "k whats the card", "agent")
    said_in_call(
        call,
        "visa four one one one one one one one one one one one one one one one exp oh nine "
        "twenty seven code four four one",
        "customer",
    )
    found = said_in_call(call, "thx charged to the card endin in nine ate three for", "agent")
    assert E.CVV not in [kind for kind, _ in found]
