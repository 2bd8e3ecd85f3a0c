"""Accuracy of the local streaming ASR against a whole-file decode with the same model.

Run from the repo root::

    .venv/bin/python bench/bench_asr_accuracy.py [--call NAME ...]
        [--pair CUSTOMER.wav AGENT.wav REFERENCE [AGENT_REFERENCE]] [--no-samples]
        [--json out.json] [--verbose] [--strict]

For every sample call in examples/calls (every `*.timeline.json`; `--call` picks some)
and every `--pair`, per speaker (customer, agent):

* streamed WER: the two tracks go as one 2-channel 8 kHz stream through the real path,
  the in-process engine (`WhisperEngine.shared()`) behind `voice.asr.server` and the
  worker's client (`DeepgramAsr`, endpointing 300 ms, utterance end 1000 ms, interim
  results on). Audio goes in 100 ms chunks as fast as the engine takes them (finals do
  not depend on pacing); events go through `UtteranceAssembler`, and the speaker's
  utterance texts, joined in order, are the transcript;
* whole-file WER: faster-whisper with the same model files decodes each track on its
  own (resampled 8 -> 16 kHz with soxr; beam 5, VAD filter, English);
* ratio streamed / whole-file (1.0 when both are 0, "inf" when only the whole-file
  WER is 0). Targets: ratio <= 1.25 for every speaker, and streamed agent WER <= 0.15
  on the sample calls;
* digits: every reference turn whose pii includes "card_number", or that reads out 7 or
  more digits in a row (phone number, SSN, ...), must come out of the streamed
  transcript with all its digits in order in one digit run ("16/16 digits in order");
  when it does not, the line shows how many digits the streamed words spoken during
  that turn reproduce in order, and those words. Not a target, reported only.

WER is `voice.transcript_metrics.word_error_rate` (Whisper's English normaliser, digits
split one per word, jiwer). Then totals: per-speaker WER over all calls (errors /
reference words), digit checks passed, and the real-time factor of the streamed runs
(seconds of call audio / wall seconds, one 2-channel stream at a time).

`--pair CUSTOMER.wav AGENT.wav REFERENCE` adds a recording of your own: two mono 16-bit
8 kHz WAV files of the same call, time-aligned. REFERENCE is either a timeline JSON in
the sample-call format (examples/calls/README.md), or, with a fourth argument, two plain
UTF-8 text files, the customer's then the agent's words, one turn per line (lines are
the turns checked for digits; without times, the closest digit run of the transcript
is shown when a check fails). `--no-samples` leaves out the sample calls.

Prints plain lines; `--verbose` adds each speaker's streamed and whole-file transcript;
`--json` writes everything to a file. Exits 0 unless `--strict` is given and a target
is missed (then 1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
import wave
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from callguide.model import Utterance
from voice.transcript_metrics import (
    digit_runs,
    digits_in_order,
    digits_matched,
    normalize,
    spoken_digits,
    word_error_rate,
)

RATE = 8000
CHUNK_MS = 100
SPEAKERS = ("customer", "agent")
TARGET_RATIO = 1.25
TARGET_AGENT_WER = 0.15
MIN_DIGITS = 7  # a reference turn reading out this many digits in a row is checked
WINDOW_MARGIN_MS = 750  # streamed words this close to a turn count as spoken in it
HEARD_CHARS = 160  # printed lines cut what was heard to this (the JSON has all of it)
API_KEY = "bench"
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "calls"


@dataclass(frozen=True)
class RefTurn:
    index: int
    speaker: str
    text: str
    pii: tuple[str, ...] = ()
    start_ms: int | None = None
    end_ms: int | None = None
    where: str = ""  # how the report names the turn: "turn 5", "agent.txt line 3"

    def name(self) -> str:
        return self.where or f"turn {self.index}"


@dataclass(frozen=True)
class CallInput:
    name: str
    customer_wav: Path
    agent_wav: Path
    turns: tuple[RefTurn, ...]
    sample: bool  # one of the sample calls (the agent WER target applies)

    def reference(self, speaker: str) -> str:
        return " ".join(t.text for t in self.turns if t.speaker == speaker)


@dataclass
class DigitCheck:
    speaker: str
    turn: int
    where: str
    label: str  # the turn's pii kinds, or "digits"
    reference: str
    total: int
    in_order: bool
    matched: int  # digits reproduced in order by the streamed words of the turn
    heard: str  # those streamed words (or the closest digit run)
    whole_file_in_order: bool

    def line(self) -> str:
        head = f"{self.speaker} {self.label} {self.where}:"
        whole = "in order" if self.whole_file_in_order else "not in order"
        if self.in_order:
            return f"{head} {self.total}/{self.total} digits in order (whole-file: {whole})"
        heard = self.heard if len(self.heard) <= HEARD_CHARS else self.heard[:HEARD_CHARS] + "..."
        return (
            f"{head} NOT in order, {self.matched}/{self.total} digits in order; "
            f"expected {self.reference}, heard {heard!r} (whole-file: {whole})"
        )


@dataclass
class SpeakerResult:
    speaker: str
    reference_words: int
    streamed_wer: float
    whole_file_wer: float
    ratio: float | None  # None: infinite (whole-file WER 0, streamed WER > 0)
    ratio_ok: bool
    wer_ok: bool | None  # streamed agent WER target; None where it does not apply
    utterances: int
    streamed_text: str
    whole_file_text: str


@dataclass
class CallResult:
    name: str
    audio_s: float
    stream_wall_s: float
    rtf: float
    speakers: list[SpeakerResult] = field(default_factory=list)
    digits: list[DigitCheck] = field(default_factory=list)

    @property
    def targets_ok(self) -> bool:
        return all(s.ratio_ok and s.wer_ok is not False for s in self.speakers)


# --- inputs ------------------------------------------------------------------------


def discover_calls(directory: Path = SAMPLES_DIR) -> dict[str, Path]:
    """Sample call name -> its timeline JSON, for every `*.timeline.json`."""
    found = sorted(directory.glob("*.timeline.json"))
    return {p.name.removesuffix(".timeline.json"): p for p in found}


def load_timeline(path: Path, *, sample: bool = False) -> CallInput:
    data = json.loads(path.read_text(encoding="utf-8"))
    name = str(data.get("name") or path.name.removesuffix(".timeline.json"))
    tracks = data.get("tracks") or {}
    wavs = {s: path.parent / str(tracks.get(s) or f"{name}.{s}.wav") for s in SPEAKERS}
    return CallInput(
        name=name,
        customer_wav=wavs["customer"],
        agent_wav=wavs["agent"],
        turns=turns_from_timeline(data),
        sample=sample,
    )


def turns_from_timeline(data: dict[str, Any]) -> tuple[RefTurn, ...]:
    return tuple(
        RefTurn(
            index=int(turn.get("index", position)),
            speaker=str(turn["speaker"]),
            text=str(turn["text"]),
            pii=tuple(turn.get("pii") or ()),
            start_ms=turn.get("start_ms"),
            end_ms=turn.get("end_ms"),
        )
        for position, turn in enumerate(data["turns"])
    )


def turns_from_text(customer_txt: Path, agent_txt: Path) -> tuple[RefTurn, ...]:
    """One turn per non-empty line; customer lines first, then agent lines."""
    turns: list[RefTurn] = []
    for speaker, path in (("customer", customer_txt), ("agent", agent_txt)):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if line.strip():
                where = f"{path.name} line {number}"
                turns.append(RefTurn(len(turns), speaker, line.strip(), where=where))
    return tuple(turns)


def load_pair(args: Sequence[str]) -> CallInput:
    if len(args) not in (3, 4):
        raise ValueError("--pair takes CUSTOMER.wav AGENT.wav and a timeline JSON or two texts")
    customer_wav, agent_wav, *refs = (Path(a) for a in args)
    if len(refs) == 1:
        turns = turns_from_timeline(json.loads(refs[0].read_text(encoding="utf-8")))
    else:
        turns = turns_from_text(refs[0], refs[1])
    name = customer_wav.name.removesuffix(".wav").removesuffix(".customer")
    return CallInput(name, customer_wav, agent_wav, turns, sample=False)


def read_track(path: Path) -> np.ndarray:
    """A mono 16-bit 8 kHz WAV as int16 samples."""
    with wave.open(str(path)) as wav:
        if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, RATE):
            raise ValueError(f"{path}: need mono 16-bit {RATE} Hz audio")
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").copy()


def interleave(customer: np.ndarray, agent: np.ndarray) -> bytes:
    """Channel 0 customer, channel 1 agent; the shorter track is padded with silence."""
    stereo = np.zeros((max(customer.size, agent.size), 2), dtype="<i2")
    stereo[: customer.size, 0] = customer
    stereo[: agent.size, 1] = agent
    return stereo.tobytes()


# --- the two transcriptions -----------------------------------------------------------


async def stream_call(url: str, pcm: bytes) -> tuple[list[Utterance], float]:
    """The call's utterances through the worker's Deepgram client, and the wall seconds."""
    from voice.asr.deepgram import DeepgramAsr
    from voice.utterances import UtteranceAssembler

    asr = DeepgramAsr(
        api_key=API_KEY, url=url, endpointing_ms=300, utterance_end_ms=1000, interim_results=True
    )
    assembler = UtteranceAssembler(stream_offset_ms=0)
    utterances: list[Utterance] = []
    started = time.perf_counter()
    async with asr.stream(sample_rate=RATE, channels=2) as stream:

        async def collect() -> None:
            async for event in stream.events():
                utterances.extend(u for u in assembler.on_event(event) if isinstance(u, Utterance))

        collector = asyncio.create_task(collect())
        chunk = RATE * 2 * 2 * CHUNK_MS // 1000  # bytes: 2 channels x 16 bit
        for begin in range(0, len(pcm), chunk):
            await stream.send_audio(pcm[begin : begin + chunk])
            await asyncio.sleep(0)  # let results flow
    await collector
    utterances += assembler.flush()
    return utterances, time.perf_counter() - started


class WholeFileDecoder:
    """faster-whisper on a whole track, with the model files the engine uses."""

    def __init__(self) -> None:
        from faster_whisper import WhisperModel

        from voice.asr.model_files import whisper_model_dir

        self._model = WhisperModel(str(whisper_model_dir()), device="cpu", compute_type="int8")

    def transcribe(self, track: np.ndarray) -> str:
        import soxr

        audio16k = soxr.resample(track.astype(np.float32) / 32768.0, RATE, 16000)
        segments, _ = self._model.transcribe(audio16k, beam_size=5, vad_filter=True, language="en")
        return " ".join(segment.text.strip() for segment in segments).strip()


# --- scoring --------------------------------------------------------------------------


def wer_ratio(streamed: float, whole_file: float) -> float | None:
    """streamed / whole-file; 1.0 when both are 0, None (infinite) when only whole is."""
    if whole_file > 0:
        return streamed / whole_file
    return 1.0 if streamed == 0 else None


def score_speaker(
    call: CallInput, speaker: str, streamed: list[Utterance], whole_file_text: str
) -> SpeakerResult:
    reference = call.reference(speaker)
    streamed_text = " ".join(u.text for u in streamed)
    streamed_wer = word_error_rate(reference, streamed_text)
    whole_wer = word_error_rate(reference, whole_file_text)
    ratio = wer_ratio(streamed_wer, whole_wer)
    apply_wer_target = call.sample and speaker == "agent"
    return SpeakerResult(
        speaker=speaker,
        reference_words=len(normalize(reference)),
        streamed_wer=streamed_wer,
        whole_file_wer=whole_wer,
        ratio=ratio,
        ratio_ok=ratio is not None and ratio <= TARGET_RATIO,
        wer_ok=streamed_wer <= TARGET_AGENT_WER if apply_wer_target else None,
        utterances=len(streamed),
        streamed_text=streamed_text,
        whole_file_text=whole_file_text,
    )


def turn_words(turn: RefTurn, streamed: list[Utterance]) -> str | None:
    """The streamed words spoken during `turn` (None when the reference has no times)."""
    if turn.start_ms is None or turn.end_ms is None:
        return None
    begin, end = turn.start_ms - WINDOW_MARGIN_MS, turn.end_ms + WINDOW_MARGIN_MS
    words = [w.word for u in streamed for w in u.words if w.end_ms > begin and w.start_ms < end]
    return " ".join(words)


def check_digits(
    call: CallInput, streamed: dict[str, list[Utterance]], whole_file: dict[str, str]
) -> list[DigitCheck]:
    checks: list[DigitCheck] = []
    for turn in call.turns:
        digits = spoken_digits(turn.text)
        if not digits or ("card_number" not in turn.pii and len(digits) < MIN_DIGITS):
            continue
        transcript = " ".join(u.text for u in streamed.get(turn.speaker, []))
        in_order = digits_in_order(digits, transcript)
        heard = turn_words(turn, streamed.get(turn.speaker, []))
        if heard is None:  # no times: the transcript's closest digit run
            runs = digit_runs(transcript)
            heard = max(runs, key=lambda run: digits_matched(digits, run), default="")
        checks.append(
            DigitCheck(
                speaker=turn.speaker,
                turn=turn.index,
                where=turn.name(),
                label="+".join(turn.pii) or "digits",
                reference=digits,
                total=len(digits),
                in_order=in_order,
                matched=len(digits) if in_order else digits_matched(digits, heard),
                heard=heard,
                whole_file_in_order=digits_in_order(digits, whole_file.get(turn.speaker, "")),
            )
        )
    return checks


async def evaluate_call(url: str, decoder: WholeFileDecoder, call: CallInput) -> CallResult:
    customer, agent = read_track(call.customer_wav), read_track(call.agent_wav)
    utterances, wall = await stream_call(url, interleave(customer, agent))
    streamed = {
        s: sorted((u for u in utterances if u.speaker.value == s), key=lambda u: u.start_ms)
        for s in SPEAKERS
    }
    tracks = {"customer": customer, "agent": agent}
    whole_file = {s: await asyncio.to_thread(decoder.transcribe, tracks[s]) for s in SPEAKERS}
    audio_s = max(customer.size, agent.size) / RATE
    return CallResult(
        name=call.name,
        audio_s=audio_s,
        stream_wall_s=wall,
        rtf=audio_s / wall if wall > 0 else math.inf,
        speakers=[score_speaker(call, s, streamed[s], whole_file[s]) for s in SPEAKERS],
        digits=check_digits(call, streamed, whole_file),
    )


# --- reporting ------------------------------------------------------------------------


def fmt_ratio(ratio: float | None) -> str:
    return "inf" if ratio is None else f"{ratio:.2f}"


def print_call(result: CallResult, *, verbose: bool) -> None:
    print(f"call {result.name}: {result.audio_s:.1f} s of audio")
    for s in result.speakers:
        ratio_mark = "ok" if s.ratio_ok else f"MISSED (> {TARGET_RATIO})"
        line = (
            f"  {s.speaker:<8} streamed WER {s.streamed_wer:.3f}, whole-file WER "
            f"{s.whole_file_wer:.3f}, ratio {fmt_ratio(s.ratio)} {ratio_mark}"
        )
        if s.wer_ok is not None:
            line += f"; streamed WER target <= {TARGET_AGENT_WER}: "
            line += "ok" if s.wer_ok else "MISSED"
        print(f"{line} ({s.reference_words} reference words, {s.utterances} utterances)")
    for check in result.digits:
        print(f"  {check.line()}")
    print(
        f"  streamed run: {result.audio_s:.1f} s of audio in {result.stream_wall_s:.1f} s, "
        f"RTF {result.rtf:.1f}"
    )
    if verbose:
        for s in result.speakers:
            print(f"  {s.speaker} streamed:   {s.streamed_text}")
            print(f"  {s.speaker} whole-file: {s.whole_file_text}")


def totals(results: Sequence[CallResult]) -> dict[str, Any]:
    """Per speaker WER over all calls (errors / reference words), digits, RTF."""
    summary: dict[str, Any] = {"speakers": {}}
    for speaker in SPEAKERS:
        rows = [s for r in results for s in r.speakers if s.speaker == speaker]
        words = sum(s.reference_words for s in rows)
        streamed = sum(s.streamed_wer * s.reference_words for s in rows) / max(1, words)
        whole = sum(s.whole_file_wer * s.reference_words for s in rows) / max(1, words)
        ratio = wer_ratio(streamed, whole)
        summary["speakers"][speaker] = {
            "reference_words": words,
            "streamed_wer": streamed,
            "whole_file_wer": whole,
            "ratio": ratio,
        }
    checks = [c for r in results for c in r.digits]
    audio = sum(r.audio_s for r in results)
    wall = sum(r.stream_wall_s for r in results)
    summary.update(
        digit_checks=len(checks),
        digit_checks_in_order=sum(c.in_order for c in checks),
        digit_checks_whole_file_in_order=sum(c.whole_file_in_order for c in checks),
        audio_s=audio,
        stream_wall_s=wall,
        rtf=audio / wall if wall > 0 else None,
        targets_ok=all(r.targets_ok for r in results),
    )
    return summary


def print_totals(summary: dict[str, Any], calls: int) -> None:
    print(f"totals over {calls} call(s):")
    for speaker, row in summary["speakers"].items():
        print(
            f"  {speaker:<8} streamed WER {row['streamed_wer']:.3f}, whole-file WER "
            f"{row['whole_file_wer']:.3f}, ratio {fmt_ratio(row['ratio'])} "
            f"({row['reference_words']} reference words)"
        )
    print(
        f"  digit checks: {summary['digit_checks_in_order']}/{summary['digit_checks']} in order "
        f"streamed, {summary['digit_checks_whole_file_in_order']}/{summary['digit_checks']} "
        "whole-file"
    )
    rtf = "-" if summary["rtf"] is None else f"{summary['rtf']:.1f}"
    print(
        f"  streamed: {summary['audio_s']:.1f} s of audio in {summary['stream_wall_s']:.1f} s, "
        f"RTF {rtf}"
    )
    print(f"  targets: {'all met' if summary['targets_ok'] else 'MISSED'}")


def to_json(results: Sequence[CallResult], summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "targets": {"max_ratio": TARGET_RATIO, "max_streamed_agent_wer": TARGET_AGENT_WER},
        "calls": [{**asdict(r), "targets_ok": r.targets_ok} for r in results],
        "totals": summary,
    }


# --- entry point ----------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        epilog="See the module docstring (bench/bench_asr_accuracy.py) for how it measures.",
    )
    parser.add_argument(
        "--call",
        action="append",
        default=[],
        metavar="NAME",
        help="a sample call in examples/calls (repeatable; default: all of them)",
    )
    parser.add_argument(
        "--pair",
        action="append",
        default=[],
        nargs="+",
        metavar="FILE",
        help="CUSTOMER.wav AGENT.wav TIMELINE.json, or CUSTOMER.wav AGENT.wav "
        "CUSTOMER.txt AGENT.txt (repeatable)",
    )
    parser.add_argument("--no-samples", action="store_true", help="only the --pair calls")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--verbose", action="store_true", help="print the transcripts")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def select_calls(args: argparse.Namespace) -> list[CallInput]:
    calls: list[CallInput] = []
    if not args.no_samples:
        available = discover_calls()
        unknown = [name for name in args.call if name not in available]
        if unknown:
            raise ValueError(f"no sample call {', '.join(unknown)}; have {', '.join(available)}")
        for name in args.call or list(available):
            calls.append(load_timeline(available[name], sample=True))
    calls += [load_pair(pair) for pair in args.pair]
    return calls


async def run(calls: Sequence[CallInput], *, verbose: bool = False) -> list[CallResult]:
    from voice.asr.local_engine import WhisperEngine
    from voice.asr.server import running_server

    loaded = time.perf_counter()
    engine = WhisperEngine.shared()
    decoder = WholeFileDecoder()
    print(f"models loaded in {time.perf_counter() - loaded:.1f} s (whisper base, int8, CPU)")
    results: list[CallResult] = []
    with running_server(engine=engine, api_key=API_KEY) as server:
        for call in calls:
            result = await evaluate_call(server.url, decoder, call)
            print_call(result, verbose=verbose)
            results.append(result)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        calls = select_calls(args)
        for call in calls:
            for wav in (call.customer_wav, call.agent_wav):
                read_track(wav)  # fail early on a bad file
    except (OSError, ValueError, KeyError) as exc:
        print(f"bench_asr_accuracy: {exc}", file=sys.stderr)
        return 2
    if not calls:
        print("bench_asr_accuracy: no calls to measure")
        return 0
    results = asyncio.run(run(calls, verbose=args.verbose))
    summary = totals(results)
    print_totals(summary, len(results))
    if args.json:
        args.json.write_text(json.dumps(to_json(results, summary), indent=2) + "\n")
        print(f"results written to {args.json}")
    return 1 if args.strict and not summary["targets_ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
