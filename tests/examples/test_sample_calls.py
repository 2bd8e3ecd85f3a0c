"""Checks on the committed sample calls in ``examples/calls``.

The calls are demo and test fixtures: two mono 8 kHz tracks per call (customer and agent)
plus a timeline with every turn's text and position. These tests keep the audio, the
timelines and the scripts consistent with each other and make sure the scripts still
cover the kinds of sensitive data the redaction and guidance features are shown with.
The slow ``test_committed_calls_are_current`` rebuilds every call with ``make_calls.py
--check`` when espeak-ng, festival (with the voices the scripts use) and sox are
installed at the versions the committed audio was made with, and skips otherwise.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import shutil
import subprocess
import sys
import wave
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

CALLS_DIR = Path(__file__).resolve().parents[2] / "examples" / "calls"
SCRIPTS_DIR = CALLS_DIR / "scripts"
SPEAKERS = ("customer", "agent")
SAMPLE_RATE = 8000

MIN_DURATION_S = 45
MAX_DURATION_S = 90
MIN_GAP_MS = 400
MAX_GAP_MS = 1000
# Five calls of 58-73 s take 10.4 MB (16 KB per second per track); room for one more.
MAX_TOTAL_WAV_BYTES = 12_000_000

# The audio thresholds below hold for festival turns as well as espeak-ng ones: the
# post-processing (sox band and level, trimming, hiss) is the same for both engines.
SPEECH_RMS_MIN = 500.0  # a turn's span on the speaker's own track
QUIET_RMS_MAX = 30.0  # the other track during a turn, and both tracks between turns
QUIET_PEAK_MAX = 200
EDGE_PEAK_MIN = 60  # speech onset/decay near a turn's bounds; the line hiss peaks near 15

KNOWN_PII = {
    "card_number",
    "card_expiry",
    "card_cvv",
    "street_address",
    "date_of_birth",
    "phone_number",
    "email_address",
    "us_ssn",
}
# Public test card numbers (they pass the Luhn check but belong to no account).
TEST_CARD_NUMBERS = {"4111111111111111", "5425233430109903"}
ENGINES = ("espeak", "festival")
GENERATOR_KEYS = {"espeak": "espeak_ng", "festival": "festival"}

DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
MONTHS = (
    "january february march april may june july august september october november december"
).split()
STREET_WORDS = ("street", "avenue", "road", "lane", "drive", "boulevard", "court", "way")


def call_names() -> list[str]:
    return sorted(p.stem for p in SCRIPTS_DIR.glob("*.json"))


@cache
def load_script(name: str) -> dict:
    return json.loads((SCRIPTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def load_timeline(name: str) -> dict:
    return json.loads((CALLS_DIR / f"{name}.timeline.json").read_text(encoding="utf-8"))


def track_path(name: str, speaker: str) -> Path:
    return CALLS_DIR / f"{name}.{speaker}.wav"


@cache
def load_track(name: str, speaker: str) -> np.ndarray:
    with wave.open(str(track_path(name, speaker)), "rb") as wav:
        data = wav.readframes(wav.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float64)


def span(samples: np.ndarray, start_ms: int, end_ms: int) -> np.ndarray:
    return samples[start_ms * SAMPLE_RATE // 1000 : end_ms * SAMPLE_RATE // 1000]


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def digit_runs(text: str) -> list[str]:
    """Runs of consecutive spoken digits ("four one one one, ...") as digit strings."""
    runs, current = [], ""
    for word in words(text):
        if word in DIGIT_WORDS:
            current += DIGIT_WORDS[word]
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def all_turns() -> list[tuple[str, int, dict]]:
    return [
        (name, i, turn)
        for name in call_names()
        for i, turn in enumerate(load_script(name)["turns"])
    ]


def customer_turns_tagged(tag: str) -> list[dict]:
    return [
        turn
        for _, _, turn in all_turns()
        if turn["speaker"] == "customer" and tag in turn.get("pii", [])
    ]


# --- inventory -------------------------------------------------------------------------


def test_at_least_five_calls() -> None:
    assert len(call_names()) >= 5


def test_every_call_has_tracks_and_timeline() -> None:
    for name in call_names():
        for speaker in SPEAKERS:
            assert track_path(name, speaker).is_file(), f"{name}: missing {speaker} track"
        assert (CALLS_DIR / f"{name}.timeline.json").is_file(), f"{name}: missing timeline"


def test_no_orphan_audio() -> None:
    names = set(call_names())
    for wav_path in CALLS_DIR.glob("*.wav"):
        name, speaker, _ = wav_path.name.rsplit(".", 2)
        assert name in names and speaker in SPEAKERS, f"unexpected file {wav_path.name}"


def test_total_audio_size_is_modest() -> None:
    total = sum(p.stat().st_size for p in CALLS_DIR.glob("*.wav"))
    assert total < MAX_TOTAL_WAV_BYTES, f"{total} bytes of WAV"


# --- per-call audio and timeline -------------------------------------------------------


@pytest.fixture(params=call_names())
def name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_script_shape(name: str) -> None:
    script = load_script(name)
    assert script["title"].strip() and script["description"].strip()
    speakers = {turn["speaker"] for turn in script["turns"]}
    assert speakers == set(SPEAKERS)
    for turn in script["turns"]:
        assert turn["text"].strip()
        assert set(turn.get("pii", [])) <= KNOWN_PII, turn


def test_wav_format(name: str) -> None:
    frames = {}
    for speaker in SPEAKERS:
        with wave.open(str(track_path(name, speaker)), "rb") as wav:
            assert wav.getnchannels() == 1, f"{name}.{speaker}: not mono"
            assert wav.getsampwidth() == 2, f"{name}.{speaker}: not 16-bit"
            assert wav.getframerate() == SAMPLE_RATE, f"{name}.{speaker}: not 8 kHz"
            assert wav.getcomptype() == "NONE"
            frames[speaker] = wav.getnframes()
    assert frames["customer"] == frames["agent"], f"{name}: tracks differ in length {frames}"
    duration_s = frames["agent"] / SAMPLE_RATE
    assert MIN_DURATION_S <= duration_s <= MAX_DURATION_S, f"{name}: {duration_s:.1f} s"


def voice_engines(name: str) -> dict[str, str]:
    voices = load_script(name).get("voices", {})
    return {speaker: voices.get(speaker, {}).get("engine", "espeak") for speaker in SPEAKERS}


def test_timeline_records_voices_and_tools(name: str) -> None:
    """Each voice's engine and speed, and the version of every tool the call is made with."""
    timeline = load_timeline(name)
    script_voices = load_script(name).get("voices", {})
    engines = voice_engines(name)
    for speaker, engine in engines.items():
        assert engine in ENGINES, f"{name}.{speaker}: unknown engine {engine!r}"
        recorded = timeline["voices"][speaker]
        given = script_voices.get(speaker, {})
        for key in ("voice", "peak_dbfs"):
            if key in given:
                assert recorded[key] == given[key], (speaker, key)
        speed_key = "speed_wpm" if engine == "espeak" else "rate"
        if "speed" in given:
            assert recorded[speed_key] == given["speed"], speaker
        if engine == "festival":
            assert recorded["engine"] == "festival" and 0.5 <= recorded["rate"] <= 2.0
            assert "pitch" not in recorded
    generator = timeline["generator"]
    tools = {GENERATOR_KEYS[engine] for engine in engines.values()} | {"sox"}
    assert set(generator) == {"script"} | tools, generator
    assert generator["script"] == f"scripts/{name}.json"
    assert all(re.match(r"\d+\.\d+", generator[tool]) for tool in tools), generator


