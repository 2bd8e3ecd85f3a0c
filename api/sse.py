"""Server-Sent Events from a call's Redis stream."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

from fastapi import Request
from redis.exceptions import RedisError

from storage.redis_streams import CallEventStreams, StreamEntry

BLOCK_MS = 10_000
REDIS_RETRY_S = 1.0
FINAL_STATUSES = ("ended", "failed")
log = logging.getLogger(__name__)


def format_event(entry: StreamEntry) -> str:
    data = json.dumps(entry.event, separators=(",", ":"))
    return f"id: {entry.id}\nevent: {entry.event.get('type', 'message')}\ndata: {data}\n\n"


def _is_final(entry: StreamEntry) -> bool:
    event = entry.event
    return event.get("type") == "status" and event.get("data", {}).get("status") in FINAL_STATUSES


async def call_event_stream(
    request: Request,
    streams: CallEventStreams,
    tenant_id: str,
    call_id: str,
    after_id: str,
    *,
    call_finished: bool = False,
) -> AsyncIterator[str]:
    """Streams the call's events; for a finished call, what is left of them, then closes."""
    yield "retry: 1000\n\n"
    while not await request.is_disconnected():
        block_ms = None if call_finished else BLOCK_MS
        try:
            entries = await streams.read(tenant_id, call_id, after_id=after_id, block_ms=block_ms)
        except RedisError as exc:
            # The subscriber keeps its place; events resume once Redis answers again.
            log.warning("reading call events failed: %s", type(exc).__name__)
            yield ": redis unavailable, retrying\n\n"
            await asyncio.sleep(REDIS_RETRY_S)
            continue
        if not entries:
            if call_finished:  # its stream has expired, or this client has seen it all
                return
            yield ": keep-alive\n\n"
            continue
        for entry in entries:
            yield format_event(entry)
            after_id = entry.id
            if _is_final(entry):
                return
