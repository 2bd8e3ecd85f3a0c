"""CallWorkflow when a store, the audio worker or the hang-up fails: nothing lost or frozen.

Stores fail through a FaultProxy in front of the suite's real PostgreSQL and Redis, so the
workers see refused and reset connections exactly as a crashed server gives them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from callguide.model import call_workflow_id
from callguide.resources import Stores, open_stores
from callguide.settings import Settings
from tests.conftest import Stack, TenantKey, make_settings, running_worker
from tests.faults import FaultProxy
from tests.workflows.test_call_workflow import start, until_run, utterance
from workflows import policies
from workflows.call import CallWorkflow
from workflows.call_types import (
    STREAM_CALL_AUDIO,
    EndCallRequest,
    StreamCallAudio,
    StreamCallAudioResult,
)


@contextlib.asynccontextmanager
async def proxied_stores(
    stack: Stack, **overrides: object
) -> AsyncIterator[tuple[Settings, Stores, FaultProxy, FaultProxy]]:
    """Settings and stores whose Redis and PostgreSQL connections pass through proxies."""
    async with (
        FaultProxy.for_url(stack.redis_url) as redis,
        FaultProxy.for_url(stack.database_url) as postgres,
    ):
        settings = make_settings(
            stack,
            redis_url=redis.url_for(stack.redis_url),
            database_url=postgres.url_for(stack.database_url),
            **overrides,
        )
        async with open_stores(settings) as stores:
            yield settings, stores, redis, postgres


async def eventually(check: Callable[[], Awaitable[bool]], what: str, within_s: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(Exception):
            if await check():
                return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


async def published_types(stores: Stores, tenant_id: str, call_id: str) -> list[str]:
    entries = await stores.streams.read(tenant_id, call_id)
    return [e.event["type"] for e in entries]


async def test_a_redis_outage_neither_stops_persistence_nor_loses_live_events(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    async with proxied_stores(stack, utterance_batch_size=2) as (settings, proxied, redis, _):
        async with running_worker(client, settings, proxied):
            call_id = await start(client, settings, tenant)
            handle = client.get_workflow_handle_for(
                CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
            )
            await handle.signal(CallWorkflow.add_utterance, utterance(0))
            await eventually(
                lambda: _has(published_types(stores, tenant.tenant_id, call_id), "utterance"),
                "the first utterance is published",
            )
            await redis.outage()
            for i in range(1, 5):
                await handle.signal(CallWorkflow.add_utterance, utterance(i))
            # PostgreSQL keeps the record while Redis is down.
            await eventually(
                lambda: _stored(stores, tenant.tenant_id, call_id, 5), "all five are stored"
            )
            await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
            await redis.restore()
            result = await asyncio.wait_for(handle.result(), 60)
    assert result.status == "ended" and result.utterance_count == 5
    types = await published_types(stores, tenant.tenant_id, call_id)
    assert types.count("utterance") == 5  # caught up, each once
    assert types[-1] == "status"
    record = await stores.calls.get(tenant.tenant_id, call_id)
    assert record is not None and record.status == "ended"


async def test_a_postgres_outage_at_call_start_delays_nothing_live(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    async with proxied_stores(stack, utterance_batch_size=2) as (settings, proxied, _, postgres):
        async with running_worker(client, settings, proxied):
            await postgres.outage()
            call_id = await start(client, settings, tenant)
            handle = client.get_workflow_handle_for(
                CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
            )
            for i in range(4):
                await handle.signal(CallWorkflow.add_utterance, utterance(i))
            # Viewers see every utterance although the call's row cannot be written yet.
            await eventually(
                lambda: _count(published_types(stores, tenant.tenant_id, call_id), "utterance", 4),
                "live utterances while PostgreSQL is down",
            )
            assert await stores.calls.get(tenant.tenant_id, call_id) is None
            await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
            await asyncio.sleep(2)
            await postgres.restore()
            result = await asyncio.wait_for(handle.result(), 60)
    assert result.status == "ended" and result.utterance_count == 4
    assert len(await stores.calls.transcript(tenant.tenant_id, call_id)) == 4
    record = await stores.calls.get(tenant.tenant_id, call_id)
    assert record is not None and record.status == "ended" and record.utterance_count == 4


async def test_utterances_that_arrive_during_a_slow_write_are_stored_within_the_flush_interval(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    async with proxied_stores(stack, utterance_batch_size=3) as (settings, proxied, _, postgres):
        async with running_worker(client, settings, proxied):
            call_id = await start(client, settings, tenant)
            handle = client.get_workflow_handle_for(
                CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
            )
            await eventually(
                lambda: _true_async(stores.calls.get(tenant.tenant_id, call_id)), "call row"
            )
            postgres.latency_s = 0.4  # a batch write now takes a few seconds
            for i in range(3):
                await handle.signal(CallWorkflow.add_utterance, utterance(i))
            await asyncio.sleep(0.3)  # the full batch is being written
            await handle.signal(CallWorkflow.add_utterance, utterance(3))
            await eventually(
                lambda: _stored(stores, tenant.tenant_id, call_id, 3), "the batch is written"
            )
            postgres.latency_s = 0.0
            # The straggler is written within the flush interval, not at the end of the call.
            await eventually(
                lambda: _stored(stores, tenant.tenant_id, call_id, 4), "the straggler", 10
            )
            await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
            await asyncio.wait_for(handle.result(), 30)


async def test_a_call_whose_hang_up_is_lost_ends_after_its_idle_limit(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, call_idle_limit_s=3)
    async with running_worker(client, settings, stores):
        call_id = await start(client, settings, tenant)
        handle = client.get_workflow_handle_for(
            CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
        )
        await handle.signal(CallWorkflow.add_utterance, utterance(0))
        result = await asyncio.wait_for(handle.result(), 30)
    assert result.status == "ended" and result.end_reason == "idle"
    assert result.utterance_count == 1
    record = await stores.calls.get(tenant.tenant_id, call_id)
    assert record is not None and record.status == "ended" and record.end_reason == "idle"
    assert await stores.streams.ttl(tenant.tenant_id, call_id) > 0  # its Redis keys expire


async def test_a_call_ends_at_its_maximum_duration_however_busy(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, max_call_duration_s=4)
    async with running_worker(client, settings, stores):
        call_id = await start(client, settings, tenant)
        handle = client.get_workflow_handle_for(
            CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
        )
        for i in range(6):  # speech every half second: never idle
            await handle.signal(CallWorkflow.add_utterance, utterance(i))
            await asyncio.sleep(0.5)
        result = await asyncio.wait_for(handle.result(), 30)
    assert result.end_reason == "max_duration" and result.status == "ended"
    assert result.utterance_count == 6


class HandoverAudio:
    """An audio worker that streams until cancelled, then fails or dies at the handover."""

    def __init__(self, on_handover: str) -> None:
        self.on_handover = on_handover
        self.attempts: list[int] = []

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream(self, request: StreamCallAudio) -> StreamCallAudioResult:
        self.attempts.append(activity.info().attempt)
        try:
            while True:
                activity.heartbeat()
                await asyncio.sleep(0.5)
        except asyncio.CancelledError:
            if len(self.attempts) > 1:
                raise  # later runs hand over cleanly
            if self.on_handover == "fail":
                raise ApplicationError(
                    "corrupt MKV at byte offset 42", type="CorruptMedia"
                ) from None
            # "die": stop heartbeating and answer nothing until the server has given up on
            # the attempt, as with a killed worker (which never answers at all).
            await asyncio.sleep(2 * policies.AUDIO_HEARTBEAT_TIMEOUT.total_seconds())
            raise


class CatchingUpAudio:
    """An audio worker behind the call, as one resumed after a failover near the hang-up
    is: once the call is ended it still delivers a turn every `gap_s`."""

    def __init__(self, *, turns: int, gap_s: float) -> None:
        self.turns = turns
        self.gap_s = gap_s
        self.delivered = 0
        self.streaming = asyncio.Event()

    @activity.defn(name=STREAM_CALL_AUDIO)
    async def stream(self, request: StreamCallAudio) -> StreamCallAudioResult:
        self.streaming.set()
        call = activity.client().get_workflow_handle(request.workflow_id)
        while not (await call.query(CallWorkflow.stream_control)).end_requested:
            activity.heartbeat()
            await asyncio.sleep(0.2)
        for i in range(self.turns):
            caught_up_at = asyncio.get_running_loop().time() + self.gap_s
            while asyncio.get_running_loop().time() < caught_up_at:
                activity.heartbeat()
                await asyncio.sleep(0.5)
            await call.signal(CallWorkflow.add_utterance, utterance(10 + i))
            self.delivered += 1
        return StreamCallAudioResult(fragments=0, utterances=self.turns, audio_ms=0)


async def test_an_ended_call_waits_for_a_stream_that_is_still_catching_up(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    # Two turns 12 s apart after the hang-up: the last one comes after the drain's idle
    # limit counted from the end, inside it counted from the turn before.
    gap_s = policies.AUDIO_DRAIN_IDLE.total_seconds() * 0.6
    audio = CatchingUpAudio(turns=2, gap_s=gap_s)
    settings = make_settings(stack, stream_audio=True)
    async with running_worker(client, settings, stores), audio_worker(client, settings, audio):
        call_id = await start(client, settings, tenant)
        await asyncio.wait_for(audio.streaming.wait(), 30)
        handle = client.get_workflow_handle_for(
            CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
        )
        await handle.signal(CallWorkflow.add_utterance, utterance(0))
        await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="disconnected"))
        result = await asyncio.wait_for(handle.result(), 3 * gap_s + 30)
    assert audio.delivered == 2, result
    assert result.status == "ended" and result.end_reason == "disconnected"
    assert result.utterance_count == 3  # the turn before the end and both caught up
    transcript = await stores.calls.transcript(tenant.tenant_id, call_id)
    assert len(transcript) == 3


async def _call_with_handover(
    client: Client, settings: Settings, tenant: TenantKey, audio: HandoverAudio
) -> tuple[str, Callable[[], Awaitable[object]]]:
    """A call that continues as new, and so hands its stream over, once it streams."""
    call_id = await start(client, settings, tenant)
    await eventually(lambda: _true(bool(audio.attempts)), "the stream starts")
    handle = client.get_workflow_handle_for(
        CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
    )
    for i in range(2):
        await handle.signal(CallWorkflow.add_utterance, utterance(i))
    return call_id, handle.result


@contextlib.asynccontextmanager
async def audio_worker(
    client: Client, settings: Settings, audio: HandoverAudio | CatchingUpAudio
) -> AsyncIterator[None]:
    worker = Worker(client, task_queue=settings.task_queue("audio"), activities=[audio.stream])
    task = asyncio.create_task(worker.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def test_a_stream_that_fails_during_continue_as_new_fails_the_call(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, stream_audio=True, continue_as_new_after_utterances=2)
    audio = HandoverAudio("fail")
    async with running_worker(client, settings, stores), audio_worker(client, settings, audio):
        call_id, result = await _call_with_handover(client, settings, tenant, audio)
        with pytest.raises(WorkflowFailureError) as failure:
            await asyncio.wait_for(result(), 60)
    assert "corrupt MKV" in str(failure.value.cause)
    record = await stores.calls.get(tenant.tenant_id, call_id)
    assert record is not None and record.status == "failed"
    assert record.failure_reason is not None and "corrupt MKV" in record.failure_reason


async def test_an_audio_worker_dying_during_continue_as_new_does_not_end_the_call(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey
) -> None:
    settings = make_settings(stack, stream_audio=True, continue_as_new_after_utterances=2)
    audio = HandoverAudio("die")
    async with running_worker(client, settings, stores), audio_worker(client, settings, audio):
        call_id, result = await _call_with_handover(client, settings, tenant, audio)
        handle = client.get_workflow_handle_for(
            CallWorkflow.run, call_workflow_id(tenant.tenant_id, call_id)
        )
        # The handover waits for the server to time out the dead attempt's heartbeat, then
        # for the drain at most: allow all of that, with room for a loaded machine.
        handover_s = (policies.AUDIO_HEARTBEAT_TIMEOUT + policies.AUDIO_DRAIN_IDLE).seconds
        await until_run(handle, 2, within_s=2 * handover_s)
        await eventually(lambda: _true(len(audio.attempts) >= 2), "the next run streams again")
        snapshot = await handle.query(CallWorkflow.snapshot)
        assert snapshot.status == "active" and snapshot.end_reason is None
        await handle.signal(CallWorkflow.add_utterance, utterance(2))
        await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
        outcome = await asyncio.wait_for(result(), 60)
    assert outcome.status == "ended" and outcome.utterance_count == 3  # type: ignore[attr-defined]


async def _has(types: Awaitable[list[str]], wanted: str) -> bool:
    return wanted in await types


async def _count(types: Awaitable[list[str]], wanted: str, count: int) -> bool:
    return (await types).count(wanted) >= count


async def _stored(stores: Stores, tenant_id: str, call_id: str, count: int) -> bool:
    return len(await stores.calls.transcript(tenant_id, call_id)) >= count


async def _true_async(value: Awaitable[object]) -> bool:
    return await value is not None


async def _true(value: bool) -> bool:
    return value
