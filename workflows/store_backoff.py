"""When the workflow tries a failing store again: a plain class, deterministic and unit-tested."""

from __future__ import annotations

from datetime import datetime, timedelta


class StoreBackoff:
    """Doubling waits between failed writes to one store, reset by a success.

    No jitter: workflow code must replay identically, and each call's clock already
    differs from every other call's, so their retries do not line up anyway.
    """

    def __init__(self, *, initial: timedelta, maximum: timedelta) -> None:
        self._initial = initial
        self._maximum = maximum
        self.failures = 0
        self.retry_at: datetime | None = None

    @property
    def failing(self) -> bool:
        return self.failures > 0

    def ready(self, now: datetime) -> bool:
        return self.retry_at is None or now >= self.retry_at

    def failed(self, now: datetime) -> None:
        self.failures += 1
        delay = min(self._maximum, self._initial * 2 ** (self.failures - 1))
        self.retry_at = now + delay

    def succeeded(self) -> None:
        self.failures = 0
        self.retry_at = None
