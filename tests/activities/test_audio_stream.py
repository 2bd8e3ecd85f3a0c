"""Sample calls through the whole voice path, undisturbed and under failover drills."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowFailureError

from callguide.connect_events import contact_flow_event
from callguide.resources import Stores
from callguide.settings import Settings
from redaction.policy import RedactionPolicy
from tests.activities.voice_harness import (
    CallRun,
    emulator_aws_env,
    run_sample_call,
    sample_call,
    script_text,
)
from tests.conftest import (
    Stack,
    TenantKey,
    make_settings,
    new_tenant,
    running_api,
    running_worker,
)
from tests.workers.test_failover import spawn_worker
from voice.asr.local_engine import WhisperEngine
from voice.asr.server import RunningServer, running_server
from voice.kvs_emulator import EmulatorConfig, RunningEmulator, running_emulator
from voice.transcript_metrics import word_error_rate

pytestmark = pytest.mark.slow

SAMPLE_CALLS = ("card_update", "address_change", "cancel_subscription")
CALL = "card_update"
# A policy that finds nothing: what these drills measure is the speech engine's words.
TRANSCRIBE_ONLY = RedactionPolicy(entities=())
SPEED = 3.0  # the local ASR decodes one call at about 4x real time (beam search, context)
# Drills that continue a call as new pace it slower: each handover (cancel, checkpoint,
# new run, reconnect) takes seconds on a loaded machine, and all must happen before the
# hang-up or the run finishes instead of continuing as new.
HANDOVER_DRILL_SPEED = 1.5
# Whisper base (int8) streamed through the worker, per call and speaker (customer, agent):
# measured card_update 0.14-0.19 / 0.20-0.37, address_change 0.11-0.18 / 0.39-0.52 (espeak-ng,
# the hard case) and cancel_subscription 0.07-0.15 / 0.01 (festival) over several runs, and
# cancel_subscription's customer 0.016-0.032 with a longer pre-roll (320-416 ms).
# Each bound is about that plus 0.1, so a regression fails while other CPUs' int8 kernels
# pass: the same code and audio gave address_change's agent 0.39-0.40 on one Xeon and
# 0.52, every run, on another (AVX-512 VNNI / AMX).
MAX_WORD_ERROR_RATE = {
    "card_update": {"customer": 0.27, "agent": 0.46},
    "address_change": {"customer": 0.28, "agent": 0.62},
    "cancel_subscription": {"customer": 0.13, "agent": 0.12},
}


@pytest.fixture(scope="module")
def kvs() -> Iterator[RunningEmulator]:
    with running_emulator(config=EmulatorConfig(region="us-east-1")) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def asr() -> Iterator[RunningServer]:
    with running_server(engine=WhisperEngine.shared()) as server:
        yield server


@pytest.fixture(scope="module", autouse=True)
def aws_env(kvs: RunningEmulator) -> Iterator[None]:
    with emulator_aws_env(kvs):
        yield


def voice_settings(stack: Stack, asr: RunningServer) -> Settings:
    return make_settings(stack, stream_audio=True, asr_url=asr.url, kvs_end_of_stream_idle_s=2.0)


@dataclass
class VoiceStack:
    """An API and workers wired to the emulator and an ASR server, placing sample calls."""

    http: httpx.AsyncClient
    client: Client
    kvs: RunningEmulator
    tenant: TenantKey

    async def call(self, name: str = CALL, *, speed: float = SPEED, **options: Any) -> CallRun:
        return await run_sample_call(
            name=name,
            http=self.http,
            tenant=self.tenant,
            client=self.client,
            kvs=self.kvs,
            speed=speed,
            **options,
        )


@contextlib.asynccontextmanager
async def voice_stack(
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    tenant: TenantKey,
    settings: Settings,
    queues: tuple[str, ...] = ("calls", "audio"),
    policy: RedactionPolicy = TRANSCRIBE_ONLY,
) -> AsyncIterator[VoiceStack]:
    """Speech drills compare words with the script, so their tenant's policy redacts no
    text unless a test asks for one (tests/activities/test_live_redaction.py does)."""
    await stores.policies.put(tenant.tenant_id, policy)
    async with (
        running_worker(client, settings, stores, queues),
        running_api(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        yield VoiceStack(http, client, kvs, tenant)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sample_runs(
    stack: Stack, client: Client, stores: Stores, kvs: RunningEmulator, asr: RunningServer
) -> dict[str, CallRun]:
    """Every sample call, undisturbed: the reference the drills compare against."""
    settings = voice_settings(stack, asr)
    tenant = await new_tenant(stores)
    runs = {}
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        for name in SAMPLE_CALLS:
            runs[name] = await voice.call(name)
    return runs


@pytest.fixture(scope="module")
def undisturbed(sample_runs: dict[str, CallRun]) -> CallRun:
    return sample_runs[CALL]


# What one resume point may change: the sentence open there (see assert_same_transcript).
SENTENCES_PER_RESUME = 1
WER_PER_RESUME = 0.04


def assert_same_transcript(run: CallRun, baseline: CallRun, *, resumes: int = 1) -> None:
    """Nothing lost, nothing repeated, and the words of the undisturbed run.

    A resumed stream starts its VAD afresh, so the sentence open at each resume point may
    be cut a window differently and Whisper may then decode that one sentence a little
    differently (seen about once in four continue-as-new drills). So each of the run's
    `resumes` may change one sentence (an utterance changed, split or merged counts at
    most twice); every other utterance must match the undisturbed run's exactly.
    """
    assert run.result is not None and run.result.status == "ended", run.failure
    changed = Counter(run.lines()) - Counter(baseline.lines())
    missing = Counter(baseline.lines()) - Counter(run.lines())
    allowed = 2 * SENTENCES_PER_RESUME * resumes
    assert sum(changed.values()) <= allowed and sum(missing.values()) <= allowed, (
        changed,
        missing,
    )
    for speaker in ("customer", "agent"):
        wer = word_error_rate(baseline.text(speaker), run.text(speaker))
        assert wer <= 0.06 + WER_PER_RESUME * resumes, (speaker, wer, changed, missing)
        spans = sorted(
            (u["start_ms"], u["end_ms"]) for u in run.transcript if u["speaker"] == speaker
        )
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "repeated audio"


@pytest.mark.parametrize("name", SAMPLE_CALLS)
async def test_sample_call_is_transcribed_live_and_stored(
    sample_runs: dict[str, CallRun], name: str
) -> None:
    run = sample_runs[name]
    assert run.result is not None and run.result.status == "ended", run.failure
    assert run.result.end_reason in ("disconnected", "stream_ended")
    timeline = sample_call(name)
    for speaker in ("customer", "agent"):
        wer = word_error_rate(script_text(timeline, speaker), run.text(speaker))
        print(f"{name} {speaker} word error rate {wer:.3f}")
        assert wer <= MAX_WORD_ERROR_RATE[name][speaker], (speaker, run.text(speaker))
    types = [e.type for e in run.events]
    assert "interim" in types and types.index("interim") < types.index("utterance")
    published = [
        (e.data["data"]["speaker"], e.data["data"]["text"])
        for e in run.events
        if e.type == "utterance"
    ]
    assert sorted(published) == sorted(run.lines())
    starts = [u["start_ms"] for u in run.transcript]
    assert starts == sorted(starts) and starts[0] < 2000  # the first fragment was not skipped


async def test_worker_killed_mid_utterance_loses_and_repeats_nothing(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    undisturbed: CallRun,
    tenant: TenantKey,
    tmp_path: Path,
) -> None:
    settings = voice_settings(stack, asr)
    audio_worker = spawn_worker(settings, tmp_path / "audio-1.log", queues="audio")
    replacement: list = []

    async def kill_then_replace() -> None:
        # A standby worker, as a deployment runs more than one: once the call's stream runs
        # on the first worker, the second starts, so the retry after the kill does not also
        # wait for a process to start (on a loaded machine that can outlast the call and
        # the drain after its hang-up).
        await asyncio.sleep(1)  # the call's stream is on the first worker by then
        replacement.append(spawn_worker(settings, tmp_path / "audio-2.log", queues="audio"))
        await asyncio.sleep(22 / SPEED)  # well inside the call, while both are talking
        os.kill(audio_worker.pid, signal.SIGKILL)
        audio_worker.wait()

    try:
        async with voice_stack(client, stores, kvs, tenant, settings, ("calls",)) as voice:
            run = await voice.call(CALL, while_streaming=kill_then_replace)
    finally:
        for process in [audio_worker, *replacement]:
            if process.poll() is None:
                process.terminate()
                process.wait()
    assert replacement, "the worker was never killed"
    assert_same_transcript(run, undisturbed)


async def test_continue_as_new_mid_stream_loses_and_repeats_nothing(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    undisturbed: CallRun,
    tenant: TenantKey,
) -> None:
    settings = voice_settings(stack, asr).model_copy(update={"continue_as_new_after_utterances": 4})
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        run = await voice.call(speed=HANDOVER_DRILL_SPEED)
    # A run resumed from a handover hands over again in its turn.
    assert run.result is not None and run.result.runs >= 3, run.result
    # Every handover is a resume point of the stream.
    assert_same_transcript(run, undisturbed, resumes=run.result.runs - 1)


async def test_dropped_asr_connection_loses_and_repeats_nothing(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    undisturbed: CallRun,
    tenant: TenantKey,
) -> None:
    with running_server(engine=WhisperEngine.shared(), fail_after_audio_s=25.0) as flaky:
        settings = voice_settings(stack, flaky)
        async with voice_stack(client, stores, kvs, tenant, settings) as voice:
            run = await voice.call()
        assert flaky.server.faults.fired == 1
    assert_same_transcript(run, undisturbed)


async def test_dropped_get_media_connection_loses_and_repeats_nothing(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    undisturbed: CallRun,
    tenant: TenantKey,
) -> None:
    settings = voice_settings(stack, asr)
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        run = await voice.call(CALL, drop_get_media_after_bytes=700_000)
    assert not kvs.emulator.get_stream(name=run.stream_name).drop_pending
    assert_same_transcript(run, undisturbed)


async def test_corrupt_fragment_fails_only_its_own_call(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    tenant: TenantKey,
) -> None:
    settings = voice_settings(stack, asr)
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        broken, healthy = await asyncio.gather(
            voice.call("address_change", corrupt_before_fragments=(8,)),
            voice.call("cancel_subscription"),
        )
        call = (await voice.http.get(f"/v1/calls/{broken.call_id}", headers=tenant.headers)).json()
    assert broken.result is None and broken.failure is not None
    assert "corrupt MKV at byte offset" in broken.failure, broken.failure
    assert call["status"] == "failed" and "corrupt MKV" in call["failure_reason"]
    assert healthy.result is not None and healthy.result.status == "ended"
    assert len(healthy.transcript) >= 10


async def test_missing_kvs_stream_fails_the_call_with_its_reason(
    stack: Stack, client: Client, stores: Stores, asr: RunningServer, tenant: TenantKey
) -> None:
    settings = voice_settings(stack, asr)
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        event = contact_flow_event(
            contact_id=str(uuid.uuid4()),
            stream_arn="arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-demo-contact-gone/1",
            start_fragment_number="91343852333181432392682062622220590765191907586",
        )
        started = await voice.http.post(
            "/v1/connect/contact-flow", json=event, headers=tenant.headers
        )
        handle = client.get_workflow_handle(started.json()["workflow_id"])
        with pytest.raises(WorkflowFailureError) as failure:
            await asyncio.wait_for(handle.result(), 60)
        call = (
            await voice.http.get(f"/v1/calls/{started.json()['call_id']}", headers=tenant.headers)
        ).json()
    assert "not found" in str(failure.value.cause)
    assert call["status"] == "failed" and "ResourceNotFoundException" in call["failure_reason"]
