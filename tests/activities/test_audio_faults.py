"""The audio activity under faults: a failing consumer, a stalled KVS stream; and its
best-effort interim publishing and progress-only heartbeat on their own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowHandle

from activities.audio import AudioActivities, CheckpointHeartbeat, InterimPublisher
from callguide.model import AudioCheckpoint, Speaker, Utterance
from callguide.resources import Stores
from callguide.settings import Settings
from tests.activities import test_audio_stream as audio_stream
from tests.activities.test_audio_stream import (
    CALL,
    assert_same_transcript,
    voice_settings,
    voice_stack,
)
from tests.activities.voice_harness import CallRun
from tests.conftest import Stack, TenantKey, new_tenant
from voice.asr.server import RunningServer
from voice.call_audio import Liveness
from voice.kvs_emulator import RunningEmulator
from voice.utterances import InterimText
from workers.main import (
    audio_worker,
    build_asr,
    kvs_client_pool,
    kvs_reader_factory,
    live_redactor,
)

# The emulator, the ASR server and the AWS environment of the voice drills.
kvs = audio_stream.kvs
asr = audio_stream.asr
aws_env = audio_stream.aws_env

STALL_S = 15.0


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def baseline(
    stack: Stack, client: Client, stores: Stores, kvs: RunningEmulator, asr: RunningServer
) -> CallRun:
    """The drilled call, undisturbed."""
    settings = voice_settings(stack, asr)
    tenant = await new_tenant(stores)
    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        return await voice.call(CALL)


class FailingDelivery(AudioActivities):
    """Signalling the call fails once, after `fail_after` utterances went through."""

    def __init__(self, *, fail_after: int, **options: Any) -> None:
        super().__init__(**options)
        self._fail_after = fail_after
        self.delivered = 0
        self.failures = 0

    async def deliver_utterance(
        self, workflow: WorkflowHandle[Any, Any], utterance: Utterance
    ) -> None:
        if self.delivered == self._fail_after and not self.failures:
            self.failures += 1
            raise RuntimeError("injected: the signal to the call failed")
        await super().deliver_utterance(workflow, utterance)
        self.delivered += 1


@contextlib.asynccontextmanager
async def failing_audio_worker(
    client: Client,
    settings: Settings,
    stores: Stores,
    *,
    fail_after: int,
    kind: type[FailingDelivery] = FailingDelivery,
) -> AsyncIterator[FailingDelivery]:
    kvs_clients = kvs_client_pool(settings)
    activities = kind(
        fail_after=fail_after,
        asr=build_asr(settings),
        streams=stores.streams,
        reader_factory=kvs_reader_factory(settings, kvs_clients),
        redactor=live_redactor(settings, stores),
    )
    worker = audio_worker(
        client, settings, stores, asr=build_asr(settings), activities=activities, kvs=kvs_clients
    )
    running = asyncio.create_task(worker.run())
    try:
        yield activities
    finally:
        await worker.shutdown()
        await asyncio.gather(running, return_exceptions=True)


@pytest.mark.slow
async def test_consumer_failure_mid_call_is_retried_from_the_checkpoint(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    baseline: CallRun,
    tenant: TenantKey,
) -> None:
    settings = voice_settings(stack, asr)
    async with (
        failing_audio_worker(client, settings, stores, fail_after=5) as activities,
        voice_stack(client, stores, kvs, tenant, settings, ("calls",)) as voice,
    ):
        run = await voice.call(CALL)
    assert activities.failures == 1
    assert_same_transcript(run, baseline)


@pytest.mark.slow
async def test_kvs_stall_mid_call_is_waited_out(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    baseline: CallRun,
    tenant: TenantKey,
) -> None:
    settings = voice_settings(stack, asr)  # quiet after 2 s; stall limit 30 s
    stalled: list[str] = []

    async def stall_the_feed() -> None:
        await asyncio.sleep(20 / audio_stream.SPEED)  # well inside the call
        live = [s for s in kvs.emulator.list_streams() if s.name.startswith("connect-test-")]
        [stream] = [s for s in live if not s.finished]  # the call being fed
        kvs.emulator.pause_feed(stream.name, STALL_S)
        stalled.append(stream.name)

    async with voice_stack(client, stores, kvs, tenant, settings) as voice:
        run = await voice.call(CALL, while_streaming=stall_the_feed)
    assert stalled
    assert_same_transcript(run, baseline)


# --- interim text is best-effort --------------------------------------------------------


def interim(text: str = "my card number is 4111") -> InterimText:
    return InterimText(speaker=Speaker.CUSTOMER, text=text, start_ms=0)


async def test_a_hung_redis_never_holds_up_the_call(caplog: pytest.LogCaptureFixture) -> None:
    async def hang(_: InterimText) -> None:
        await asyncio.Event().wait()

    publisher = InterimPublisher(hang, queue_size=4, timeout_s=0.05)
    with caplog.at_level(logging.WARNING, logger="activities.audio"):
        async with publisher.running("call-1"):
            async with asyncio.timeout(0.1):  # offering never waits
                for _ in range(50):
                    await publisher.offer(interim())
            await asyncio.sleep(0.2)
    assert publisher.published == 0 and publisher.dropped == 50
    assert "50 dropped" in caplog.text
    assert "4111" not in caplog.text  # counts only: the text is PII


async def test_interims_are_published_and_errors_only_counted() -> None:
    seen: list[str] = []

    async def flaky(item: InterimText) -> None:
        if item.text == "boom":
            raise ConnectionError("redis is down")
        seen.append(item.text)

    publisher = InterimPublisher(flaky)
    async with publisher.running("call-2"):
        for text in ("hello", "boom", "hello there"):
            await publisher.offer(interim(text))
        await asyncio.sleep(0.05)
    assert seen == ["hello", "hello there"]
    assert (publisher.published, publisher.dropped) == (2, 1)


# --- heartbeats prove progress ------------------------------------------------------------


def test_heartbeat_sends_the_newest_checkpoint_only_when_vouched_for() -> None:
    beats: list[tuple[Any, ...]] = []
    waiting = [False]
    liveness = Liveness()
    liveness.waiting_on(lambda: waiting[0])
    heartbeat = CheckpointHeartbeat(None, liveness, beat=lambda *details: beats.append(details))

    assert not heartbeat.tick()  # nothing happened: no beat
    first = AudioCheckpoint(resume_after_fragment="1", delivered_ms={"customer": 10})
    heartbeat.record(first)
    liveness.advanced()
    assert heartbeat.tick() and beats == [(first,)]
    assert not heartbeat.tick()
    waiting[0] = True  # the reader waits on a quiet stream
    assert heartbeat.tick() and beats[-1] == (first,)
