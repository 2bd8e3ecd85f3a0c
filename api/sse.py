"""Server-Sent Events of a call: what the event hub reads from Redis, as FastAPI SSE items.

Event ids are stream positions, "<durable-id>/<interim-id>" (see `StreamPosition`): a
browser reconnecting with Last-Event-ID gets every durable event after the durable id, once,
and the interims after the interim id that are newer than its last durable event.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import HTTPException, status
from fastapi.sse import ServerSentEvent
from redis.exceptions import RedisError

from storage.redis_streams import CallEventStreams, StreamPosition, Subscription

RETRY_MS = 1000
FINAL_STATUSES = ("ended", "failed")
log = logging.getLogger(__name__)


class NoMoreEvents(HTTPException):
    """204: the call is over and the viewer has all of it; EventSource stops reconnecting."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_204_NO_CONTENT)


def is_final(event: dict[str, Any]) -> bool:
    return event.get("type") == "status" and event.get("data", {}).get("status") in FINAL_STATUSES


def resume_position(last_event_id: str | None) -> StreamPosition:
    if not last_event_id:
        return StreamPosition()
    try:
        return StreamPosition.parse(last_event_id)
    except ValueError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"Last-Event-ID: {exc}") from exc


async def is_over_for(
    streams: CallEventStreams,
    tenant_id: str,
    call_id: str,
    position: StreamPosition,
    *,
    recorded_finished: bool,
) -> bool:
    """True when the call has ended and nothing durable follows `position`.

    The final status event decides, not only the stored record: the workflow records the
    end before it publishes the final status, and a viewer must still get that event.
    """
    try:
        tail = await streams.tail(tenant_id, call_id, position)
    except RedisError as exc:
        log.warning("checking a call's event stream failed: %s", type(exc).__name__)
        return False  # the stream then decides, once the hub can read it
    if tail.last is None:  # nothing published yet, or the ended call's stream expired
        return recorded_finished
    return not tail.more_after and is_final(tail.last.event)


async def server_sent_events(subscription: Subscription) -> AsyncIterator[ServerSentEvent]:
    """The subscription's events until the final status; ends early if the hub lets go."""
    yield ServerSentEvent(comment="connected", retry=RETRY_MS)
    sent = subscription.start
    hints_sent: set[str] = set()
    while (batch := await subscription.next_batch()) is not None:
        for entry in batch:
            sent = sent.after(entry)
            event_type = str(entry.event.get("type", "message"))
            if event_type == "hint" and not _first_showing(entry.event, hints_sent):
                continue
            yield ServerSentEvent(raw_data=entry.raw, event=event_type, id=str(sent))
            if is_final(entry.event):
                return


def _first_showing(event: dict[str, Any], shown: set[str]) -> bool:
    """Guidance shows a hint at once and the call's durable copy follows: a viewer gets
    each hint id once (a viewer reconnecting in between may get it twice: hint ids are
    stable, so clients key hints by id)."""
    hint_id = str(event.get("data", {}).get("hint_id", ""))
    if hint_id in shown:
        return False
    shown.add(hint_id)
    return True
