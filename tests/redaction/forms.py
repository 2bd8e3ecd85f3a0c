"""What the detector finds in a line, as (type, text), and the people among it: the
answer-form and name tests' helpers."""

from __future__ import annotations

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType


def typed(
    detector: PiiDetector,
    text: str,
    *,
    prompt: str = "",
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
) -> list[tuple[EntityType, str]]:
    findings = detector.detect(text, prompt=prompt, before=before, after=after)
    return [(f.type, text[f.start : f.end]) for f in findings]


def people(detector: PiiDetector, text: str, *, prompt: str = "") -> list[str]:
    """The PERSON findings' text in a line, after the other party's `prompt`."""
    return [
        found for kind, found in typed(detector, text, prompt=prompt) if kind == EntityType.PERSON
    ]


def said_in_call(
    call: ConversationRedactor, text: str, speaker: str
) -> list[tuple[EntityType, str]]:
    """What a call's redactor finds in its next line, as (type, text)."""
    return [(f.type, text[f.start : f.end]) for f in call.findings(text, speaker)]
