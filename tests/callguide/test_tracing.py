"""Tracing: off by default (nothing set up), and when on, one trace follows a call from
the contact-flow request through the workflow it starts and that workflow's activities."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor

from api.app import create_app
from callguide.resources import Stores
from callguide.settings import Settings
from callguide.temporal_client import connect_temporal
from callguide.tracing import tracer_provider, tracing_enabled
from tests.api.test_connect import flow_event
from tests.conftest import Stack, TenantKey, make_settings, running_api, running_worker
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest

# What temporalio's interceptor names its spans, by what they trace.
CALL_SPANS = (
    "StartWorkflow:CallWorkflow",
    "RunWorkflow:CallWorkflow",
    "StartActivity:record_call_started",
    "RunActivity:record_call_started",
)


def traced_settings(stack: Stack) -> tuple[Settings, InMemorySpanExporter]:
    """Settings with tracing on, exporting to memory (a collector address per test, so
    each test has its own provider; nothing is ever sent there)."""
    settings = make_settings(
        stack,
        otlp_endpoint=f"http://127.0.0.1:9/{uuid.uuid4().hex}/v1/traces",
        otel_service_name="callguide-test",
        guidance_enabled=False,
    )
    exporter = InMemorySpanExporter()
    tracer_provider(settings, processor=SimpleSpanProcessor(exporter))
    return settings, exporter


def by_name(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name == name]


async def test_tracing_is_off_by_default_and_sets_nothing_up(stack: Stack) -> None:
    settings = make_settings(stack)
    assert settings.otlp_endpoint is None and not tracing_enabled(settings)
    assert tracer_provider(settings) is None

    client = await connect_temporal(settings)
    assert not any(isinstance(i, TracingInterceptor) for i in client.config()["interceptors"])

    app = create_app(settings)
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)


async def test_tracing_on_instruments_the_api_and_the_temporal_client(stack: Stack) -> None:
    settings, _ = traced_settings(stack)
    client = await connect_temporal(settings)
    assert any(isinstance(i, TracingInterceptor) for i in client.config()["interceptors"])
    app = create_app(settings)
    assert getattr(app, "_is_instrumented_by_opentelemetry", False)


async def test_a_call_is_one_trace_from_the_contact_flow_request_to_its_activities(
    stack: Stack, stores: Stores, tenant: TenantKey
) -> None:
    settings, exporter = traced_settings(stack)
    client: Client = await connect_temporal(settings)
    async with (
        running_worker(client, settings, stores, ("calls",)),
        running_api(settings) as api_url,
        httpx.AsyncClient(base_url=api_url, timeout=30) as http,
    ):
        response = await http.post(
            "/v1/connect/contact-flow", json=flow_event(), headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        handle = client.get_workflow_handle_for(CallWorkflow.run, response.json()["workflow_id"])
        await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
        result = await asyncio.wait_for(handle.result(), timeout=60)
        assert result.status == "ended"

    spans = exporter.get_finished_spans()
    requests = [
        s for s in spans if s.kind.name == "SERVER" and "/v1/connect/contact-flow" in s.name
    ]
    assert len(requests) == 1, [s.name for s in spans]
    trace_id = requests[0].context.trace_id
    for name in CALL_SPANS:
        found = by_name(spans, name)
        assert found, (name, sorted({s.name for s in spans}))
        assert all(s.context.trace_id == trace_id for s in found), name
    # The workflow's span descends from the request's, not a trace of its own.
    start = by_name(spans, "StartWorkflow:CallWorkflow")[0]
    assert start.parent is not None and start.parent.trace_id == trace_id
    # Spans name workflows and activities by type and id, never by what they carry.
    for span in spans:
        for value in (span.attributes or {}).values():
            assert "utterance" not in str(value).lower()


async def test_health_probes_are_not_traced(stack: Stack) -> None:
    settings, exporter = traced_settings(stack)
    async with (
        running_api(settings) as api_url,
        httpx.AsyncClient(base_url=api_url, timeout=30) as http,
    ):
        assert (await http.get("/healthz")).status_code == 200
    assert not [s for s in exporter.get_finished_spans() if "healthz" in s.name]
