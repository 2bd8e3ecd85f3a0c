"""Failover drill: SIGKILL the worker mid-call; a new worker finishes it with nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from temporalio.client import Client

from api.calls_service import start_call
from callguide.model import MediaStream
from callguide.resources import Stores
from callguide.settings import Settings
from tests.conftest import Stack, TenantKey, make_settings
from tests.workflows.test_call_workflow import utterance
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest

UTTERANCES = 40


def spawn_worker(settings: Settings, log: Path, queues: str = "calls") -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CALLGUIDE_ASR_URL": settings.asr_url or "",
        "CALLGUIDE_KVS_END_OF_STREAM_IDLE_S": str(settings.kvs_end_of_stream_idle_s),
        "CALLGUIDE_TEMPORAL_ADDRESS": settings.temporal_address,
        "CALLGUIDE_TASK_QUEUE_PREFIX": settings.task_queue_prefix,
        "CALLGUIDE_CODEC_KEYS": settings.codec_keys.get_secret_value(),
        "DATABASE_URL": settings.require_database_url(),
        "REDIS_URL": settings.require_redis_url(),
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "callguide.cli", "worker", "--queues", queues],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def until_persisted(stores: Stores, tenant_id: str, call_id: str) -> None:
    """Waits until the first worker is demonstrably working the call."""
    for _ in range(300):
        if await stores.calls.transcript(tenant_id, call_id):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the first worker never persisted an utterance")


async def test_call_completes_exactly_once_after_worker_sigkill(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey, tmp_path: Path
) -> None:
    settings = make_settings(stack, utterance_batch_size=4)
    first = spawn_worker(settings, tmp_path / "worker-1.log")
    contact_id = str(uuid.uuid4())
    workflow_id, _ = await start_call(
        client,
        settings,
        tenant_id=tenant.tenant_id,
        contact_id=contact_id,
        media=MediaStream(stream_arn="arn:aws:kinesisvideo:us-east-1:1:stream/s/1"),
        instance_arn="",
    )
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    second: subprocess.Popen[bytes] | None = None
    try:
        for i in range(UTTERANCES):
            await handle.signal(CallWorkflow.add_utterance, utterance(i))
            if i == UTTERANCES // 3:
                await until_persisted(stores, tenant.tenant_id, contact_id)
                os.kill(first.pid, signal.SIGKILL)
                first.wait()
            if i == UTTERANCES // 2:
                second = spawn_worker(settings, tmp_path / "worker-2.log")
            await asyncio.sleep(0.05)
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        result = await asyncio.wait_for(handle.result(), timeout=90)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait()

    assert result.status == "ended" and result.utterance_count == UTTERANCES
    stored = await stores.calls.transcript(tenant.tenant_id, contact_id)
    assert [u.start_ms for u in stored] == [i * 2000 for i in range(UTTERANCES)]
    events = await stores.streams.read(tenant.tenant_id, contact_id)
    published = [e.event["data"]["start_ms"] for e in events if e.event["type"] == "utterance"]
    assert published == [i * 2000 for i in range(UTTERANCES)]
