"""A tenant's redaction policy: what PII is found, how text is replaced, how audio is beeped.

Every PUT stores a new version; calls record the version they were redacted by.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoresDep, TenantDep
from api.schemas import DocumentRoute, PolicyVersion, error_responses
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from storage.redactions import StoredPolicy

router = APIRouter(prefix="/v1/redaction-policy", tags=["redaction"], route_class=DocumentRoute)


def _view(stored: StoredPolicy) -> PolicyVersion:
    return PolicyVersion(version=stored.version, policy=stored.policy, created_at=stored.created_at)


@router.get("", response_model=PolicyVersion, responses=error_responses())
async def get_redaction_policy(tenant: TenantDep, stores: StoresDep) -> PolicyVersion:
    """The policy in force: the newest version set, or the default as version 0."""
    stored = await stores.policies.current(tenant.id)
    if stored is None:
        return PolicyVersion(version=0, policy=DEFAULT_POLICY, created_at=None)
    return _view(stored)


@router.put("", response_model=PolicyVersion, responses=error_responses(422))
async def put_redaction_policy(
    policy: RedactionPolicy, tenant: TenantDep, stores: StoresDep
) -> PolicyVersion:
    """Sets a new version of the policy, in force for calls that start from now on.

    The body is the whole policy: a field left out takes its default. An unknown field, an
    unknown entity type or a value out of bounds is refused with 422 naming the field, so a
    typo never silently weakens redaction.
    """
    return _view(await stores.policies.put(tenant.id, policy))
