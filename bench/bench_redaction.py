"""Recall, precision and latency of PII redaction on the labelled transcript corpus.

Run from the repo root::

    .venv/bin/python bench/bench_redaction.py [--mode live|batch] [--corpus PATH]
        [--show-misses N] [--json out.json] [--strict] [--nlp-model NAME]
        [--split dev|test|all]

The corpus is tests/data/pii/corpus.jsonl (its README says how it was made): contact-center
ASR lines, each with its PII spans labelled by type, grouped into conversations. One
`PiiDetector` is built (its load time is printed) and warmed on a few made-up lines, then:

* live mode (the default) gives each conversation its own `ConversationRedactor` and feeds
  it the lines one by one with their speaker, as a call's finals arrive: a line is
  redacted seeing only the lines before it, and a line may revise its speaker's previous
  one (a number begun there turns out a card once its rest is heard: the kinds change,
  the spans stay), as the call's stored transcript is revised. Each `redact` call is
  timed on its own;
* batch mode hands each whole conversation to `redact_conversation` (every line can see
  the whole call); the time per line is the conversation's time over its line count.

Both use `DEFAULT_POLICY`. Scoring, per entity type:

* gold: labelled spans of that type;
* recall: a gold span counts as found when findings of its own type cover at least 80% of
  its non-space characters (findings may be split, e.g. one per digit group);
* redacted (any type): the same with findings of any type; a span whose type was guessed
  wrong is still hidden, so this is what matters for leaks;
* precision: of the findings of that type, those overlapping some gold span (of any type)
  by at least one character; a finding touching no gold span is a false positive.

The overall line gives recall and "redacted" over all gold spans and precision over all
findings. Timing: p50, p95 and max of the per-line times in milliseconds, on this machine.
Targets, printed beside the figures (a missed one is marked MISSED): recall >= 0.98 for
CREDIT_CARD and US_SSN and >= 0.95 for every other type; precision >= 0.90 overall; p95 <=
20 ms per line.

`--split dev|test|all` (default all) scores part of the corpus: dev is the conversations
whose number is even (c0002, c0004, ...), test those whose number is odd. `--corpus`
scores another file, such as the hand-written tests/data/pii/holdout*.jsonl. A corpus
whose misses have been read while changing the detector no longer says how it
generalises: the honest figure is a fresh set's first run (docs/benchmarks.md keeps the
record).

`--show-misses N` prints up to N missed gold spans (with the findings that touch them) and
up to N false positives, each with its line; `--json` writes everything, every miss
included, to a file. Exits 0 unless `--strict` is given and a target is missed (then 1);
2 when the detector cannot be loaded or gives back something that cannot be scored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from redaction.policy import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "pii" / "corpus.jsonl"
TYPES = (
    "CREDIT_CARD",
    "CVV",
    "EXPIRY",
    "US_SSN",
    "BANK_ACCOUNT",
    "BANK_ROUTING",
    "PIN",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "DATE_OF_BIRTH",
    "ADDRESS",
    "PERSON",
)
COVER = 0.8  # share of a gold span's non-space characters findings must cover
TARGET_RECALL = {t: 0.95 for t in TYPES} | {"CREDIT_CARD": 0.98, "US_SSN": 0.98}
TARGET_PRECISION = 0.90
TARGET_P95_MS = 20.0
WARMUP = [
    ("agent", "Thanks for calling, can I get the card number?"),
    ("customer", "sure it's four one one one, one one one one, one one one one, one one one one"),
    ("customer", "my name is Jane Doe and I was born March 3rd, 1980"),
    ("agent", "Your bill is forty nine ninety nine a month."),
]


@dataclass(frozen=True)
class Gold:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Line:
    number: int  # line number in the corpus file, 1-based
    conversation: str
    speaker: str
    text: str
    gold: tuple[Gold, ...]


@dataclass(frozen=True)
class Found:
    type: str
    start: int
    end: int
    score: float


@dataclass
class TypeScore:
    gold: int = 0
    recalled: int = 0  # by findings of the same type
    redacted: int = 0  # by findings of any type
    found: int = 0  # findings of this type
    true_positive: int = 0  # of those, overlapping some gold span

    def recall(self) -> float | None:
        return self.recalled / self.gold if self.gold else None

    def redacted_share(self) -> float | None:
        return self.redacted / self.gold if self.gold else None

    def precision(self) -> float | None:
        return self.true_positive / self.found if self.found else None


@dataclass
class Miss:
    line: int
    conversation: str
    speaker: str
    type: str
    span: str
    covered_same_type: float
    covered_any_type: float
    touching: list[str]  # the findings overlapping it: "PHONE_NUMBER 'text' 0.85"
    text: str


@dataclass
class FalsePositive:
    line: int
    conversation: str
    speaker: str
    type: str
    span: str
    score: float
    text: str


@dataclass
class Scores:
    types: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in TYPES})
    misses: list[Miss] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)
    bad_offsets: int = 0  # findings outside their text (clamped)

    def total(self) -> TypeScore:
        out = TypeScore()
        for s in self.types.values():
            out.gold += s.gold
            out.recalled += s.recalled
            out.redacted += s.redacted
            out.found += s.found
            out.true_positive += s.true_positive
        return out


# --------------------------------------------------------------------------- corpus


def load_corpus(path: Path) -> list[list[Line]]:
    """Conversations in file order, each a list of its lines in spoken order."""
    convs: list[list[Line]] = []
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            row = json.loads(raw)
            gold = tuple(Gold(e["type"], e["start"], e["end"]) for e in row["entities"])
            line = Line(n, row["conversation"], row["speaker"], row["text"], gold)
            if convs and convs[-1][0].conversation == line.conversation:
                convs[-1].append(line)
            else:
                convs.append([line])
    return convs


def in_split(conversation: str, split: str) -> bool:
    """dev: conversations whose number is even; test: odd; all: every one."""
    if split == "all":
        return True
    digits = "".join(ch for ch in conversation if ch.isdigit())
    if not digits:
        return split == "test"
    even = int(digits) % 2 == 0
    return even if split == "dev" else not even


def select_split(convs: Sequence[list[Line]], split: str) -> list[list[Line]]:
    return [c for c in convs if in_split(c[0].conversation, split)]


# --------------------------------------------------------------------------- scoring


def non_space(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if not text[i].isspace()}


def coverage(text: str, gold: Gold, findings: Iterable[Found]) -> float:
    want = non_space(text, gold.start, gold.end)
    if not want:
        return 1.0
    have: set[int] = set()
    for f in findings:
        have.update(range(max(f.start, gold.start), min(f.end, gold.end)))
    return len(want & have) / len(want)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_line(scores: Scores, line: Line, findings: Sequence[Found]) -> None:
    text = line.text
    clamped = []
    for f in findings:
        start, end = max(0, f.start), min(len(text), f.end)
        if (start, end) != (f.start, f.end):
            scores.bad_offsets += 1
        if start < end:
            clamped.append(Found(f.type, start, end, f.score))
    for g in line.gold:
        s = scores.types.setdefault(g.type, TypeScore())
        s.gold += 1
        same = coverage(text, g, (f for f in clamped if f.type == g.type))
        anyt = coverage(text, g, clamped)
        s.recalled += same >= COVER
        s.redacted += anyt >= COVER
        if same < COVER:
            touching = [
                f"{f.type} {text[f.start : f.end]!r} {f.score:.2f}"
                for f in clamped
                if overlaps(f.start, f.end, g.start, g.end)
            ]
            scores.misses.append(
                Miss(
                    line.number,
                    line.conversation,
                    line.speaker,
                    g.type,
                    text[g.start : g.end],
                    round(same, 3),
                    round(anyt, 3),
                    touching,
                    text,
                )
            )
    for f in clamped:
        s = scores.types.setdefault(f.type, TypeScore())
        s.found += 1
        if any(overlaps(f.start, f.end, g.start, g.end) for g in line.gold):
            s.true_positive += 1
        else:
            scores.false_positives.append(
                FalsePositive(
                    line.number,
                    line.conversation,
                    line.speaker,
                    f.type,
                    text[f.start : f.end],
                    round(f.score, 3),
                    text,
                )
            )


def score(convs: Sequence[Sequence[Line]], findings: dict[int, list[Found]]) -> Scores:
    """findings: per corpus line number, what the detector redacted in that line."""
    scores = Scores()
    for conv in convs:
        for line in conv:
            score_line(scores, line, findings.get(line.number, []))
    return scores


# --------------------------------------------------------------------------- running


def as_found(findings: Iterable[Any]) -> list[Found]:
    out = []
    for f in findings:
        kind = getattr(f.type, "value", f.type)
        out.append(Found(str(kind), int(f.start), int(f.end), float(f.score)))
    return out


def run_live(
    convs: Sequence[Sequence[Line]], detector: Any, policy: Any
) -> tuple[dict[int, list[Found]], list[float]]:
    from redaction.conversation import ConversationRedactor

    found: dict[int, list[Found]] = {}
    times: list[float] = []
    for conv in convs:
        redactor = ConversationRedactor(detector=detector, policy=policy)
        for i, line in enumerate(conv):
            t0 = time.perf_counter()
            out = redactor.redact(line.text, line.speaker)
            times.append((time.perf_counter() - t0) * 1000)
            found[line.number] = as_found(out.findings)
            if out.revision is not None:
                # the call's stored transcript takes the revision of the earlier line
                found[conv[i - out.revision.lines_back].number] = as_found(out.revision.findings)
    return found, times


def run_batch(
    convs: Sequence[Sequence[Line]], detector: Any, policy: Any
) -> tuple[dict[int, list[Found]], list[float]]:
    from redaction.conversation import redact_conversation

    found: dict[int, list[Found]] = {}
    times: list[float] = []
    for conv in convs:
        t0 = time.perf_counter()
        outs = redact_conversation(
            [(line.speaker, line.text) for line in conv], detector=detector, policy=policy
        )
        elapsed = (time.perf_counter() - t0) * 1000
        if len(outs) != len(conv):
            raise RuntimeError(f"{conv[0].conversation}: {len(conv)} lines in, {len(outs)} out")
        times.extend([elapsed / len(conv)] * len(conv))
        for line, out in zip(conv, outs, strict=True):
            found[line.number] = as_found(out.findings)
    return found, times


def warm_up(mode: str, detector: Any, policy: Any) -> None:
    from redaction.conversation import ConversationRedactor, redact_conversation

    for _ in range(3):
        if mode == "live":
            redactor = ConversationRedactor(detector=detector, policy=policy)
            for speaker, text in WARMUP:
                redactor.redact(text, speaker)
        else:
            redact_conversation(WARMUP, detector=detector, policy=policy)


# --------------------------------------------------------------------------- report


def timing(times: Sequence[float]) -> dict[str, float]:
    if not times:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0, "mean_ms": 0.0}
    arr = np.asarray(times)
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 3),
        "p95_ms": round(float(np.percentile(arr, 95)), 3),
        "max_ms": round(float(arr.max()), 3),
        "mean_ms": round(float(arr.mean()), 3),
    }


def missed_targets(scores: Scores, times: dict[str, float]) -> list[str]:
    missed = []
    for t in TYPES:
        r = scores.types[t].recall()
        if r is not None and r < TARGET_RECALL[t]:
            missed.append(f"{t} recall {r:.3f} < {TARGET_RECALL[t]:.2f}")
    p = scores.total().precision()
    if p is not None and p < TARGET_PRECISION:
        missed.append(f"overall precision {p:.3f} < {TARGET_PRECISION:.2f}")
    if times["p95_ms"] > TARGET_P95_MS:
        missed.append(f"p95 {times['p95_ms']:.1f} ms > {TARGET_P95_MS:.0f} ms")
    return missed


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def report_lines(scores: Scores, times: dict[str, float], n_lines: int) -> list[str]:
    out = [
        f"{'type':<14} {'gold':>5}  {'recall':>6}  {'target':>6}  {'redacted (any type)':>19}"
        f"  {'found':>5}  {'precision':>9}"
    ]
    extra = [t for t in scores.types if t not in TYPES]  # types the corpus does not have
    for t in (*TYPES, *extra):
        s = scores.types[t]
        r = s.recall()
        target = TARGET_RECALL.get(t)
        mark = "  MISSED" if r is not None and target is not None and r < target else ""
        tgt = f">={target:.2f}" if target is not None else ""
        out.append(
            f"{t:<14} {s.gold:>5}  {fmt(r):>6}  {tgt:>6}  {fmt(s.redacted_share()):>19}"
            f"  {s.found:>5}  {fmt(s.precision()):>9}{mark}"
        )
    tot = scores.total()
    p = tot.precision()
    mark = "  MISSED" if p is not None and p < TARGET_PRECISION else ""
    out.append(
        f"{'all':<14} {tot.gold:>5}  {fmt(tot.recall()):>6}  {'':>6}  "
        f"{fmt(tot.redacted_share()):>19}  {tot.found:>5}  {fmt(p):>9}"
        f"  (target >={TARGET_PRECISION:.2f}){mark}"
    )
    leaked = tot.gold - tot.redacted
    out.append(
        f"gold spans left unredacted by any finding: {leaked}; "
        f"false positives: {len(scores.false_positives)}"
    )
    mark = "  MISSED" if times["p95_ms"] > TARGET_P95_MS else ""
    out.append(
        f"time per line: p50 {times['p50_ms']:.2f} ms, p95 {times['p95_ms']:.2f} ms "
        f"(target <={TARGET_P95_MS:.0f}){mark}, max {times['max_ms']:.2f} ms, "
        f"mean {times['mean_ms']:.2f} ms over {n_lines} lines"
    )
    if scores.bad_offsets:
        out.append(f"warning: {scores.bad_offsets} findings reached outside their text")
    return out


def miss_lines(scores: Scores, n: int) -> list[str]:
    out = [f"missed gold spans ({len(scores.misses)}, showing up to {n}):"]
    for m in scores.misses[:n]:
        found = "; ".join(m.touching) if m.touching else "nothing"
        out.append(
            f"  {m.conversation} line {m.line} {m.speaker} {m.type} {m.span!r} "
            f"(covered {m.covered_same_type:.2f} same type, {m.covered_any_type:.2f} any) "
            f"found: {found}"
        )
        out.append(f"      {m.text}")
    out.append(f"false positives ({len(scores.false_positives)}, showing up to {n}):")
    for fp in scores.false_positives[:n]:
        out.append(
            f"  {fp.conversation} line {fp.line} {fp.speaker} {fp.type} {fp.span!r} {fp.score:.2f}"
        )
        out.append(f"      {fp.text}")
    return out


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mode", choices=("live", "batch"), default="live")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--nlp-model", default=None, help="spaCy model for PiiDetector")
    parser.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="all",
        help="dev: even-numbered conversations, test: odd ones (default all)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    convs = select_split(load_corpus(args.corpus), args.split)
    n_lines = sum(len(c) for c in convs)
    try:
        from redaction.detector import PiiDetector

        t0 = time.perf_counter()
        kwargs = {"nlp_model": args.nlp_model} if args.nlp_model else {}
        detector = PiiDetector(**kwargs)
        load_s = time.perf_counter() - t0
        warm_up(args.mode, detector, DEFAULT_POLICY)
    except ImportError as exc:
        print(f"cannot load the detector: {exc}", file=sys.stderr)
        return 2
    run = run_live if args.mode == "live" else run_batch
    try:
        findings, times = run(convs, detector, DEFAULT_POLICY)
    except RuntimeError as exc:
        print(f"cannot score the detector: {exc}", file=sys.stderr)
        return 2
    scores = score(convs, findings)
    tm = timing(times)
    missed = missed_targets(scores, tm)

    try:
        shown = args.corpus.resolve().relative_to(ROOT)
    except ValueError:
        shown = args.corpus
    print(
        f"PII redaction, {args.mode} mode: {n_lines} lines in {len(convs)} conversations"
        f" ({shown}, split {args.split})"
    )
    print(f"detector loaded in {load_s:.2f} s, then warmed on {len(WARMUP)} lines x 3")
    for line in report_lines(scores, tm, n_lines):
        print(line)
    print("targets: all met" if not missed else f"targets missed: {'; '.join(missed)}")
    if args.show_misses:
        for line in miss_lines(scores, args.show_misses):
            print(line)

    if args.json:
        tot = scores.total()
        result = {
            "mode": args.mode,
            "corpus": str(shown),
            "split": args.split,
            "lines": n_lines,
            "conversations": len(convs),
            "detector_load_s": round(load_s, 3),
            "types": {
                t: asdict(s)
                | {
                    "recall": s.recall(),
                    "redacted_share": s.redacted_share(),
                    "precision": s.precision(),
                }
                | {"target_recall": TARGET_RECALL.get(t)}
                for t, s in scores.types.items()
            },
            "overall": asdict(tot)
            | {
                "recall": tot.recall(),
                "redacted_share": tot.redacted_share(),
                "precision": tot.precision(),
                "target_precision": TARGET_PRECISION,
            },
            "timing": tm | {"target_p95_ms": TARGET_P95_MS},
            "targets_missed": missed,
            "misses": [asdict(m) for m in scores.misses],
            "false_positives": [asdict(fp) for fp in scores.false_positives],
            "bad_offsets": scores.bad_offsets,
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
