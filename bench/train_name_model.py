"""Trains the name model of `redaction/name_model.py` on the labelled transcripts.

Run from the repo root::

    .venv/bin/python bench/train_name_model.py [--hold-out SET ...] [--threshold P]
        [--folds K] [--out PATH]

Every word of every line of `tests/data/pii/*.jsonl` is one example, labelled a name
when it lies in a PERSON span. The sets named by `--hold-out` (by default the ones
`HELD_OUT` lists: sets written to measure the detector on text nobody tuned it on) are
left out, so that their figures stay honest. The model is scikit-learn's logistic
regression (L2, C=1); weights smaller than `--prune` are dropped, which keeps the file
small and changes no decision that matters.

`--folds K` first cross-validates by set (K folds of whole sets, so a writer's habits
never sit on both sides): for each threshold it prints how many words the model takes
for names that are names, and how many it takes that are no PII at all. The threshold
written is `--threshold`; a word beside one that has it needs `--neighbour-threshold`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction.name_model import WEIGHTS_FILE, WORD, NameModel, word_features  # noqa: E402

SETS = ROOT / "tests" / "data" / "pii"
# Sets written to measure the detector and not yet read: the model never sees them.
HELD_OUT = ("holdout80", "holdout81", "holdout82", "holdout83")
THRESHOLD = 0.9
# A word beside one of THRESHOLD needs only this: a surname after a sure given name.
NEIGHBOUR_THRESHOLD = 0.5
PRUNE = 0.2


def examples(path: Path) -> tuple[list[list[str]], list[bool], list[bool]]:
    """Per word: its features, whether it is a name, whether it is any PII."""
    feats, is_name, is_pii = [], [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        text, spans = line["text"], line.get("entities", [])
        words = list(WORD.finditer(text))
        for k, w in enumerate(words):
            inside = [s for s in spans if s["start"] < w.end() and w.start() < s["end"]]
            feats.append(word_features(text, words, k))
            is_name.append(any(s["type"] == "PERSON" for s in inside))
            is_pii.append(bool(inside))
    return feats, is_name, is_pii


def fit(feats: Sequence[list[str]], labels: Sequence[bool]) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in feats]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear
    model = LogisticRegression(C=1.0, solver="liblinear", max_iter=2000)
    model.fit(x, list(labels))
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 3) for n, w in zip(names, model.coef_[0], strict=True)}
    return weights, round(float(model.intercept_[0]), 3)


def cross_validate(sets: dict[str, tuple], folds: int, prune: float) -> None:
    names = sorted(sets)
    random.Random(0).shuffle(names)
    thresholds = (0.5, 0.7, 0.8, 0.9, 0.95)
    hits = dict.fromkeys(thresholds, 0)
    false = dict.fromkeys(thresholds, 0)
    total_names = 0
    for k in range(folds):
        test = names[k::folds]
        train = [n for n in names if n not in test]
        weights, bias = fit(
            [f for n in train for f in sets[n][0]], [y for n in train for y in sets[n][1]]
        )
        model = NameModel(
            weights={f: w for f, w in weights.items() if abs(w) >= prune},
            bias=bias,
            threshold=THRESHOLD,
            neighbour_threshold=NEIGHBOUR_THRESHOLD,
        )
        for n in test:
            for feats, name, pii in zip(*sets[n], strict=True):
                total_names += name
                p = model.probability(feats)
                for t in thresholds:
                    if p >= t:
                        hits[t] += name
                        false[t] += not pii
    print(f"cross-validation over {len(names)} sets, {folds} folds; {total_names} name words")
    for t in thresholds:
        print(f"  p >= {t:.2f}: {hits[t]:6d} name words found, {false[t]:5d} words of no PII")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--hold-out", nargs="*", default=list(HELD_OUT), metavar="SET")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--neighbour-threshold", type=float, default=NEIGHBOUR_THRESHOLD)
    parser.add_argument("--prune", type=float, default=PRUNE)
    parser.add_argument("--folds", type=int, default=0, help="cross-validate first")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = [p for p in sorted(SETS.glob("*.jsonl")) if p.stem not in set(args.hold_out)]
    sets = {p.stem: examples(p) for p in paths}
    if args.folds:
        cross_validate(sets, args.folds, args.prune)
    weights, bias = fit(
        [f for s in sets.values() for f in s[0]], [y for s in sets.values() for y in s[1]]
    )
    kept = {f: w for f, w in sorted(weights.items()) if abs(w) >= args.prune}
    model = {
        "trained_on": sorted(sets),
        "threshold": args.threshold,
        "neighbour_threshold": args.neighbour_threshold,
        "bias": bias,
        "weights": kept,
    }
    args.out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(kept)} of {len(weights)} weights kept; written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
