"""The `ml` queue: real-time guidance's activities (GuidanceWorkflow).

Everything here reads only redacted text: the turns the call hands over were redacted
where the utterances were assembled, and the summary reads the stored (redacted)
transcript. The policy is loaded here by version and kept per process, so a policy of a
few MB never enters workflow history; one `MomentMatcher` serves every call of a policy
version.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from temporalio import activity
from temporalio.exceptions import ApplicationError

from callguide.metrics import LATE_HINTS_DROPPED
from guidance.embeddings import Embedder
from guidance.generation import suggest_reply, summarize_call
from guidance.knowledge import SearchHit
from guidance.llm.base import ModelError
from guidance.llm.router import ModelRouter
from guidance.moments import MomentMatcher, Turn
from guidance.policy import Generate, GuidancePolicy, HintType, ModelRoute
from storage.calls import CallStore
from storage.guidance_policies import GuidancePolicyStore, StoredGuidancePolicy
from storage.hints import HintStore
from storage.redis_streams import CallEventStreams
from workflows.call_state import hint_event_data
from workflows.guidance_types import (
    ArticleHit,
    CallSummaryResult,
    GuidancePlan,
    HintPublished,
    LoadGuidancePlan,
    MatchTurn,
    MomentMatchResult,
    MomentPlan,
    PublishHint,
    SuggestedReply,
    SuggestReply,
    SummarizeCall,
    TurnMatchResult,
)

log = logging.getLogger(__name__)
# Policy versions kept per process (each with its matcher's example embeddings).
POLICY_CACHE_SIZE = 64
KNOWLEDGE_SNIPPET_CHARS = 400
ML_QUEUE = "ml"
GROUNDED_HINTS = (HintType.KNOWLEDGE, HintType.SUGGESTED_REPLY)
WARM_UP_QUERY = "how can I get help with my account"
MIN_MODEL_TIMEOUT_MS = 10
# A summary is written after the call, where a wait costs no agent anything; the route's
# own timeout is sized for live replies. Within SUMMARIZE_START_TO_CLOSE.
SUMMARY_MODEL_TIMEOUT_MS = 60_000


class KnowledgeSearcher(Protocol):
    async def search(self, tenant_id: str, query: str, limit: int) -> list[SearchHit]: ...


class _PolicyCache:
    """(tenant, version) → policy and matcher; versions never change once stored."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, int], tuple[GuidancePolicy, MomentMatcher]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int]) -> tuple[GuidancePolicy, MomentMatcher] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, int], entry: tuple[GuidancePolicy, MomentMatcher]) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


