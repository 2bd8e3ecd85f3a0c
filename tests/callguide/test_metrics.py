"""Prometheus metrics: the API's /metrics (operator token only outside dev mode), a worker
process's metrics port, and the stage timing the metrics are made from."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from callguide.dev_supervisor import print_endpoints
from callguide.devstack import free_port
from callguide.metrics import ASR_RECONNECTS, LATE_HINTS_DROPPED, MODEL_TIMEOUTS, seconds_between
from callguide.model import Hint, HintTrigger, Speaker, StageTiming
from callguide.resources import Stores
from callguide.settings import Settings
from guidance.llm.base import ChatMessage, ChatRequest, ModelTimeout
from guidance.llm.router import ModelRouter
from guidance.policy import ModelRoute
from tests.conftest import Stack, TenantKey, make_settings, running_api
from tests.llm_proxy import LlmProxy, ProxyMode
from tests.workflows.test_call_workflow import utterance
from voice.asr.base import AsrConnectionError
from voice.asr.deepgram import DeepgramAsr, ReconnectPolicy
from workers.main import guidance_activities
from workflows.call_state import CallState
from workflows.call_types import CallInput
from workflows.guidance_types import SummarizeCall

OPERATOR_TOKEN = "operator-secret-for-tests"
FAMILIES = {
    "callguide_stage_latency_seconds",
    "callguide_active_calls",
    "callguide_asr_reconnects",
    "callguide_model_timeouts",
    "callguide_late_hints_dropped",
    "callguide_redaction_verdicts",
    "callguide_admission_refusals",
}
WORKER_START_S = 90.0


def families(exposition: str) -> set[str]:
    return {family.name for family in text_string_to_metric_families(exposition)}


async def test_metrics_take_the_operator_token_and_refuse_tenant_keys(
    stack: Stack, tenant: TenantKey
) -> None:
    settings = make_settings(stack, operator_token=OPERATOR_TOKEN)
    async with running_api(settings) as url, httpx.AsyncClient(base_url=url) as http:
        missing = await http.get("/metrics")
        assert missing.status_code == 401
        assert "operator token" in missing.json()["detail"]

        as_tenant = await http.get("/metrics", headers=tenant.headers)
        assert as_tenant.status_code == 403
        assert "not a tenant API key" in as_tenant.json()["detail"]
        assert "callguide_" not in as_tenant.text

        wrong = await http.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 401

        ok = await http.get("/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
        assert ok.status_code == 200
        assert ok.headers["content-type"].startswith("text/plain")
        assert FAMILIES <= families(ok.text)


async def test_metrics_without_a_configured_operator_token_are_closed(
    stack: Stack, tenant: TenantKey
) -> None:
    settings = make_settings(stack)  # no operator token, not a dev stack
    async with running_api(settings) as url, httpx.AsyncClient(base_url=url) as http:
        assert (
            await http.get("/metrics", headers={"Authorization": "Bearer x"})
        ).status_code == 401
        assert (await http.get("/metrics", headers=tenant.headers)).status_code == 403


async def test_a_dev_stack_serves_metrics_without_a_token_and_names_bad_queries(
    stack: Stack,
) -> None:
    settings = make_settings(stack, dev_mode=True)
    async with running_api(settings) as url, httpx.AsyncClient(base_url=url) as http:
        ok = await http.get("/metrics")
        assert ok.status_code == 200 and FAMILIES <= families(ok.text)
        bad = await http.get("/metrics", params={"tenant": "x"})
        assert bad.status_code == 400 and "tenant" in bad.json()["detail"]
        # Ops' route, not the tenants' API: it is left out of the tenants' document.
        assert "/metrics" not in (await http.get("/openapi.json")).json()["paths"]


def test_a_worker_process_serves_metrics_on_its_port_and_logs_json(stack: Stack) -> None:
    settings = make_settings(stack)
    port = free_port()
    env = {
        **os.environ,
        "CALLGUIDE_TEMPORAL_ADDRESS": settings.temporal_address,
        "DATABASE_URL": settings.require_database_url(),
        "REDIS_URL": settings.require_redis_url(),
        "CALLGUIDE_CODEC_KEYS": settings.codec_keys.get_secret_value(),
        "CALLGUIDE_TASK_QUEUE_PREFIX": settings.task_queue_prefix,
        "CALLGUIDE_METRICS_PORT": str(port),
        "CALLGUIDE_LOG_FORMAT": "json",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "callguide.cli", "worker", "--queues", "calls"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(worker.stdout or []), daemon=True)
    reader.start()
    try:
        _wait_for(lambda: any("worker polling" in line for line in output), worker)
        exposition = _scrape(f"http://127.0.0.1:{port}/metrics", worker)
        assert FAMILIES <= families(exposition)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        reader.join(timeout=10)
    assert worker.returncode == 0, output
    lines = [json.loads(line) for line in output if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert any(m.startswith("worker polling") for m in messages), output
    assert any(m == f"metrics on http://127.0.0.1:{port}/metrics" for m in messages), output
    assert all({"time", "level", "logger", "tenant_id", "call_id"} <= line.keys() for line in lines)


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WORKER_START_S
    while not condition():
        assert process.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not start polling"
        time.sleep(0.2)


def _scrape(url: str, process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + WORKER_START_S
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            response = httpx.get(url)
        except httpx.TransportError:
            time.sleep(0.3)
            continue
        assert response.status_code == 200
        return response.text
    pytest.fail(f"no metrics at {url} within {WORKER_START_S}s")


# --- stage timing: what the latency figures are made from -------------------------------


def call_state(now: datetime) -> CallState:
    return CallState(CallInput("tenant-a", "call-1", "contact-1"), now)


def test_the_call_stamps_when_it_accepted_each_utterance() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    state = call_state(now)
    said = utterance(0)
    stamped = dataclasses.replace(said, timing=StageTiming(audio_received_ms=1, asr_final_ms=2))
    assert state.add_utterance(stamped, now)
    taken = state.pending_utterances[-1]
    assert taken.timing == StageTiming(1, 2, int(now.timestamp() * 1000))
    # An utterance without audio stamps (a replayed or test signal) still gets the call's.
    assert state.add_utterance(utterance(1), now + timedelta(seconds=1))
    timing = state.pending_utterances[-1].timing
    assert timing is not None and timing.signalled_ms == int(now.timestamp() * 1000) + 1000
    # The live event stream carries the times too (never text beyond the redacted one).
    assert state.pending_events[-1].data["timing"]["signalled_ms"] == timing.signalled_ms


def test_the_call_stamps_when_a_hint_reached_it() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    state = call_state(now)
    hint = Hint(
        hint_id="h1",
        type="reminder",
        title="Offer the retention plan",
        body="",
        moment_id="retention",
        created_at=now.isoformat(),
        expires_at=(now + timedelta(seconds=60)).isoformat(),
        confidence=0.9,
        trigger=HintTrigger(Speaker.CUSTOMER.value, 0, 1500, "[redacted]"),
        turn_accepted_at=(now - timedelta(seconds=1)).isoformat(),
    )
    assert state.add_hint(hint, now + timedelta(seconds=2))
    taken = state.recent_hints[-1]
    assert taken.delivered_at == (now + timedelta(seconds=2)).isoformat()
    assert taken.turn_accepted_at == hint.turn_accepted_at


def test_seconds_between_refuses_missing_or_backwards_stamps() -> None:
    assert seconds_between(1_000, 2_500) == 1.5
    assert seconds_between(None, 2_500) is None
    assert seconds_between(3_000, 2_500) is None


# --- counters observed where the events happen -------------------------------------------


def sample_value(metric: Any, **labels: str) -> float:
    for family in metric.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels == labels:
                return float(sample.value)
    return 0.0


async def test_each_asr_reconnect_attempt_is_counted() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the socket closes
    asr = DeepgramAsr(
        api_key="k",
        url=f"ws://127.0.0.1:{port}",
        reconnect=ReconnectPolicy(max_attempts=2, initial_backoff_s=0.01, max_backoff_s=0.02),
    )
    before = sample_value(ASR_RECONNECTS)
    with pytest.raises(AsrConnectionError, match="giving up after 2 retries"):
        async with asr.stream():
            pass
    assert sample_value(ASR_RECONNECTS) - before == 2


async def test_a_model_timeout_is_counted_by_provider(llm_url: str) -> None:
    route = ModelRoute.model_validate({"provider": "local", "timeout_ms": 300})
    request = ChatRequest(messages=[ChatMessage("user", "Say hello.")], max_tokens=4)
    before = sample_value(MODEL_TIMEOUTS, provider="local")
    async with LlmProxy(upstream=llm_url.removesuffix("/v1")) as proxy:
        proxy.mode = ProxyMode.HANG
        router = ModelRouter(local_url=f"{proxy.url}/v1")
        try:
            with pytest.raises(ModelTimeout):
                await router.complete(route, request)
        finally:
            await router.close()
    assert sample_value(MODEL_TIMEOUTS, provider="local") - before == 1


async def test_hints_guidance_dropped_as_late_are_counted_once_when_it_summarizes(
    client: Client, settings: Settings, stores: Stores, tenant: TenantKey
) -> None:
    router = ModelRouter.from_settings(settings)
    activities = guidance_activities(settings, stores, router=router)
    # A call with nothing said: the summary needs no model.
    call_id = str(uuid.uuid4())
    await stores.calls.record_started(
        tenant_id=tenant.tenant_id,
        call_id=call_id,
        contact_id=call_id,
        workflow_id=f"call-{tenant.tenant_id}-{call_id}",
        started_at=datetime.now(UTC),
        instance_arn="",
        stream_arn=None,
    )
    request = SummarizeCall(tenant.tenant_id, call_id, 0, hints_dropped_late=3)
    before = sample_value(LATE_HINTS_DROPPED)
    env = ActivityEnvironment(client)
    try:
        assert (await env.run(activities.summarize_call, request)).source == "none"
        assert sample_value(LATE_HINTS_DROPPED) - before == 3
        env.info = dataclasses.replace(env.info, attempt=2)  # a retry counts nothing again
        await env.run(activities.summarize_call, request)
    finally:
        await router.close()
    assert sample_value(LATE_HINTS_DROPPED) - before == 3


async def test_late_hints_the_call_dropped_are_counted_once(
    stores: Stores, tenant: TenantKey
) -> None:
    from activities.calls import CallActivities
    from workflows.call_types import RecordCallFinished, RecordCallStarted

    activities = CallActivities(calls=stores.calls, streams=stores.streams, hints=stores.hints)
    call_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    env = ActivityEnvironment()
    await env.run(
        activities.record_call_started,
        RecordCallStarted(tenant.tenant_id, call_id, call_id, f"call-{call_id}", now, "arn"),
    )
    finished = RecordCallFinished(tenant.tenant_id, call_id, "ended", now, 0, late_hints=2)
    before = sample_value(LATE_HINTS_DROPPED)
    await env.run(activities.record_call_finished, finished)
    assert sample_value(LATE_HINTS_DROPPED) - before == 2
    env.info = dataclasses.replace(env.info, attempt=2)  # a retry counts nothing again
    await env.run(activities.record_call_finished, finished)
    assert sample_value(LATE_HINTS_DROPPED) - before == 2


def test_dev_up_says_where_to_look(capsys: pytest.CaptureFixture[str]) -> None:
    state = {
        "api_url": "http://127.0.0.1:8000",
        "temporal_ui_url": "http://127.0.0.1:8233",
        "logs": ".callguide/logs",
        "worker_metrics_url": "http://127.0.0.1:9464/metrics",
        "otlp_endpoint": None,
        "log_format": "json",
    }
    print_endpoints(state)
    printed = capsys.readouterr().out
    assert "API metrics        http://127.0.0.1:8000/metrics" in printed
    assert "worker metrics     http://127.0.0.1:9464/metrics" in printed
    assert "logs (JSON lines)  .callguide/logs/api.log, .callguide/logs/worker.log" in printed
    assert "tracing            off" in printed
    print_endpoints(state | {"otlp_endpoint": "http://collector:4318/v1/traces"})
    assert (
        "tracing            on, OTLP to http://collector:4318/v1/traces" in capsys.readouterr().out
    )
