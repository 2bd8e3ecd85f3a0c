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


def said_in_turn(detector: PiiDetector, *lines: str) -> list[list[tuple[EntityType, str]]]:
    """Each line's findings in one call, the lines said in turn: the customer's, or the
    agent's where a line starts with "a:"."""
    call = ConversationRedactor(detector=detector)
    out = []
    for line in lines:
        speaker, text = ("agent", line[2:]) if line.startswith("a:") else ("customer", line)
        out.append(said_in_call(call, text, speaker))
    return out


def names_in(found: list[tuple[EntityType, str]]) -> list[str]:
    """The PERSON findings' text among a line's findings."""
    return [text for kind, text in found if kind == EntityType.PERSON]
