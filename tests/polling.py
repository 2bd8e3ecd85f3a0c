"""Waiting on what the system makes true a moment later (a store written behind the workflow)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx


async def eventually(
    read: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], within_s: float = 30
) -> Any:
    """Reads until `done` holds or the time is up, and returns the last reading.

    The caller asserts on what comes back, so a failure shows the value last seen.
    """
    deadline = time.monotonic() + within_s
    while True:
        value = await read()
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.1)


def read_json(
    http: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> Callable[[], Awaitable[Any]]:
    """A reader of one API resource for `eventually`; anything but a 200 fails at once."""

    async def read() -> Any:
        response = await http.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    return read
