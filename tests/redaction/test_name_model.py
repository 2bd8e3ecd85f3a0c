"""The name model: names said where no rule looks are found, harmless lines stay clean,
what the model guesses goes through the filters every name goes through, and the model
knows what kind of word a name is, never the name itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.train_name_model import HELD_OUT, SETS
from bench.train_name_model import main as train
from redaction.detector import PiiDetector
from redaction.name_model import WEIGHTS_FILE, WORD, NameModel, name_model, word_features
from tests.redaction.forms import names_in, said_in_turn


def people(detector: PiiDetector, line: str) -> list[str]:
    (found,) = said_in_turn(detector, line)
    return names_in(found)


def test_a_name_said_with_no_phrase_that_introduces_it_is_found(
    detector: PiiDetector,
) -> None:
    assert people(detector, "tell umut im off sat") == ["umut"]
    assert people(detector, "Leopold, 4/3/2016, and Wilhelmina, 11/21/2019.")[-1:] == ["Wilhelmina"]


def test_a_name_ends_at_its_possessive(detector: PiiDetector) -> None:
    assert people(
        detector, "hi im calling to pay the locker fee for my daughter wairimu's skates"
    ) == ["wairimu's"]


@pytest.mark.parametrize(
    "line",
    [
        "the premium plan is forty nine ninety nine a month for two lines",
        "i need twelve cases of the large gloves by friday at three",
        "yeah and its blinking orange",
        "Thanks for calling Ironvault Records Management, how can I help?",
        "we got the grey one with the bluetooth speaker for eighty nine",
    ],
)
def test_harmless_lines_hold_no_name(line: str) -> None:
    assert name_model().names(line) == []


@pytest.mark.parametrize(
    ("line", "guess"),
    [
        ("Hi, this is Vessberg Fabrication calling for Hamid Karimi.", "Vessberg"),
        ("please dont let the dog out his name is biscotti", "biscotti"),
    ],
)
def test_a_firm_or_a_pet_the_model_takes_for_a_name_is_filtered_out(
    detector: PiiDetector, line: str, guess: str
) -> None:
    assert guess in [line[s:e] for s, e, _ in name_model().names(line)]
    assert guess not in " ".join(people(detector, line))


def test_words_already_found_are_in_no_run() -> None:
    line = "Hi, this is Vessberg Fabrication calling for Hamid Karimi."
    start = line.index("Hamid")
    runs = name_model().names(line, taken=[(start, start + len("Hamid Karimi"))])
    assert [line[s:e] for s, e, _ in runs] == ["Vessberg"]


def test_features_say_what_a_word_is_like_never_the_word() -> None:
    line = "Ship them to our pipe major, Ejike Chukwu, at the hall."
    words = list(WORD.finditer(line))
    k = next(i for i, w in enumerate(words) if w.group() == "Ejike")
    feats = word_features(line, words, k)
    assert not any(re.search("ejike|chukwu", f, re.IGNORECASE) for f in feats)
    assert "after=<surname>" in feats or "after=<rare>" in feats
    assert "capital" in feats and "comma_before" in feats


def test_the_shipped_model_never_saw_the_held_out_sets() -> None:
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert all((SETS / f"{name}.jsonl").exists() for name in HELD_OUT)
    assert not set(shipped["trained_on"]) & set(HELD_OUT)
    assert 0.5 <= shipped["neighbour_threshold"] <= shipped["threshold"] < 1


def test_training_writes_a_model_that_finds_names(tmp_path: Path) -> None:
    # three small sets, so the test takes seconds: the model they give, unpruned, still
    # knows a given name said after "this is" from the line's other words
    sets = sorted(p.stem for p in SETS.glob("*.jsonl"))
    keep = {"holdout", "holdout2", "holdout3"}
    out = tmp_path / "model.json"
    args = ["--hold-out", *(s for s in sets if s not in keep), "--prune", "0", "--threshold", "0.5"]
    assert train([*args, "--out", str(out)]) == 0
    model = NameModel.from_file(out)
    assert sorted(json.loads(out.read_text())["trained_on"]) == sorted(keep)
    line = "hi this is ngozi okereke calling about my order"
    found = [line[s:e] for s, e, _ in model.names(line)]
    assert len(found) == 1 and found[0].startswith("ngozi")
