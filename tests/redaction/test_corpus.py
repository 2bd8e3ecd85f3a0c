"""The labelled PII corpus (tests/data/pii/corpus.jsonl) is well formed and big enough.

These check the corpus, not the detector: bench/bench_redaction.py measures the detector
against it. Spoken numbers are read back to digits here ("double five" -> "55", "oh" ->
"0", "forty one" -> "41") so card numbers can be checked with Luhn and routing numbers
with the ABA checksum.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from redaction.checksums import aba_ok, luhn_ok
from redaction.model import EntityType

CORPUS = Path(__file__).resolve().parent.parent / "data" / "pii" / "corpus.jsonl"
SPEAKERS = {"customer", "agent"}
CONTINUES = "continues-next-line"  # the line's last span goes on in the speaker's next line
DROPPED = "asr-dropped-digit"  # a card number ASR lost a digit of: Luhn is not expected
MIN_PII_LINES = 400
MIN_CLEAN_LINES = 150
MIN_PER_TYPE = {t.value: 25 for t in EntityType} | {"CREDIT_CARD": 40, "US_SSN": 40}

UNITS = {
    w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())
}
UNITS["oh"] = "0"
UNITS["o"] = "0"
TEENS = {
    w: str(10 + i)
    for i, w in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
TENS = {
    w: str(i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
REPEAT = {"double": 2, "triple": 3}


def spoken_digits(text: str) -> str:
    """The digits a spoken or written number says; words that are not numbers are skipped."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", text.lower()) if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok.isdigit():
            out.append(tok)
        elif tok in REPEAT and (nxt in UNITS or (nxt.isdigit() and len(nxt) == 1)):
            out.append(UNITS.get(nxt, nxt) * REPEAT[tok])
            i += 1
        elif tok in UNITS:
            out.append(UNITS[tok])
        elif tok in TEENS:
            out.append(TEENS[tok])
        elif tok in TENS:
            if nxt in UNITS and UNITS[nxt] != "0" and nxt not in ("oh", "o"):
                out.append(TENS[tok] + UNITS[nxt])
                i += 1
            else:
                out.append(TENS[tok] + "0")
        elif tok == "hundred":
            out.append("00")
        i += 1
    return "".join(out)


def load() -> list[dict[str, Any]]:
    rows = []
    with CORPUS.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            assert raw.strip(), f"line {n} is empty"
            row = json.loads(raw)
            row["_line"] = n
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return load()


def span_text(row: dict[str, Any], e: dict[str, Any]) -> str:
    return str(row["text"][e["start"] : e["end"]])


def whole_numbers(rows: list[dict[str, Any]], etype: str) -> list[tuple[str, str, set[str]]]:
    """(where, digits, notes) per entity of a type, parts of continued numbers joined."""
    out: list[tuple[str, str, set[str]]] = []
    pending: dict[tuple[str, str], tuple[str, str, set[str]]] = {}
    for row in rows:
        key = (row["conversation"], row["speaker"])
        spans = [e for e in row["entities"] if e["type"] == etype]
        note = row.get("note", "")
        for k, e in enumerate(spans):
            digits = spoken_digits(span_text(row, e))
            where, notes = f"line {row['_line']}", {note} if note else set()
            if k == 0 and key in pending:
                where0, digits0, notes0 = pending.pop(key)
                where, digits, notes = f"{where0}+{row['_line']}", digits0 + digits, notes0 | notes
            if k == len(spans) - 1 and note == CONTINUES:
                pending[key] = (where, digits, notes)
            else:
                out.append((where, digits, notes))
    assert not pending, f"continued numbers with no next line: {pending}"
    return out


def test_every_line_has_the_fields_and_types(rows: list[dict[str, Any]]) -> None:
    types = {t.value for t in EntityType}
    for row in rows:
        where = f"line {row['_line']}"
        assert set(row) - {"_line"} <= {"conversation", "speaker", "text", "entities", "note"}, (
            where
        )
        assert re.fullmatch(r"c\d{4}", row["conversation"]), where
        assert row["speaker"] in SPEAKERS, where
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", where
        assert isinstance(row["entities"], list), where
        for e in row["entities"]:
            assert set(e) == {"type", "start", "end"}, where
            assert e["type"] in types, where


