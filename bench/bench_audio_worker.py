"""How many concurrent calls one audio worker process carries in real time.

Part 1, our own cost: N calls (default 200) stream live, at real-time speed, from the KVS
emulator (its own process) through CallAudioPipeline in this process: GetMedia, MKV
parsing, track interleaving, utterance assembly. The ASR is ReplayAsr playing back real
results recorded once from the local engine (cached in the temp dir), so no model runs
here. Temporal signals and Redis publishing are left out: the callbacks only count.
Calls per core = the calls' audio seconds / this process's CPU seconds, over the whole run
and over the steady state while every call streams. The calls start within --stagger s
(default one fragment, so fragments land evenly phased); N calls starting at once, as after
a worker failover, show up in the start-up lag (`--stagger 0` starts them all at once).
Lag = wall time a fragment is handed to the ASR - its producer timestamp (at least the 1 s
fragment length). Every call's reader shares one KvsClientPool, as the audio worker's
calls do; the start-up figure is checked against START_UP_P95_TARGET_S.

Part 2, with the local ASR: `callguide asr-server` (faster-whisper) in its own process and
N concurrent pipelines using DeepgramAsr against it, for N on a small ladder. A rung kept
up when final utterances arrive within --max-lag of their turn's audio end (p95); the
largest such N is how many calls this machine carries with the local ASR.

Run from the repo root:

    .venv/bin/python bench/bench_audio_worker.py [--calls 200] [--seconds 30] \\
        [--asr-ladder 1,2,4,6,8]
    .venv/bin/python bench/bench_audio_worker.py --quick    # smoke run, about a minute
    .venv/bin/python bench/bench_audio_worker.py --stagger 0 --seconds 12 --asr-ladder ''
        # start-up of 200 calls at once, as after a worker failover

Prints plain lines of figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import wave
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from callguide.devstack import free_port, port_open
from callguide.model import AudioCheckpoint, Utterance
from voice.asr.base import AsrError, AsrResult, AsrStream, AsrUtteranceEnd, StreamingAsr
from voice.asr.deepgram import DeepgramAsr
from voice.asr.replay import RecordedEvent, ReplayAsr, load_events, record_wav
from voice.call_audio import CallAudioPipeline, interleave
from voice.kvs_clients import KvsClientPool
from voice.kvs_reader import CallAudio, KvsCallReader, ReaderCheckpoint
from voice.utterances import InterimText

REPO = Path(__file__).resolve().parents[1]
CALLS_DIR = REPO / "examples" / "calls"
CACHE_DIR = Path(tempfile.gettempdir()) / "callguide-bench-audio-worker"
SAMPLE_RATE = 8000
FRAGMENT_S = 1.0  # the emulator's default fragment length, as Connect writes them
END_IDLE_S = 5.0  # KvsCallReader's end-of-call quiet time, the worker's default
# A turn still running at the cut, or ending this close before it, has no silence after it
# to be endpointed on live; it is only flushed when the call ends, so its utterances do not
# count towards the lag.
TAIL_S = 2.0
STREAMING_GAP_S = 1.5 * FRAGMENT_S  # no fragment for this long: the call is not streaming
SERVICE_START_S = 180.0
# Calls starting together (a failover) must hear their first fragment this soon (p95).
START_UP_P95_TARGET_S = 3.0


# --- figures ----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: Sequence[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {percentile(values, 0.5):.2f} s, p95 {percentile(values, 0.95):.2f} s, "
        f"max {max(values):.2f} s (n={len(values)})"
    )


# --- the sample calls -------------------------------------------------------------------


@dataclass(frozen=True)
class SampleCall:
    name: str
    customer_wav: Path  # cut to `seconds`, in the work dir
    agent_wav: Path
    stereo_wav: Path  # both tracks interleaved, for recording the ASR
    audio_ms: int
    live_until_ms: int  # start of the timeline turn running at the cut (see TAIL_S)
    digest: str

    @property
    def feed_body(self) -> dict[str, object]:
        return {"customer_wav": str(self.customer_wav), "agent_wav": str(self.agent_wav)}


def call_names() -> list[str]:
    return sorted(p.name.removesuffix(".timeline.json") for p in CALLS_DIR.glob("*.timeline.json"))


def read_mono(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, SAMPLE_RATE):
            raise SystemExit(f"{path.name}: expected 8 kHz 16-bit mono")
        return wav.readframes(wav.getnframes())


def write_wav(path: Path, pcm: bytes, channels: int) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)


def prepare_call(name: str, seconds: float, workdir: Path) -> SampleCall:
    """The call's first `seconds` of audio as WAVs the emulator (same machine) can read."""
    keep = round(seconds * SAMPLE_RATE) * 2
    customer = read_mono(CALLS_DIR / f"{name}.customer.wav")[:keep]
    agent = read_mono(CALLS_DIR / f"{name}.agent.wav")[:keep]
    length = min(len(customer), len(agent))
    customer, agent = customer[:length], agent[:length]
    stereo = interleave(customer, agent)
    audio_ms = length * 1000 // (2 * SAMPLE_RATE)
    timeline = json.loads((CALLS_DIR / f"{name}.timeline.json").read_text())
    cut_turns = [t for t in timeline["turns"] if t["end_ms"] > audio_ms - TAIL_S * 1000]
    call = SampleCall(
        name=name,
        customer_wav=workdir / f"{name}.customer.wav",
        agent_wav=workdir / f"{name}.agent.wav",
        stereo_wav=workdir / f"{name}.stereo.wav",
        audio_ms=audio_ms,
        live_until_ms=min((t["start_ms"] for t in cut_turns), default=audio_ms),
        digest=hashlib.sha256(stereo).hexdigest()[:12],
    )
    write_wav(call.customer_wav, customer, 1)
    write_wav(call.agent_wav, agent, 1)
    write_wav(call.stereo_wav, stereo, 2)
    return call


