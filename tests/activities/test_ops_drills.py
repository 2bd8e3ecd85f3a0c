"""Ops drills on live calls: a call whose audio stream failed is resumed whole, a call
whose audio is stuck is found and restarted whole (compared with the undisturbed call),
and a post-call redaction that hung, then failed, is found and retried to `verified`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from temporalio.client import Client, WorkflowHandle
from temporalio.exceptions import ApplicationError

from callguide.connect_events import contact_flow_event
from callguide.resources import Stores
from callguide.settings import Settings
from tests.activities import test_audio_stream as audio_stream
from tests.activities.test_audio_faults import FailingDelivery, baseline, failing_audio_worker
from tests.activities.test_audio_stream import (
    CALL,
    VoiceStack,
    assert_same_transcript,
    voice_settings,
)
from tests.activities.voice_harness import CallRun
from tests.conftest import Stack, TenantKey, running_api, running_worker
from voice.asr.server import RunningServer
from voice.kvs_emulator import RunningEmulator
from workflows.call import CallWorkflow

pytestmark = pytest.mark.slow

kvs = audio_stream.kvs
asr = audio_stream.asr
aws_env = audio_stream.aws_env
__all__ = ["baseline"]
OPERATOR = "ops-drill-operator"
OPERATOR_HEADERS = {"Authorization": f"Bearer {OPERATOR}"}


class BrokenDelivery(FailingDelivery):
    """Signalling the call fails for good (non-retryable) after `fail_after` utterances:
    the call fails with that reason, as a call whose stream hit a permanent fault does."""

    async def deliver_utterance(self, workflow: WorkflowHandle[Any, Any], utterance: Any) -> None:
        if self.delivered == self._fail_after and not self.failures:
            self.failures += 1
            raise ApplicationError("injected: permanent delivery fault", non_retryable=True)
        await super().deliver_utterance(workflow, utterance)


def ops_settings(stack: Stack, asr: RunningServer, **overrides: Any) -> Settings:
    return voice_settings(stack, asr).model_copy(
        update={"operator_token": SecretStr(OPERATOR), **overrides}
    )


async def listed(http: Any, status: str, tenant: TenantKey, timeout_s: float = 60) -> list[dict]:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        response = await http.get(
            "/v1/ops/calls",
            params={"status": status, "tenant_id": tenant.tenant_id},
            headers=OPERATOR_HEADERS,
        )
        assert response.status_code == 200, response.text
        calls = response.json()["calls"]
        if calls or asyncio.get_running_loop().time() > deadline:
            return calls
        await asyncio.sleep(0.5)


async def transcript(http: Any, tenant: TenantKey, call_id: str) -> list[dict]:
    response = await http.get(f"/v1/calls/{call_id}/transcript", headers=tenant.headers)
    return response.json()["utterances"]


async def test_a_failed_call_is_resumed_whole(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    baseline: CallRun,
    tenant: TenantKey,
) -> None:
    settings = ops_settings(stack, asr)
    await stores.policies.put(tenant.tenant_id, audio_stream.TRANSCRIBE_ONLY)
    async with (
        running_worker(client, settings, stores, ("calls",)),
        running_api(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        voice = VoiceStack(http, client, kvs, tenant)
        async with failing_audio_worker(
            client, settings, stores, fail_after=5, kind=BrokenDelivery
        ):
            failed = await voice.call(CALL)
        assert failed.failure is not None and "permanent delivery fault" in failed.failure
        [found] = [
            c for c in await listed(http, "failed", tenant) if c["call_id"] == failed.call_id
        ]
        assert found["stage"] == "audio" and "permanent delivery fault" in found["reason"]
        before = await transcript(http, tenant, failed.call_id)
        assert 0 < len(before) < len(baseline.transcript)

        async with running_worker(client, settings, stores, ("audio",)):
            retried = await http.post(
                f"/v1/ops/calls/{failed.call_id}/retry", headers=tenant.headers
            )
            assert retried.status_code == 200, retried.text
            assert retried.json()["action"] == "call_resumed"
            handle = client.get_workflow_handle_for(CallWorkflow.run, retried.json()["workflow_id"])
            result = await asyncio.wait_for(handle.result(), 180)
        # A re-delivered contact-flow event for it still starts nothing.
        again = await http.post(
            "/v1/connect/contact-flow",
            json=contact_flow_event(
                contact_id=failed.call_id,
                stream_arn=f"arn:aws:kinesisvideo:us-east-1:111122223333:stream/{failed.stream_name}/1",
            ),
            headers=tenant.headers,
        )
        assert again.status_code == 200 and again.json()["created"] is False
        after = await transcript(http, tenant, failed.call_id)
        call = (await http.get(f"/v1/calls/{failed.call_id}", headers=tenant.headers)).json()
    assert result.status == "ended"
    assert call["status"] == "ended" and call["utterance_count"] == len(after)
    resumed = CallRun(failed.call_id, failed.stream_name, result, None, after, [])
    assert_same_transcript(resumed, baseline)


async def test_stuck_audio_is_found_and_restarted_whole(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    baseline: CallRun,
    tenant: TenantKey,
) -> None:
    settings = ops_settings(stack, asr, ops_audio_stuck_after_s=3.0)
    await stores.policies.put(tenant.tenant_id, audio_stream.TRANSCRIBE_ONLY)
    workers = contextlib.AsyncExitStack()
    found: list[dict] = []
    restarted: list[dict] = []
    async with (
        running_worker(client, settings, stores, ("calls",)),
        running_api(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
        workers,
    ):
        voice = VoiceStack(http, client, kvs, tenant)

        async def no_audio_worker_yet() -> None:
            # Every audio worker is down: the call is live, its audio goes nowhere.
            found.extend(await listed(http, "stuck", tenant))
            [stuck] = found
            retried = await http.post(
                f"/v1/ops/calls/{stuck['call_id']}/retry", headers=tenant.headers
            )
            restarted.append(retried.json())
            await workers.enter_async_context(running_worker(client, settings, stores, ("audio",)))

        run = await voice.call(CALL, while_streaming=no_audio_worker_yet)
    [stuck] = found
    assert stuck["stage"] == "audio" and stuck["reason"].startswith("no audio for")
    assert restarted[0]["action"] == "audio_restarted", restarted
    assert_same_transcript(run, baseline)


async def test_a_hung_redaction_is_cancelled_and_retried_to_verified(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
    tenant: TenantKey,
) -> None:
    settings = ops_settings(stack, asr, ops_post_call_budget_s=1.0)
    await stores.policies.put(tenant.tenant_id, audio_stream.TRANSCRIBE_ONLY)
    async with (
        running_worker(client, settings, stores, ("calls", "audio")),
        running_api(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        voice = VoiceStack(http, client, kvs, tenant)
        run = await voice.call(CALL)  # no redaction worker yet: its redaction hangs
        [stuck] = [c for c in await listed(http, "stuck", tenant) if c["call_id"] == run.call_id]
        assert stuck["stage"] == "redaction" and "over its budget" in stuck["reason"]
        restarted = await http.post(f"/v1/ops/calls/{run.call_id}/retry", headers=tenant.headers)
        assert restarted.json()["action"] == "redaction_restarted", restarted.text
        # An operator terminates it (as from the Temporal UI): now it failed.
        await client.get_workflow_handle(stuck["workflow_id"]).terminate(reason="drill")
        [failed] = [c for c in await listed(http, "failed", tenant) if c["call_id"] == run.call_id]
        assert failed["stage"] == "redaction"
        async with running_worker(client, settings, stores, ("redaction",)):
            retried = await http.post(f"/v1/ops/calls/{run.call_id}/retry", headers=tenant.headers)
            assert retried.json()["action"] == "redaction_restarted", retried.text
            handle = client.get_workflow_handle(retried.json()["workflow_id"])
            await asyncio.wait_for(handle.result(), 300)
        stored = await stores.redactions.get(tenant.tenant_id, run.call_id)
        again = await http.post(f"/v1/ops/calls/{run.call_id}/retry", headers=tenant.headers)
        nothing_running = await http.post(
            f"/v1/ops/calls/{run.call_id}/cancel", headers=tenant.headers
        )
    assert stored is not None and stored.status == "verified", stored
    assert again.status_code == 409 and "did not fail" in again.json()["detail"]
    assert nothing_running.status_code == 409
