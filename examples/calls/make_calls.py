#!/usr/bin/env python3
"""Build the sample two-speaker calls in this folder from their scripts.

Each ``scripts/<name>.json`` file holds a short contact-center conversation. For every
turn this tool runs ``espeak-ng`` (text to speech) and ``sox`` (resample to 8 kHz mono,
16-bit signed PCM, normalise the level), then lays the turns one after another on a
shared timeline with short pauses between them. It writes:

* ``<name>.customer.wav`` and ``<name>.agent.wav``: one mono track per speaker, the same
  length, each silent (apart from a faint line hiss) while the other party speaks;
* ``<name>.timeline.json``: each turn's speaker, text and ``start_ms``/``end_ms`` on the
  call timeline, the ground truth for transcription and redaction tests.

The output is deterministic: the same scripts and the same espeak-ng/sox versions give
byte-identical files. Only the Python standard library is used.

Usage::

    python examples/calls/make_calls.py                 # rebuild every call
    python examples/calls/make_calls.py card_update     # rebuild one call
    python examples/calls/make_calls.py --check         # verify committed files are current
"""

from __future__ import annotations

import argparse
import array
import dataclasses
import filecmp
import json
import math
import random
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS_DIR = HERE / "scripts"

SAMPLE_RATE = 8000
SAMPLE_WIDTH = 2  # bytes, 16-bit signed PCM
SPEAKERS = ("customer", "agent")

LEAD_IN_MS = 500  # silence before the first turn
TAIL_MS = 700  # silence after the last turn
GAP_MS = (400, 1000)  # pause between turns, drawn per turn from this range
GAP_STEP_MS = 10
TRIM_PAD_MS = 50  # audio kept either side of the speech after trimming
TRIM_THRESHOLD = 0.005  # fraction of the turn's peak that counts as speech
LINE_NOISE_RMS = 3.0  # faint hiss on both tracks, in int16 units (about -80 dBFS)

# sox effects applied before resampling: drop rumble, then lift the 2-4 kHz band so
# consonants stay clear once the audio is squeezed into the 8 kHz telephone band.
TONE_EFFECTS = ["highpass", "100", "equalizer", "3200", "1q", "+10"]

DEFAULT_VOICES: dict[str, dict[str, object]] = {
    "agent": {"voice": "en-us+f2", "speed": 158, "pitch": 55, "peak_dbfs": -4.0},
    "customer": {"voice": "en-us+david", "speed": 152, "pitch": 45, "peak_dbfs": -6.0},
}


@dataclass(frozen=True)
class Voice:
    voice: str
    speed: int
    pitch: int
    peak_dbfs: float


@dataclass(frozen=True)
class PlacedTurn:
    index: int
    speaker: str
    text: str
    pii: tuple[str, ...]
    speed: int
    start_sample: int
    samples: array.array


def _require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        sys.exit(
            f"missing tool(s): {', '.join(missing)}; "
            "install them with: apt-get install -y espeak-ng sox"
        )


