"""GuidanceState: hints from matches and timers, cooldowns, deadlines, and its carry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callguide.model import Hint
from workflows.call_state import CallState
from workflows.call_types import CallInput
from workflows.guidance_state import GuidanceState
from workflows.guidance_types import (
    ArticleHit,
    GuidanceInput,
    GuidancePlan,
    GuidanceTurn,
    MomentMatchResult,
    MomentPlan,
    TurnMatchResult,
)

START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PLAN = GuidancePlan(
    policy_version=3,
    moments=[
        MomentPlan(
            "cancel-intent", "reminder", "Retention offer", "Offer the discount.", cooldown_s=300
        ),
        MomentPlan(
            "verify-identity", "reminder", "Verify identity", "Ask for DOB.", absent_within_s=90
        ),
        MomentPlan("customer-question", "knowledge"),
        MomentPlan("reply", "suggested_reply", None, None),
    ],
    deadline_ms=1000,
    model="local:smollm2",
    model_task_queue="ml",
    summary=True,
    suggested_reply=True,
)


def state(plan: GuidancePlan = PLAN) -> GuidanceState:
    return GuidanceState(GuidanceInput("t1", "c1", "call-t1-c1", START.isoformat()), plan)


def turn(text: str, end_s: float, speaker: str = "customer") -> GuidanceTurn:
    return GuidanceTurn(speaker, text, int(end_s * 1000) - 1500, int(end_s * 1000))


def matched(*moment_ids: str, article: ArticleHit | None = None) -> TurnMatchResult:
    return TurnMatchResult([MomentMatchResult(m, "phrase", 1.0, "x", article) for m in moment_ids])


def test_a_matched_reminder_becomes_a_hint_with_its_turn_expiry_and_version() -> None:
    s = state()
    at = START + timedelta(seconds=20)
    hints, replies = s.on_turn(turn("I want to cancel my plan", 20), matched("cancel-intent"), at)
    assert replies == []
    [hint] = hints
    assert (hint.hint_id, hint.type, hint.title, hint.body) == (
        "h1",
        "reminder",
        "Retention offer",
        "Offer the discount.",
    )
    assert hint.trigger is not None and hint.trigger.text == "I want to cancel my plan"
    assert hint.policy_version == 3
    assert datetime.fromisoformat(hint.expires_at) - datetime.fromisoformat(hint.created_at) == (
        timedelta(seconds=60)
    )


def test_cooldown_holds_across_turns_and_ids_keep_counting() -> None:
    s = state()
    first, _ = s.on_turn(turn("cancel my plan", 20), matched("cancel-intent"), START)
    again, _ = s.on_turn(turn("cancel my plan now", 40), matched("cancel-intent"), START)
    later, _ = s.on_turn(turn("cancel my plan", 330), matched("cancel-intent"), START)
    assert [h.hint_id for h in first + again + later] == ["h1", "h2"]


def test_knowledge_needs_an_article_and_shows_it() -> None:
    s = state()
    none, _ = s.on_turn(turn("how do I roam?", 5), matched("customer-question"), START)
    assert none == [] and s.counts["knowledge_unanswered"] == 1
    article = ArticleHit("kb-roaming", "International roaming", "Roaming costs $5 a day.", 0.7)
    [hint], _ = s.on_turn(
        turn("how do I roam?", 9), matched("customer-question", article=article), START
    )
    assert (hint.type, hint.title, hint.body, hint.article_id) == (
        "knowledge",
        "International roaming",
        "Roaming costs $5 a day.",
        "kb-roaming",
    )
    assert hint.confidence == 0.7


def test_absence_reminder_fires_at_its_time_unless_the_phrase_was_said() -> None:
    s = state()
    assert s.next_timer() == START + timedelta(seconds=90)
    assert s.on_timer(START + timedelta(seconds=89)) == []
    [hint] = s.on_timer(START + timedelta(seconds=90))
    assert (hint.moment_id, hint.trigger) == ("verify-identity", None)
    assert s.next_timer() is None

    said = state()
    said.on_turn(
        turn("can I have your date of birth", 30, "agent"),
        TurnMatchResult([], ["verify-identity"]),
        START,
    )
    assert said.next_timer() is None and said.on_timer(START + timedelta(hours=1)) == []


def test_a_suggested_reply_waits_for_the_model_within_the_turns_deadline() -> None:
    s = state()
    s.on_turn(turn("hello", 2, "agent"), TurnMatchResult(), START)
    received = START + timedelta(seconds=10)
    hints, [request] = s.on_turn(turn("my bill is wrong", 10), matched("reply"), received)
    assert hints == []
    assert request.deadline == received + timedelta(seconds=1)
    assert [t.text for t in request.context] == ["hello", "my bill is wrong"]
    hint = s.reply_hint(request, "I can look into that.", "local:smollm2", received)
    assert (hint.title, hint.body, hint.model) == (
        "Suggested reply",
        "I can look into that.",
        "local:smollm2",
    )


def test_late_hints_are_dropped_and_counted() -> None:
    s = state()
    assert s.deliverable(START, START + timedelta(milliseconds=1000))
    assert not s.deliverable(START, START + timedelta(milliseconds=1001))
    assert s.counts["hints_dropped_late"] == 1


def test_the_carry_resumes_cooldowns_timers_ids_and_context() -> None:
    s = state()
    s.on_turn(turn("cancel my plan", 20), matched("cancel-intent"), START)
    carry = s.carry()
    resumed = GuidanceState(
        GuidanceInput("t1", "c1", "call-t1-c1", START.isoformat(), carry), carry.plan or PLAN
    )
    assert resumed.on_turn(turn("cancel", 30), matched("cancel-intent"), START)[0] == []
    [hint] = resumed.on_turn(turn("cancel", 400), matched("cancel-intent"), START)[0]
    assert hint.hint_id == "h2"
    assert [t.text for t in resumed.recent] == ["cancel my plan", "cancel", "cancel"]
    assert resumed.next_timer() == START + timedelta(seconds=90)


def test_the_call_drops_a_hint_that_reaches_it_after_its_deadline() -> None:
    call = CallState(CallInput("t1", "c1", "c1"), START)
    hint = Hint("h1", "reminder", "T", "B", "m", START.isoformat(), START.isoformat())
    deadline = START + timedelta(seconds=1)
    assert not call.add_hint(hint, START + timedelta(seconds=2), deadline)
    assert call.late_hints == 1 and call.snapshot().hints == []
    assert call.add_hint(hint, START + timedelta(milliseconds=900), deadline)
    assert not call.add_hint(hint, START + timedelta(milliseconds=950), deadline)  # re-delivery
    assert [h.hint_id for h in call.snapshot().hints] == ["h1"]


def test_a_reminder_spotted_early_fires_once_and_not_again_on_its_final_turn() -> None:
    s = state()
    early = GuidanceTurn("customer", "I want to cancel my", 4000, 4000)
    [hint] = s.on_early(early, ["cancel-intent"], START)
    assert (hint.moment_id, hint.trigger and hint.trigger.text) == (
        "cancel-intent",
        "I want to cancel my",
    )
    assert s.on_early(early, ["cancel-intent"], START) == []  # a re-delivered event
    final = GuidanceTurn("customer", "I want to cancel my subscription.", 4000, 7000)
    hints, _ = s.on_turn(final, matched("cancel-intent"), START)
    assert hints == []
    assert s.carry().early_fired[0].moment_id == "cancel-intent"


def test_only_reminders_fire_early() -> None:
    s = state()
    turn = GuidanceTurn("customer", "my bill", 1000, 1000)
    assert s.on_early(turn, ["customer-question", "reply", "not-a-moment"], START) == []


def test_a_turn_sent_again_is_guided_once_also_after_continue_as_new() -> None:
    s = state()
    first, second = turn("where is my bill", 5), turn("and my refund", 9)
    assert s.take_turn(first) and s.take_turn(second)
    # An audio worker's retry re-sends what it had sent; the other speaker is apart.
    assert not s.take_turn(first) and not s.take_turn(second)
    assert s.take_turn(turn("let me check", 6, speaker="agent"))
    carry = s.carry()
    resumed = GuidanceState(
        GuidanceInput("t1", "c1", "call-t1-c1", START.isoformat(), carry), carry.plan or PLAN
    )
    assert not resumed.take_turn(second)
    assert resumed.take_turn(turn("thanks", 12))
    assert resumed.counts["turns_repeated"] == 3
