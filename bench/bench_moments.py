"""Where to put an example moment's similarity threshold, on a labelled set of pairs.

Run from the repo root::

    .venv/bin/python bench/bench_moments.py [--data FILE] [--step 0.01] [--show-pairs]

The data is tests/data/moments/pairs.jsonl: each line pairs an example sentence as a policy
author writes it (`example`) with a customer turn as said on the phone (`turn`), labelled
`same_intent` or not. `kind` says what sort of pair it is: `paraphrase` (same intent, other
words), `same_topic_other_intent` (the hard negatives: cancel vs upgrade a subscription,
a lost card vs activating the new one) or `other_topic`.

Each pair's score is what guidance.moments compares with a moment's `similarity`: the
cosine of the two texts' vectors from the default embedder (all-MiniLM-L6-v2). A pair
counts as predicted same-intent when its score is at or above the threshold. For each
threshold it prints precision, recall and F1 of the same-intent label, and at the end the
threshold with the best F1 (the middle of the best run when several tie), which is how
guidance.policy.DEFAULT_SIMILARITY was chosen, and the score range of each kind of pair.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guidance.embeddings import default_embedder
from guidance.policy import DEFAULT_SIMILARITY

DEFAULT_DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "moments" / "pairs.jsonl"


@dataclass(frozen=True)
class ScoredPair:
    example: str
    turn: str
    same_intent: bool
    kind: str
    score: float


@dataclass(frozen=True)
class Counts:
    threshold: float
    precision: float
    recall: float
    f1: float
    false_positives: int
    false_negatives: int


def load_pairs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score_pairs(pairs: list[dict]) -> list[ScoredPair]:
    embedder = default_embedder()
    texts = list(dict.fromkeys([p["example"] for p in pairs] + [p["turn"] for p in pairs]))
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    return [
        ScoredPair(
            p["example"],
            p["turn"],
            bool(p["same_intent"]),
            p["kind"],
            float(np.dot(vectors[p["example"]], vectors[p["turn"]])),
        )
        for p in pairs
    ]


def counts_at(scored: list[ScoredPair], threshold: float) -> Counts:
    true_pos = sum(p.same_intent and p.score >= threshold for p in scored)
    false_pos = sum(not p.same_intent and p.score >= threshold for p in scored)
    false_neg = sum(p.same_intent and p.score < threshold for p in scored)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Counts(threshold, precision, recall, f1, false_pos, false_neg)


def best_threshold(table: list[Counts]) -> Counts:
    """The best F1; among thresholds tying with it, the middle one of the first run, so the
    choice sits between the two classes rather than against either."""
    best = max(c.f1 for c in table)
    first = next(i for i, c in enumerate(table) if c.f1 == best)
    last = first
    while last + 1 < len(table) and table[last + 1].f1 == best:
        last += 1
    return table[(first + last) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--low", type=float, default=0.30)
    parser.add_argument("--high", type=float, default=0.75)
    parser.add_argument("--step", type=float, default=0.01)
    parser.add_argument("--show-pairs", action="store_true", help="every pair with its score")
    args = parser.parse_args()

    pairs = load_pairs(args.data)
    scored = score_pairs(pairs)
    positives = sum(p.same_intent for p in scored)
    print(f"{len(scored)} pairs: {positives} same intent, {len(scored) - positives} not")
    if args.show_pairs:
        for p in sorted(scored, key=lambda p: p.score, reverse=True):
            mark = "same" if p.same_intent else "diff"
            print(f"  {p.score:.3f} {mark} {p.kind:<24} {p.example!r} ~ {p.turn!r}")

    steps = round((args.high - args.low) / args.step)
    thresholds = [round(args.low + i * args.step, 4) for i in range(steps + 1)]
    table = [counts_at(scored, t) for t in thresholds]
    print(f"\n{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'FP':>4} {'FN':>4}")
    for c in table:
        print(
            f"{c.threshold:>9.2f} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}"
            f" {c.false_positives:>4} {c.false_negatives:>4}"
        )
    best = best_threshold(table)
    current = counts_at(scored, DEFAULT_SIMILARITY)
    print(
        f"\nbest F1 {best.f1:.3f} at {best.threshold:.2f}"
        f" (precision {best.precision:.3f}, recall {best.recall:.3f})"
    )
    print(
        f"DEFAULT_SIMILARITY {DEFAULT_SIMILARITY:.2f}: precision {current.precision:.3f},"
        f" recall {current.recall:.3f}, F1 {current.f1:.3f}"
    )
    print("\nscores by kind of pair (min / median / max):")
    for kind in dict.fromkeys(p.kind for p in scored):
        scores = [p.score for p in scored if p.kind == kind]
        print(
            f"  {kind:<24} n={len(scores):<3} {min(scores):.3f} / "
            f"{statistics.median(scores):.3f} / {max(scores):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
