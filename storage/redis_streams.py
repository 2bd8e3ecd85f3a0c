"""Each call's live events in Redis: durable workflow events and transient interims.

A call has two streams under one hash tag (so the publish script and a call's XREAD stay
in one Redis Cluster slot):

- `events`: the workflow's durable events (status, utterances, hints), appended once per
  seq by a script, bounded generously (`maxlen`) so a long call keeps all of them;
- `interim`: interim transcripts, bounded tightly (`interim_maxlen`) and short-lived,
  and hints as guidance shows them, before the call's durable copy of each follows.

Interims live apart so that however many of them a call produces, they never trim a
durable event out of reach of a subscriber resuming from Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from callguide.backoff import Backoff

# Workflow events carry a sequence number; a retried publish must not append them twice.
_PUBLISH_SEQUENCED = """
local last = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
local added = 0
for i = 3, #ARGV, 2 do
  local seq = tonumber(ARGV[i])
  if seq > last then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[i + 1])
    last = seq
    added = added + 1
  end
end
redis.call('HSET', KEYS[2], 'seq', last)
if ARGV[2] ~= '' then
  for k = 1, #KEYS do
    redis.call('EXPIRE', KEYS[k], ARGV[2])
  end
end
return added
"""

# An interim stream nobody appends to any more (the call's audio stopped) goes away.
INTERIM_TTL_S = 3600
_ENTRY_ID = re.compile(r"(\d{1,20})(?:-(\d{1,20}))?")

CallKey = tuple[str, str]  # (tenant id, call id)
log = logging.getLogger(__name__)


def entry_id_key(entry_id: str) -> tuple[int, int]:
    """Orders Redis stream ids ("ms-seq") numerically."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _later(a: str, b: str) -> str:
    return a if entry_id_key(a) >= entry_id_key(b) else b


def _earlier(a: str, b: str) -> str:
    return a if entry_id_key(a) <= entry_id_key(b) else b


@dataclass(frozen=True)
class StreamPosition:
    """Where a reader stands in a call's two streams: after these entry ids.

    Its text form, the SSE event id, is "<durable id>/<interim id>". A bare Redis id (what
    event ids were before interims had their own stream) stands for both.
    """

    durable: str = "0-0"
    interim: str = "0-0"

    @classmethod
    def parse(cls, text: str) -> StreamPosition:
        parts = text.strip().split("/")
        if len(parts) > 2 or not all(_ENTRY_ID.fullmatch(p) for p in parts):
            raise ValueError(
                "expected '<durable-id>/<interim-id>' of Redis stream ids such as "
                f"'1700000000000-0/1700000000000-3', got {text[:80]!r}"
            )
        ids = [f"{ms}-{seq}" for ms, seq in (entry_id_key(p) for p in parts)]
        return cls(ids[0], ids[-1])

    def __str__(self) -> str:
        return f"{self.durable}/{self.interim}"

    def after(self, entry: StreamEntry) -> StreamPosition:
        if entry.transient:
            return replace(self, interim=_later(self.interim, entry.id))
        return replace(self, durable=_later(self.durable, entry.id))

    def covers(self, other: StreamPosition) -> bool:
        """True when this position is at or past `other` in both streams."""
        return entry_id_key(self.durable) >= entry_id_key(other.durable) and entry_id_key(
            self.interim
        ) >= entry_id_key(other.interim)

    def union(self, other: StreamPosition) -> StreamPosition:
        return StreamPosition(
            _later(self.durable, other.durable), _later(self.interim, other.interim)
        )

    def meet(self, other: StreamPosition) -> StreamPosition:
        return StreamPosition(
            _earlier(self.durable, other.durable), _earlier(self.interim, other.interim)
        )


@dataclass(frozen=True)
class StreamEntry:
    id: str
    event: dict[str, Any]
    # The event as stored, so fan-out sends it without serialising it per subscriber.
    raw: str = field(default="", repr=False, compare=False)
    transient: bool = False


@dataclass(frozen=True)
class CallBatch:
    """What one read found for a call: contiguous runs after `start` in each stream."""

    start: StreamPosition
    durable: list[StreamEntry]
    interim: list[StreamEntry]

    @property
    def end(self) -> StreamPosition:
        position = self.start
        for entry in self.durable[-1:] + self.interim[-1:]:
            position = position.after(entry)
        return position


