"""In-memory streams and their fragments.

Feeders may run on a different thread (and event loop) than the HTTP server, so every
stream guards its state with a lock and wakes waiting GetMedia sessions on whatever loop
they run on.
"""

from __future__ import annotations

import asyncio
import bisect
import collections
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Connect's fragment numbers are 47-digit decimals that grow by roughly 2**92 per
# fragment; clients must treat them as opaque, ordered strings, so the emulator makes
# them look the same.
_FRAGMENT_NUMBER_BASE = 91343852333181432392682062600000000000000000000
_FRAGMENT_NUMBER_STEP = 2**92


class FragmentNumbers:
    """Strictly increasing, Connect-like fragment numbers for one stream."""

    def __init__(self, *, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random(secrets.randbits(64))
        self._next = _FRAGMENT_NUMBER_BASE + self._rng.randrange(10**40)

    def allocate(self) -> str:
        number = self._next
        self._next += _FRAGMENT_NUMBER_STEP + self._rng.randrange(2**24)
        return str(number)


@dataclass(frozen=True, kw_only=True)
class StoredFragment:
    """One fragment as ingested; `data` lacks the tags GetMedia adds when serving it."""

    fragment_number: str
    producer_timestamp: float
    server_timestamp: float
    data: bytes
    contact_id: str | None = None
    #: Corrupt fragments are served byte-for-byte, without GetMedia's tags.
    corrupt: bool = False

    @property
    def number_value(self) -> int:
        return int(self.fragment_number)


@dataclass(frozen=True, kw_only=True)
class StreamFaults:
    """Per-stream fault settings; None means "use the emulator's default"."""

    #: End every GetMedia response this many seconds after it started (KVS ends sessions
    #: after a while too), so clients have to resume with the continuation token.
    session_limit_seconds: float | None = None
    #: Abort the next GetMedia response abruptly once it has sent this many bytes. The
    #: fault fires once, then disarms itself.
    drop_after_bytes: int | None = None


class ChangeSignal:
    """A version counter whose changes wake asyncio waiters on any thread's loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    @property
    def version(self) -> int:
        with self._lock:
            return self._version

    def bump(self) -> None:
        with self._lock:
            self._version += 1
            waiters = list(self._waiters)
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:  # that loop is closed: nobody is waiting there any more
                pass

    async def wait(self, since_version: int, *, max_wait: float | None) -> None:
        """Return once the version moved past `since_version`, or after `max_wait` s."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        with self._lock:
            if self._version != since_version:
                return
            self._waiters.add(entry)
        try:
            await asyncio.wait_for(future, max_wait)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(entry)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class RateLimiter:
    """Sliding one-second window, like the per-stream TPS limits of KVS."""

    def __init__(self, *, per_second: int | None) -> None:
        self._per_second = per_second
        self._calls: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        if self._per_second is None:
            return True
        now = time.monotonic()
        with self._lock:
            while self._calls and now - self._calls[0] >= 1.0:
                self._calls.popleft()
            if len(self._calls) >= self._per_second:
                return False
            self._calls.append(now)
            return True


@dataclass(kw_only=True)
class StreamView:
    """A consistent snapshot of what a GetMedia session needs to decide its next step."""

    fragment: StoredFragment | None
    finished: bool
    gone: bool
    version: int


@dataclass(kw_only=True)
class StreamDescription:
    name: str
    arn: str
    creation_time: float
    version: str
    media_type: str | None
    data_retention_hours: int
    device_name: str | None
    kms_key_id: str
    tags: dict[str, str] = field(default_factory=dict)


class KvsStream:
    """One stream: its description, fragments, finished flag, faults and live sessions."""

    def __init__(
        self,
        *,
        description: StreamDescription,
        get_media_tps: int | None,
        get_data_endpoint_tps: int | None,
    ) -> None:
        self.description = description
        self.get_media_limiter = RateLimiter(per_second=get_media_tps)
        self.get_data_endpoint_limiter = RateLimiter(per_second=get_data_endpoint_tps)
        self._lock = threading.Lock()
        self._numbers = FragmentNumbers()
        self._fragments: list[StoredFragment] = []
        self._number_values: list[int] = []
        self._finished = False
        self._gone = False
        self._faults = StreamFaults()
        self._drop_armed = False
        self._active_sessions = 0
        self._changes = ChangeSignal()

    @property
    def name(self) -> str:
        return self.description.name

    @property
    def arn(self) -> str:
        return self.description.arn

    # --- writing ------------------------------------------------------------------------

    def append(self, build: Callable[[str, float], StoredFragment]) -> StoredFragment:
        """Store the fragment `build(fragment_number, server_timestamp)` returns."""
        with self._lock:
            fragment = build(self._numbers.allocate(), time.time())
            self._fragments.append(fragment)
            self._number_values.append(fragment.number_value)
        self._changes.bump()
        return fragment

    def reopen(self) -> None:
        with self._lock:
            self._finished = False
        self._changes.bump()

    def finish(self) -> None:
        with self._lock:
            self._finished = True
        self._changes.bump()

    def mark_gone(self) -> None:
        """The stream was deleted or the emulator shuts down: end every session."""
        with self._lock:
            self._gone = True
        self._changes.bump()

    # --- reading ------------------------------------------------------------------------

    def view(self, index: int) -> StreamView:
        with self._lock:
            fragment = self._fragments[index] if index < len(self._fragments) else None
            return StreamView(
                fragment=fragment,
                finished=self._finished,
                gone=self._gone,
                version=self._changes.version,
            )

    async def wait_for_change(self, since_version: int, *, max_wait: float | None) -> None:
        await self._changes.wait(since_version, max_wait=max_wait)

    def fragments(self) -> list[StoredFragment]:
        with self._lock:
            return list(self._fragments)

    @property
    def finished(self) -> bool:
        with self._lock:
            return self._finished

    def fragment_count(self) -> int:
        with self._lock:
            return len(self._fragments)

    def index_of_number(self, fragment_number: str) -> int | None:
        value = int(fragment_number)
        with self._lock:
            index = bisect.bisect_left(self._number_values, value)
            if index < len(self._number_values) and self._number_values[index] == value:
                return index
            return None

    def first_index_at_or_after(self, timestamp: float, *, producer: bool) -> int:
        """Index of the first fragment whose timestamp is >= `timestamp` (maybe not yet
        stored: then the next fragment to arrive)."""
        with self._lock:
            for index, fragment in enumerate(self._fragments):
                stamp = fragment.producer_timestamp if producer else fragment.server_timestamp
                # Tag timestamps have millisecond precision: compare at that precision.
                if round(stamp * 1000) >= round(timestamp * 1000):
                    return index
            return len(self._fragments)

    # --- faults -------------------------------------------------------------------------

    @property
    def faults(self) -> StreamFaults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: StreamFaults) -> None:
        with self._lock:
            self._faults = faults
            self._drop_armed = faults.drop_after_bytes is not None

    def arm_default_drop(self) -> None:
        with self._lock:
            self._drop_armed = True

    def drop_armed(self) -> bool:
        with self._lock:
            return self._drop_armed

    @property
    def drop_pending(self) -> bool:
        """True while an armed network drop has not fired yet."""
        with self._lock:
            return self._drop_armed

    def consume_drop(self) -> bool:
        """Take the one-shot drop; False if another session already took it."""
        with self._lock:
            armed, self._drop_armed = self._drop_armed, False
            return armed

    # --- GetMedia connections -----------------------------------------------------------

    def try_open_session(self, max_sessions: int) -> bool:
        with self._lock:
            if self._active_sessions >= max_sessions:
                return False
            self._active_sessions += 1
            return True

    def close_session(self) -> None:
        with self._lock:
            self._active_sessions -= 1

    @property
    def active_sessions(self) -> int:
        with self._lock:
            return self._active_sessions