# --- server subprocesses ----------------------------------------------------------------


class Service:
    """A server in its own process; its CPU time (all threads) comes from psutil."""

    def __init__(self, name: str, args: list[str], port: int, log_path: Path) -> None:
        self.name = name
        self.port = port
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, *args], cwd=REPO, stdout=log, stderr=subprocess.STDOUT
            )
        self._ps = psutil.Process(self.process.pid)
        self._last_cpu = 0.0

    def wait_ready(self) -> float:
        started = time.monotonic()
        while not port_open("127.0.0.1", self.port):
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise SystemExit(f"{self.name} exited with {self.process.returncode}:\n{tail}")
            if time.monotonic() - started > SERVICE_START_S:
                raise SystemExit(f"{self.name} did not open port {self.port} in time")
            time.sleep(0.1)
        return time.monotonic() - started

    def cpu_seconds(self) -> float:
        with contextlib.suppress(psutil.Error):
            times = self._ps.cpu_times()
            self._last_cpu = times.user + times.system
        return self._last_cpu

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def running_service(name: str, args: list[str], port: int, log_path: Path) -> Iterator[Service]:
    service = Service(name, args, port, log_path)
    try:
        yield service
    finally:
        service.stop()


# --- probes on one call's pipeline ------------------------------------------------------


@dataclass
class CallProbe:
    """What one call's pipeline did, seen from its reader, its ASR edge and its callbacks."""

    live_until_ms: int
    start_wall: float = 0.0  # StartTimestamp: wall time of the call's first sample
    handoffs: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, lag)
    final_lags: list[float] = field(default_factory=list)
    tail_finals: int = 0
    utterances: int = 0
    interims: int = 0
    checkpoints: int = 0
    audio_ms: int = 0
    last_audio: float | None = None
    done: bool = False
    error: str | None = None
    _pending: deque[tuple[int, float]] = field(default_factory=deque)
    _read_bytes: int = 0
    _sent_bytes: int = 0

    def fragment_read(self, piece: CallAudio) -> None:
        self._read_bytes += 2 * len(piece.customer_pcm)  # both tracks, interleaved
        self._pending.append((self._read_bytes, piece.producer_timestamp))

    def audio_sent(self, size: int) -> None:
        """A fragment counts as handed to the ASR when its last chunk has been sent."""
        self._sent_bytes += size
        now = time.time()
        while self._pending and self._pending[0][0] <= self._sent_bytes:
            _, produced = self._pending.popleft()
            self.handoffs.append((time.monotonic(), now - produced))
            self.last_audio = now

    async def on_utterance(self, utterance: Utterance) -> None:
        self.utterances += 1
        if utterance.end_ms > self.live_until_ms:
            self.tail_finals += 1
            return
        self.final_lags.append(time.time() - (self.start_wall + utterance.end_ms / 1000))

    async def on_interim(self, interim: InterimText) -> None:
        self.interims += 1

    def on_checkpoint(self, checkpoint: AudioCheckpoint) -> None:
        self.checkpoints += 1

    def streaming(self, now: float) -> bool:
        return (
            not self.done
            and self.last_audio is not None
            and now - self.last_audio < STREAMING_GAP_S
        )