def _tool_version(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    text = (out.stdout or out.stderr).strip()
    for word in text.replace(":", " ").split():
        if word.lstrip("v")[:1].isdigit():
            return word.lstrip("v")
    return text.splitlines()[0] if text else "unknown"


def load_script(path: Path) -> dict:
    script = json.loads(path.read_text(encoding="utf-8"))
    turns = script.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ValueError(f"{path.name}: 'turns' must be a non-empty list")
    for i, turn in enumerate(turns):
        if turn.get("speaker") not in SPEAKERS:
            raise ValueError(f"{path.name}: turn {i} has unknown speaker {turn.get('speaker')!r}")
        if not str(turn.get("text", "")).strip():
            raise ValueError(f"{path.name}: turn {i} has no text")
        if "speed" in turn and not 80 <= int(turn["speed"]) <= 450:
            raise ValueError(f"{path.name}: turn {i} has an odd speed {turn['speed']!r}")
    for key in ("title", "description"):
        if not script.get(key):
            raise ValueError(f"{path.name}: missing {key!r}")
    return script


def voices_for(script: dict) -> dict[str, Voice]:
    voices = {}
    for speaker in SPEAKERS:
        cfg = {**DEFAULT_VOICES[speaker], **script.get("voices", {}).get(speaker, {})}
        voices[speaker] = Voice(
            voice=str(cfg["voice"]),
            speed=int(cfg["speed"]),
            pitch=int(cfg["pitch"]),
            peak_dbfs=float(cfg["peak_dbfs"]),
        )
    return voices


def read_pcm(path: Path) -> array.array:
    with wave.open(str(path), "rb") as wav:
        if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (
            1,
            SAMPLE_WIDTH,
            SAMPLE_RATE,
        ):
            raise ValueError(f"{path}: expected 8 kHz mono 16-bit audio from sox")
        data = wav.readframes(wav.getnframes())
    samples = array.array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def write_pcm(path: Path, samples: array.array) -> None:
    out = array.array("h", samples)
    if sys.byteorder == "big":
        out.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(out.tobytes())


def synthesize(text: str, voice: Voice, workdir: Path) -> array.array:
    """Speak ``text`` and return it as trimmed 8 kHz int16 samples."""
    raw = workdir / "espeak.wav"
    converted = workdir / "turn8k.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice.voice,
            "-s",
            str(voice.speed),
            "-p",
            str(voice.pitch),
            "-w",
            str(raw),
            "--",
            text,
        ],
        check=True,
    )
    # -R: repeatable mode, -D: no dither (output is byte-identical run to run); -G: guard
    # against clipping inside the effects chain.
    subprocess.run(
        [
            "sox",
            "-R",
            "-D",
            "-G",
            "-V1",
            str(raw),
            "-c",
            "1",
            "-b",
            "16",
            "-e",
            "signed-integer",
            str(converted),
            *TONE_EFFECTS,
            "rate",
            "-h",
            str(SAMPLE_RATE),
            "gain",
            "-n",
            f"{voice.peak_dbfs:.1f}",
        ],
        check=True,
    )
    return trim(read_pcm(converted))


def trim(samples: array.array) -> array.array:
    """Drop the leading/trailing silence espeak-ng adds, keeping a short pad."""
    peak = max((abs(s) for s in samples), default=0)
    if peak == 0:
        raise ValueError("synthesized turn is silent")
    threshold = max(1, int(peak * TRIM_THRESHOLD))
    first = next(i for i, s in enumerate(samples) if abs(s) >= threshold)
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) >= threshold)
    pad = TRIM_PAD_MS * SAMPLE_RATE // 1000
    return samples[max(0, first - pad) : min(len(samples), last + pad + 1)]


def _ms_to_samples(ms: int) -> int:
    return ms * SAMPLE_RATE // 1000


def _samples_to_ms(n: int) -> int:
    return math.ceil(n * 1000 / SAMPLE_RATE)


def layout(name: str, script: dict, voices: dict[str, Voice], workdir: Path) -> list[PlacedTurn]:
    """Synthesize every turn and give it a start position on the call timeline."""
    rng = random.Random(zlib.crc32(name.encode("utf-8")))
    gap_choices = range(GAP_MS[0], GAP_MS[1] + 1, GAP_STEP_MS)
    cursor_ms = LEAD_IN_MS
    placed = []
    for index, turn in enumerate(script["turns"]):
        speaker = turn["speaker"]
        # A turn may set its own "speed", e.g. a customer reading digits slowly.
        voice = dataclasses.replace(
            voices[speaker], speed=int(turn.get("speed", voices[speaker].speed))
        )
        samples = synthesize(turn["text"], voice, workdir)
        placed.append(
            PlacedTurn(
                index=index,
                speaker=speaker,
                text=turn["text"],
                pii=tuple(turn.get("pii", ())),
                speed=voice.speed,
                start_sample=_ms_to_samples(cursor_ms),
                samples=samples,
            )
        )
        cursor_ms += _samples_to_ms(len(samples)) + rng.choice(gap_choices)
    return placed


