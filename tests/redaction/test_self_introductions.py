"""Callers who say who they are in lower-case text, where the tagger rarely reads a rare
name as a proper noun: "this is", "it's", "its", "i'm", "im" before a name that can hardly
be anything else, with the sentences those words usually start left alone."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from tests.redaction.forms import people


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hi this is leocadia fairweather we booked the cabin for june", "leocadia fairweather"),
        ("hi i need to move my cleaning its ottavio brambilla", "ottavio brambilla"),
        ("i want to cancel the standing order it's ysolde marchetti", "ysolde marchetti"),
        ("hi im radomir kowalczyk callin about the invoice", "radomir kowalczyk"),
        ("hi its radomir kowalczyk callin about the invoice", "radomir kowalczyk"),
        ("sorry its ingrith t vanderpool", "ingrith t vanderpool"),
        ("i'm thaddeus and i ordered the blue one", "thaddeus"),
    ],
)
def test_a_caller_says_who_they_are(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "its broken again since tuesday",
        "hi its fine now thanks",
        "this is ridiculous i was charged twice",
        "i'm flabbergasted honestly",
        "sure its april twelfth at two",
        "it's june 3rd for the delivery",
        "its payin out next week",
    ],
)
def test_what_those_words_usually_start_names_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # names made of words ("bell" + "amy") or with an ending ("and" + "ers")
        ("greenleaf orthotics this is anders whos the patient", "anders"),
        ("greenleaf this is bellamy callin for tobenna okeke his brace is ready", "bellamy"),
        ("greenleaf this is bellamy callin for tobenna okeke his brace is ready", "tobenna okeke"),
        # whose the card is
        ("its a visa and the name on it is lucius ambrose-thorne", "lucius ambrose-thorne"),
        ("expires oh ate twenty nine n the names wilhelmina castellanos", "wilhelmina castellanos"),
        ("The names are Anders Hjelmqvist and Yasmin Qadri.", "Anders Hjelmqvist"),
    ],
)
def test_a_name_said_where_one_is_expected(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text", ["the names list is long", "i need the names of the kids on the booking"]
)
def test_names_as_a_word_names_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "and my references are dorothea quillfeather and lorcan mulrooney",
            ["dorothea quillfeather", "lorcan mulrooney"],
        ),
        ("my name is ravindra and sunita chaudhry is my wife", ["ravindra", "sunita chaudhry"]),
        ("the groom is leopold okonkwo-hart", ["leopold okonkwo-hart"]),
        ("my maid of honor kenzie rutherglen her number is ate won ate", ["kenzie rutherglen"]),
        ("my hired man chuy velasco will sign for it", ["chuy velasco"]),
    ],
)
def test_people_listed_and_named_by_their_part(
    detector: PiiDetector, text: str, names: list[str]
) -> None:
    found = people(detector, text)
    assert all(name in found for name in names), found


@pytest.mark.parametrize(
    "text",
    [
        "my name is tobias grunwald and visa is my card",
        "the references are on file",
        "Midnight. Your file reference is ATLSM-30417.",
    ],
)
def test_and_or_a_reference_after_a_name_is_no_one(detector: PiiDetector, text: str) -> None:
    assert [n for n in people(detector, text) if "visa" in n or "ATLSM" in n or "file" in n] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm calling about my husband's surgery bill. He's Caspian Odunsi.", "Caspian Odunsi"),
        ("shes amira born three fifteen twenty fifteen", "amira"),
        ("hes tobiah and hes six", "tobiah"),
    ],
)
def test_who_a_call_is_about(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "He's Catholic.",
        "she's diabetic and on insulin",
        "hes calling back later",
        "she's fine thanks",
        "he's outta town",
    ],
)
def test_what_he_is_names_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, this is Rebecca Tanaka, Thandiwe's mom.", "Thandiwe"),
        ("im lucinda's daughter calling about her bill", "lucinda"),
    ],
)
def test_a_person_named_by_whose_relative_the_caller_is(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert any(name in found for found in people(detector, text))


def test_a_relatives_relative_names_no_one(detector: PiiDetector) -> None:
    assert people(detector, "my son's mom called about the bill") == []
