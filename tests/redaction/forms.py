"""What the detector finds in a line, as (type, text): the answer-form tests' one helper."""

from __future__ import annotations

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
