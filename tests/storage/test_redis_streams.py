"""Each call's Redis streams and the event hub that fans them out to live viewers."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from callguide.resources import Stores
from storage.redis_streams import (
    CallEventHub,
    CallEventStreams,
    StreamEntry,
    StreamPosition,
    SubscriberLimitReached,
    Subscription,
)
from tests.conftest import Stack


def event(seq: int) -> tuple[int, dict]:
    return seq, {"seq": seq, "type": "utterance", "data": {"n": seq}}


async def test_a_retried_publish_appends_nothing_twice(stores: Stores) -> None:
    call = str(uuid.uuid4())
    assert await stores.streams.publish("t", call, [event(1), event(2)]) == 2
    assert await stores.streams.publish("t", call, [event(1), event(2), event(3)]) == 1
    entries = await stores.streams.read("t", call)
    assert [e.event["seq"] for e in entries] == [1, 2, 3]
    interim = await stores.streams.publish_transient("t", call, {"type": "interim"})
    assert [e.id for e in await stores.streams.read_interims("t", call)] == [interim]
    assert await stores.streams.read("t", call, after_id=entries[-1].id) == []


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


async def test_interims_never_trim_durable_events(stores: Stores) -> None:
    streams = CallEventStreams(redis=stores.redis, maxlen=100, interim_maxlen=10)
    call = str(uuid.uuid4())
    for seq in range(1, 51):
        await streams.publish("t", call, [event(seq)])
        for _ in range(20):  # far more interims than either bound
            await streams.publish_transient("t", call, {"type": "interim"})
    assert [e.event["seq"] for e in await streams.read("t", call)] == list(range(1, 51))
    assert len(await streams.read_interims("t", call)) < 150


def test_positions_parse_print_and_order() -> None:
    position = StreamPosition.parse("1700000000000-3/1700000000005-0")
    assert str(position) == "1700000000000-3/1700000000005-0"
    assert StreamPosition.parse(str(position)) == position
    # A bare Redis id (the format before interims had their own stream) stands for both.
    assert StreamPosition.parse("17-2") == StreamPosition("17-2", "17-2")
    assert StreamPosition.parse("0") == StreamPosition()
    assert StreamPosition("10-0", "9-0").covers(StreamPosition("9-5", "9-0"))
    assert not StreamPosition("10-0", "9-0").covers(StreamPosition("10-1", "0-0"))
    for bad in ("", "abc", "1-2-3", "1/2/3", "1-x", "-1", "1-0/", "9" * 30):
        with pytest.raises(ValueError):
            StreamPosition.parse(bad)


@contextlib.asynccontextmanager
async def event_hub(
    stack: Stack, stores: Stores, name: str = "hub-test", **limits: int
) -> AsyncIterator[CallEventHub]:
    reader = Redis.from_url(stack.redis_url, single_connection_client=True, client_name=name)
    options = {"max_per_call": 50, "max_per_tenant": 500, "block_ms": 2000} | limits
    hub = CallEventHub(reader=reader, control=stores.redis, **options)
    try:
        yield hub
    finally:
        await hub.close()


async def collect(subscription: Subscription, until_seq: int) -> list[StreamEntry]:
    received: list[StreamEntry] = []
    while not received or received[-1].event.get("seq") != until_seq:
        batch = await asyncio.wait_for(subscription.next_batch(), 10)
        assert batch is not None
        received += [e for e in batch if not e.transient]
    return received


async def test_subscribers_joining_anywhere_get_every_event_once(
    stack: Stack, stores: Stores
) -> None:
    tenant, call = "t", str(uuid.uuid4())
    async with event_hub(stack, stores) as hub:
        subscriptions = [hub.subscribe(tenant, call, StreamPosition())]
        for seq in range(1, 61):
            await stores.streams.publish(tenant, call, [event(seq)])
            if seq % 10 == 0 and seq < 60:  # late joiners: from the start, and from here
                ids = [e.id for e in await stores.streams.read(tenant, call)]
                subscriptions.append(hub.subscribe(tenant, call, StreamPosition()))
                subscriptions.append(hub.subscribe(tenant, call, StreamPosition(ids[-1], "0-0")))
            await asyncio.sleep(0.005)
        for subscription in subscriptions:
            received = await collect(subscription, until_seq=60)
            seqs = [e.event["seq"] for e in received]
            first = 1 if subscription.start == StreamPosition() else seqs[0]
            assert seqs == list(range(first, 61))


async def test_reader_outage_keeps_every_subscriber_in_place(stack: Stack, stores: Stores) -> None:
    tenant, call = "t", str(uuid.uuid4())
    name = f"hub-test-{uuid.uuid4().hex[:8]}"  # this hub's reader alone among Redis clients
    async with event_hub(stack, stores, name=name) as hub:
        subscription = hub.subscribe(tenant, call, StreamPosition())
        await stores.streams.publish(tenant, call, [event(1)])
        assert [e.event["seq"] for e in await collect(subscription, 1)] == [1]
        for seq in range(2, 12):
            # Cut the hub's connection over and over while events keep being published.
            for client in await stores.redis.client_list():
                if client.get("name") == name:
                    await stores.redis.client_kill_filter(_id=client["id"])
            await stores.streams.publish(tenant, call, [event(seq)])
            await asyncio.sleep(0.05)
        assert [e.event["seq"] for e in await collect(subscription, 11)] == list(range(2, 12))


async def test_limits_per_call_and_per_tenant(stack: Stack, stores: Stores) -> None:
    async with event_hub(stack, stores, max_per_call=2, max_per_tenant=3) as hub:
        first = hub.subscribe("a", "call-1", StreamPosition())
        hub.subscribe("a", "call-1", StreamPosition())
        with pytest.raises(SubscriberLimitReached, match="sse_max_subscribers_per_call=2"):
            hub.subscribe("a", "call-1", StreamPosition())
        hub.subscribe("a", "call-2", StreamPosition())
        with pytest.raises(SubscriberLimitReached, match="sse_max_subscribers_per_tenant=3"):
            hub.subscribe("a", "call-3", StreamPosition())
        hub.subscribe("b", "call-1", StreamPosition())  # another tenant has its own budget
        hub.unsubscribe(first)
        hub.subscribe("a", "call-3", StreamPosition())
        assert hub.subscriber_count("a") == 3


async def test_a_subscriber_that_falls_behind_is_let_go(stack: Stack, stores: Stores) -> None:
    tenant, call = "t", str(uuid.uuid4())
    async with event_hub(stack, stores, queue_batches=2) as hub:
        slow = hub.subscribe(tenant, call, StreamPosition())
        for seq in range(1, 6):
            await stores.streams.publish(tenant, call, [event(seq)])
            await asyncio.sleep(0.05)  # one read, one queued batch per event
        assert await asyncio.wait_for(slow.next_batch(), 5) is None  # it reconnects to resume
