"""GuidanceWorkflow's decisions as a plain class, so unit tests can drive them directly.

It turns matches (from the match_turn activity) and timer ticks into hints: cooldowns and
absence timers through guidance.moment_gate, hint ids, titles, expiry, and the deadline
rule: a hint is delivered only while its turn is younger than the policy's deadline_ms,
otherwise it is dropped and counted, never shown late.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from callguide.model import Hint, HintTrigger
from guidance.moment_gate import GateState, MomentGate, MomentTiming
from workflows.guidance_types import (
    EarlyFired,
    GuidanceCarry,
    GuidanceInput,
    GuidancePlan,
    GuidanceTurn,
    MomentMatchResult,
    MomentPlan,
    TurnMatchResult,
)

RECENT_TURNS = 8  # context for a suggested reply
EARLY_REMEMBERED = 16  # moments fired on interim text, kept to skip them on the final turn
# A final turn starts about where its interims did; this much slack covers re-segmenting.
EARLY_SLACK_MS = 1000
SUGGESTED_REPLY_TITLE = "Suggested reply"


@dataclass
class ReplyRequest:
    """A suggested_reply moment fired: the model is asked, and the hint waits for it."""

    moment: MomentPlan
    turn: GuidanceTurn
    confidence: float
    deadline: datetime
    context: list[GuidanceTurn]
    article_body: str | None = None


class GuidanceState:
    def __init__(self, call: GuidanceInput, plan: GuidancePlan) -> None:
        carry = call.carry or GuidanceCarry()
        self.call = call
        self.plan = plan
        self.moments = {m.moment_id: m for m in plan.moments}
        self.gate = MomentGate(
            (MomentTiming(m.moment_id, m.cooldown_s, m.absent_within_s) for m in plan.moments),
            GateState(dict(carry.last_fired_s), list(carry.settled)),
        )
        self.recent: deque[GuidanceTurn] = deque(carry.recent_turns, maxlen=RECENT_TURNS)
        self.early: deque[EarlyFired] = deque(carry.early_fired, maxlen=EARLY_REMEMBERED)
        self.counts: dict[str, int] = dict(carry.counts)
        self.next_hint = carry.next_hint
        self.ended = carry.ended
        self.runs = carry.runs
        self.heard_until_ms = dict(carry.heard_until_ms)
        self.call_started = datetime.fromisoformat(call.call_started_at)

    @property
    def deadline(self) -> timedelta:
        return timedelta(milliseconds=self.plan.deadline_ms)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def call_time_s(self, now: datetime) -> float:
        return max(0.0, (now - self.call_started).total_seconds())

    def next_timer(self) -> datetime | None:
        """When the next absence moment is due, as a time of day for a workflow timer."""
        due_s = self.gate.next_deadline_s()
        return None if due_s is None else self.call_started + timedelta(seconds=due_s)

    def take_turn(self, turn: GuidanceTurn) -> bool:
        """Whether a final turn is new. A speaker's turns never overlap, so one starting
        before the end of the last one guided is a re-delivery (an audio worker retried
        its stream, or the call handed over a turn the worker had sent too)."""
        if turn.start_ms < self.heard_until_ms.get(turn.speaker, -1):
            self.count("turns_repeated")
            return False
        self.heard_until_ms[turn.speaker] = turn.end_ms
        return True

    def on_turn(
        self, turn: GuidanceTurn, result: TurnMatchResult, received: datetime
    ) -> tuple[list[Hint], list[ReplyRequest]]:
        """The hints a matched turn gives at once, and the replies to ask a model for."""
        for moment_id in result.said:
            self.gate.disarm(moment_id)
        at_s = turn.end_ms / 1000
        hints: list[Hint] = []
        replies: list[ReplyRequest] = []
        context = list(self.recent)
        self.recent.append(turn)
        for match in result.matches:
            moment = self.moments.get(match.moment_id)
            if moment is None or self._fired_early(match.moment_id, turn):
                continue
            if not self.gate.admit(match.moment_id, at_s):
                continue
            self.count("moments_fired")
            if moment.hint_type == "suggested_reply":
                replies.append(
                    ReplyRequest(
                        moment,
                        turn,
                        match.confidence,
                        received + self.deadline,
                        [*context, turn],
                        match.article.snippet if match.article else None,
                    )
                )
                continue
            hint = self._immediate_hint(moment, match, turn, received)
            if hint is not None:
                hints.append(hint)
        return hints, replies

    def on_early(self, turn: GuidanceTurn, moment_ids: list[str], received: datetime) -> list[Hint]:
        """Reminders spotted in a turn's interim text, before it ends; the final turn will
        not fire them again."""
        hints = []
        for moment_id in moment_ids:
            moment = self.moments.get(moment_id)
            if moment is None or moment.hint_type != "reminder":
                continue
            if self._fired_early(moment_id, turn):
                continue  # a re-delivered event
            if not self.gate.admit(moment_id, turn.start_ms / 1000):
                continue
            self.early.append(EarlyFired(moment_id, turn.speaker, turn.start_ms))
            self.count("moments_fired")
            self.count("early_hints")
            title, body = moment.title or moment_id, moment.body or ""
            hints.append(self._hint(moment, title, body, received, 1.0, turn))
        return hints

    def _fired_early(self, moment_id: str, turn: GuidanceTurn) -> bool:
        return any(
            e.moment_id == moment_id
            and e.speaker == turn.speaker
            and turn.start_ms - EARLY_SLACK_MS <= e.start_ms <= max(turn.end_ms, turn.start_ms)
            for e in self.early
        )

    def on_timer(self, now: datetime) -> list[Hint]:
        """Absence reminders that are due now."""
        hints = []
        for moment_id in self.gate.due(self.call_time_s(now)):
            moment = self.moments[moment_id]
            self.count("moments_fired")
            hints.append(
                self._hint(moment, moment.title or moment_id, moment.body or "", now, 1.0, None)
            )
        return hints

    def reply_hint(self, request: ReplyRequest, text: str, model: str, now: datetime) -> Hint:
        moment = request.moment
        body = f"{moment.body}\n\n{text}" if moment.body else text
        return self._hint(
            moment,
            moment.title or SUGGESTED_REPLY_TITLE,
            body,
            now,
            request.confidence,
            request.turn,
            model=model,
        )

    def deliverable(self, received: datetime, now: datetime) -> bool:
        """Whether a hint for a turn received at `received` may still be shown at `now`;
        if not, it is counted as dropped."""
        if now - received <= self.deadline:
            return True
        self.count("hints_dropped_late")
        return False

    def carry(self) -> GuidanceCarry:
        return GuidanceCarry(
            last_fired_s=dict(self.gate.state.last_fired_s),
            settled=list(self.gate.state.settled),
            recent_turns=list(self.recent),
            counts=dict(self.counts),
            next_hint=self.next_hint,
            plan=self.plan,
            ended=self.ended,
            early_fired=list(self.early),
            runs=self.runs + 1,
            heard_until_ms=dict(self.heard_until_ms),
        )

    def _immediate_hint(
        self, moment: MomentPlan, match: MomentMatchResult, turn: GuidanceTurn, now: datetime
    ) -> Hint | None:
        if moment.hint_type == "knowledge":
            article = match.article
            if article is None:
                self.count("knowledge_unanswered")
                return None
            body = f"{moment.body}\n\n{article.snippet}" if moment.body else article.snippet
            return self._hint(
                moment,
                moment.title or article.title,
                body,
                now,
                round(min(match.confidence, article.score), 3),
                turn,
                article_id=article.article_id,
            )
        return self._hint(
            moment, moment.title or moment.moment_id, moment.body or "", now, match.confidence, turn
        )

    def _hint(
        self,
        moment: MomentPlan,
        title: str,
        body: str,
        now: datetime,
        confidence: float,
        turn: GuidanceTurn | None,
        *,
        article_id: str | None = None,
        model: str | None = None,
    ) -> Hint:
        hint_id = f"h{self.next_hint}"
        self.next_hint += 1
        trigger = (
            HintTrigger(turn.speaker, turn.start_ms, turn.end_ms, turn.text)
            if turn is not None
            else None
        )
        return Hint(
            hint_id=hint_id,
            type=moment.hint_type,
            title=title,
            body=body,
            moment_id=moment.moment_id,
            created_at=now.isoformat(),
            expires_at=(now + timedelta(seconds=moment.ttl_s)).isoformat(),
            confidence=confidence,
            article_id=article_id or moment.article_id,
            model=model,
            trigger=trigger,
            policy_version=self.plan.policy_version,
        )
