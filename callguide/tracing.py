"""OpenTelemetry tracing, off unless ``CALLGUIDE_OTLP_ENDPOINT`` names a collector.

When on, one trace follows a call: the contact-flow request's span (FastAPI
instrumentation) is the parent of the workflow it starts, and temporalio's tracing
interceptor carries the context on through the call's workflows, signals and activities
(on the client, so every worker built on it traces too). Spans carry ids and names only:
the interceptor records workflow and activity types and ids, never their payloads.

When off, nothing here is set up: no provider, no interceptor, no instrumentation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from callguide.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from temporalio.contrib.opentelemetry import TracingInterceptor

# One provider per collector and service name in a process: the API, the workers and the
# client they share all export through it.
_providers: dict[tuple[str, str], TracerProvider] = {}


def tracing_enabled(settings: Settings) -> bool:
    return bool(settings.otlp_endpoint)


def tracer_provider(
    settings: Settings, *, processor: SpanProcessor | None = None
) -> TracerProvider | None:
    """The process's provider for the configured collector (None when tracing is off).

    The first call builds it, exporting over OTLP/HTTP in batches, or through `processor`
    when given (an in-memory exporter in tests)."""
    if not settings.otlp_endpoint:
        return None
    key = (settings.otlp_endpoint, settings.otel_service_name)
    provider = _providers.get(key)
    if provider is None:
        provider = TracerProvider(
            resource=Resource.create({SERVICE_NAME: settings.otel_service_name})
        )
        provider.add_span_processor(processor or _otlp_processor(settings.otlp_endpoint))
        _providers[key] = provider
    return provider


def _otlp_processor(endpoint: str) -> SpanProcessor:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint))


def temporal_interceptors(settings: Settings) -> list[TracingInterceptor]:
    """temporalio's tracing interceptor for the Temporal client (and so its workers)."""
    provider = tracer_provider(settings)
    if provider is None:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor(provider.get_tracer("callguide.temporal"))]


def instrument_app(app: FastAPI, settings: Settings) -> bool:
    """Traces every request of the API when tracing is on; says whether it did."""
    provider = tracer_provider(settings)
    if provider is None:
        return False
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # Health probes every few seconds would bury the calls' traces.
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls="/healthz,/readyz,/metrics"
    )
    return True


def shutdown_tracing() -> None:
    """Exports what is buffered; for processes that are about to exit."""
    for provider in _providers.values():
        provider.shutdown()
    _providers.clear()
