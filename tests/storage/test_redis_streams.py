"""Each call's Redis stream: idempotent by sequence, bounded, expiring after the call."""

from __future__ import annotations

import uuid

from callguide.resources import Stores
from storage.redis_streams import CallEventStreams


def event(seq: int) -> tuple[int, dict]:
    return seq, {"seq": seq, "type": "utterance", "data": {"n": seq}}


async def test_a_retried_publish_appends_nothing_twice(stores: Stores) -> None:
    call = str(uuid.uuid4())
    assert await stores.streams.publish("t", call, [event(1), event(2)]) == 2
    assert await stores.streams.publish("t", call, [event(1), event(2), event(3)]) == 1
    entries = await stores.streams.read("t", call)
    assert [e.event["seq"] for e in entries] == [1, 2, 3]
    interim = await stores.streams.publish_transient("t", call, {"type": "interim"})
    after = await stores.streams.read("t", call, after_id=entries[-1].id)
    assert [e.id for e in after] == [interim]


async def test_stream_is_bounded_and_expires_once_the_call_ends(stores: Stores) -> None:
    streams = CallEventStreams(redis=stores.redis, maxlen=10)
    call = str(uuid.uuid4())
    for seq in range(1, 301):
        await streams.publish("t", call, [event(seq)])
    # Redis trims approximately (whole macro nodes), so allow its slack, not unbounded growth.
    assert await streams.length("t", call) < 150
    assert await streams.ttl("t", call) == -1  # a live call's stream does not expire
    await streams.publish("t", call, [event(301)], expire_after_s=3600)
    assert 3500 < await streams.ttl("t", call) <= 3600
