"""Server-Sent Events from a call's Redis stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import Request

from storage.redis_streams import CallEventStreams, StreamEntry

BLOCK_MS = 15_000
FINAL_STATUSES = ("ended", "failed")


def format_event(entry: StreamEntry) -> str:
    data = json.dumps(entry.event, separators=(",", ":"))
    return f"id: {entry.id}\nevent: {entry.event.get('type', 'message')}\ndata: {data}\n\n"


def _is_final(entry: StreamEntry) -> bool:
    event = entry.event
    return event.get("type") == "status" and event.get("data", {}).get("status") in FINAL_STATUSES


async def call_event_stream(
    request: Request, streams: CallEventStreams, tenant_id: str, call_id: str, after_id: str
) -> AsyncIterator[str]:
    yield "retry: 1000\n\n"
    while not await request.is_disconnected():
        entries = await streams.read(tenant_id, call_id, after_id=after_id, block_ms=BLOCK_MS)
        if not entries:
            yield ": keep-alive\n\n"
            continue
        for entry in entries:
            yield format_event(entry)
            after_id = entry.id
            if _is_final(entry):
                return
