"""Post-call audio redaction and verification: seconds of work per minute of call audio.

For each sample call (or `--pair CUSTOMER.wav AGENT.wav`), this runs the compute the
`redaction` queue's activities run, with the same classes, minus the stores (KVS, S3,
PostgreSQL and Temporal add little next to it):

1. redaction: whole-track Whisper decode of both tracks, the batch PII pass over the
   interleaved lines (`post_call_spans`), beeping each span, the stereo WAV;
2. verification: reading the WAV back, checking every span holds the beep and nothing
   else (`check_beeped`, `beeps_outside`), re-transcribing both redacted tracks and
   running detection on what is still heard.

The live spans that the audio worker would have found are left out: the post-call pass
finds the spans here, so the beeping and checks cover what a real call beeps. Models are
loaded (and timed) once before the first call, as a worker does when it starts.

    .venv/bin/python bench/bench_audio_redaction.py [--call NAME ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from activities.post_call_detection import WhisperTranscriber, post_call_spans
from activities.redaction_checks import RedactionVerifier, policy_snapshot
from redaction.audio import beep_spans, read_stereo_wav, stereo_wav
from redaction.detector import PiiDetector
from redaction.policy import DEFAULT_POLICY

CALLS = Path(__file__).resolve().parents[1] / "examples" / "calls"
RATE = 8000


@dataclass
class Figures:
    call: str
    audio_s: float
    spans: int
    redaction_s: float
    verification_s: float
    reasons: list[str]

    @property
    def per_minute_s(self) -> float:
        return (self.redaction_s + self.verification_s) / (self.audio_s / 60)


def read_track(path: Path) -> np.ndarray:
    with wave.open(str(path)) as wav:
        if wav.getframerate() != RATE or wav.getnchannels() != 1:
            raise SystemExit(f"{path}: expected 8 kHz mono, as Connect streams")
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)


def sample_pairs(names: list[str]) -> list[tuple[str, Path, Path]]:
    pairs = []
    for timeline_file in sorted(CALLS.glob("*.timeline.json")):
        name = timeline_file.name.removesuffix(".timeline.json")
        if names and name not in names:
            continue
        tracks = json.loads(timeline_file.read_text())["tracks"]
        pairs.append((name, CALLS / tracks["customer"], CALLS / tracks["agent"]))
    return pairs


def run_call(
    name: str,
    customer_wav: Path,
    agent_wav: Path,
    transcriber: WhisperTranscriber,
    detector: PiiDetector,
) -> Figures:
    tracks = {"customer": read_track(customer_wav), "agent": read_track(agent_wav)}
    stop = threading.Event()
    policy = DEFAULT_POLICY

    began = time.perf_counter()
    heard = {track: transcriber.words(samples, RATE, stop) for track, samples in tracks.items()}
    spans = post_call_spans(heard, detector=detector, policy=policy)
    beeped = {
        track: beep_spans(
            samples,
            sample_rate=RATE,
            spans=[(s.start_ms, s.end_ms) for s in spans if s.track == track],
            beep_hz=policy.beep_hz,
            padding_ms=policy.audio_padding_ms,
        )
        for track, samples in tracks.items()
    }
    wav = stereo_wav(beeped["customer"], beeped["agent"], sample_rate=RATE)
    redaction_s = time.perf_counter() - began

    began = time.perf_counter()
    customer, agent, rate = read_stereo_wav(wav)
    verifier = RedactionVerifier(policy=policy_snapshot(policy, None), detector=detector)
    reasons: list[str] = []
    for track, samples in (("customer", customer), ("agent", agent)):
        mine = [s for s in spans if s.track == track]
        reasons += verifier.check_audio(track, samples, mine)
        reasons += verifier.heard_pii(track, transcriber.words(samples, rate, stop), mine)
    verification_s = time.perf_counter() - began

    audio_s = max(len(t) for t in tracks.values()) / RATE
    return Figures(name, audio_s, len(spans), redaction_s, verification_s, reasons)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--call", action="append", default=[], help="a sample call's name")
    parser.add_argument("--pair", nargs=2, metavar=("CUSTOMER_WAV", "AGENT_WAV"))
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()

    began = time.perf_counter()
    detector = PiiDetector()
    transcriber = WhisperTranscriber()
    transcriber.words(np.ones(RATE, dtype=np.int16), RATE, threading.Event())
    print(f"models loaded in {time.perf_counter() - began:.1f} s")

    pairs = (
        [("pair", Path(args.pair[0]), Path(args.pair[1]))] if args.pair else sample_pairs(args.call)
    )
    rows = [run_call(name, c, a, transcriber, detector) for name, c, a in pairs]
    print(
        f"{'call':30} {'audio':>7} {'spans':>5} {'redact':>7} {'verify':>7} {'per min':>8}  verdict"
    )
    for row in rows:
        verdict = "verified" if not row.reasons else f"failed ({len(row.reasons)} reasons)"
        print(
            f"{row.call:30} {row.audio_s:6.1f}s {row.spans:5d} {row.redaction_s:6.1f}s "
            f"{row.verification_s:6.1f}s {row.per_minute_s:7.1f}s  {verdict}"
        )
        for reason in row.reasons:  # tracks, times and types only, never what was heard
            print(f"    {reason}")
    audio = sum(r.audio_s for r in rows)
    work = sum(r.redaction_s + r.verification_s for r in rows)
    print(
        f"all: {work:.1f} s of work for {audio:.1f} s of audio"
        f" = {work / (audio / 60):.1f} s per minute"
    )
    if args.json:
        args.json.write_text(
            json.dumps([r.__dict__ | {"per_minute_s": r.per_minute_s} for r in rows], indent=2)
        )


if __name__ == "__main__":
    main()