def test_both_engines_are_used() -> None:
    used = {engine for name in call_names() for engine in voice_engines(name).values()}
    assert used == set(ENGINES)
    assert set(voice_engines("cancel_subscription").values()) == {"festival"}  # the demo call


def test_timeline_matches_script_and_audio(name: str) -> None:
    timeline = load_timeline(name)
    script = load_script(name)
    assert timeline["name"] == name
    assert timeline["title"] == script["title"]
    assert timeline["sample_rate"] == SAMPLE_RATE
    assert timeline["tracks"] == {s: track_path(name, s).name for s in SPEAKERS}
    assert len(timeline["turns"]) == len(script["turns"])
    for i, (placed, turn) in enumerate(zip(timeline["turns"], script["turns"], strict=True)):
        assert placed["index"] == i
        assert placed["speaker"] == turn["speaker"]
        assert placed["text"] == turn["text"]
        assert placed.get("pii", []) == turn.get("pii", [])
    n_samples = load_track(name, "agent").size
    assert timeline["duration_ms"] == n_samples * 1000 // SAMPLE_RATE
    assert timeline["turns"][-1]["end_ms"] <= timeline["duration_ms"]


def test_turns_ordered_with_natural_gaps(name: str) -> None:
    turns = load_timeline(name)["turns"]
    assert turns[0]["start_ms"] >= 0
    for turn in turns:
        assert turn["end_ms"] > turn["start_ms"], turn
    for prev, nxt in itertools.pairwise(turns):
        gap = nxt["start_ms"] - prev["end_ms"]
        assert MIN_GAP_MS <= gap <= MAX_GAP_MS, f"{name}: gap {gap} ms before turn {nxt['index']}"


