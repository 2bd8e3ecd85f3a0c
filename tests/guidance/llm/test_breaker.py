"""The per-route circuit breaker, on a clock the test moves."""

from __future__ import annotations

import pytest

from guidance.llm.breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def breaker(clock: FakeClock, failures: int = 3, cooloff_s: float = 10.0) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=failures, cooloff_s=cooloff_s, clock=clock)


def test_opens_after_consecutive_failures_and_refuses_until_the_cooloff() -> None:
    clock = FakeClock()
    b = breaker(clock)
    for _ in range(2):
        assert b.allow()
        b.record_failure()
    assert b.state is BreakerState.CLOSED
    assert b.allow()
    b.record_failure()
    assert b.state is BreakerState.OPEN
    assert not b.allow()
    assert b.retry_after_s() == pytest.approx(10.0)
    clock.advance(9.9)
    assert not b.allow()
    assert b.retry_after_s() == pytest.approx(0.1)


def test_a_success_resets_the_count_of_consecutive_failures() -> None:
    b = breaker(FakeClock())
    for _ in range(2):
        b.record_failure()
    b.record_success()
    for _ in range(2):
        b.record_failure()
    assert b.state is BreakerState.CLOSED
    assert b.consecutive_failures == 2


def test_half_open_lets_one_trial_through_and_its_success_closes() -> None:
    clock = FakeClock()
    b = breaker(clock, failures=1)
    b.record_failure()
    clock.advance(10.0)
    assert b.state is BreakerState.HALF_OPEN
    assert b.allow()
    assert not b.allow()  # the trial is running: everyone else is still refused
    b.record_success()
    assert b.state is BreakerState.CLOSED
    assert b.allow() and b.allow()


def test_a_failed_trial_opens_for_another_cooloff() -> None:
    clock = FakeClock()
    b = breaker(clock, failures=3)
    for _ in range(3):
        b.record_failure()
    clock.advance(10.0)
    assert b.allow()
    b.record_failure()  # one failure is enough in half-open state
    assert b.state is BreakerState.OPEN
    assert not b.allow()
    clock.advance(10.0)
    assert b.allow()


def test_a_cancelled_trial_frees_its_slot_without_closing() -> None:
    clock = FakeClock()
    b = breaker(clock, failures=1)
    b.record_failure()
    clock.advance(10.0)
    assert b.allow()
    b.release()
    assert b.state is BreakerState.HALF_OPEN
    assert b.allow()


def test_a_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
