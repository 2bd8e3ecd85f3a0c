"""A ClickHouse server through clickhouse-connect: the production analytics store.

Same SQL and the same JSONEachRow insert body as the embedded store (analytics.chdb_store).
The client is synchronous and thread-safe for sequential use; calls run in a thread so the
event loop never waits on the network.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from typing import Any

import clickhouse_connect
from clickhouse_connect.driver.client import Client


class ClickHouseStore:
    def __init__(self, *, client: Client) -> None:
        self._client = client
        # One request at a time per client session (clickhouse-connect refuses overlaps).
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, *, dsn: str) -> ClickHouseStore:
        """dsn: clickhouse://user:password@host:8123/database (or http/https)."""
        client = await asyncio.to_thread(clickhouse_connect.get_client, dsn=dsn)
        return cls(client=client)

    async def close(self) -> None:
        await asyncio.to_thread(self._client.close)

    async def execute(self, sql: str) -> None:
        async with self._lock:
            await asyncio.to_thread(self._client.command, sql)

    async def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        body = "\n".join(json.dumps(row, separators=(",", ":")) for row in rows).encode()
        async with self._lock:
            await asyncio.to_thread(
                self._client.raw_insert, table, insert_block=body, fmt="JSONEachRow"
            )

    async def query(self, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        async with self._lock:
            result = await asyncio.to_thread(self._client.query, sql, parameters=dict(params))
        return list(result.named_results())
