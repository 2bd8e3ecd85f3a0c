"""Redacting a transcript given as JSON lines: {"text": ..., "speaker": ...} per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from redaction.anonymize import anonymize
from redaction.conversation import redact_conversation
from redaction.detector import PiiDetector
from redaction.model import Finding, RedactedText
from redaction.policy import RedactionPolicy

DEFAULT_SPEAKER = "customer"


def _parse(number: int, line: str) -> tuple[str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {number}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise ValueError(f"line {number}: expected a JSON object, got {type(record).__name__}")
    if "text" not in record:
        raise ValueError(f'line {number}: missing "text"')
    text = record["text"]
    if not isinstance(text, str):
        raise ValueError(f'line {number}: "text" must be a string, got {type(text).__name__}')
    speaker = record.get("speaker", DEFAULT_SPEAKER)
    if not isinstance(speaker, str) or not speaker:
        raise ValueError(f'line {number}: "speaker" must be a non-empty string')
    return speaker, text


def _output(redacted: RedactedText) -> str:
    return json.dumps(
        {
            "text": redacted.text,
            "findings": [_finding(f) for f in redacted.findings],
        },
        ensure_ascii=False,
    )


def _finding(f: Finding) -> dict[str, object]:
    return {"type": f.type.value, "start": f.start, "end": f.end, "score": round(f.score, 3)}


def redact_jsonl(
    lines: Iterable[str],
    *,
    detector: PiiDetector,
    policy: RedactionPolicy,
    per_line: bool = False,
    salt: bytes = b"",
) -> Iterator[str]:
    """One output JSON line per input line, in order: {"text": redacted, "findings": [...]}
    with offsets into the input text. By default the lines are one conversation, each
    read with its speaker's neighbouring lines; `per_line` reads each line alone. Blank
    lines are skipped; a malformed line raises ValueError naming its line number."""
    parsed = (
        (number, _parse(number, line)) for number, line in enumerate(lines, start=1) if line.strip()
    )
    if per_line:
        for _, (_, text) in parsed:
            found = detector.detect(text, policy=policy)
            yield _output(
                RedactedText(
                    text=anonymize(text, found, style=policy.style, salt=salt), findings=found
                )
            )
        return
    records = [record for _, record in parsed]
    for redacted in redact_conversation(records, detector=detector, policy=policy, salt=salt):
        yield _output(redacted)
