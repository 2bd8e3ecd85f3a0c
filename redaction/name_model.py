"""A second opinion on names: a logistic model over what a word is and what is said
around it, trained on the labelled transcripts of `tests/data/pii/`.

The rules of this package find names by what is said with them ("this is ...", "my
nephew ...", "... said to call"). A name said where no rule looks ("ship them to our pipe
major, Ejike Chukwu", "tell umut im off sat") is left to this model. Its features never
include the word itself, only what kind of word it is (how common in English, whether the
records list it as a given name or a surname, its last letters, its capital) and the words
beside it, so it carries to names it never saw. It adds names only where nothing else was
found, and what it adds goes through the same filters as every other name (a firm's name,
a pet's, a place).

`bench/train_name_model.py` trains it and writes `name_model.json` beside this module:
feature weights, the bias and the probability a word needs.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from redaction.lexicon import (
    FUNCTION_WORDS,
    bare_given,
    census_surname,
    given_in_records,
    rare_word,
    recorded_given,
    unheard,
)
from redaction.model import EntityType, Finding
from redaction.name_spans import cut_taken_back, plausible_name, strip_title
from redaction.transcript import Transcript

WEIGHTS_FILE = Path(__file__).with_name("name_model.json")

# A word as the model reads it: letters, with an apostrophe or a hyphen inside.
WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
# How common a word must be in English to be read by the model as itself; rarer words
# beside the one being judged are read as their kind (a given name, a surname, a rare
# word), so that a name never seen in training still says what it is.
_WORD_ZIPF = 3.5
_EDGE = "<edge>"


def _kind(word: str) -> str:
    """A neighbouring word as a feature: itself if common, else what kind of word it is."""
    if word == _EDGE or zipf_frequency(word, "en") >= _WORD_ZIPF:
        return word
    if recorded_given(word):
        return "<given>"
    if census_surname(word):
        return "<surname>"
    return "<rare>"


def word_features(line: str, words: Sequence[re.Match[str]], k: int) -> list[str]:
    """The features of the k-th word of a line: what the word is like, never the word."""
    word = _plain(words[k].group())
    zipf = zipf_frequency(word, "en")
    common = "word" if zipf >= _WORD_ZIPF else "rare"
    feats = [
        f"zipf={min(7.0, int(zipf * 2) / 2)}",
        f"len={min(len(word), 10)}",
    ]
    if recorded_given(word):
        feats.append("given")
    if given_in_records(word):
        feats.append("given_recorded")
    if bare_given(word):
        feats.append("given_bare")
    if census_surname(word):
        feats.append("surname")
    if words[k].group()[0].isupper():
        feats.append("capital_first" if k == 0 else "capital")
    if not any(ch.isupper() for ch in line):
        feats.append("lower_case_line")  # an ASR that writes no capitals
    if common == "rare":
        feats += [f"ends={word[-3:]}", f"ends={word[-2:]}"]
    before2, before, after, after2 = (
        _kind(_plain(words[j].group())) if 0 <= j < len(words) else _EDGE
        for j in (k - 2, k - 1, k + 1, k + 2)
    )
    feats += [
        f"before={before}",
        f"before2={before2}",
        f"after={after}",
        f"after2={after2}",
        f"before2_before={before2}|{before}",
        f"after_after2={after}|{after2}",
        f"around={before}|{after}",
        f"{common}|before={before}",
        f"{common}|after={after}",
    ]
    gap_before = line[words[k - 1].end() if k else 0 : words[k].start()]
    gap_after = line[words[k].end() : words[k + 1].start() if k + 1 < len(words) else len(line)]
    if "," in gap_before:
        feats.append("comma_before")
    if "," in gap_after:
        feats.append("comma_after")
    if "." in gap_after or "?" in gap_after:
        feats.append("stop_after")
    return feats


def _plain(word: str) -> str:
    return word.lower().replace("’", "'")


@dataclass(frozen=True)
class NameModel:
    """Feature weights of a logistic model, and the probabilities a word needs to be a name:
    on its own, or beside a word that has the first."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    neighbour_threshold: float

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_FILE) -> NameModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            weights=data["weights"],
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            neighbour_threshold=float(data["neighbour_threshold"]),
        )

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))

    def names(
        self, line: str, *, taken: Sequence[tuple[int, int]] = ()
    ) -> list[tuple[int, int, float]]:
        """Runs of words in the line the model takes for a name: (start, end, probability
        of the likeliest word). A run holds a word of at least `threshold` and the words
        beside it of at least `neighbour_threshold`: the surname after a given name the
        model is sure of is less sure on its own ("tunde bakare"). Words inside the
        `taken` spans (found already) are in no run."""
        words = list(WORD.finditer(line))
        probs = [
            0.0
            if len(w.group()) < 2
            or _plain(w.group()) in FUNCTION_WORDS  # "n", "and"
            or any(s < w.end() and w.start() < e for s, e in taken)
            else self.probability(word_features(line, words, k))
            for k, w in enumerate(words)
        ]
        runs: list[tuple[int, int, float]] = []
        k = 0
        while k < len(words):
            if probs[k] < self.neighbour_threshold:
                k += 1
                continue
            first = k
            while (
                k + 1 < len(words)
                and probs[k + 1] >= self.neighbour_threshold
                and line[words[k].end() : words[k + 1].start()].strip() in ("", "-")
                and not _plain(words[k].group()).endswith("'s")  # "wairimu's skates"
            ):
                k += 1
            best = max(probs[first : k + 1])
            if best >= self.threshold:
                runs.append((words[first].start(), words[k].end(), best))
            k += 1
        return runs


@functools.cache
def name_model() -> NameModel:
    """The model shipped with the package, read once per process."""
    return NameModel.from_file()


def names_by_model(doc: Transcript, found: Sequence[Finding]) -> list[Finding]:
    """Names the model finds in the line being checked where nothing was found yet."""
    lo, _ = doc.target_span
    line = doc.line_text(doc.target)
    taken = [(f.start - lo, f.end - lo) for f in found if doc.overlaps_target(f.start, f.end)]
    out = []
    for start, end, p in name_model().names(line, taken=taken):
        start = strip_title(line, start, end)  # "nurse pania", "mister mills"
        end = cut_taken_back(line, start, end)
        if not plausible_name(line[start:end]) or not _name_like(line, start, end, p):
            continue
        out.append(Finding(EntityType.PERSON, lo + start, lo + end, round(p, 3)))
    return out


# How sure the model must be of a word English knows as a word, however rarely, and that no
# records list as a name: "kombucha" (2.5) and "hydrostatic" (2.5) are things first.
_SURE_OF_A_WORD = 0.99


def _name_like(line: str, start: int, end: int, p: float) -> bool:
    """Whether a run the model found may be a name: it holds a word the records list as a
    name, or one English has hardly a trace of, or the model is all but certain; and no
    rare word the model left out stands right beside it, as the rest of a thing's name
    does ("for darjeeling keemun please")."""
    written = WORD.findall(line[start:end])
    said = [_plain(w) for w in written]
    if any(w.isupper() and len(w) > 1 for w in written):
        return False  # "ATLSM": letters of a code
    if p < _SURE_OF_A_WORD and not any(
        unheard(w) or given_in_records(w) or census_surname(w) for w in said
    ):
        return False
    before = WORD.findall(line[:start])[-1:]
    after = WORD.findall(line[end:])[:1]
    return not any(
        rare_word(_plain(w)) and not given_in_records(_plain(w)) and not census_surname(_plain(w))
        for w in before + after
    )
