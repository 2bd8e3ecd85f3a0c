"""Embedded ClickHouse (chdb) in a directory: the default analytics store.

chdb runs one engine per process, bound to one directory, and locks that directory
against other processes. Every store opened on the same path in this process shares one
session (several APIs run in one test process); the session closes with the last of them.
A second path while one is open is refused by chdb.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from chdb import session as chdb_session


class _SharedSession:
    def __init__(self, path: str) -> None:
        self.session = chdb_session.Session(path)
        self.users = 0


class ChdbStore:
    _open: ClassVar[dict[str, _SharedSession]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, *, path: str, shared: _SharedSession) -> None:
        self._path = path
        self._shared = shared
        self._closed = False

    @classmethod
    async def open(cls, *, path: str) -> ChdbStore:
        return await asyncio.to_thread(cls._open_sync, path)

    @classmethod
    def _open_sync(cls, path: str) -> ChdbStore:
        key = str(Path(path).resolve())
        with cls._lock:
            shared = cls._open.get(key)
            if shared is None:
                Path(key).mkdir(parents=True, exist_ok=True)
                shared = _SharedSession(key)
                cls._open[key] = shared
            shared.users += 1
        return cls(path=key, shared=shared)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            self._shared.users -= 1
            if self._shared.users > 0:
                return
            del self._open[self._path]
        await asyncio.to_thread(self._shared.session.close)

    def _run(self, sql: str, params: Mapping[str, Any] | None = None) -> str:
        result = self._shared.session.query(sql, "JSONEachRow", params=dict(params or {}))
        return str(result)

    async def execute(self, sql: str) -> None:
        await asyncio.to_thread(self._run, sql)

    async def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        body = "\n".join(json.dumps(row, separators=(",", ":")) for row in rows)
        await asyncio.to_thread(self._run, f"INSERT INTO {table} FORMAT JSONEachRow\n{body}")

    async def query(self, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        text = await asyncio.to_thread(self._run, sql, params)
        return [json.loads(line) for line in text.splitlines() if line.strip()]
