"""Tenants' guidance policies, versioned, in PostgreSQL (table guidance_policies).

Like redaction policies: every put is a new version (1, 2, ...) and the newest applies;
a tenant that never set one has DEFAULT_GUIDANCE_POLICY, reported as version 0.

The same transaction writes the new version's knowledge articles into knowledge_articles
(searched by storage.knowledge) and removes the tenant's older versions' rows, so the
articles searched are always exactly those of the version in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from guidance.policy import DEFAULT_GUIDANCE_POLICY, GuidancePolicy


@dataclass(frozen=True)
class StoredGuidancePolicy:
    tenant_id: str
    version: int  # 0: the default, never stored
    policy: GuidancePolicy
    created_at: datetime | None  # None for the default

    @property
    def is_default(self) -> bool:
        return self.version == 0


def default_guidance_policy(tenant_id: str) -> StoredGuidancePolicy:
    return StoredGuidancePolicy(tenant_id, 0, DEFAULT_GUIDANCE_POLICY, None)


class GuidancePolicyStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def put(self, tenant_id: str, policy: GuidancePolicy) -> StoredGuidancePolicy:
        """Stores a new version (1, 2, ...) of the tenant's policy; the newest applies.

        Concurrent puts for one tenant queue on the tenant's row, so their versions follow
        each other with no gap and no duplicate. LookupError when there is no such tenant.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            # NO KEY UPDATE: rows referencing the tenant (calls, keys) may still be inserted,
            # and a redaction policy put for the same tenant takes the same lock: both short.
            locked = await conn.fetchval(
                "SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE", tenant_id
            )
            if locked is None:
                raise LookupError(f"no tenant {tenant_id!r}")
            # Read committed: this statement sees the version the previous holder committed.
            row = await conn.fetchrow(
                "INSERT INTO guidance_policies (tenant_id, version, policy)"
                " SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb"
                " FROM guidance_policies WHERE tenant_id = $1"
                " RETURNING version, created_at",
                tenant_id,
                policy.model_dump(mode="json"),
            )
            assert row is not None
            await _replace_articles(conn, tenant_id, row["version"], policy)
        return StoredGuidancePolicy(tenant_id, row["version"], policy, row["created_at"])

    async def current(self, tenant_id: str) -> StoredGuidancePolicy:
        """The newest version, or the default as version 0 when the tenant never set one."""
        row = await self._pool.fetchrow(
            "SELECT version, policy, created_at FROM guidance_policies WHERE tenant_id = $1"
            " ORDER BY version DESC LIMIT 1",
            tenant_id,
        )
        if row is None:
            return default_guidance_policy(tenant_id)
        return self._stored(tenant_id, row)

    async def get(self, tenant_id: str, version: int) -> StoredGuidancePolicy | None:
        """One version as it was set (0 is the default); None when there is no such version,
        so a call can be explained by the policy version it recorded."""
        if version == 0:
            return default_guidance_policy(tenant_id)
        row = await self._pool.fetchrow(
            "SELECT version, policy, created_at FROM guidance_policies"
            " WHERE tenant_id = $1 AND version = $2",
            tenant_id,
            version,
        )
        return self._stored(tenant_id, row) if row else None

    @staticmethod
    def _stored(tenant_id: str, row: asyncpg.Record) -> StoredGuidancePolicy:
        policy = GuidancePolicy.model_validate(row["policy"])
        return StoredGuidancePolicy(tenant_id, row["version"], policy, row["created_at"])


async def _replace_articles(
    conn: PoolConnectionProxy[asyncpg.Record], tenant_id: str, version: int, policy: GuidancePolicy
) -> None:
    """The tenant's searchable articles become `version`'s (inside the put's transaction)."""
    await conn.execute(
        "DELETE FROM knowledge_articles WHERE tenant_id = $1 AND policy_version < $2",
        tenant_id,
        version,
    )
    articles = policy.knowledge.articles
    if articles:
        await conn.executemany(
            "INSERT INTO knowledge_articles"
            " (tenant_id, policy_version, article_id, title, body, tags)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            [(tenant_id, version, a.id, a.title, a.body, list(a.tags)) for a in articles],
        )
