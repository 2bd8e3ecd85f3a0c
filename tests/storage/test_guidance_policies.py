"""Guidance policies are versioned per tenant (no gap, no duplicate, even when puts race),
the default is version 0 until one is set, and one tenant never reads another's."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from callguide.resources import Stores
from guidance.policy import DEFAULT_GUIDANCE_POLICY, GuidancePolicy
from storage.postgres import _init_connection, load_migrations, migrate
from tests.conftest import Stack, _fresh_database, new_tenant
from tests.storage.migrations_at import migrate_before

GUIDANCE_MIGRATION = 4


def policy(deadline_ms: int = 1000, moment_id: str = "cancel-intent") -> GuidancePolicy:
    return GuidancePolicy.model_validate(
        {
            "moments": [
                {
                    "id": moment_id,
                    "speaker": "customer",
                    "phrases": ["cancel my"],
                    "hint": {"type": "reminder", "title": "Retention", "body": "Offer it."},
                }
            ],
            "knowledge": {"articles": [{"id": "kb-1", "title": "Roaming", "body": "..."}]},
            "deadline_ms": deadline_ms,
        }
    )


async def test_the_default_is_version_0_until_one_is_set(stores: Stores) -> None:
    acme = await new_tenant(stores)
    current = await stores.guidance_policies.current(acme.tenant_id)
    assert (current.version, current.policy, current.created_at) == (
        0,
        DEFAULT_GUIDANCE_POLICY,
        None,
    )
    assert current.is_default and current.tenant_id == acme.tenant_id
    assert await stores.guidance_policies.get(acme.tenant_id, 0) == current
    assert await stores.guidance_policies.get(acme.tenant_id, 1) is None


async def test_versions_count_up_per_tenant_and_the_newest_applies(stores: Stores) -> None:
    acme, other = await new_tenant(stores), await new_tenant(stores)
    first = await stores.guidance_policies.put(acme.tenant_id, policy(1000))
    second = await stores.guidance_policies.put(acme.tenant_id, policy(1500, "churn"))
    assert (first.version, second.version) == (1, 2)
    assert first.created_at is not None and second.created_at is not None
    assert second.created_at >= first.created_at

    current = await stores.guidance_policies.current(acme.tenant_id)
    assert current == second and current.policy.moments[0].id == "churn"
    # Earlier versions stay readable, as they were set.
    assert await stores.guidance_policies.get(acme.tenant_id, 1) == first
    # Another tenant's versions are its own, and it never reads acme's.
    assert (await stores.guidance_policies.current(other.tenant_id)).version == 0
    assert await stores.guidance_policies.get(other.tenant_id, 1) is None
    assert (await stores.guidance_policies.put(other.tenant_id, policy())).version == 1
    assert (await stores.guidance_policies.current(acme.tenant_id)).version == 2


async def test_concurrent_puts_get_consecutive_versions(stores: Stores) -> None:
    acme = await new_tenant(stores)
    policies = [policy(100 + 50 * i) for i in range(12)]
    stored = await asyncio.gather(
        *(stores.guidance_policies.put(acme.tenant_id, p) for p in policies)
    )
    assert sorted(s.version for s in stored) == list(range(1, 13))
    for s in stored:  # each version holds the policy its put stored
        found = await stores.guidance_policies.get(acme.tenant_id, s.version)
        assert found is not None and found.policy == s.policy
    assert (await stores.guidance_policies.current(acme.tenant_id)).version == 12


async def test_a_policy_for_no_tenant_is_refused(stores: Stores) -> None:
    with pytest.raises(LookupError, match="no tenant"):
        await stores.guidance_policies.put(f"nobody-{uuid.uuid4().hex[:6]}", policy())


async def test_the_migration_runs_on_a_database_in_use(stack: Stack) -> None:
    """A database at the previous version, with a tenant and its redaction policy, gains
    the table and nothing else changes."""
    url = await _fresh_database(stack.database_url)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, init=_init_connection)
    assert pool is not None
    try:
        names = {m.version: m.name for m in load_migrations()}
        assert names[GUIDANCE_MIGRATION] == "guidance_policies"
        async with pool.acquire() as conn:
            await migrate_before(conn, GUIDANCE_MIGRATION)
            await conn.execute(
                "INSERT INTO redaction_policies (tenant_id, version, policy) VALUES ('t1', 1, '{}')"
            )
        applied = await migrate(pool)
        assert GUIDANCE_MIGRATION in applied and min(applied) == GUIDANCE_MIGRATION
        assert await migrate(pool) == []
        assert await pool.fetchval("SELECT count(*) FROM guidance_policies") == 0
        assert await pool.fetchval("SELECT count(*) FROM redaction_policies") == 1
    finally:
        await pool.close()
