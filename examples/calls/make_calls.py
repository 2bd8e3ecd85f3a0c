#!/usr/bin/env python3
"""Build the sample two-speaker calls in this folder from their scripts.

Each ``scripts/<name>.json`` file holds a short contact-center conversation. For every
turn this tool runs a text-to-speech engine (``espeak-ng`` by default, or festival's
``text2wave`` for a voice with ``"engine": "festival"``) and ``sox`` (telephone band,
resample to 8 kHz mono, 16-bit signed PCM, normalise the level), then lays the turns one
after another on a shared timeline with short pauses between them. It writes:

* ``<name>.customer.wav`` and ``<name>.agent.wav``: one mono track per speaker, the same
  length, each silent (apart from a faint line hiss) while the other party speaks;
* ``<name>.timeline.json``: each turn's speaker, text and ``start_ms``/``end_ms`` on the
  call timeline, the ground truth for transcription and redaction tests.

The output is deterministic: the same scripts and the same espeak-ng/festival/sox versions
give byte-identical files. Only the Python standard library is used.

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
import re
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

ESPEAK = "espeak"
FESTIVAL = "festival"
ENGINES = (ESPEAK, FESTIVAL)

# Defaults per engine and speaker; a script's voice settings override them.
DEFAULT_VOICES: dict[str, dict[str, object]] = {
    "agent": {"voice": "en-us+f2", "speed": 158, "pitch": 55, "peak_dbfs": -4.0},
    "customer": {"voice": "en-us+david", "speed": 152, "pitch": 45, "peak_dbfs": -6.0},
}
FESTIVAL_DEFAULT_VOICES: dict[str, dict[str, object]] = {
    "agent": {"voice": "cmu_us_slt_arctic_hts", "speed": 1.0, "peak_dbfs": -4.0},
    "customer": {"voice": "kal_diphone", "speed": 1.0, "peak_dbfs": -6.0},
}

# espeak-ng "speed" is words per minute; festival "speed" is a rate relative to the
# voice's own pace (1.0 = as recorded, 0.9 = 10% slower, every duration stretched by 1/0.9).
SPEED_RANGES = {ESPEAK: (80, 450), FESTIVAL: (0.5, 2.0)}
# What a voice's speed is called in the timeline, so its unit is plain.
SPEED_KEYS = {ESPEAK: "speed_wpm", FESTIVAL: "rate"}
FESTIVAL_VOICE_NAME = re.compile(r"[a-z0-9_]+\Z")

# Scheme run by text2wave after selecting the voice: diphone and cluster-unit voices take
# the rate through Duration_Stretch; HTS voices ignore that and take the HTS engine's own
# speed option ("-r", > 1 is faster), so set whichever the voice uses.
FESTIVAL_RATE_SCHEME = (
    "(begin (Parameter.set 'Duration_Stretch {stretch}) "
    "(if (equal? (Parameter.get 'Synth_Method) 'HTS) "
    '(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate}))))))'
)


@dataclass(frozen=True)
class Voice:
    voice: str
    speed: float  # int words per minute for espeak-ng, a float rate for festival
    pitch: int | None  # espeak-ng only
    peak_dbfs: float
    engine: str = ESPEAK

    def timeline_entry(self) -> dict[str, object]:
        if self.engine == ESPEAK:  # the original layout, kept so old calls stay identical
            return {
                "voice": self.voice,
                SPEED_KEYS[ESPEAK]: self.speed,
                "pitch": self.pitch,
                "peak_dbfs": self.peak_dbfs,
            }
        return {
            "engine": self.engine,
            "voice": self.voice,
            SPEED_KEYS[self.engine]: self.speed,
            "peak_dbfs": self.peak_dbfs,
        }


@dataclass(frozen=True)
class PlacedTurn:
    index: int
    speaker: str
    text: str
    pii: tuple[str, ...]
    speed: float
    start_sample: int
    samples: array.array


# The programs each engine runs, and the Debian/Ubuntu packages that install them (for
# festival, with the two voices the scripts use).
ENGINE_TOOLS = {ESPEAK: ("espeak-ng",), FESTIVAL: ("festival", "text2wave")}
VERSION_KEYS = {ESPEAK: "espeak_ng", FESTIVAL: "festival"}  # in the timeline's generator
ENGINE_PACKAGES = {
    ESPEAK: "espeak-ng",
    FESTIVAL: "festival festvox-us-slt-hts festvox-kallpc16k",
}


def _require_tools(engines: set[str]) -> None:
    needed = [tool for engine in ENGINES if engine in engines for tool in ENGINE_TOOLS[engine]]
    missing = [tool for tool in (*needed, "sox") if shutil.which(tool) is None]
    if missing:
        packages = " ".join(ENGINE_PACKAGES[e] for e in ENGINES if e in engines)
        sys.exit(
            f"missing tool(s): {', '.join(missing)}; "
            f"install them with: apt-get install -y {packages} sox"
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
    for key in ("title", "description"):
        if not script.get(key):
            raise ValueError(f"{path.name}: missing {key!r}")
    return script


def _speed(engine: str, value: object, where: str) -> float:
    speed = int(value) if engine == ESPEAK else float(value)  # type: ignore[arg-type]
    low, high = SPEED_RANGES[engine]
    if not low <= speed <= high:
        raise ValueError(f"{where}: {engine} speed {value!r} is outside {low}-{high}")
    return speed


def voices_for(script: dict) -> dict[str, Voice]:
    voices = {}
    for speaker in SPEAKERS:
        given = script.get("voices", {}).get(speaker, {})
        engine = given.get("engine", ESPEAK)
        if engine not in ENGINES:
            raise ValueError(f"{speaker} voice: unknown engine {engine!r}; have {ENGINES}")
        defaults = DEFAULT_VOICES if engine == ESPEAK else FESTIVAL_DEFAULT_VOICES
        cfg = {**defaults[speaker], **given}
        if engine == FESTIVAL:
            if "pitch" in cfg:
                raise ValueError(f"{speaker} voice: festival voices take no 'pitch'")
            if not FESTIVAL_VOICE_NAME.match(str(cfg["voice"])):
                raise ValueError(f"{speaker} voice: odd festival voice {cfg['voice']!r}")
        voices[speaker] = Voice(
            voice=str(cfg["voice"]),
            speed=_speed(engine, cfg["speed"], f"{speaker} voice"),
            pitch=int(cfg["pitch"]) if engine == ESPEAK else None,
            peak_dbfs=float(cfg["peak_dbfs"]),
            engine=engine,
        )
    for i, turn in enumerate(script["turns"]):
        if "speed" in turn:
            _speed(voices[turn["speaker"]].engine, turn["speed"], f"turn {i}")
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


def speak_espeak(text: str, voice: Voice, raw: Path) -> None:
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


def speak_festival(text: str, voice: Voice, raw: Path) -> None:
    # text2wave reads the text from a file (tts mode: punctuation sets the phrasing) and
    # writes a WAV at the voice's own rate (16 kHz for kal_diphone, 32 kHz for the slt
    # HTS voice); sox brings it to 8 kHz below like espeak-ng's output.
    text_file = raw.with_suffix(".txt")
    text_file.write_text(text + "\n", encoding="ascii")  # festival reads bytes as Latin-1
    raw.unlink(missing_ok=True)  # left by the previous turn; a failed run must not reuse it
    rate = FESTIVAL_RATE_SCHEME.format(stretch=repr(1.0 / voice.speed), rate=repr(voice.speed))
    result = subprocess.run(
        [
            "text2wave",
            "-eval",
            f"(voice_{voice.voice})",
            "-eval",
            rate,
            "-o",
            str(raw),
            str(text_file),
        ],
        capture_output=True,
        text=True,
    )
    # text2wave reports a missing voice on stderr but may still exit 0 with no audio.
    if result.returncode != 0 or not raw.exists() or raw.stat().st_size <= 44:
        raise RuntimeError(
            f"text2wave failed for voice {voice.voice!r} "
            f"(is its festvox package installed?): {result.stderr.strip()}"
        )


def synthesize(text: str, voice: Voice, workdir: Path) -> array.array:
    """Speak ``text`` and return it as trimmed 8 kHz int16 samples."""
    raw = workdir / f"{voice.engine}.wav"
    converted = workdir / "turn8k.wav"
    if voice.engine == FESTIVAL:
        speak_festival(text, voice, raw)
    else:
        speak_espeak(text, voice, raw)
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
    """Drop the leading/trailing silence the TTS engine adds, keeping a short pad."""
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
        voice = voices[speaker]
        if "speed" in turn:
            voice = dataclasses.replace(voice, speed=_speed(voice.engine, turn["speed"], "turn"))
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


def engines_of(script_path: Path) -> set[str]:
    return {voice.engine for voice in voices_for(load_script(script_path)).values()}


def tool_versions(engines: set[str]) -> dict[str, str]:
    """Versions of every tool the given engines need, keyed as in the timeline."""
    versions = {
        VERSION_KEYS[engine]: _tool_version([ENGINE_TOOLS[engine][0], "--version"])
        for engine in ENGINES
        if engine in engines
    }
    versions["sox"] = _tool_version(["sox", "--version"])
    return versions


def build_call(name: str, script_path: Path, out_dir: Path, versions: dict[str, str]) -> Path:
    script = load_script(script_path)
    voices = voices_for(script)
    # Record only the tools this call is made with: espeak_ng and/or festival, then sox.
    engines = {voice.engine for voice in voices.values()}
    used_tools = {VERSION_KEYS[e] for e in engines} | {"sox"}
    versions = {key: value for key, value in versions.items() if key in used_tools}
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
            entry[SPEED_KEYS[voices[turn.speaker].engine]] = turn.speed
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
        "voices": {speaker: v.timeline_entry() for speaker, v in voices.items()},
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

    engines = set().union(*(engines_of(available[name]) for name in names))
    _require_tools(engines)
    versions = tool_versions(engines)

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