class TimedReader(KvsCallReader):
    """KvsCallReader that notes each fragment it yields."""

    def __init__(self, *, probe: CallProbe, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self._probe = probe

    async def audio(self) -> AsyncGenerator[CallAudio, None]:
        async with contextlib.aclosing(super().audio()) as pieces:
            async for piece in pieces:
                self._probe.fragment_read(piece)
                yield piece


class TimedStream:
    def __init__(self, inner: AsrStream, probe: CallProbe) -> None:
        self._inner = inner
        self._probe = probe

    async def send_audio(self, pcm: bytes) -> None:
        await self._inner.send_audio(pcm)
        self._probe.audio_sent(len(pcm))

    async def finalize(self) -> None:
        await self._inner.finalize()

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._inner.events()


class TimedAsr:
    """Wraps one call's ASR to see when the pipeline hands audio over."""

    def __init__(self, inner: StreamingAsr, probe: CallProbe) -> None:
        self._inner = inner
        self._probe = probe

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[TimedStream]:
        async with self._inner.stream(sample_rate=sample_rate, channels=channels) as inner:
            yield TimedStream(inner, self._probe)


# --- running N calls --------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    services: dict[str, float]
    streaming: int


@dataclass(frozen=True)
class Steady:
    """The stretch of a run while every call was streaming."""

    started_s: float  # after the run began
    wall_s: float
    cpu_s: float
    service_cpu_s: dict[str, float]
    lags: list[float]  # fragment hand-off lags within it


@dataclass
class RunResult:
    probes: list[CallProbe]
    began: float  # monotonic
    wall_s: float
    cpu_s: float
    service_cpu_s: dict[str, float]
    samples: list[Sample]

    @property
    def failed(self) -> list[CallProbe]:
        return [p for p in self.probes if p.error is not None]

    @property
    def audio_s(self) -> float:
        return sum(p.audio_ms for p in self.probes) / 1000

    def steady(self) -> Steady | None:
        full = [s for s in self.samples if s.streaming == len(self.probes)]
        if len(full) < 2:
            return None
        first, last = full[0], full[-1]
        return Steady(
            started_s=first.wall - self.began,
            wall_s=last.wall - first.wall,
            cpu_s=last.cpu - first.cpu,
            service_cpu_s={k: last.services[k] - first.services[k] for k in first.services},
            lags=[
                lag for p in self.probes for at, lag in p.handoffs if first.wall <= at <= last.wall
            ],
        )

    def handoff_lags(self) -> list[float]:
        return [lag for p in self.probes for _, lag in p.handoffs]

    def final_lags(self) -> list[float]:
        return [lag for p in self.probes for lag in p.final_lags]


@dataclass(frozen=True)
class Bench:
    http: httpx.AsyncClient
    kvs: KvsClientPool
    services: dict[str, Service]
    stagger_s: float
    end_idle_s: float
    run_tag: str


async def feed_is_over() -> bool:
    """A bench call has no workflow to ask: once its stream is quiet, the feed is over."""
    return True


async def run_call(
    bench: Bench, call: SampleCall, stream: str, asr: StreamingAsr, probe: CallProbe, delay: float
) -> None:
    try:
        await asyncio.sleep(delay)
        contact_id = str(uuid.uuid4())
        body = {**call.feed_body, "contact_id": contact_id, "speed": 1}
        response = await bench.http.post(f"/_emulator/streams/{stream}/feed", json=body)
        response.raise_for_status()
        start = response.json()
        start_ms = int(start["StartTimestamp"])
        probe.start_wall = start_ms / 1000

        def reader(resume: ReaderCheckpoint | None) -> KvsCallReader:
            return TimedReader(
                probe=probe,
                stream_arn=start["StreamARN"],
                contact_id=contact_id,
                start_fragment_number=start["StartFragmentNumber"],
                start_timestamp_ms=start_ms,
                checkpoint=resume,
                clients=bench.kvs,
                end_of_stream_idle_s=bench.end_idle_s,
                contact_ended=feed_is_over,
            )

        pipeline = CallAudioPipeline(
            reader_factory=reader,
            asr=TimedAsr(asr, probe),
            on_utterance=probe.on_utterance,
            on_interim=probe.on_interim,
            on_checkpoint=probe.on_checkpoint,
        )
        outcome = await pipeline.run()
        probe.audio_ms = outcome.audio_ms
    except Exception as error:  # a failed call is reported, the others go on
        probe.error = f"{type(error).__name__}: {error}"
    finally:
        probe.done = True


async def monitor(
    bench: Bench, probes: list[CallProbe], samples: list[Sample], stop: asyncio.Event
) -> None:
    while True:
        now = time.time()
        samples.append(
            Sample(
                wall=time.monotonic(),
                cpu=time.process_time(),
                services={name: s.cpu_seconds() for name, s in bench.services.items()},
                streaming=sum(p.streaming(now) for p in probes),
            )
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
            return


async def run_calls(
    bench: Bench, label: str, calls: Sequence[SampleCall], count: int, asr: StreamingAsr
) -> RunResult:
    """`count` concurrent calls (cycling through `calls`), starts spread over stagger_s."""
    streams = [f"bench-{bench.run_tag}-{label}-{i}" for i in range(count)]
    for stream in streams:
        created = await bench.http.post("/createStream", json={"StreamName": stream})
        created.raise_for_status()
    chosen = [calls[i % len(calls)] for i in range(count)]
    probes = [CallProbe(live_until_ms=call.live_until_ms) for call in chosen]
    samples: list[Sample] = []
    stop = asyncio.Event()
    service_cpu = {name: s.cpu_seconds() for name, s in bench.services.items()}
    cpu, wall = time.process_time(), time.monotonic()
    began = wall
    watcher = asyncio.create_task(monitor(bench, probes, samples, stop))
    await asyncio.gather(
        *(
            run_call(bench, call, stream, asr, probe, bench.stagger_s * i / count)
            for i, (call, stream, probe) in enumerate(zip(chosen, streams, probes, strict=True))
        )
    )
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    stop.set()
    await watcher
    service_cpu = {name: s.cpu_seconds() - service_cpu[name] for name, s in bench.services.items()}
    return RunResult(probes, began, wall, cpu, service_cpu, samples)


async def warm_up(bench: Bench, call: SampleCall, events: list[RecordedEvent]) -> None:
    """One call at full speed first: imports, botocore models and caches are loaded once,
    so the figures show per-call costs."""
    stream = f"bench-{bench.run_tag}-warm-up"
    contact_id = str(uuid.uuid4())
    body = {**call.feed_body, "contact_id": contact_id, "speed": 0}
    response = await bench.http.post(f"/_emulator/streams/{stream}/feed", json=body)
    response.raise_for_status()
    start = response.json()
    probe = CallProbe(live_until_ms=call.live_until_ms)

    def reader(resume: ReaderCheckpoint | None) -> KvsCallReader:
        return TimedReader(
            probe=probe,
            stream_arn=start["StreamARN"],
            contact_id=contact_id,
            start_fragment_number=start["StartFragmentNumber"],
            checkpoint=resume,
            clients=bench.kvs,
            end_of_stream_idle_s=0.3,
            contact_ended=feed_is_over,
        )

    await CallAudioPipeline(
        reader_factory=reader,
        asr=TimedAsr(ReplayAsr(events=events), probe),
        on_utterance=probe.on_utterance,
        on_interim=probe.on_interim,
        on_checkpoint=probe.on_checkpoint,
    ).run()


# --- part 1: our own cost ---------------------------------------------------------------


async def record_call(call: SampleCall, asr_url: str, out: Path) -> list[RecordedEvent]:
    partial = out.with_suffix(f".{os.getpid()}.part")
    asr = DeepgramAsr(api_key="local", url=asr_url)
    events = await record_wav(asr, call.stereo_wav, partial, speed=1.0)
    os.replace(partial, out)
    return events


def load_cached(path: Path) -> list[RecordedEvent] | None:
    """A recording of the same audio made by an earlier run, if it is readable."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AsrError):
        return load_events(path)
    return None


def print_failures(result: RunResult) -> None:
    for probe in result.failed[:3]:
        print(f"  failed call: {probe.error}")


async def part_own_cost(
    bench: Bench, call: SampleCall, events: list[RecordedEvent], count: int
) -> None:
    print(
        f"part 1: our own cost; {count} calls of {call.name} "
        f"({call.audio_ms / 1000:.0f} s each) fed live at real time, started over "
        f"{bench.stagger_s:.1f} s; ASR replayed (ReplayAsr, {len(events)} recorded events); "
        "Temporal signals and Redis publishing excluded (callbacks only count)"
    )
    result = await run_calls(bench, "own", [call], count, ReplayAsr(events=events))
    probes = result.probes
    print(
        f"calls {count}: {count - len(result.failed)} finished, {len(result.failed)} failed; "
        f"{result.audio_s:,.0f} audio-seconds processed in {result.wall_s:.1f} s wall"
    )
    print_failures(result)
    per_call = [p.utterances for p in probes]
    print(
        f"callbacks: {sum(per_call)} utterances ({min(per_call)}-{max(per_call)} per call), "
        f"{sum(p.interims for p in probes)} interims, "
        f"{sum(p.checkpoints for p in probes)} checkpoints"
    )
    emulator_cpu = result.service_cpu_s["emulator"]
    print(
        f"this process: CPU {result.cpu_s:.2f} s over {result.wall_s:.1f} s wall "
        f"({result.cpu_s / result.wall_s:.2f} cores busy); KVS emulator process (context, "
        f"not our cost): CPU {emulator_cpu:.2f} s ({emulator_cpu / result.wall_s:.2f} cores)"
    )
    print(
        f"whole run, incl. call start-up and the {bench.end_idle_s:g} s end-of-call wait: "
        f"{result.audio_s / result.cpu_s:,.0f} calls per core (audio-seconds / CPU-seconds)"
    )
    lags = result.handoff_lags()
    print(f"fragment handed to the ASR, wall time - producer timestamp, all: {spread(lags)}")
    first = [p.handoffs[0][1] for p in probes if p.handoffs]
    print(
        f"  start-up, each call's first fragment: {spread(first)} "
        f"({count} calls starting within {bench.stagger_s:g} s)"
    )
    if first:
        p95 = percentile(first, 0.95)
        verdict = "met" if p95 <= START_UP_P95_TARGET_S else "NOT met"
        print(f"  start-up target p95 <= {START_UP_P95_TARGET_S:g} s: {verdict} ({p95:.2f} s)")
    steady = result.steady()
    if steady is None:
        print("steady state: none (the calls were never all streaming at once)")
        return
    per_audio_s = steady.cpu_s / (count * steady.wall_s)
    overhead_ms = (result.cpu_s - per_audio_s * result.audio_s) / count * 1000
    emulator_cpu = steady.service_cpu_s["emulator"]
    print(
        f"steady state: all {count} calls streaming from {steady.started_s:.1f} s for "
        f"{steady.wall_s:.1f} s; CPU {steady.cpu_s:.2f} s ({steady.cpu_s / steady.wall_s:.2f} "
        f"cores, {per_audio_s * 1000:.2f} ms per audio-second) -> "
        f"{1 / per_audio_s:,.0f} concurrent calls per core"
    )
    print(
        f"  KVS emulator meanwhile: {emulator_cpu / steady.wall_s:.2f} cores (context); "
        f"per-call overhead outside steady streaming (start-up, end-of-call wait, "
        f"teardown): ~{overhead_ms:.0f} ms CPU"
    )
    print(f"  hand-off lag in steady state: {spread(steady.lags)}")
    print(
        f"  the same past the fragment's end ({FRAGMENT_S:g} s fragments): "
        f"{spread([lag - FRAGMENT_S for lag in steady.lags])}"
    )


# --- part 2: with the local ASR ---------------------------------------------------------


async def part_local_asr(
    bench: Bench,
    calls: Sequence[SampleCall],
    ladder: Sequence[int],
    asr_url: str,
    parallel: int,
    max_lag: float,
) -> None:
    print(
        f"part 2: local ASR; callguide asr-server (faster-whisper base int8, {parallel} "
        f"parallel decodes) in its own process; calls cycle through "
        f"{', '.join(c.name for c in calls)} ({calls[0].audio_ms / 1000:.0f} s each); "
        f"kept up = no failed call and p95 final lag <= {max_lag:.1f} s"
    )
    print(
        "final lag = arrival of a final utterance - wall time of its last word's audio "
        f"(includes the {FRAGMENT_S:.0f} s fragment buffering and endpointing)"
    )
    asr = DeepgramAsr(api_key="local", url=asr_url)
    carried, stopped = 0, False
    for count in ladder:
        result = await run_calls(bench, f"asr{count}", calls, count, asr)
        lags = result.final_lags()
        kept_up = not result.failed and bool(lags) and percentile(lags, 0.95) <= max_lag
        asr_cpu = result.service_cpu_s["asr"]
        utterances = sum(p.utterances for p in result.probes)
        tail = sum(p.tail_finals for p in result.probes)
        interims = sum(p.interims for p in result.probes)
        print(
            f"N={count}: final lag {spread(lags)}; {utterances} utterances ({tail} of turns "
            f"running at the cut not counted), {interims} interims; "
            f"{'kept up' if kept_up else 'did NOT keep up'}"
        )
        print_failures(result)
        print(
            f"  fragment hand-off lag {spread(result.handoff_lags())}; "
            f"{result.audio_s:.0f} audio-seconds in {result.wall_s:.1f} s wall"
        )
        print(
            f"  ASR server CPU {asr_cpu:.1f} s ({asr_cpu / result.wall_s:.2f} cores over the run, "
            f"{asr_cpu / max(result.audio_s, 1e-9):.2f} CPU-s per audio-second); "
            f"this process CPU {result.cpu_s:.2f} s; emulator CPU "
            f"{result.service_cpu_s['emulator']:.2f} s"
        )
        if not kept_up:
            print(f"stopping the ladder at N={count}")
            stopped = True
            break
        carried = count
    if not carried:
        print("local ASR on this machine: not even the first rung kept up")
    elif stopped:
        print(f"local ASR on this machine: {carried} concurrent calls kept up")
    else:
        print(
            f"local ASR on this machine: at least {carried} concurrent calls kept up "
            "(the ladder's top; extend it with --asr-ladder)"
        )


# --- main -------------------------------------------------------------------------------


FULL_RUN = {"calls": 200, "seconds": 30.0, "asr_ladder": "1,2,4,6,8", "end_idle": END_IDLE_S}
QUICK_RUN = {"calls": 20, "seconds": 12.0, "asr_ladder": "1,2", "end_idle": 2.0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, help="concurrent calls in part 1 (200)")
    parser.add_argument("--seconds", type=float, help="audio per call, s (30)")
    parser.add_argument("--asr-ladder", help="calls per part-2 rung (1,2,4,6,8); '' skips part 2")
    parser.add_argument("--asr-parallel", type=int, default=2, help="asr-server model decodes")
    parser.add_argument("--max-lag", type=float, default=3.0, help="kept-up bound on p95, s")
    parser.add_argument("--call", default="card_update", help="sample call of part 1")
    parser.add_argument(
        "--stagger", type=float, default=FRAGMENT_S, help="call starts spread over this, s"
    )
    parser.add_argument("--end-idle", type=float, help="reader's end-of-call wait, s (5)")
    parser.add_argument("--skip-own-cost", action="store_true", help="only part 2")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 20 calls, 12 s, ladder 1,2, 2 s wait"
    )
    args = parser.parse_args()
    for name, value in (QUICK_RUN if args.quick else FULL_RUN).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def set_aws_environment(endpoint_url: str) -> None:
    os.environ["AWS_ENDPOINT_URL_KINESIS_VIDEO"] = endpoint_url
    os.environ["AWS_ACCESS_KEY_ID"] = "bench"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "bench"
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        os.environ.pop(variable, None)


async def run(
    args: argparse.Namespace,
    calls: dict[str, SampleCall],
    services: dict[str, Service],
    ladder: list[int],
    recording: Path,
    cached: list[RecordedEvent] | None,
) -> None:
    emulator_url = f"http://127.0.0.1:{services['emulator'].port}"
    asr_url = f"ws://127.0.0.1:{services['asr'].port}" if "asr" in services else ""
    main_call = calls[args.call]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with (
        httpx.AsyncClient(base_url=emulator_url, limits=limits, timeout=60) as http,
        KvsClientPool(max_connections=2 * args.calls) as kvs,
    ):
        bench = Bench(http, kvs, services, args.stagger, args.end_idle, uuid.uuid4().hex[:6])
        events = cached or []
        if not args.skip_own_cost and cached is None:
            began = time.monotonic()
            events = await record_call(main_call, asr_url, recording)
            print(
                f"recording: {main_call.name} through the local engine at real time in "
                f"{time.monotonic() - began:.0f} s, cached as {recording.name} in the temp dir"
            )
        elif not args.skip_own_cost:
            print(f"recording: reused {recording.name} from the temp dir")
        await warm_up(bench, main_call, events)
        if not args.skip_own_cost:
            await part_own_cost(bench, main_call, events, args.calls)
        if ladder:
            ordered = [main_call, *(c for c in calls.values() if c is not main_call)]
            await part_local_asr(bench, ordered, ladder, asr_url, args.asr_parallel, args.max_lag)


def main() -> None:
    args = parse_args()
    # SIGTERM unwinds like Ctrl-C, so the server subprocesses are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ladder = [int(n) for n in args.asr_ladder.split(",") if n.strip()]
    names = call_names()
    if args.call not in names:
        raise SystemExit(f"--call must be one of {', '.join(names)}")
    print(
        f"machine: {os.cpu_count()} cores (shared), load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; CPU figures are process CPU time"
    )
    with (
        tempfile.TemporaryDirectory(prefix="callguide-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        workdir = Path(tmp)
        calls = {name: prepare_call(name, args.seconds, workdir) for name in names}
        main_call = calls[args.call]
        recording = CACHE_DIR / f"{main_call.name}-{main_call.digest}.replay.json"
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        services: dict[str, Service] = {}
        port = free_port()
        services["emulator"] = stack.enter_context(
            running_service(
                "KVS emulator",
                ["-m", "voice.kvs_emulator", "--port", str(port), "--log-level", "warning"],
                port,
                workdir / "emulator.log",
            )
        )
        cached = load_cached(recording)
        if ladder or (not args.skip_own_cost and cached is None):
            port = free_port()
            command = ["-m", "callguide.cli", "asr-server", "--port", str(port)]
            services["asr"] = stack.enter_context(
                running_service(
                    "ASR server",
                    [*command, "--max-parallel", str(args.asr_parallel)],
                    port,
                    workdir / "asr-server.log",
                )
            )
        for service in services.values():
            print(
                f"{service.name}: pid {service.process.pid}, ready in {service.wait_ready():.1f} s"
            )
        set_aws_environment(f"http://127.0.0.1:{services['emulator'].port}")
        asyncio.run(run(args, calls, services, ladder, recording, cached))


if __name__ == "__main__":
    main()
