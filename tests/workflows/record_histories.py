"""Records the histories the replay test guards: `python -m tests.workflows.record_histories`
(all of them afresh), or with `--guided` only the histories of a call with real-time
guidance, keeping the others, or with `--fed` only those of a guided call whose turns reach
guidance from the audio worker, or with `--drain` only that of a call ended while its
stream was still catching up.

It runs real calls on a fresh embedded stack (Temporal dev server, PostgreSQL, Redis, the
KVS emulator and the local ASR) and writes every run of each call's workflow to
`tests/workflows/histories/`. Re-record when a deliberate, versioned change of the
workflow makes old histories obsolete; otherwise a replay failure is a determinism bug.

Payloads are recorded with the default data converter, not the payload codec, so the
files need no key and carry only the sample calls' synthetic speech.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle

from activities.guidance_feed import GuidanceFeed
from api.calls_service import start_call
from callguide.devstack import EmbeddedLlm, TemporalDevServer, postgres_url, redis_url
from callguide.model import MediaStream, call_workflow_id
from callguide.resources import Stores, open_stores
from callguide.settings import Settings
from guidance.policy import GuidancePolicy
from storage.tenants import Tenant
from tests.activities.voice_harness import CALLS, emulator_aws_env, sample_call
from tests.conftest import Stack, _fresh_database, make_settings, running_worker
from tests.faults import FaultProxy
from tests.workflows.test_call_reliability import CatchingUpAudio, audio_worker
from tests.workflows.test_call_workflow import MEDIA, utterance
from voice.asr.local_engine import WhisperEngine
from voice.asr.server import running_server
from voice.kvs_emulator import EmulatorConfig, RunningEmulator, running_emulator
from workflows import policies
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest
from workflows.guidance_types import guidance_workflow_id

HISTORIES = Path(__file__).parent / "histories"
SPEED = 4.0


@contextlib.contextmanager
def embedded_stack(state: Path) -> Iterator[Stack]:
    temporal = TemporalDevServer(db_file=None, log_file=state / "temporal.log")
    temporal.start()
    try:
        with (
            postgres_url(os.environ.get("DATABASE_URL"), state / "pg", probe_local=True) as pg,
            redis_url(os.environ.get("REDIS_URL"), probe_local=True) as redis,
        ):
            database = asyncio.run(_fresh_database(pg))
            yield Stack(temporal.address, database, redis, codec_keys="")
    finally:
        temporal.stop()


def without_stack_traces(value: Any) -> Any:
    """Failures carry the recording machine's file paths; replay needs none of them."""
    if isinstance(value, dict):
        return {k: "" if k == "stackTrace" else without_stack_traces(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_stack_traces(v) for v in value]
    return value


async def save_runs(client: Client, name: str, workflow_id: str) -> None:
    runs = [w async for w in client.list_workflows(f'WorkflowId = "{workflow_id}"')]
    for number, run in enumerate(sorted(runs, key=lambda r: r.start_time), start=1):
        history = await client.get_workflow_handle(workflow_id, run_id=run.run_id).fetch_history()
        path = HISTORIES / f"{name}.run{number}.json"
        record = {
            "workflow_id": workflow_id,
            "history": without_stack_traces(history.to_json_dict()),
        }
        path.write_text(json.dumps(record, separators=(",", ":")) + "\n")
        print(f"wrote {path.name} ({len(history.events)} events)")


async def voice_call(
    client: Client, settings: Settings, tenant_id: str, kvs: RunningEmulator
) -> str:
    """The card-update sample call, live through KVS and the ASR, handed over mid-stream."""
    timeline = sample_call("card_update")
    contact_id = str(uuid.uuid4())
    stream = f"connect-recording-contact-{contact_id}"
    kvs.emulator.create_stream(stream)
    loop = asyncio.get_running_loop()
    started: asyncio.Future[object] = loop.create_future()
    feed = kvs.emulator.start_feed(
        stream,
        customer_wav=str(CALLS / timeline["tracks"]["customer"]),
        agent_wav=str(CALLS / timeline["tracks"]["agent"]),
        contact_id=contact_id,
        speed=SPEED,
        on_start=lambda start: loop.call_soon_threadsafe(started.set_result, start),
    )
    start = await asyncio.wait_for(started, 30)
    media = MediaStream(
        stream_arn=start.stream_arn,  # type: ignore[attr-defined]
        start_fragment_number=start.start_fragment_number,  # type: ignore[attr-defined]
        start_timestamp_ms=start.start_timestamp_ms,  # type: ignore[attr-defined]
    )
    await start_call(
        client, settings, tenant_id=tenant_id, contact_id=contact_id, media=media, instance_arn=""
    )
    await asyncio.wrap_future(feed)
    handle = _handle(client, tenant_id, contact_id)
    await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="disconnected"))
    await handle.result()
    return handle.id


