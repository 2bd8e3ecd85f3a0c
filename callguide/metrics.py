"""Prometheus metrics every process exposes (the API on /metrics, workers on their port).

Labels are closed sets (stage names, verdicts, providers) or opaque tenant ids: never a
call id (unbounded), never text. Metric objects live in the default registry, so any
module may observe them and each process's exporter serves them all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)

# An utterance's way to the agent, stage by stage (callguide.model.StageTiming):
# asr_final (audio received -> ASR final), signal (ASR final -> call workflow accepted),
# persisted and published (ASR final -> stored / on the live stream), and hint_delivered
# (the call took the turn -> the hint reached the call).
STAGES = ("asr_final", "signal", "persisted", "published", "hint_delivered")
LATENCY_BUCKETS_S = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0)

STAGE_LATENCY = Histogram(
    "callguide_stage_latency_seconds",
    "Latency of each stage of an utterance's way to the agent",
    ["stage"],
    buckets=LATENCY_BUCKETS_S,
)
ACTIVE_CALLS = Gauge(
    "callguide_active_calls",
    "Calls whose audio this process is streaming now",
)
ASR_RECONNECTS = Counter(
    "callguide_asr_reconnects_total",
    "Times a live ASR connection was lost and opened again",
)
MODEL_TIMEOUTS = Counter(
    "callguide_model_timeouts_total",
    "Model calls that ran out of their deadline",
    ["provider"],
)
LATE_HINTS_DROPPED = Counter(
    "callguide_late_hints_dropped_total",
    "Hints dropped because they would have reached the agent after their deadline",
)
REDACTION_VERDICTS = Counter(
    "callguide_redaction_verdicts_total",
    "Post-call audio redaction verdicts",
    ["verdict"],
)
ADMISSION_REFUSALS = Counter(
    "callguide_admission_refusals_total",
    "Calls refused because their tenant was at its concurrent-call limit",
    ["tenant_id"],
)


def exposition() -> tuple[bytes, str]:
    """This process's metrics in Prometheus' text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def seconds_between(start_ms: int | None, end_ms: int | None) -> float | None:
    """The time from one epoch-ms stamp to another; None when either is missing or the
    clocks of two machines disagree so far that the difference is negative."""
    if start_ms is None or end_ms is None or end_ms < start_ms:
        return None
    return (end_ms - start_ms) / 1000


@contextlib.contextmanager
def serving_metrics(*, host: str, port: int) -> Iterator[int | None]:
    """Serves this process's metrics over HTTP (any path) while inside, on the port it
    yields; port 0 serves nothing and yields None."""
    if not port:
        yield None
        return
    server, thread = start_http_server(port, addr=host)
    try:
        yield int(server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
