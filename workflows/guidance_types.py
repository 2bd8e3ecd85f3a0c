"""Inputs and outputs of GuidanceWorkflow, its signals and its activities (queue `ml`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from callguide.model import Hint

LOAD_GUIDANCE_PLAN = "load_guidance_plan"
MATCH_TURN = "match_turn"
SUGGEST_REPLY = "suggest_reply"
SUMMARIZE_CALL = "summarize_call"
PUBLISH_HINT = "publish_hint"


def guidance_workflow_id(tenant_id: str, call_id: str) -> str:
    return f"guidance-{tenant_id}-{call_id}"


@dataclass
class GuidanceTurn:
    """A redacted final utterance handed from the call to its guidance (signal `turn`)."""

    speaker: str
    text: str
    start_ms: int
    end_ms: int
    # When the turn was taken (ISO 8601): by the audio worker that assembled it, or by the
    # call (its workflow time). A hint's deadline counts from here, so a backlog anywhere
    # after it cannot make a late hint look fresh.
    accepted_at: str = ""


@dataclass
class EarlyTurn:
    """Signal `early_turn` from where utterances are assembled: the interim text of a turn
    still being spoken says a phrase of these reminder moments. The turn has no text
    (interim text never enters history): its speaker and start say which turn it is."""

    turn: GuidanceTurn
    moment_ids: list[str]


@dataclass
class EarlyFired:
    """A moment that fired on interim text: its final turn does not fire it again."""

    moment_id: str
    speaker: str
    start_ms: int


@dataclass
class GuidanceCarry:
    """What guidance takes across continue-as-new."""

    last_fired_s: dict[str, float] = field(default_factory=dict)
    settled: list[str] = field(default_factory=list)
    recent_turns: list[GuidanceTurn] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    next_hint: int = 1
    plan: GuidancePlan | None = None
    ended: bool = False
    early_fired: list[EarlyFired] = field(default_factory=list)
    runs: int = 1
    # Per speaker, where the last guided turn ended: a turn re-sent after an audio
    # worker's retry starts before it and is not guided twice.
    heard_until_ms: dict[str, int] = field(default_factory=dict)


@dataclass
class GuidanceInput:
    tenant_id: str
    call_id: str
    call_workflow_id: str
    # When the call started (ISO 8601): absence timers count from here.
    call_started_at: str
    carry: GuidanceCarry | None = None


@dataclass
class CallEndedForGuidance:
    """Signal `call_ended`: the call's transcript is complete and stored."""

    utterance_count: int = 0


@dataclass
class GuidanceResult:
    hints_delivered: int
    hints_dropped_late: int
    model_failures: int
    summary_source: str | None = None
    runs: int = 1


@dataclass
class LoadGuidancePlan:
    tenant_id: str


@dataclass
class MomentPlan:
    """One moment of the policy, as much as the workflow needs (no phrases, no examples)."""

    moment_id: str
    hint_type: str
    title: str | None = None
    body: str | None = None
    article_id: str | None = None
    ttl_s: int = 60
    cooldown_s: int = 0
    absent_within_s: int | None = None


@dataclass
class GuidancePlan:
    """The tenant's guidance policy as the workflow needs it. The policy itself (up to a few
    MB of articles and examples) never enters history: activities load it by version."""

    policy_version: int
    moments: list[MomentPlan]
    deadline_ms: int
    model: str
    model_task_queue: str
    summary: bool
    suggested_reply: bool


@dataclass
class MatchTurn:
    tenant_id: str
    policy_version: int
    turn: GuidanceTurn
    # Moments for which a knowledge article should be searched with this turn.
    knowledge_limit: int = 1


@dataclass
class ArticleHit:
    article_id: str
    title: str
    snippet: str
    score: float


@dataclass
class MomentMatchResult:
    moment_id: str
    trigger: str
    confidence: float
    matched: str = ""
    # For a knowledge hint: the article that answers the turn (None: nothing answers it).
    article: ArticleHit | None = None


@dataclass
class TurnMatchResult:
    matches: list[MomentMatchResult] = field(default_factory=list)
    said: list[str] = field(default_factory=list)


@dataclass
class SuggestReply:
    tenant_id: str
    policy_version: int
    turns: list[GuidanceTurn]
    moment_title: str | None = None
    article_body: str | None = None
    # The moment's hint body: the policy's own guidance on what to say, for the model.
    moment_body: str | None = None


@dataclass
class SuggestedReply:
    text: str
    model: str
    first_token_ms: float = 0.0
    total_ms: float = 0.0


@dataclass
class SummarizeCall:
    tenant_id: str
    call_id: str
    policy_version: int
    # Hints guidance dropped as late over the whole call: the activity counts them in
    # callguide_late_hints_dropped_total (workflow code never touches metrics).
    hints_dropped_late: int = 0


@dataclass
class CallSummaryResult:
    reason: str
    resolution: str
    follow_ups: list[str]
    source: str  # model | extractive | none
    model: str | None = None


@dataclass
class HintDelivery:
    """Signal `add_hint` to the call: one hint for the agent."""

    hint: Hint
    # The call drops the hint, counted, if it takes it after this (ISO 8601).
    deliver_by: str = ""
    # Guidance already showed the hint to live viewers, in time, at this time (ISO 8601):
    # the call keeps and stores it whenever the signal arrives.
    shown_at: str = ""


@dataclass
class PublishHint:
    """Local activity publish_hint: shows a hint to the call's live viewers at once."""

    tenant_id: str
    call_id: str
    hint: Hint


@dataclass
class HintPublished:
    # When the hint reached the call's event stream (ISO 8601, wall clock).
    shown_at: str
