"""Real-time factor of the local ASR (faster-whisper base, int8, CPU).

Run from the repo root: ``.venv/bin/python bench/bench_asr.py [--streams 3] [--wav call.wav]``.
The real-time factor here is audio seconds / processing seconds (higher is better): a
figure of 8 means one second of processing transcribes eight seconds of call audio.
Audio is a two-speaker telephone dialogue made with espeak-ng and sox, or a stereo
16-bit WAV given with --wav. Prints plain lines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from voice.asr.base import AsrResult, StreamingAsr
from voice.asr.deepgram import DeepgramAsr
from voice.asr.local_engine import LocalAsr, WhisperEngine
from voice.asr.server import running_server
from voice.asr.whisper_decoder import DecodeRequest

RATE = 8000
TURNS = [
    (0, "Hello, I would like to ask about my internet service. It stopped working yesterday."),
    (1, "I am sorry to hear that. Could you please confirm your account number for me?"),
    (0, "Sure. The account is under the name John Smith, and I live on Main Street."),
    (1, "Thank you. I can see an outage in your area. A technician will visit tomorrow."),
    (0, "That works for me. Will I get a credit for the days without service?"),
    (1, "Yes, I have added a credit to your next invoice. Is there anything else?"),
]
VOICES = {0: ["-v", "en-us", "-s", "150"], 1: ["-v", "en-us", "-p", "70", "-s", "150"]}


def synthesize(workdir: Path) -> np.ndarray:
    """A stereo dialogue: each turn on its speaker's channel, 0.8 s apart."""
    gap = np.zeros(int(0.8 * RATE), dtype="<i2")
    tracks: list[list[np.ndarray]] = [[gap], [gap]]
    for channel, text in TURNS:
        raw, tel = workdir / "raw.wav", workdir / "tel.wav"
        subprocess.run(["espeak-ng", *VOICES[channel], "-w", str(raw), text], check=True)
        resample = ["sox", "-R", "-D", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(tel)]
        subprocess.run(resample, check=True)
        clip = read_wav(tel)[:, 0]
        tracks[channel] += [clip, gap]
        tracks[1 - channel] += [np.zeros_like(clip), gap]
    return np.stack([np.concatenate(tracks[0]), np.concatenate(tracks[1])], axis=1)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as wav:
        if wav.getsampwidth() != 2 or wav.getframerate() != RATE:
            sys.exit(f"{path}: need 16-bit {RATE} Hz audio")
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return samples.reshape(-1, wav.getnchannels())


async def transcribe(asr: StreamingAsr, pcm: bytes, *, speed: float | None = None) -> int:
    """Send the audio (at `speed` x real time, or as fast as the engine takes it) and
    return the number of final results once the stream has been flushed."""
    finals = 0
    async with asr.stream(sample_rate=RATE, channels=2) as stream:

        async def count() -> None:
            nonlocal finals
            async for event in stream.events():
                finals += isinstance(event, AsrResult) and event.is_final

        counter = asyncio.create_task(count())
        chunk = RATE * 4 // 10  # 100 ms of stereo audio
        for begin in range(0, len(pcm), chunk):
            await stream.send_audio(pcm[begin : begin + chunk])
            await asyncio.sleep(0.1 / speed if speed else 0)  # 0: let results flow
    await counter
    return finals


async def measure(
    factory: Callable[[], StreamingAsr], pcm: bytes, *, streams: int, speed: float | None = None
) -> tuple[float, float, int]:
    """(wall seconds, process CPU seconds, finals) for `streams` concurrent streams."""
    wall, cpu = time.perf_counter(), time.process_time()
    counts = await asyncio.gather(
        *(transcribe(factory(), pcm, speed=speed) for _ in range(streams))
    )
    return time.perf_counter() - wall, time.process_time() - cpu, sum(counts)


def decode_only(engine: WhisperEngine, stereo: np.ndarray) -> tuple[float, float]:
    """Whisper alone on each turn, beam search as for finals: (speech s, processing s)."""
    speech = processing = 0.0
    for channel in (0, 1):
        track = stereo[:, channel]
        voiced = np.flatnonzero(np.abs(track) > 200)
        if voiced.size == 0:
            continue
        # Turns are separated by >= 1 s of silence on a channel; split there.
        breaks = np.flatnonzero(np.diff(voiced) > RATE)
        for part in np.split(voiced, breaks + 1):
            clip = track[part[0] : part[-1] + 1]
            started = time.perf_counter()
            engine.decode(DecodeRequest(samples=clip, sample_rate=RATE, beam_size=5))
            processing += time.perf_counter() - started
            speech += clip.size / RATE
    return speech, processing


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wav", type=Path, help="stereo 16-bit 8 kHz WAV instead of TTS")
    parser.add_argument("--streams", type=int, default=3, help="concurrent streams")
    parser.add_argument(
        "--max-parallel", type=int, default=None, help="parallel decodes (default: one per core)"
    )
    parser.add_argument("--paced", action="store_true", help="also run at real-time pace")
    args = parser.parse_args()
    if args.wav:
        stereo = read_wav(args.wav)
    elif shutil.which("espeak-ng") and shutil.which("sox"):
        with tempfile.TemporaryDirectory() as workdir:
            stereo = synthesize(Path(workdir))
    else:
        print("bench_asr: skipped (needs espeak-ng and sox, or --wav)")
        return
    if stereo.shape[1] != 2:
        sys.exit("need two channels (customer, agent)")
    pcm = stereo.astype("<i2").tobytes()
    audio_s = stereo.shape[0] / RATE

    loaded = time.perf_counter()
    engine = WhisperEngine.shared(max_parallel=args.max_parallel)
    print(f"model load: {time.perf_counter() - loaded:.2f} s (whisper base, int8, CPU)")
    print(f"cpus: {os.cpu_count()}, parallel decodes: {engine.max_parallel}")
    print(f"audio: {audio_s:.1f} s, 2 channels, 8 kHz")
    engine.decode(DecodeRequest(samples=stereo[:RATE, 0], sample_rate=RATE))  # warm-up

    speech_s, decode_s = decode_only(engine, stereo)
    rtf = speech_s / decode_s
    print(f"decode only: {speech_s:.1f} s of speech in {decode_s:.2f} s, RTF {rtf:.1f}")

    wall, cpu, finals = await measure(lambda: LocalAsr(engine=engine), pcm, streams=1)
    report("1 stream, in-process", audio_s, wall, cpu, finals)
    with running_server(engine=engine, api_key="bench") as server:

        def remote() -> StreamingAsr:
            return DeepgramAsr(api_key="bench", url=server.url)

        wall, cpu, finals = await measure(remote, pcm, streams=1)
        report("1 stream, Deepgram protocol", audio_s, wall, cpu, finals)
        n = args.streams
        wall, cpu, finals = await measure(remote, pcm, streams=n)
        report(f"{n} concurrent streams, Deepgram protocol", n * audio_s, wall, cpu, finals)
        if args.paced:
            # Real-time pace with interim results: CPU per audio second is the capacity cost.
            wall, cpu, finals = await measure(remote, pcm, streams=n, speed=1.0)
            report(f"{n} streams at real-time pace, interims on", n * audio_s, wall, cpu, finals)


def report(label: str, audio_s: float, wall: float, cpu: float, finals: int) -> None:
    print(
        f"{label}: {audio_s:.1f} s of audio in {wall:.2f} s, RTF {audio_s / wall:.1f}, "
        f"{cpu / audio_s:.3f} CPU s per audio s, {finals} finals"
    )


if __name__ == "__main__":
    asyncio.run(main())