def test_offsets_are_inside_the_text_and_on_word_edges(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        text, where = row["text"], f"line {row['_line']}: {row['text']!r}"
        last_end = 0
        for e in sorted(row["entities"], key=lambda e: e["start"]):
            a, b = e["start"], e["end"]
            assert isinstance(a, int) and isinstance(b, int), where
            assert 0 <= a < b <= len(text), where
            assert a >= last_end, f"overlapping spans in {where}"
            last_end = b
            assert not text[a].isspace() and not text[b - 1].isspace(), where
            assert a == 0 or not text[a - 1].isalnum(), f"span cuts a word at {a} in {where}"
            assert b == len(text) or not text[b].isalnum(), f"span cuts a word at {b} in {where}"


def test_enough_pii_and_clean_lines(rows: list[dict[str, Any]]) -> None:
    pii = sum(1 for r in rows if r["entities"])
    clean = len(rows) - pii
    assert pii >= MIN_PII_LINES
    assert clean >= MIN_CLEAN_LINES


def test_every_type_has_enough_examples(rows: list[dict[str, Any]]) -> None:
    counts = Counter(e["type"] for r in rows for e in r["entities"])
    short = {t: counts[t] for t, n in MIN_PER_TYPE.items() if counts[t] < n}
    assert not short, f"too few examples: {short}"


def test_conversations_are_consecutive(rows: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    current = None
    sizes: Counter[str] = Counter()
    for row in rows:
        conv = row["conversation"]
        sizes[conv] += 1
        if conv != current:
            assert conv not in seen, f"conversation {conv} is split (line {row['_line']})"
            seen.add(conv)
            current = conv
    assert max(sizes.values()) <= 6


def test_card_numbers_pass_luhn(rows: list[dict[str, Any]]) -> None:
    cards = whole_numbers(rows, "CREDIT_CARD")
    assert len(cards) >= 40
    bad = []
    for where, digits, notes in cards:
        if DROPPED in notes:
            assert not luhn_ok(digits), f"{where}: marked {DROPPED} but passes Luhn"
            continue
        if not (13 <= len(digits) <= 19 and luhn_ok(digits)):
            bad.append((where, digits))
    assert not bad, f"card numbers failing Luhn: {bad}"
    assert any(DROPPED in notes for _, _, notes in cards)


def test_routing_numbers_pass_the_aba_checksum(rows: list[dict[str, Any]]) -> None:
    bad = [(w, d) for w, d, _ in whole_numbers(rows, "BANK_ROUTING") if not aba_ok(d)]
    assert not bad, f"routing numbers failing the ABA checksum: {bad}"


def test_social_security_numbers_have_nine_or_four_digits(rows: list[dict[str, Any]]) -> None:
    bad = [(w, d) for w, d, _ in whole_numbers(rows, "US_SSN") if len(d) not in (4, 9)]
    assert not bad, f"SSNs of odd length: {bad}"


def test_numbers_across_utterances_are_labelled_in_each_line(rows: list[dict[str, Any]]) -> None:
    continued = [r for r in rows if r.get("note") == CONTINUES]
    assert len(continued) >= 5
    for row in continued:
        assert row["entities"], f"line {row['_line']} continues a number it does not label"


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("four one one one", "4111"),
        ("double five, triple seven", "55777"),
        ("oh two one, uh, oh oh oh", "021000"),
        ("4 1 1 1 one one", "411111"),
        ("forty one eleven", "4111"),
        ("oh one ninety two", "0192"),
        ("eleven hundred", "1100"),
        ("twenty twenty seven", "2027"),
        ("3782-822463-10005", "378282246310005"),
    ],
)
def test_spoken_digits(spoken: str, digits: str) -> None:
    assert spoken_digits(spoken) == digits