def render_tracks(name: str, placed: list[PlacedTurn]) -> tuple[dict[str, array.array], int]:
    last = placed[-1]
    end_ms = _samples_to_ms(last.start_sample + len(last.samples))
    total = _ms_to_samples(end_ms + TAIL_MS)
    tracks = {}
    for speaker in SPEAKERS:
        rng = random.Random(zlib.crc32(f"{name}:{speaker}:noise".encode()))
        track = array.array("h", (round(rng.gauss(0.0, LINE_NOISE_RMS)) for _ in range(total)))
        for turn in placed:
            if turn.speaker != speaker:
                continue
            for offset, value in enumerate(turn.samples):
                pos = turn.start_sample + offset
                track[pos] = max(-32768, min(32767, track[pos] + value))
        tracks[speaker] = track
    return tracks, total


def build_call(name: str, script_path: Path, out_dir: Path, versions: dict[str, str]) -> Path:
    script = load_script(script_path)
    voices = voices_for(script)
    with tempfile.TemporaryDirectory(prefix="callguide-calls-") as tmp:
        placed = layout(name, script, voices, Path(tmp))
    tracks, total = render_tracks(name, placed)
    files = {speaker: f"{name}.{speaker}.wav" for speaker in SPEAKERS}
    for speaker, track in tracks.items():
        write_pcm(out_dir / files[speaker], track)

    turns = []
    for turn in placed:
        entry: dict[str, object] = {
            "index": turn.index,
            "speaker": turn.speaker,
            "text": turn.text,
            "start_ms": turn.start_sample * 1000 // SAMPLE_RATE,
            "end_ms": _samples_to_ms(turn.start_sample + len(turn.samples)),
        }
        if turn.pii:
            entry["pii"] = list(turn.pii)
        if turn.speed != voices[turn.speaker].speed:
            entry["speed_wpm"] = turn.speed
        turns.append(entry)
    timeline = {
        "name": name,
        "title": script["title"],
        "description": script["description"],
        "sample_rate": SAMPLE_RATE,
        "sample_width_bits": SAMPLE_WIDTH * 8,
        "channels": 1,
        "duration_ms": total * 1000 // SAMPLE_RATE,
        "tracks": files,
        "voices": {
            speaker: {
                "voice": v.voice,
                "speed_wpm": v.speed,
                "pitch": v.pitch,
                "peak_dbfs": v.peak_dbfs,
            }
            for speaker, v in voices.items()
        },
        "generator": {"script": f"scripts/{script_path.name}", **versions},
        "turns": turns,
    }
    timeline_path = out_dir / f"{name}.timeline.json"
    timeline_path.write_text(json.dumps(timeline, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return timeline_path


def output_names(name: str) -> list[str]:
    return [f"{name}.{speaker}.wav" for speaker in SPEAKERS] + [f"{name}.timeline.json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="calls to build (default: every script)")
    parser.add_argument(
        "--out-dir", type=Path, default=HERE, help="where to write the files (default: here)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temporary folder and fail if the committed files differ",
    )
    args = parser.parse_args(argv)

    available = {p.stem: p for p in sorted(SCRIPTS_DIR.glob("*.json"))}
    names = args.names or list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        parser.error(f"unknown call(s): {', '.join(unknown)}; have: {', '.join(available)}")

    _require_tools()
    versions = {
        "espeak_ng": _tool_version(["espeak-ng", "--version"]),
        "sox": _tool_version(["sox", "--version"]),
    }

    if args.check:
        stale = []
        with tempfile.TemporaryDirectory(prefix="callguide-calls-check-") as tmp:
            for name in names:
                build_call(name, available[name], Path(tmp), versions)
                for filename in output_names(name):
                    committed = args.out_dir / filename
                    fresh = Path(tmp) / filename
                    if not committed.exists() or not filecmp.cmp(committed, fresh, shallow=False):
                        stale.append(filename)
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"{len(names)} call(s) up to date")
        return 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        timeline_path = build_call(name, available[name], args.out_dir, versions)
        timeline = json.loads(timeline_path.read_text(encoding="utf-8"))
        print(
            f"{name}: {timeline['duration_ms'] / 1000:.1f} s, "
            f"{len(timeline['turns'])} turns -> {', '.join(output_names(name))}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
