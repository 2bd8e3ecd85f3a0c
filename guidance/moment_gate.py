"""When a matched moment may fire: cooldowns and absence timers, as plain serialisable state.

Matching a turn against a policy's moments (phrases, example sentences, questions) needs
word lists and sentence embeddings; deciding whether a match fires needs only the clock and
what fired before. The second part lives here, free of NumPy and of any I/O, so the
guidance workflow can keep it in its own state and replay it, while matching runs in an
activity (guidance.moments.MomentMatcher).

Times are call times in seconds (a turn's end in the call's audio; for timers, time since
the call started).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MomentTiming:
    """What the gate needs of one policy moment."""

    moment_id: str
    cooldown_s: int = 0
    absent_within_s: int | None = None  # an absence moment: fires once, then, unless disarmed


@dataclass
class GateState:
    """Everything the gate remembers; carried across continue-as-new."""

    last_fired_s: dict[str, float] = field(default_factory=dict)
    # Absence moments that are done: their phrase was said in time, or they fired.
    settled: list[str] = field(default_factory=list)


class MomentGate:
    def __init__(self, timings: Iterable[MomentTiming], state: GateState | None = None) -> None:
        self._timings = {t.moment_id: t for t in timings}
        self.state = state if state is not None else GateState()

    def admit(self, moment_id: str, at_s: float) -> bool:
        """Whether a match of `moment_id` at `at_s` fires; if it does, its cooldown starts."""
        timing = self._timings.get(moment_id)
        if timing is None or timing.absent_within_s is not None:
            return False  # unknown, or an absence moment (those fire only from timers)
        last = self.state.last_fired_s.get(moment_id)
        if last is not None and at_s - last < timing.cooldown_s:
            return False
        self.state.last_fired_s[moment_id] = at_s
        return True

    def disarm(self, moment_id: str) -> None:
        """The absence moment's phrase was said: its reminder is no longer needed."""
        timing = self._timings.get(moment_id)
        if timing is not None and timing.absent_within_s is not None:
            self._settle(moment_id)

    def due(self, at_s: float) -> list[str]:
        """Absence moments whose time is up at `at_s`; each is returned once."""
        fired = []
        for timing in self._armed():
            assert timing.absent_within_s is not None
            if at_s >= timing.absent_within_s:
                self._settle(timing.moment_id)
                self.state.last_fired_s[timing.moment_id] = at_s
                fired.append(timing.moment_id)
        return fired

    def next_deadline_s(self) -> float | None:
        """The call time of the next absence check, for a timer; None if none is armed."""
        return min((float(t.absent_within_s or 0) for t in self._armed()), default=None)

    def _armed(self) -> Sequence[MomentTiming]:
        settled = set(self.state.settled)
        return [
            t
            for t in self._timings.values()
            if t.absent_within_s is not None and t.moment_id not in settled
        ]

    def _settle(self, moment_id: str) -> None:
        if moment_id not in self.state.settled:
            self.state.settled.append(moment_id)
