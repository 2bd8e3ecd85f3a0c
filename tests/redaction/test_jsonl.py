"""Redacting JSON-lines transcripts."""

from __future__ import annotations

import json

import pytest

from redaction.detector import PiiDetector
from redaction.jsonl import redact_jsonl
from redaction.policy import RedactionPolicy

POLICY = RedactionPolicy()


def run(detector: PiiDetector, lines: list[str], **kwargs: object) -> list[dict[str, object]]:
    out = list(redact_jsonl(lines, detector=detector, policy=POLICY, **kwargs))  # type: ignore[arg-type]
    return [json.loads(line) for line in out]


def test_one_output_line_per_input_line_with_findings(detector: PiiDetector) -> None:
    text = "call me at 206-555-0198"
    [out] = run(detector, [json.dumps({"text": text, "speaker": "customer"})])
    assert out == {
        "text": "call me at [PHONE_NUMBER]",
        "findings": [{"type": "PHONE_NUMBER", "start": 11, "end": 23, "score": 0.95}],
    }
    assert text[11:23] == "206-555-0198"


def test_conversation_context_by_default_and_per_line_on_request(detector: PiiDetector) -> None:
    lines = [
        json.dumps({"text": "my card number is four one one one one one one one"}),
        json.dumps({"text": "sure", "speaker": "agent"}),
        json.dumps({"text": "one one one one one one one one"}),
    ]
    together = run(detector, lines)
    assert [o["text"] for o in together] == [
        "my card number is [CREDIT_CARD]",
        "sure",
        "[CREDIT_CARD]",
    ]
    alone = run(detector, lines, per_line=True)
    assert alone[2] == {"text": "one one one one one one one one", "findings": []}


def test_blank_lines_are_skipped(detector: PiiDetector) -> None:
    out = run(detector, ['{"text": "hello"}', "", "  ", '{"text": "bye"}'])
    assert [o["text"] for o in out] == ["hello", "bye"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('["text"]', "line 2: expected a JSON object"),
        ('{"speaker": "agent"}', 'line 2: missing "text"'),
        ('{"text": 5}', 'line 2: "text" must be a string'),
        ('{"text": "hi", "speaker": 3}', 'line 2: "speaker" must be a non-empty string'),
    ],
)
def test_malformed_lines_name_the_line(detector: PiiDetector, line: str, message: str) -> None:
    lines = ['{"text": "hello"}', line]
    for per_line in (False, True):
        with pytest.raises(ValueError, match=message):
            run(detector, lines, per_line=per_line)
