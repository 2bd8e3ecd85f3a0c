"""The moment gate: cooldowns and absence timers, with state that survives a round trip."""

from __future__ import annotations

from guidance.moment_gate import GateState, MomentGate, MomentTiming

CANCEL = MomentTiming("cancel", cooldown_s=300)
EVERY_TURN = MomentTiming("question", cooldown_s=0)
VERIFY = MomentTiming("verify", absent_within_s=90)


def test_a_moment_is_quiet_for_its_cooldown_then_fires_again() -> None:
    gate = MomentGate([CANCEL])
    assert gate.admit("cancel", 10.0)
    assert not gate.admit("cancel", 11.0)
    assert not gate.admit("cancel", 309.9)
    assert gate.admit("cancel", 310.0)


def test_zero_cooldown_fires_on_every_match_and_unknown_moments_never() -> None:
    gate = MomentGate([EVERY_TURN])
    assert all(gate.admit("question", t) for t in (1.0, 1.0, 2.0))
    assert not gate.admit("not-in-the-policy", 1.0)


def test_absence_fires_once_when_due_and_never_through_admit() -> None:
    gate = MomentGate([VERIFY])
    assert not gate.admit("verify", 5.0)
    assert gate.next_deadline_s() == 90.0
    assert gate.due(89.9) == []
    assert gate.due(90.0) == ["verify"]
    assert gate.due(200.0) == []
    assert gate.next_deadline_s() is None


def test_saying_the_phrase_in_time_disarms_the_absence_reminder() -> None:
    gate = MomentGate([VERIFY, CANCEL])
    gate.disarm("verify")
    gate.disarm("cancel")  # not an absence moment: nothing to disarm
    assert gate.due(1000.0) == []
    assert gate.admit("cancel", 1.0)


def test_state_carried_into_a_new_gate_keeps_cooldowns_and_settled_timers() -> None:
    gate = MomentGate([CANCEL, VERIFY])
    gate.admit("cancel", 100.0)
    gate.disarm("verify")
    carried = GateState(dict(gate.state.last_fired_s), list(gate.state.settled))
    resumed = MomentGate([CANCEL, VERIFY], carried)
    assert not resumed.admit("cancel", 200.0)
    assert resumed.due(1000.0) == []