def test_speech_on_the_right_track_only(name: str) -> None:
    tracks = {speaker: load_track(name, speaker) for speaker in SPEAKERS}
    for turn in load_timeline(name)["turns"]:
        own = span(tracks[turn["speaker"]], turn["start_ms"], turn["end_ms"])
        other_speaker = next(s for s in SPEAKERS if s != turn["speaker"])
        other = span(tracks[other_speaker], turn["start_ms"], turn["end_ms"])
        assert rms(own) > SPEECH_RMS_MIN, f"{name} turn {turn['index']}: too quiet ({rms(own)})"
        assert rms(other) < QUIET_RMS_MAX, f"{name} turn {turn['index']}: crosstalk"
        assert np.abs(other).max() < QUIET_PEAK_MAX


def test_silence_between_turns(name: str) -> None:
    timeline = load_timeline(name)
    turns = timeline["turns"]
    bounds = [0, *[t for turn in turns for t in (turn["start_ms"], turn["end_ms"])]]
    bounds.append(timeline["duration_ms"])
    for speaker in SPEAKERS:
        samples = load_track(name, speaker)
        for start, end in zip(bounds[::2], bounds[1::2], strict=True):
            quiet = span(samples, start, end)
            assert rms(quiet) < QUIET_RMS_MAX, f"{name}.{speaker}: noise at {start}-{end} ms"


def test_speech_fills_each_turn(name: str) -> None:
    """The timeline span is tight: speech starts and ends near the stated bounds."""
    for turn in load_timeline(name)["turns"]:
        samples = load_track(name, turn["speaker"])
        head = span(samples, turn["start_ms"], turn["start_ms"] + 150)
        tail = span(samples, turn["end_ms"] - 150, turn["end_ms"])
        assert np.abs(head).max() > EDGE_PEAK_MIN, f"{name} turn {turn['index']}: late start"
        assert np.abs(tail).max() > EDGE_PEAK_MIN, f"{name} turn {turn['index']}: early end"


# --- content coverage across all calls -------------------------------------------------


def test_card_number_read_out_as_digits() -> None:
    turns = customer_turns_tagged("card_number")
    assert turns, "no customer turn reads out a card number"
    numbers = ["".join(digit_runs(turn["text"])) for turn in turns]
    assert any(len(n) == 16 and luhn_ok(n) for n in numbers), numbers


def test_card_numbers_are_test_numbers_read_in_groups_of_four() -> None:
    turns = customer_turns_tagged("card_number")
    for turn in turns:
        number = "".join(digit_runs(turn["text"]))
        assert number in TEST_CARD_NUMBERS, f"not a public test card number: {turn['text']}"
    groups = [[len(run) for run in digit_runs(t["text"].replace(",", " and "))] for t in turns]
    assert [4, 4, 4, 4] in groups, groups


def test_card_expiry_and_cvv() -> None:
    expiry = customer_turns_tagged("card_expiry")
    assert expiry and any("twenty" in words(t["text"]) for t in expiry)
    cvv = customer_turns_tagged("card_cvv")
    assert cvv and any(len("".join(digit_runs(t["text"]))) in (3, 4) for t in cvv)


