"""The FastAPI application."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analytics.ingester import running_analytics
from api.routes import (
    analytics,
    calls,
    codec,
    compliance,
    connect,
    health,
    hints,
    knowledge,
    metrics,
    ops,
    policies,
    redaction_policy,
    search,
)
from api.schemas import ErrorResponse, error_responses
from callguide.logging import set_log_context
from callguide.resources import open_stores
from callguide.settings import Settings
from callguide.temporal_client import connect_temporal
from callguide.tracing import instrument_app


def _field_path(location: tuple[int | str, ...]) -> str:
    """The path of a bad field as the client wrote it: the leading "body" dropped, but a
    field named body inside the document (a hint's, an article's) kept."""
    parts = location[1:] if location[:1] == ("body",) else location
    return ".".join(str(p) for p in parts) or "body"


def _invalid_status(request: Request, exc: RequestValidationError) -> int:
    """400, or a document route's own status when only the parsed body breaks its rules."""
    status = getattr(request.scope.get("route"), "invalid_document_status", 400)
    for error in exc.errors():
        if tuple(error["loc"])[:1] != ("body",) or error["type"] == "json_invalid":
            return 400
    return int(status)


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    """Answers 400 (422 for a document route, see DocumentRoute) and names the first bad
    field, so a Connect misconfiguration or a policy typo is obvious."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_path(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": "invalid request"}
    return JSONResponse(
        {"detail": f"{first['field']}: {first['message']}", "errors": errors},
        status_code=_invalid_status(request, exc),
    )


_declared_query: dict[int, frozenset[str]] = {}


async def log_call_context(request: Request) -> None:
    """The request's log lines name the call in its path (the tenant dependency names
    the tenant). Async, so it runs in the request's own task and context."""
    call_id = request.path_params.get("call_id")
    if isinstance(call_id, str):
        set_log_context(call_id=call_id)


def _query_names(dependant: Dependant) -> frozenset[str]:
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return frozenset(names)


def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is a client's mistake: name it (400)
    instead of ignoring it, so a misspelt filter never silently returns everything."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _declared_query.get(id(route))
    if known is None:
        known = _query_names(dependant)
        _declared_query[id(route)] = known
    for name in request.query_params:
        if name not in known:
            printable = name.encode("unicode_escape").decode()[:64]
            raise RequestValidationError(
                [{"loc": ("query", printable), "msg": "unknown query parameter", "type": "extra"}]
            )


# Connect events are a few KB. The Temporal UI sends the codec whole payloads, which
# Temporal itself limits to 2 MB each (base64 in JSON adds a third).
MAX_BODY_BYTES = 256 * 1024
CODEC_MAX_BODY_BYTES = 4 * 1024 * 1024
# A guidance policy carries the tenant's knowledge articles (guidance.policy bounds them).
POLICIES_PATH = "/v1/policies"
POLICIES_MAX_BODY_BYTES = 2 * 1024 * 1024
# Python's JSON parser recurses per level and dies (a 500) near 1,000 levels deep.
MAX_JSON_DEPTH = 32
# The only bytes that matter for depth: escapes, quotes and brackets (one linear pass).
_JSON_TOKEN = re.compile(rb'\\.|["\[\]{}]')
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def json_depth(body: bytes, stop_above: int | None = None) -> int:
    """How deeply a JSON text nests, without parsing it (brackets inside strings skipped);
    counting stops once the depth passes stop_above."""
    depth = deepest = 0
    in_string = False
    for match in _JSON_TOKEN.finditer(body):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or len(token) == 2:  # inside a string, or an escape
            continue
        elif token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if stop_above is not None and deepest > stop_above:
                break
        else:
            depth -= 1
    return deepest


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses bodies over MAX_BODY_BYTES (CODEC_MAX_BODY_BYTES for the codec,
    POLICIES_MAX_BODY_BYTES for a guidance policy) with 413,
    and JSON nested deeper than MAX_JSON_DEPTH with 400, before any route reads them. The
    declared Content-Length is checked first and the streamed bytes are counted too, since
    chunked requests declare none; bodies this small are buffered whole and handed on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        codec = path.startswith("/codec/")
        max_bytes = CODEC_MAX_BODY_BYTES if codec else MAX_BODY_BYTES
        if path == POLICIES_PATH:
            max_bytes = POLICIES_MAX_BODY_BYTES
        too_large = f"body: request bodies are limited to {max_bytes} bytes"
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > max_bytes:
            await _answer(send, 413, too_large)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            body += message.get("body", b"")
            if len(body) > max_bytes:
                await _answer(send, 413, too_large)
                return
            if not message.get("more_body", False):
                break
        if json_depth(bytes(body), stop_above=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            detail = f"body: JSON may nest at most {MAX_JSON_DEPTH} levels deep"
            await _answer(send, 400, detail)
            return
        pending: list[Message] = [{"type": "http.request", "body": bytes(body)}]

        async def replay() -> Message:
            return pending.pop() if pending else await receive()

        await self.app(scope, replay, send)


_PUBLIC_PATHS = frozenset({"/healthz", "/readyz"})
BEARER = "bearerAuth"


def _document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the server behaves: bearer auth on every route but the
    health checks, and validation errors answered 400 (see _bad_request), never FastAPI's
    default 422; a document route declares its own 422."""
    doc = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A tenant API key (the codec routes also take the operator token)",
    }
    schemas = components.setdefault("schemas", {})
    schemas.setdefault(
        "ErrorResponse",
        ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}"),
    )
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "HTTPValidationError" in json.dumps(responses.get("422", {})):
                responses.pop("422")
            if path in _PUBLIC_PATHS:  # no parameters, no body, no credentials
                continue
            operation["security"] = [{BEARER: []}]
            statuses = [403]
            if method.upper() in _BODY_METHODS:
                statuses.append(413)
            for code, entry in error_responses(*statuses).items():
                responses.setdefault(
                    str(code),
                    {
                        "description": entry["description"],
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorResponse"}
                            }
                        },
                    },
                )
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return doc


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.temporal = await connect_temporal(settings)
        async with (
            open_stores(settings) as stores,
            running_analytics(settings, stores.analytics_outbox) as analytics_store,
        ):
            app.state.stores = stores
            app.state.analytics = analytics_store
            yield

    app = FastAPI(
        title="callguide",
        version="0.1.0",
        description="Real-time agent assist for Amazon Connect. Every route but the health "
        "checks needs `Authorization: Bearer <tenant API key>`.",
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query), Depends(log_call_context)],
    )
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.temporal_ui_url.rstrip("/")],
        allow_credentials=True,
        allow_methods=["POST", "GET", "OPTIONS"],
        allow_headers=["*"],
    )
    # Added last, so it runs first: nothing reads a body it has not measured.
    app.add_middleware(BodyLimit)
    for router in (
        health.router,
        connect.router,
        calls.router,
        hints.router,
        redaction_policy.router,
        policies.router,
        knowledge.router,
        compliance.router,
        search.router,
        analytics.router,
        ops.router,
        codec.router,
        metrics.router,
    ):
        app.include_router(router)
    instrument_app(app, settings)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
