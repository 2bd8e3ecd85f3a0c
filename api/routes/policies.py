"""A tenant's guidance policy: the moments that deserve a hint, the knowledge articles that
answer customers, and the model that writes suggested replies and summaries.

Every PUT stores a new version; calls that start afterwards are guided by it.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoresDep, TenantDep
from api.schemas import DocumentRoute, error_responses
from guidance.policy import GuidancePolicy
from storage.guidance_policies import StoredGuidancePolicy

router = APIRouter(prefix="/v1/policies", tags=["guidance"], route_class=DocumentRoute)


class GuidancePolicyVersion(BaseModel):
    """A tenant's guidance policy; version 0 is the default, in force until one is set."""

    version: int = Field(ge=0, description="1, 2, ... as the tenant sets them; 0 is the default")
    policy: GuidancePolicy
    created_at: datetime | None = Field(
        default=None, description="When this version was set; null for the default"
    )

    @classmethod
    def of(cls, stored: StoredGuidancePolicy) -> GuidancePolicyVersion:
        return cls(version=stored.version, policy=stored.policy, created_at=stored.created_at)


@router.get("", response_model=GuidancePolicyVersion, responses=error_responses())
async def get_guidance_policy(tenant: TenantDep, stores: StoresDep) -> GuidancePolicyVersion:
    """The guidance policy in force: the newest version set, or the default as version 0
    (no moments, no articles, summaries by the local model)."""
    return GuidancePolicyVersion.of(await stores.guidance_policies.current(tenant.id))


@router.put("", response_model=GuidancePolicyVersion, responses=error_responses(422))
async def put_guidance_policy(
    policy: GuidancePolicy, tenant: TenantDep, stores: StoresDep
) -> GuidancePolicyVersion:
    """Sets a new version of the guidance policy, in force for calls that start from now on.

    The body is the whole policy: a field left out takes its default. An unknown field, a
    value out of bounds or a broken rule (a reminder without a title, two moments with one
    id, a hint naming an article that is not there) is refused with 422 whose `detail`
    starts with the field's path (`moments.1.hint.title: ...`) and whose `errors` list
    every problem; nothing is stored then.
    """
    return GuidancePolicyVersion.of(await stores.guidance_policies.put(tenant.id, policy))
