"""Opens and closes the stores every process shares: Postgres pool and Redis client."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
from redis.asyncio import Redis

from callguide.settings import Settings
from storage.calls import CallStore
from storage.postgres import connect_and_migrate
from storage.redis_streams import CallEventStreams
from storage.tenants import TenantStore

REDIS_SOCKET_TIMEOUT_S = 30.0


@dataclass
class Stores:
    pool: asyncpg.Pool
    redis: Redis
    calls: CallStore
    tenants: TenantStore
    streams: CallEventStreams


@contextlib.asynccontextmanager
async def open_stores(settings: Settings) -> AsyncIterator[Stores]:
    pool = await connect_and_migrate(settings.require_database_url())
    # SSE readers block on XREAD for up to BLOCK_MS; the socket timeout must outlast that.
    redis = Redis.from_url(settings.require_redis_url(), socket_timeout=REDIS_SOCKET_TIMEOUT_S)
    try:
        yield Stores(
            pool=pool,
            redis=redis,
            calls=CallStore(pool=pool),
            tenants=TenantStore(pool=pool),
            streams=CallEventStreams(redis=redis, maxlen=settings.redis_stream_maxlen),
        )
    finally:
        await redis.aclose()
        await pool.close()
