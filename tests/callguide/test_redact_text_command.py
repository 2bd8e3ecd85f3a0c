"""`callguide redact-text`: JSON lines in, one redacted JSON line out per line; a card read
as words is redacted, a price is not; bad input is named by its line, without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from callguide import cli

runner = CliRunner()

CARD = "four one one one one one one one one one one one one one one one"
LINES = [
    {"speaker": "customer", "text": f"sure, my card number is {CARD}"},
    {"speaker": "agent", "text": "The premium plan is $39.99 a month."},
    {"text": "and the expiry is oh four twenty eight"},  # the speaker defaults to customer
]


def redact(*args: str, lines: list[str]) -> Result:
    return runner.invoke(cli.app, ["redact-text", *args], input="".join(f"{x}\n" for x in lines))


def outputs(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("mode", [[], ["--per-line"]])
def test_a_card_read_as_words_is_redacted_and_a_price_is_not(mode: list[str]) -> None:
    out = outputs(redact(*mode, lines=[json.dumps(x) for x in LINES]))
    assert len(out) == len(LINES)
    for line in out:
        assert set(line) == {"text", "findings"}
        for finding in line["findings"]:
            assert set(finding) == {"type", "start", "end", "score"}

    card, price, expiry = out
    assert card["text"] == "sure, my card number is [CREDIT_CARD]"
    assert [f["type"] for f in card["findings"]] == ["CREDIT_CARD"]
    start, end = card["findings"][0]["start"], card["findings"][0]["end"]
    assert LINES[0]["text"][start:end] == CARD  # offsets into the input text
    assert price == {"text": LINES[1]["text"], "findings": []}
    assert "[EXPIRY]" in expiry["text"] and "twenty eight" not in expiry["text"]


def test_the_policy_file_decides_what_and_how(tmp_path: Path) -> None:
    policy = tmp_path / "cards.yaml"
    policy.write_text("entities: [CREDIT_CARD]\nstyle: mask\n")
    card, price, expiry = outputs(
        redact("--policy", str(policy), lines=[json.dumps(x) for x in LINES])
    )
    assert card["text"].startswith("sure, my card number is ")
    masked = card["text"].removeprefix("sure, my card number is ")
    assert len(masked) == len(CARD) and set(masked) <= {"*", " "}
    assert price["text"] == LINES[1]["text"]
    assert expiry == {"text": LINES[2]["text"], "findings": []}  # not in this policy


def test_blank_lines_are_skipped() -> None:
    out = outputs(redact(lines=[json.dumps(LINES[1]), "", "   ", json.dumps(LINES[1])]))
    assert len(out) == 2


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([json.dumps(LINES[1]), "not json"], "stdin: line 2: not valid JSON"),
        (['{"speaker": "agent"}'], 'stdin: line 1: missing "text"'),
        (["[1, 2]"], "stdin: line 1: expected a JSON object"),
    ],
)
def test_bad_input_names_the_line_without_a_traceback(lines: list[str], message: str) -> None:
    result = redact("--per-line", lines=lines)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in result.stderr and "Traceback" not in result.output


def test_a_bad_policy_file_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("score_threshold: 2\n")
    result = redact("--policy", str(policy), lines=[json.dumps(LINES[0])])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "score_threshold: Input should be less than or equal to 1" in result.stderr
    assert result.stdout == ""