async def signalled_call(
    client: Client, settings: Settings, tenant_id: str, utterances: int, end: bool = True
) -> WorkflowHandle:
    contact_id = str(uuid.uuid4())
    await start_call(
        client, settings, tenant_id=tenant_id, contact_id=contact_id, media=None, instance_arn=""
    )
    handle = _handle(client, tenant_id, contact_id)
    for i in range(utterances):
        await handle.signal(CallWorkflow.add_utterance, utterance(i))
        await asyncio.sleep(0.2)
    if end:
        await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
    return handle


def _handle(client: Client, tenant_id: str, contact_id: str) -> WorkflowHandle:
    return client.get_workflow_handle(call_workflow_id(tenant_id, contact_id))


@contextlib.asynccontextmanager
async def proxied_postgres(stack: Stack) -> AsyncIterator[tuple[Settings, Stores, FaultProxy]]:
    async with FaultProxy.for_url(stack.database_url) as proxy:
        settings = make_settings(stack, database_url=proxy.url_for(stack.database_url))
        async with open_stores(settings) as stores:
            yield settings, stores, proxy


async def recording_tenant(stores: Stores) -> Tenant:
    return (await stores.tenants.create(f"recording-{uuid.uuid4().hex[:6]}", "us-east-1")).tenant


async def record(stack: Stack) -> None:
    client = await Client.connect(stack.temporal_address)
    base = make_settings(stack)
    HISTORIES.mkdir(exist_ok=True)
    for old in HISTORIES.glob("*.json"):
        old.unlink()
    async with open_stores(base) as stores:
        tenant = await recording_tenant(stores)
        async with running_worker(client, base, stores):
            handle = await signalled_call(client, base, tenant.id, utterances=7)
            await handle.result()
            await save_runs(client, "signalled", handle.id)
        idle = make_settings(stack, call_idle_limit_s=2)
        async with running_worker(client, idle, stores):
            handle = await signalled_call(client, idle, tenant.id, utterances=2, end=False)
            await handle.result()
            await save_runs(client, "idle_end", handle.id)
        async with proxied_postgres(stack) as (settings, proxied, proxy):
            async with running_worker(client, settings, proxied):
                await proxy.outage()
                handle = await signalled_call(client, settings, tenant.id, utterances=4)
                await asyncio.sleep(4)
                await proxy.restore()
                await handle.result()
                await save_runs(client, "postgres_outage", handle.id)
        with (
            running_emulator(config=EmulatorConfig(region="us-east-1")) as kvs,
            running_server(engine=WhisperEngine.shared()) as asr,
            emulator_aws_env(kvs),
        ):
            voice = make_settings(
                stack,
                stream_audio=True,
                asr_url=asr.url,
                kvs_end_of_stream_idle_s=2.0,
                continue_as_new_after_utterances=6,
            )
            async with running_worker(client, voice, stores, ("calls", "audio")):
                workflow_id = await voice_call(client, voice, tenant.id, kvs)
                await save_runs(client, "voice_handover", workflow_id)


GUIDED_POLICY = {
    "moments": [
        {
            "id": "cancel-intent",
            "speaker": "customer",
            "phrases": ["cancel my"],
            "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
        },
        {
            "id": "verify-identity",
            "speaker": "agent",
            "absent_within_s": 1,
            "phrases": ["date of birth"],
            "hint": {"type": "reminder", "title": "Verify identity", "body": "Ask for it."},
        },
        {
            "id": "billing",
            "speaker": "customer",
            "phrases": ["my bill"],
            "hint": {"type": "suggested_reply"},
        },
    ],
    "model": {"provider": "local", "generate": ["suggested_reply", "summary"]},
    "deadline_ms": 5000,
}


