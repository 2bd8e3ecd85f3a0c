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
