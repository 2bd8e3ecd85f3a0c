"""The hand-written held-out PII sets (tests/data/pii/holdout*.jsonl) are well formed, so
that bench/bench_redaction.py scores what their writers labelled: every span lies inside
its line on word boundaries (an area code's "(" or a "+1" may open it), has a known
type, and overlaps no other."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from redaction.model import EntityType

SETS = sorted((Path(__file__).resolve().parent.parent / "data" / "pii").glob("holdout*.jsonl"))
TYPES = {t.value for t in EntityType}


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_a_held_out_set_is_well_formed(path: Path) -> None:
    conversations = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        where = f"{path.name}:{number}"
        assert row["speaker"] in ("agent", "customer"), where
        text: str = row["text"]
        conversations.add(row["conversation"])
        spans = sorted((e["start"], e["end"], e["type"]) for e in row["entities"])
        for start, end, kind in spans:
            assert kind in TYPES, where
            assert 0 <= start < end <= len(text), where
            said = text[start:end]
            assert said == said.strip() and (said[0].isalnum() or said[0] in "(+"), where
            assert start == 0 or not text[start - 1].isalnum(), where
            assert end == len(text) or not text[end].isalnum(), where
        for (_, end, _), (start, _, _) in itertools.pairwise(spans):
            assert end <= start, where
    assert len(conversations) >= 80, path.name
