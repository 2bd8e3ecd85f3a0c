"""The FastAPI application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api.routes import calls, codec, connect, health
from callguide.resources import open_stores
from callguide.settings import Settings
from callguide.temporal_client import connect_temporal


def _field_path(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location if p != "body"]
    return ".".join(parts) or "body"


async def _bad_request(request: Request, exc: Exception) -> JSONResponse:
    """Answers 400 and names the first bad field, so a Connect misconfiguration is obvious."""
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_path(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": "invalid request"}
    return JSONResponse(
        {"detail": f"{first['field']}: {first['message']}", "errors": errors}, status_code=400
    )


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.temporal = await connect_temporal(settings)
        async with open_stores(settings) as stores:
            app.state.stores = stores
            yield

    app = FastAPI(
        title="callguide",
        version="0.1.0",
        description="Real-time agent assist for Amazon Connect. Every route but the health "
        "checks needs `Authorization: Bearer <tenant API key>`.",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.temporal_ui_url.rstrip("/")],
        allow_credentials=True,
        allow_methods=["POST", "GET", "OPTIONS"],
        allow_headers=["*"],
    )
    for router in (health.router, connect.router, calls.router, codec.router):
        app.include_router(router)
    return app
