"""The ml queue's activities against real PostgreSQL and the packaged embedding model."""

from __future__ import annotations

import asyncio

from activities.guidance import GuidanceActivities
from callguide.resources import Stores
from guidance.embeddings import Embedder, default_embedder
from guidance.llm.router import ModelRouter
from guidance.policy import GuidancePolicy
from tests.conftest import new_tenant
from workflows.guidance_types import LoadGuidancePlan

POLICY = {
    "moments": [
        {
            "id": "cancel-intent",
            "speaker": "customer",
            "examples": ["I want to stop my subscription", "I would like to end my contract"],
            "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
        }
    ]
}


class CountingEmbedder:
    """The packaged model, counting how many texts it was asked to embed."""

    def __init__(self) -> None:
        self.texts = 0
        self._model = default_embedder()
        self.dim = self._model.dim

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return self._model.embed(texts)


async def test_calls_starting_together_on_a_new_policy_embed_its_examples_once(
    stores: Stores,
) -> None:
    tenant = await new_tenant(stores)
    await stores.guidance_policies.put(tenant.tenant_id, GuidancePolicy.model_validate(POLICY))
    counting = CountingEmbedder()
    embedder: Embedder = counting  # type: ignore[assignment]
    activities = GuidanceActivities(
        policies=stores.guidance_policies,
        calls=stores.calls,
        hints=stores.hints,
        knowledge=stores.knowledge,
        router=ModelRouter(),
        embedder=lambda: embedder,
        task_queue=lambda queue: queue,
    )
    plans = await asyncio.gather(
        *(activities.load_guidance_plan(LoadGuidancePlan(tenant.tenant_id)) for _ in range(20))
    )
    assert {p.policy_version for p in plans} == {plans[0].policy_version}
    assert [m.moment_id for m in plans[0].moments] == ["cancel-intent"]
    assert counting.texts == 2  # the two examples, once, for twenty calls
