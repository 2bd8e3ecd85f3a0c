"""A fault-injecting, recording HTTP reverse proxy in front of a real model server.

Tests point a model route at `proxy.url` instead of the llama.cpp server and then:

* assert on `proxy.requests` / `proxy.bodies()`: every request body the proxy received,
  exactly as the client sent it (so a test sees what a model would have been sent);
* switch `proxy.mode` to `HANG` (accept the request and never answer), `ERROR` (answer
  500) or `PASS` (forward to the server; streamed answers are streamed through chunk by
  chunk, so first-token times stay real).

It is a real server (starlette on uvicorn, in the test's event loop), so the adapters'
own HTTP clients, timeouts and connection handling are what gets exercised.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from callguide.devstack import free_port

# Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy recomputes.
_NOT_FORWARDED = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


class ProxyMode(StrEnum):
    PASS = "pass"
    HANG = "hang"
    ERROR = "error"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: bytes
    mode: ProxyMode

    def json(self) -> Any:
        return json.loads(self.body)


class LlmProxy:
    """`async with LlmProxy(upstream="http://127.0.0.1:PORT") as proxy:`; `proxy.url` is
    the proxy's root (append /v1 for an OpenAI-style base URL)."""

    def __init__(self, *, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.mode = ProxyMode.PASS
        self.requests: list[RecordedRequest] = []
        # Called with each request once it is recorded and answered in the current mode:
        # lets a test change the mode for the next one (a server that recovers).
        self.on_request: Callable[[RecordedRequest], None] | None = None
        self.port = free_port()
        self._release = asyncio.Event()
        self._client = httpx.AsyncClient(base_url=self.upstream, timeout=None)
        app = Starlette(
            routes=[Route("/{path:path}", self._handle, methods=["GET", "POST", "PUT", "DELETE"])]
        )
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bodies(self) -> list[Any]:
        """The JSON bodies of the POSTs received, oldest first."""
        return [r.json() for r in self.requests if r.method == "POST" and r.body]

    def sent_text(self) -> str:
        """Every message content of every chat request received, joined: what a model was
        (or would have been) sent."""
        parts = []
        for body in self.bodies():
            for message in body.get("messages", []):
                parts.append(str(message.get("content", "")))
        return "\n".join(parts)

    async def __aenter__(self) -> LlmProxy:
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()  # hanging requests answer now, so the server can stop
        self._server.should_exit = True
        if self._task is not None:
            await self._task
        await self._client.aclose()

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        mode = self.mode
        recorded = RecordedRequest(request.method, request.url.path, body, mode)
        self.requests.append(recorded)
        if self.on_request is not None:
            self.on_request(recorded)
        if mode is ProxyMode.HANG:
            await self._release.wait()
            return JSONResponse({"error": "proxy stopped"}, status_code=503)
        if mode is ProxyMode.ERROR:
            return JSONResponse(
                {"error": {"message": "injected failure", "type": "server_error"}},
                status_code=500,
            )
        return await self._forward(request, body)

    async def _forward(self, request: Request, body: bytes) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED}
        upstream = self._client.build_request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers=headers,
            content=body,
        )
        answer = await self._client.send(upstream, stream=True)
        answer_headers = {
            k: v for k, v in answer.headers.items() if k.lower() not in _NOT_FORWARDED
        }

        async def chunks() -> AsyncIterator[bytes]:
            async for chunk in answer.aiter_raw():
                yield chunk

        return StreamingResponse(
            chunks(),
            status_code=answer.status_code,
            headers=answer_headers,
            background=BackgroundTask(answer.aclose),
        )