class GuidanceActivities:
    def __init__(
        self,
        *,
        policies: GuidancePolicyStore,
        calls: CallStore,
        hints: HintStore,
        knowledge: KnowledgeSearcher,
        router: ModelRouter,
        embedder: Callable[[], Embedder],
        task_queue: Callable[[str], str],
        streams: CallEventStreams | None = None,
    ) -> None:
        self._policies = policies
        # The calls' live event streams, where hints are shown (None: the call shows them).
        self._streams = streams
        self._calls = calls
        self._hints = hints
        self._knowledge = knowledge
        self._router = router
        self._embedder = embedder
        # The deployment's name for a queue (its prefix applied).
        self._task_queue = task_queue
        self._cache = _PolicyCache(POLICY_CACHE_SIZE)
        self._building: dict[
            tuple[str, int], asyncio.Future[tuple[GuidancePolicy, MomentMatcher]]
        ] = {}

    @activity.defn(name="load_guidance_plan")
    async def load_guidance_plan(self, request: LoadGuidancePlan) -> GuidancePlan:
        stored = await self._policies.current(request.tenant_id)
        # Warm what the first turn needs (the embedding model, the policy's example and
        # article vectors), so its match fits the hint deadline.
        await self._matcher_for(stored)
        if any(
            m.enabled and m.hint.type is HintType.KNOWLEDGE and m.hint.article is None
            for m in stored.policy.moments
        ):
            await self._knowledge.search(request.tenant_id, WARM_UP_QUERY, 1)
        return self._plan(stored)

    @activity.defn(name="match_turn")
    async def match_turn(self, request: MatchTurn) -> TurnMatchResult:
        policy, matcher = await self._policy(request.tenant_id, request.policy_version)
        turn = request.turn
        found = await asyncio.to_thread(
            matcher.match, Turn(turn.speaker, turn.text, turn.end_ms / 1000)
        )
        matches = []
        for match in found.matches:
            moment = policy.moment(match.moment_id)
            article = None
            # A knowledge hint shows the article; a suggested reply is grounded in it, so the
            # model answers from the tenant's knowledge instead of inventing terms.
            if moment is not None and moment.hint.type in GROUNDED_HINTS:
                article = await self._article(
                    request.tenant_id, policy, moment.hint.article, turn.text
                )
            matches.append(
                MomentMatchResult(
                    match.moment_id, match.trigger.value, match.confidence, match.matched, article
                )
            )
        return TurnMatchResult(matches, list(found.said))

    @activity.defn(name="publish_hint")
    async def publish_hint(self, request: PublishHint) -> HintPublished:
        """Shows a hint on the call's live stream now, as a transient event; the call's
        durable `hint` event with the same id follows (SSE sends each hint id once)."""
        if self._streams is None:
            raise ApplicationError("no event stream on this worker", non_retryable=True)
        shown_at = datetime.now(UTC).isoformat()
        hint = dataclasses.replace(request.hint, delivered_at=shown_at)
        event = {"type": "hint", "at": shown_at, "data": hint_event_data(hint)}
        await self._streams.publish_transient(request.tenant_id, request.call_id, event)
        return HintPublished(shown_at)

    @activity.defn(name="suggest_reply")
    async def suggest_reply(self, request: SuggestReply) -> SuggestedReply:
        policy, _ = await self._policy(request.tenant_id, request.policy_version)
        try:
            reply = await suggest_reply(
                self._router,
                _within_deadline(policy.model),
                turns=[(t.speaker, t.text) for t in request.turns],
                moment_title=_guidance_note(request.moment_title, request.moment_body),
                article=request.article_body,
            )
        except ModelError as error:
            # The workflow counts it; a retry would arrive after the hint's deadline.
            raise ApplicationError(
                f"model failed: {type(error).__name__}",
                type=type(error).__name__,  # ModelTimeout: the hint's deadline passed
                non_retryable=True,
            ) from None
        return SuggestedReply(reply.text, reply.model, reply.first_token_ms or 0.0, reply.total_ms)

    @activity.defn(name="summarize_call")
    async def summarize_call(self, request: SummarizeCall) -> CallSummaryResult:
        if activity.info().attempt == 1:  # a retry would count the call's drops again
            LATE_HINTS_DROPPED.inc(request.hints_dropped_late)
        policy, _ = await self._policy(request.tenant_id, request.policy_version)
        transcript = await self._calls.transcript(request.tenant_id, request.call_id)
        turns = [(u.speaker.value, u.text) for u in transcript]
        if not turns:
            result = CallSummaryResult("", "", [], "none", None)
        else:
            summary = await summarize_call(
                self._router, policy.model, turns=turns, timeout_ms=SUMMARY_MODEL_TIMEOUT_MS
            )
            result = CallSummaryResult(
                summary.reason,
                summary.resolution,
                list(summary.follow_ups),
                summary.source,
                summary.model,
            )
        await self._hints.set_summary(
            tenant_id=request.tenant_id,
            call_id=request.call_id,
            reason=result.reason,
            resolution=result.resolution,
            follow_ups=result.follow_ups,
            source=result.source,
            model=result.model,
        )
        return result

    # -- helpers -----------------------------------------------------------------------

    def _plan(self, stored: StoredGuidancePolicy) -> GuidancePlan:
        policy = stored.policy
        articles = {a.id: a for a in policy.knowledge.articles}
        moments = []
        for moment in policy.moments:
            if not moment.enabled:
                continue
            hint = moment.hint
            title, body = hint.title, hint.body
            if hint.type is HintType.KNOWLEDGE and hint.article is not None:
                article = articles[hint.article]
                title = title or article.title
                snippet = article.body[:KNOWLEDGE_SNIPPET_CHARS]
                body = f"{body}\n\n{snippet}" if body else snippet
            moments.append(
                MomentPlan(
                    moment_id=moment.id,
                    hint_type=hint.type.value,
                    title=title,
                    body=body,
                    article_id=hint.article,
                    ttl_s=hint.ttl_s,
                    cooldown_s=moment.cooldown_s,
                    absent_within_s=moment.absent_within_s,
                )
            )
        route = policy.model
        return GuidancePlan(
            policy_version=stored.version,
            moments=moments,
            deadline_ms=policy.deadline_ms,
            model=f"{route.provider.value}:{route.model}",
            model_task_queue=self._task_queue(ModelRouter.task_queue_for(route, ML_QUEUE)),
            summary=Generate.SUMMARY in route.generate,
            suggested_reply=Generate.SUGGESTED_REPLY in route.generate,
        )

    async def _policy(self, tenant_id: str, version: int) -> tuple[GuidancePolicy, MomentMatcher]:
        cached = self._cache.get((tenant_id, version))
        if cached is not None:
            return cached
        stored = await self._policies.get(tenant_id, version)
        if stored is None:
            raise ApplicationError(
                f"guidance policy version {version} of the tenant is gone", non_retryable=True
            )
        return await self._matcher_for(stored)

    async def _matcher_for(
        self, stored: StoredGuidancePolicy
    ) -> tuple[GuidancePolicy, MomentMatcher]:
        key = (stored.tenant_id, stored.version)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        # Calls that start together on a new policy version build its matcher once: the
        # first builds it, the others wait for that build instead of embedding it again.
        building = self._building.get(key)
        if building is None:
            building = asyncio.ensure_future(self._build_matcher(stored))
            self._building[key] = building
            building.add_done_callback(lambda _: self._building.pop(key, None))
        return await asyncio.shield(building)

    async def _build_matcher(
        self, stored: StoredGuidancePolicy
    ) -> tuple[GuidancePolicy, MomentMatcher]:
        moments = stored.policy.moments
        needs_embeddings = any(m.examples for m in moments if m.enabled)

        def build() -> MomentMatcher:
            embed = self._embedder().embed if needs_embeddings else None
            return MomentMatcher(moments, embed)

        entry = (stored.policy, await asyncio.to_thread(build))
        self._cache.put((stored.tenant_id, stored.version), entry)
        return entry

    async def _article(
        self, tenant_id: str, policy: GuidancePolicy, fixed: str | None, text: str
    ) -> ArticleHit | None:
        if fixed is not None:
            article = next(a for a in policy.knowledge.articles if a.id == fixed)
            return ArticleHit(
                article.id, article.title, article.body[:KNOWLEDGE_SNIPPET_CHARS], 1.0
            )
        hits = await self._knowledge.search(tenant_id, text, 1)
        if not hits:
            return None
        hit = hits[0]
        return ArticleHit(hit.article_id, hit.title, hit.snippet, round(hit.score, 3))


def _within_deadline(route: ModelRoute) -> ModelRoute:
    """The route with its timeout cut to what is left of the activity's own deadline (the
    hint's), so a slow model is abandoned when the hint could no longer be shown."""
    info = activity.info()
    timeout = info.schedule_to_close_timeout or info.start_to_close_timeout
    if timeout is None:
        return route
    elapsed = datetime.now(UTC) - info.current_attempt_scheduled_time
    left_ms = int((timeout - elapsed).total_seconds() * 1000)
    if left_ms >= route.timeout_ms:
        return route
    return route.model_copy(update={"timeout_ms": max(MIN_MODEL_TIMEOUT_MS, left_ms)})


def _guidance_note(title: str | None, body: str | None) -> str | None:
    """What the policy says about the moment, as one note for the model."""
    parts = [p.strip().rstrip(".") for p in (title, body) if p and p.strip()]
    return ". ".join(parts) + "." if parts else None