def test_street_address() -> None:
    turns = customer_turns_tagged("street_address")
    assert any(
        any(street in words(t["text"]) for street in STREET_WORDS)
        and re.search(r"\b(one|two|three|four|five|six|seven|eight|nine)\b", t["text"].lower())
        for t in turns
    ), turns


def test_date_of_birth() -> None:
    turns = customer_turns_tagged("date_of_birth")
    assert any(
        any(month in words(t["text"]) for month in MONTHS) and "nineteen" in words(t["text"])
        for t in turns
    ), turns
    prompts = [t["text"].lower() for _, _, t in all_turns() if t["speaker"] == "agent"]
    assert any("date of birth" in p for p in prompts)


def test_phone_number() -> None:
    turns = customer_turns_tagged("phone_number")
    assert any(len("".join(digit_runs(t["text"]))) == 10 for t in turns), turns


def test_phone_numbers_are_fictional() -> None:
    numbers = ["".join(digit_runs(t["text"])) for t in customer_turns_tagged("phone_number")]
    assert numbers and all(len(n) == 10 and "555" in n for n in numbers), numbers


def test_us_ssn_is_made_up() -> None:
    """An SSN read as three, two and four digits, with an area number (000, 666 or
    900-999) that the Social Security Administration never assigns."""
    turns = customer_turns_tagged("us_ssn")
    assert turns, "no customer turn reads out a Social Security number"
    prompts = [t["text"].lower() for _, _, t in all_turns() if t["speaker"] == "agent"]
    assert any("social security number" in p for p in prompts)
    for turn in turns:
        groups = digit_runs(turn["text"].replace(",", " and "))
        assert [len(g) for g in groups] == [3, 2, 4], turn["text"]
        area = groups[0]
        assert area in ("000", "666") or area.startswith("9"), f"plausible real SSN: {area}"


def test_email_address() -> None:
    turns = customer_turns_tagged("email_address")
    assert any(
        " at " in f" {t['text'].lower()} " and " dot " in f" {t['text'].lower()} " for t in turns
    ), turns


def test_cancellation_with_retention_attempt() -> None:
    found = False
    for name in call_names():
        turns = load_script(name)["turns"]
        asks = [
            i
            for i, t in enumerate(turns)
            if t["speaker"] == "customer" and re.search(r"\bcancel\b", t["text"].lower())
        ]
        if not asks:
            continue
        later_agent = " ".join(
            t["text"].lower() for t in turns[asks[0] + 1 :] if t["speaker"] == "agent"
        )
        retention = re.search(r"\b(off|discount|offer|plan|free)\b", later_agent)
        found = found or bool(retention)
    assert found, "no call has a cancellation request followed by a retention offer"


# --- the committed files are what the scripts make ---------------------------------------


def load_make_calls() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_calls", CALLS_DIR / "make_calls.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def festival_voices() -> set[str]:
    out = subprocess.run(
        ["festival", "--pipe"],
        input="(print (voice.list))\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    return set(re.findall(r"[a-z0-9_]+", out.stdout))


@pytest.mark.slow
def test_committed_calls_are_current(name: str) -> None:
    """Rebuild the call from its script: the committed WAVs and timeline must not change.

    Skips when a tool is missing or installed at another version than the one in the
    timeline's generator block: other versions legitimately synthesize other samples."""
    make_calls = load_make_calls()
    engines = set(voice_engines(name).values())
    tools = [tool for engine in sorted(engines) for tool in make_calls.ENGINE_TOOLS[engine]]
    missing = [tool for tool in (*tools, "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (`make system-deps` installs them)")
    if "festival" in engines:
        wanted = {v.get("voice") for v in load_script(name)["voices"].values() if v.get("engine")}
        absent = wanted - festival_voices()
        if absent:
            pytest.skip(f"festival voice(s) not installed: {', '.join(sorted(absent))}")
    installed = make_calls.tool_versions(engines)
    recorded = {k: v for k, v in load_timeline(name)["generator"].items() if k != "script"}
    if installed != recorded:
        pytest.skip(f"tool versions {installed} differ from the committed {recorded}")
    result = subprocess.run(
        [sys.executable, str(CALLS_DIR / "make_calls.py"), "--check", name],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
