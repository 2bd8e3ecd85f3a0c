"""A circuit breaker per model route, so a model that is down costs a call one quick
refusal instead of a full timeout each.

Closed: calls go through; `failure_threshold` consecutive failures (errors or timeouts)
open it. Open: calls are refused until `cooloff_s` has passed. Half-open: one trial call
goes through (others are still refused while it runs); its success closes the breaker, its
failure opens it for another cool-off.

Written here rather than taken from a library: the state is a few fields, the clock must be
injectable for tests, and it runs inside one asyncio event loop (no locks needed, as
nothing here awaits).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

DEFAULT_FAILURE_THRESHOLD = 3
DEFAULT_COOLOFF_S = 30.0


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        cooloff_s: float = DEFAULT_COOLOFF_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooloff_s = cooloff_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.cooloff_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def retry_after_s(self) -> float:
        """How long until a call may be tried again (0 when one may now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.cooloff_s - self._clock())

    def allow(self) -> bool:
        """Whether a call may go out now. In half-open state this takes the single trial
        slot, so the caller must report the call's outcome with record_success/failure."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN or self._trial_running:
            return False
        self._trial_running = True
        return True

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_running = False

    def release(self) -> None:
        """The allowed call ended without telling anything of the model (the caller was
        cancelled): free the trial slot without changing the state."""
        self._trial_running = False
