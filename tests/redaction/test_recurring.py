"""A name said once in a call is a name when either party says it again, with no cue."""

from __future__ import annotations

from collections.abc import Sequence

from redaction.conversation import ConversationRedactor, redact_conversation
from redaction.detector import PiiDetector
from redaction.model import EntityType, Finding

LINES = [
    ("customer", "the lessons are for my grandson ezinne"),
    ("agent", "lovely, so ezinne starts on the ninth"),
    ("customer", "yes and ezinne is left handed if that matters"),
]


def _names(text: str, findings: Sequence[Finding]) -> list[str]:
    return [text[f.start : f.end] for f in findings if f.type == EntityType.PERSON]


def test_a_name_is_found_again_in_later_lines_live(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    found = [_names(text, redactor.redact(text, who).findings) for who, text in LINES]
    assert found == [["ezinne"], ["ezinne"], ["ezinne"]]


def test_a_name_is_found_again_in_later_lines_in_batch(detector: PiiDetector) -> None:
    out = redact_conversation(LINES, detector=detector)
    assert [_names(text, r.findings) for (_, text), r in zip(LINES, out, strict=True)] == [
        ["ezinne"],
        ["ezinne"],
        ["ezinne"],
    ]


def test_interim_text_is_checked_but_teaches_no_name(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    interim = redactor.findings("the lessons are for my grandson ezinne", "customer", record=False)
    assert _names("the lessons are for my grandson ezinne", interim) == ["ezinne"]
    later = "so ezinne starts on the ninth"
    assert _names(later, redactor.findings(later, "agent")) == []


def test_everyday_words_are_not_spread(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    first = "this is June at the front desk"
    assert _names(first, redactor.redact(first, "agent").findings) == ["June"]
    later = "we moved here in june"
    assert _names(later, redactor.redact(later, "customer").findings) == []