@dataclass(frozen=True)
class StreamTail:
    """Whether anything durable follows a position, and the newest durable event."""

    more_after: bool
    last: StreamEntry | None


def _keys(tenant_id: str, call_id: str) -> tuple[str, str, str]:
    # One hash tag per call keeps all three keys in one Redis Cluster slot.
    tag = f"{{{tenant_id}:{call_id}}}"
    prefix = f"callguide:call:{tag}"
    return f"{prefix}:events", f"{prefix}:meta", f"{prefix}:interim"


class CallEventStreams:
    def __init__(self, *, redis: Redis, maxlen: int = 10_000, interim_maxlen: int = 200) -> None:
        self._redis = redis
        self._maxlen = maxlen
        self._interim_maxlen = interim_maxlen
        self._publish_sequenced = redis.register_script(_PUBLISH_SEQUENCED)

    async def publish(
        self,
        tenant_id: str,
        call_id: str,
        events: list[tuple[int, dict[str, Any]]],
        *,
        expire_after_s: int | None = None,
    ) -> int:
        """Appends (seq, event) pairs whose seq is newer than the last one appended."""
        args: list[Any] = [self._maxlen, "" if expire_after_s is None else expire_after_s]
        for seq, event in events:
            args += [seq, json.dumps(event, separators=(",", ":"))]
        added = await self._publish_sequenced(keys=list(_keys(tenant_id, call_id)), args=args)
        return int(added)

    async def last_seq(self, tenant_id: str, call_id: str) -> int:
        """The newest sequence number appended to the call's stream (0: none, or expired)."""
        _, meta_key, _ = _keys(tenant_id, call_id)
        value = await self._redis.hget(meta_key, "seq")
        return int(value) if value is not None else 0

    async def publish_transient(self, tenant_id: str, call_id: str, event: dict[str, Any]) -> str:
        """Appends an event that is not a durable fact (an interim transcript, say)."""
        _, _, interim_key = _keys(tenant_id, call_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xadd(
                interim_key,
                {"event": json.dumps(event, separators=(",", ":"))},
                maxlen=self._interim_maxlen,
                approximate=True,
            )
            pipe.expire(interim_key, INTERIM_TTL_S)
            entry_id, _ = await pipe.execute()
        return _text(entry_id)

    async def read(
        self, tenant_id: str, call_id: str, *, after_id: str = "0", block_ms: int | None = None
    ) -> list[StreamEntry]:
        """The call's durable events after `after_id`."""
        events_key, _, _ = _keys(tenant_id, call_id)
        reply: Any = await self._redis.xread({events_key: after_id}, count=500, block=block_ms)
        return [_entry(i, f, False) for _key, items in reply or [] for i, f in items]

    async def read_interims(self, tenant_id: str, call_id: str) -> list[StreamEntry]:
        _, _, interim_key = _keys(tenant_id, call_id)
        items: Any = await self._redis.xrange(interim_key)
        return [_entry(i, f, True) for i, f in items]

    async def read_calls(
        self, positions: Mapping[CallKey, StreamPosition], *, count: int, block_ms: int | None
    ) -> dict[CallKey, CallBatch]:
        """Both streams of every call after its position, with one XREAD (blocking if asked)."""
        owner: dict[str, tuple[CallKey, bool]] = {}
        request: dict[Any, Any] = {}
        for key, position in positions.items():
            events_key, _, interim_key = _keys(*key)
            owner[events_key], owner[interim_key] = (key, False), (key, True)
            request[events_key], request[interim_key] = position.durable, position.interim
        reply: Any = await self._redis.xread(request, count=count, block=block_ms)
        found: dict[CallKey, tuple[list[StreamEntry], list[StreamEntry]]] = {}
        for stream_key, items in reply or []:
            key, transient = owner[_text(stream_key)]
            durable, interim = found.setdefault(key, ([], []))
            (interim if transient else durable).extend(_entry(i, f, transient) for i, f in items)
        return {key: CallBatch(positions[key], d, i) for key, (d, i) in found.items()}

    async def tail(self, tenant_id: str, call_id: str, after: StreamPosition) -> StreamTail:
        events_key, _, _ = _keys(tenant_id, call_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xrange(events_key, min=f"({after.durable}", count=1)
            pipe.xrevrange(events_key, count=1)
            following, newest = await pipe.execute()
        last = _entry(newest[0][0], newest[0][1], False) if newest else None
        return StreamTail(more_after=bool(following), last=last)

    async def ttl(self, tenant_id: str, call_id: str) -> int:
        events_key, _, _ = _keys(tenant_id, call_id)
        return int(await self._redis.ttl(events_key))

    async def length(self, tenant_id: str, call_id: str) -> int:
        events_key, _, _ = _keys(tenant_id, call_id)
        return int(await self._redis.xlen(events_key))


def _entry(entry_id: bytes | str, fields: dict[Any, Any], transient: bool) -> StreamEntry:
    raw = _text(fields.get(b"event") or fields.get("event") or b"{}")
    return StreamEntry(_text(entry_id), json.loads(raw), raw, transient)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _is_interim_text(entry: StreamEntry) -> bool:
    return entry.event.get("type", "interim") == "interim"


class SubscriberLimitReached(Exception):
    def __init__(self, setting: str, limit: int, scope: str) -> None:
        super().__init__(
            f"too many live event subscribers for this {scope} ({setting}={limit}); retry later"
        )
        self.setting = setting
        self.limit = limit


class Subscription:
    """One viewer's place in a call's streams; the hub queues for it what it reads."""

    def __init__(self, key: CallKey, start: StreamPosition, queue_batches: int) -> None:
        self.key = key
        self.start = start
        self.position = start  # how far the hub has queued for this subscriber
        self.closed = False
        self._queue: asyncio.Queue[list[StreamEntry] | None] = asyncio.Queue(queue_batches)

    async def next_batch(self) -> list[StreamEntry] | None:
        """The next entries in stream order; None once the hub has let go of this viewer."""
        return await self._queue.get()

    def offer(self, batch: CallBatch) -> None:
        if self.closed or not self.position.covers(batch.start):
            return  # joined while this read was in flight; the next read starts at its place
        durable = [e for e in batch.durable if _newer(e.id, self.position.durable)]
        newest = durable[-1].id if durable else self.position.durable
        # An interim older than a final event the viewer already has is stale text; other
        # transient events (hints shown early) are not.
        floor = _later(self.position.interim, newest)
        interims = [
            e
            for e in batch.interim
            if _newer(e.id, floor if _is_interim_text(e) else self.position.interim)
        ]
        self.position = self.position.union(batch.end)
        entries = sorted(durable + interims, key=lambda e: entry_id_key(e.id))
        if not entries:
            return
        try:
            self._queue.put_nowait(entries)
        except asyncio.QueueFull:
            # A viewer that cannot keep up is cut loose rather than buffered without bound:
            # its EventSource reconnects with Last-Event-ID and resumes exactly.
            self.let_go()

    def let_go(self) -> None:
        self.closed = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(None)


class CallEventHub:
    """Fans the events of every watched call out to this process's subscribers.

    One task reads all watched calls with a single blocking XREAD on a dedicated
    connection, so viewers hold no pooled connections and health checks and ordinary
    routes keep the shared pool. Each call is read from the earliest place any of its
    subscribers stands at; each subscriber takes only what follows its own place, so a
    late joiner is caught up by the same reads, with no gap and no repeat. When the watch
    set changes while the XREAD blocks, CLIENT UNBLOCK wakes it to read the new set.

    A multi-key XREAD needs every key in one slot: on Redis Cluster this hub would need a
    reader per slot (each call's keys already share one).
    """

    def __init__(
        self,
        *,
        reader: Redis,
        control: Redis,
        max_per_call: int,
        max_per_tenant: int,
        block_ms: int = 5000,
        count: int = 200,
        queue_batches: int = 256,
    ) -> None:
        self._reader = reader  # must be a single-connection client: CLIENT UNBLOCK targets it
        self._streams = CallEventStreams(redis=reader)
        self._control = control
        self._max_per_call = max_per_call
        self._max_per_tenant = max_per_tenant
        self._block_ms = block_ms
        self._count = count
        self._queue_batches = queue_batches
        self._backoff = Backoff(initial_s=0.1, max_s=5.0)
        self._feeds: dict[CallKey, set[Subscription]] = {}
        self._per_tenant: dict[str, int] = {}
        self._changed = asyncio.Event()
        self._generation = 0
        self._reading: int | None = None  # the watch-set generation of the XREAD in flight
        self._reader_id: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._waker: asyncio.Task[None] | None = None

    def subscribe(self, tenant_id: str, call_id: str, position: StreamPosition) -> Subscription:
        key = (tenant_id, call_id)
        feed = self._feeds.get(key, set())
        if len(feed) >= self._max_per_call:
            raise SubscriberLimitReached("sse_max_subscribers_per_call", self._max_per_call, "call")
        if self._per_tenant.get(tenant_id, 0) >= self._max_per_tenant:
            limit = self._max_per_tenant
            raise SubscriberLimitReached("sse_max_subscribers_per_tenant", limit, "tenant")
        cursor = self._cursor(key)
        subscription = Subscription(key, position, self._queue_batches)
        self._feeds[key] = feed | {subscription}
        self._per_tenant[tenant_id] = self._per_tenant.get(tenant_id, 0) + 1
        if cursor is None or not position.covers(cursor):
            self._watch_changed()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="call-event-hub")
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.closed = True
        key = subscription.key
        feed = self._feeds.get(key, set())
        if subscription not in feed:
            return
        feed.discard(subscription)
        if not feed:
            del self._feeds[key]
        tenant_id = key[0]
        self._per_tenant[tenant_id] -= 1
        if not self._per_tenant[tenant_id]:
            del self._per_tenant[tenant_id]

    def subscriber_count(self, tenant_id: str | None = None) -> int:
        if tenant_id is not None:
            return self._per_tenant.get(tenant_id, 0)
        return sum(self._per_tenant.values())

    async def close(self) -> None:
        tasks = {t for t in (self._task, self._waker) if t is not None}
        for task in tasks:
            task.cancel()
        if tasks:  # bounded: a read stuck in the client library must not hold up shutdown
            await asyncio.wait(tasks, timeout=2.0)
        for feed in self._feeds.values():
            for subscription in feed:
                subscription.let_go()
        await self._reader.aclose()

    def _cursor(self, key: CallKey) -> StreamPosition | None:
        positions = [s.position for s in self._feeds.get(key, ()) if not s.closed]
        return functools.reduce(StreamPosition.meet, positions) if positions else None

    def _watch_changed(self) -> None:
        self._generation += 1
        self._changed.set()
        if self._reading is not None and self._waker is None:
            self._waker = asyncio.create_task(self._wake())

    async def _wake(self) -> None:
        """Unblocks the XREAD in flight so the next one covers the changed watch set."""
        try:
            for _ in range(50):
                stale = self._reading is not None and self._reading < self._generation
                if not stale or self._reader_id is None:
                    return
                if await self._control.client_unblock(self._reader_id):
                    return
                await asyncio.sleep(0.002)  # the XREAD has not reached Redis yet
        except RedisError as exc:
            log.info("could not wake the event reader (%s); it wakes by itself", exc)
        finally:
            self._waker = None

    async def _run(self) -> None:
        attempts = self._backoff.attempts()
        while True:
            positions = {k: c for k in self._feeds if (c := self._cursor(k)) is not None}
            if not positions:
                self._changed.clear()
                await self._changed.wait()
                continue
            try:
                batches = await self._read(positions)
            except (RedisError, OSError) as exc:
                _raise_if_cancelled()
                # Subscribers keep their places; reading resumes from them once Redis answers.
                self._reader_id = None
                delay = attempts.failed()
                log.warning("reading call events failed (%s); retrying in %.2fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            _raise_if_cancelled()
            attempts.reset()
            for key, batch in batches.items():
                for subscription in list(self._feeds.get(key, ())):
                    subscription.offer(batch)

    async def _read(self, positions: dict[CallKey, StreamPosition]) -> dict[CallKey, CallBatch]:
        if self._reader_id is None:
            self._reader_id = int(await self._reader.client_id())
        self._reading = self._generation
        try:
            return await self._streams.read_calls(
                positions, count=self._count, block_ms=self._block_ms
            )
        finally:
            self._reading = None


def _raise_if_cancelled() -> None:
    """Honours a cancellation that redis-py swallowed or turned into a ConnectionError.

    A hub cancelled while its connection was being cut would otherwise read on forever.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _newer(entry_id: str, than: str) -> bool:
    return entry_id_key(entry_id) > entry_id_key(than)
