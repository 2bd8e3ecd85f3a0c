"""aioboto3 clients for Kinesis Video Streams, shared by every call a worker reads.

Building a boto client costs tens of milliseconds of CPU (service model, TLS trust
store), so a worker that starts 200 calls at once must not build 400 of them. A
``KvsClientPool`` holds one control-plane client (GetDataEndpoint) per region and one
data-plane client (GetMedia) per data endpoint, created on first use and closed with the
pool. aiobotocore clients are safe to share between tasks of one event loop; each
GetMedia response holds one pooled connection for as long as it is read, so the media
clients' connection pools are sized for the worker's concurrent calls.

    async with KvsClientPool(max_connections=500) as pool:
        endpoint = StreamEndpoint(pool, region="us-east-1", stream_arn=arn)
        media = await endpoint.media()  # GetDataEndpoint once, then the cached client
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import Any, Final

import aioboto3
from botocore.config import Config

__all__ = ["KvsClientPool", "Pacer", "StreamEndpoint", "default_client_config"]

# KVS allows 5 GetMedia and 5 GetDataEndpoint calls per second per stream; a little
# slack keeps a lone reader clear of the limit's window edge.
CALLS_PER_SECOND: Final = 5
_PACING_SLACK: Final = 1.05
# botocore's default pool (10) would queue the 11th concurrent GetMedia of a worker.
DEFAULT_MAX_CONNECTIONS: Final = 500


def default_client_config() -> Config:
    # Retries live in the reader (it knows where to resume and counts against the TPS
    # limit), so botocore makes one attempt per call.
    return Config(connect_timeout=5, read_timeout=30, retries={"total_max_attempts": 1})


class Pacer:
    """Spaces one API's calls so this reader alone stays under the per-stream TPS limit."""

    def __init__(self, per_second: int = CALLS_PER_SECOND) -> None:
        self._interval = _PACING_SLACK / per_second
        self._last = -math.inf

    async def wait(self) -> None:
        delay = self._last + self._interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        self._last = time.monotonic()


class KvsClientPool:
    """Control-plane clients per region and media clients per data endpoint, shared."""

    def __init__(
        self,
        *,
        session: aioboto3.Session | None = None,
        client_config: Config | None = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self._session = session or aioboto3.Session()
        pool = Config(max_pool_connections=max_connections)
        self._config = default_client_config().merge(pool).merge(client_config or Config())
        self._stack = contextlib.AsyncExitStack()
        self._clients: dict[tuple[str, str | None, str | None], Any] = {}
        self._locks: dict[tuple[str, str | None, str | None], asyncio.Lock] = {}
        self._closed = False

    @property
    def client_count(self) -> int:
        """Clients built so far (observability, tests)."""
        return len(self._clients)

    async def __aenter__(self) -> KvsClientPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        self._clients.clear()
        await self._stack.aclose()

    async def control(self, region: str | None) -> Any:
        # The endpoint comes from the standard configuration (AWS_ENDPOINT_URL_KINESIS_VIDEO,
        # config files), so nothing here names one.
        return await self._client("kinesisvideo", region, None)

    async def media(self, region: str | None, endpoint_url: str) -> Any:
        return await self._client("kinesis-video-media", region, endpoint_url)

    async def _client(self, service: str, region: str | None, endpoint_url: str | None) -> Any:
        key = (service, region, endpoint_url)
        client = self._clients.get(key)
        if client is not None:
            return client
        # Calls starting together wait for the one client being built, not build their own.
        async with self._locks.setdefault(key, asyncio.Lock()):
            client = self._clients.get(key)
            if client is None:
                if self._closed:
                    raise RuntimeError("the KVS client pool is closed")
                options: dict[str, Any] = {"region_name": region, "config": self._config}
                if endpoint_url is not None:
                    options["endpoint_url"] = endpoint_url
                client = await self._stack.enter_async_context(
                    self._session.client(service, **options)
                )
                self._clients[key] = client
        return client


class StreamEndpoint:
    """One stream's data endpoint and the pooled media client bound to it."""

    def __init__(self, pool: KvsClientPool, *, region: str | None, stream_arn: str) -> None:
        self._pool = pool
        self._region = region
        self._stream_arn = stream_arn
        self._media: Any = None
        self._pacer = Pacer()

    def mark_stale(self) -> None:
        """Fetch the data endpoint again before the next GetMedia."""
        self._media = None

    async def media(self) -> Any:
        if self._media is None:
            endpoint = await self._data_endpoint()
            self._media = await self._pool.media(self._region, endpoint)
        return self._media

    async def _data_endpoint(self) -> str:
        control = await self._pool.control(self._region)
        await self._pacer.wait()
        response = await control.get_data_endpoint(StreamARN=self._stream_arn, APIName="GET_MEDIA")
        endpoint: str = response["DataEndpoint"]
        return endpoint
