"""Liveness and readiness."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import StoresDep, TemporalDep
from api.schemas import Health

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_S = 2.0


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(stores: StoresDep, client: TemporalDep) -> JSONResponse:
    """Ready when Temporal, PostgreSQL and Redis all answer."""
    probes = {
        "temporal": client.service_client.check_health(),
        "postgres": stores.pool.fetchval("SELECT 1"),
        "redis": stores.redis.ping(),
    }
    checks = {}
    for name, probe in probes.items():
        try:
            await asyncio.wait_for(probe, CHECK_TIMEOUT_S)
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"failing: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    body = Health(status="ready" if ready else "not ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