async def record_guided(stack: Stack, llm_url: str, *, fed: bool = False) -> None:
    """A signalled call with real-time guidance: the call's history (hint signals in, turn
    signals out to its child) and the guidance workflow's own (timers, matches, a model
    reply, the summary), each replayed by the replay test. `fed`: the turns reach guidance
    as the audio worker sends them (straight to the child, which shows its hints itself)."""
    client = await Client.connect(stack.temporal_address)
    settings = make_settings(stack, llm_url=llm_url)
    async with open_stores(settings) as stores:
        tenant = await recording_tenant(stores)
        await stores.guidance_policies.put(tenant.id, GuidancePolicy.model_validate(GUIDED_POLICY))
        async with running_worker(client, settings, stores, ("calls", "ml")):
            contact_id = str(uuid.uuid4())
            await start_call(
                client,
                settings,
                tenant_id=tenant.id,
                contact_id=contact_id,
                media=None,
                instance_arn="",
            )
            handle = _handle(client, tenant.id, contact_id)
            await asyncio.sleep(3)  # guidance loads its policy; the absence timer fires
            for i, text in enumerate(["I want to cancel my plan.", "Why is my bill so high?"]):
                turn = dataclasses.replace(utterance(i), text=text)
                if fed:
                    feed = GuidanceFeed(
                        guidance=client.get_workflow_handle(
                            guidance_workflow_id(tenant.id, contact_id)
                        )
                    )
                    turn = feed.stamp(turn)
                    await feed.hand_over(turn)
                await handle.signal(CallWorkflow.add_utterance, turn)
                await asyncio.sleep(2)
            await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="api"))
            await handle.result()
            guidance = client.get_workflow_handle(guidance_workflow_id(tenant.id, contact_id))
            await guidance.result()
            prefix = "fed" if fed else "guided"
            await save_runs(client, f"{prefix}_call", handle.id)
            await save_runs(client, f"{prefix}_guidance", guidance.id)


async def record_drain(stack: Stack) -> None:
    """A call ended while its stream is still catching up: the stream delivers turns past
    the drain's idle limit counted from the end, and the call waits for them."""
    client = await Client.connect(stack.temporal_address)
    settings = make_settings(stack, stream_audio=True)
    audio = CatchingUpAudio(turns=2, gap_s=policies.AUDIO_DRAIN_IDLE.total_seconds() * 0.6)
    async with open_stores(settings) as stores:
        tenant = await recording_tenant(stores)
        async with running_worker(client, settings, stores), audio_worker(client, settings, audio):
            contact_id = str(uuid.uuid4())
            await start_call(
                client,
                settings,
                tenant_id=tenant.id,
                contact_id=contact_id,
                media=MEDIA,
                instance_arn="",
            )
            await asyncio.wait_for(audio.streaming.wait(), 30)
            handle = _handle(client, tenant.id, contact_id)
            await handle.signal(CallWorkflow.add_utterance, utterance(0))
            await handle.signal(CallWorkflow.end_call, EndCallRequest(reason="disconnected"))
            await handle.result()
            await save_runs(client, "drain_catch_up", handle.id)


def main() -> None:
    only_guided = "--guided" in sys.argv[1:]
    only_fed = "--fed" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as state, embedded_stack(Path(state)) as stack:
        if "--drain" in sys.argv[1:]:
            asyncio.run(record_drain(stack))  # adds its history, keeps the others
        elif only_guided or only_fed:
            # Adds the guided histories and keeps the others (recorded before guidance
            # existed: they prove such calls still replay).
            server = EmbeddedLlm(log_file=Path(state) / "llm.log")
            server.start()
            try:
                asyncio.run(record_guided(stack, server.url, fed=only_fed))
            finally:
                server.stop()
        else:
            asyncio.run(record(stack))


if __name__ == "__main__":
    main()
