"""A deploy's SIGTERM shuts a worker down cleanly, and the calls it carried go on."""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path

from temporalio.client import Client

from api.calls_service import start_call
from callguide.resources import Stores
from tests.conftest import Stack, TenantKey, make_settings
from tests.workers.test_failover import spawn_worker
from tests.workflows.test_call_workflow import utterance
from workers.main import GRACEFUL_SHUTDOWN_TIMEOUT
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest


def log_has(log: Path, text: str) -> bool:
    return log.exists() and text in log.read_text(errors="replace")


async def wait_for_line(log: Path, text: str, within_s: float = 60) -> None:
    for _ in range(int(within_s / 0.1)):
        if await asyncio.to_thread(log_has, log, text):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in {log.name}")


async def test_sigterm_drains_and_exits_cleanly(
    stack: Stack, client: Client, stores: Stores, tenant: TenantKey, tmp_path: Path
) -> None:
    settings = make_settings(stack)
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    first = spawn_worker(settings, first_log)
    second = None
    try:
        await wait_for_line(first_log, "worker polling")
        workflow_id, _ = await start_call(
            client,
            settings,
            tenant_id=tenant.tenant_id,
            contact_id=str(uuid.uuid4()),
            media=None,
            instance_arn="",
        )
        handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
        await handle.signal(CallWorkflow.add_utterance, utterance(0))

        first.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(first.wait, GRACEFUL_SHUTDOWN_TIMEOUT.total_seconds() + 15)
        assert code == 0
        assert log_has(first_log, "shutting down") and log_has(first_log, "worker stopped")

        second = spawn_worker(settings, second_log)  # the deploy's new worker
        await handle.signal(CallWorkflow.add_utterance, utterance(1))
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        result = await asyncio.wait_for(handle.result(), timeout=90)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert result.status == "ended" and result.utterance_count == 2
