"""The one reconnect backoff policy: jittered exponential ("full jitter"), built on tenacity.

Every loop that reconnects to an outside service (the KVS reader, the Deepgram adapter,
the SSE client) waits the same way, so many calls cut at once do not come back in step:
attempt n waits a random time in [0, min(max_s, initial_s * 2 ** (n - 1))].

    backoff = Backoff(initial_s=0.25, max_s=8.0)

    # a loop that keeps its own state: count failures, reset on a good connection
    attempts = backoff.attempts(max_attempts=8)
    while True:
        try:
            await connect_and_serve()  # call attempts.reset() once the connection works
            break
        except TransientError:
            delay = attempts.failed()  # raises BackoffExhausted past max_attempts
            await asyncio.sleep(delay)

    # a plain sequence of delays (never ends)
    for delay in backoff.delays(): ...

    # or tenacity itself, e.g. around one call
    async for attempt in backoff.retrying(stop=stop_after_attempt(5)):
        with attempt:
            await call()

`Backoff.wait()` is the tenacity wait object for anything else that takes one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from typing import Any

from tenacity import AsyncRetrying, RetryCallState, wait_random_exponential
from tenacity.wait import wait_base

__all__ = ["Backoff", "BackoffAttempts", "BackoffExhausted"]


class BackoffExhausted(Exception):
    """More consecutive failures than the loop allows."""

    def __init__(self, failures: int) -> None:
        super().__init__(f"{failures} consecutive failures")
        self.failures = failures


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 0.25
    max_s: float = 8.0

    def __post_init__(self) -> None:
        if self.initial_s <= 0 or self.max_s < self.initial_s:
            raise ValueError("backoff needs 0 < initial_s <= max_s")

    def wait(self) -> wait_base:
        return wait_random_exponential(multiplier=self.initial_s, max=self.max_s)

    def ceiling(self, attempt: int) -> float:
        """The upper bound of attempt `attempt`'s wait (1-based)."""
        return float(min(self.max_s, self.initial_s * 2 ** min(attempt - 1, 64)))

    def delay(self, attempt: int) -> float:
        """A jittered wait before retry number `attempt` (1-based)."""
        if attempt < 1:
            raise ValueError("attempts count from 1")
        state = RetryCallState(retry_object=AsyncRetrying(), fn=None, args=(), kwargs={})
        state.attempt_number = attempt
        return float(self.wait()(state))

    def delays(self) -> Iterator[float]:
        for attempt in count(1):
            yield self.delay(attempt)

    def attempts(self, max_attempts: int | None = None) -> BackoffAttempts:
        return BackoffAttempts(self, max_attempts)

    def retrying(self, **options: Any) -> AsyncRetrying:
        """tenacity's AsyncRetrying with this wait; `options` add stop=, retry=, ..."""
        return AsyncRetrying(wait=self.wait(), reraise=True, **options)


class BackoffAttempts:
    """Consecutive failures of one loop; a successful connection resets the count."""

    def __init__(self, backoff: Backoff, max_attempts: int | None) -> None:
        self._backoff = backoff
        self._max = max_attempts
        self.failures = 0

    def failed(self) -> float:
        """Counts a failure and returns how long to wait before the next try."""
        self.failures += 1
        if self._max is not None and self.failures > self._max:
            raise BackoffExhausted(self.failures)
        return self._backoff.delay(self.failures)

    def reset(self) -> None:
        self.failures = 0
