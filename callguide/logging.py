"""Structured logs: one JSON object per line, each with the tenant and call it concerns.

The ids come from context variables: activities set them from their input (the worker
interceptor below, installed by the one Temporal client factory), API routes from the
authenticated tenant and the path. A record that names its ids itself (``extra=``) keeps
them. Log lines carry ids and counts only, never text a caller said; the access log
drops query strings, which may hold a search for a customer's name.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from typing import IO, Any, Literal

from pythonjsonlogger.json import JsonFormatter
from temporalio import worker as temporal_worker
from temporalio.client import Interceptor as ClientInterceptor

TENANT_ID: ContextVar[str | None] = ContextVar("callguide_tenant_id", default=None)
CALL_ID: ContextVar[str | None] = ContextVar("callguide_call_id", default=None)
CONTEXT_FIELDS = ("tenant_id", "call_id")

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(tenant_id)s %(call_id)s] %(message)s"
# Marks the handler configure_logging installed, so configuring again replaces it.
_OWN_HANDLER = "callguide"


@contextlib.contextmanager
def log_context(*, tenant_id: str | None = None, call_id: str | None = None) -> Iterator[None]:
    """Log records made inside (in this task and the tasks it starts) name these ids."""
    tokens = []
    if tenant_id is not None:
        tokens.append((TENANT_ID, TENANT_ID.set(tenant_id)))
    if call_id is not None:
        tokens.append((CALL_ID, CALL_ID.set(call_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def set_log_context(*, tenant_id: str | None = None, call_id: str | None = None) -> None:
    """For the rest of the current task (an API request's): records name these ids."""
    if tenant_id is not None:
        TENANT_ID.set(tenant_id)
    if call_id is not None:
        CALL_ID.set(call_id)


class ContextFilter(logging.Filter):
    """Adds tenant_id and call_id to every record from the context, unless it has them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("tenant_id", TENANT_ID), ("call_id", CALL_ID)):
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


class AccessLogWithoutQuery(logging.Filter):
    """uvicorn's access log without query strings: `?q=` of a transcript search may be a
    customer's name or number. Paths hold only ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].partition("?")[0], *args[3:])
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        # Every line has both keys (null outside a call), so a pipeline can rely on them.
        defaults={field: None for field in CONTEXT_FIELDS},
    )


def configure_logging(
    log_format: Literal["json", "text"],
    *,
    level: int = logging.INFO,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Sends every logger's records to stream (stderr) as JSON lines or text, replacing
    what an earlier call installed; returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_OWN_HANDLER)
    handler.addFilter(ContextFilter())
    handler.setFormatter(json_formatter() if log_format == "json" else _text_formatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _OWN_HANDLER]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogWithoutQuery) for f in access.filters):
        access.addFilter(AccessLogWithoutQuery())
    return handler


class _TextFormatter(logging.Formatter):
    """For people: the ids in brackets, "-" outside a tenant or call."""

    def format(self, record: logging.LogRecord) -> str:
        for field in CONTEXT_FIELDS:
            if getattr(record, field, None) is None:
                setattr(record, field, "-")
        return super().format(record)


def _text_formatter() -> logging.Formatter:
    return _TextFormatter(TEXT_FORMAT)


# --- activities -------------------------------------------------------------------------


class LogContextInterceptor(ClientInterceptor, temporal_worker.Interceptor):
    """Every activity logs with the tenant and call of its input (a dataclass with
    tenant_id / call_id fields, as this project's activity inputs are). On the client, so
    every worker built on a client from callguide.temporal_client gets it."""

    def intercept_activity(
        self, next: temporal_worker.ActivityInboundInterceptor
    ) -> temporal_worker.ActivityInboundInterceptor:
        return _ActivityLogContext(next)


class _ActivityLogContext(temporal_worker.ActivityInboundInterceptor):
    async def execute_activity(self, input: temporal_worker.ExecuteActivityInput) -> Any:
        request = input.args[0] if input.args else None
        tenant_id = getattr(request, "tenant_id", None)
        call_id = getattr(request, "call_id", None)
        with log_context(
            tenant_id=tenant_id if isinstance(tenant_id, str) else None,
            call_id=call_id if isinstance(call_id, str) else None,
        ):
            return await self.next.execute_activity(input)
