"""Tenants and their API keys; keys are stored only as SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from asyncpg.pool import PoolConnectionProxy

KEY_PREFIX = "cgk"


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    region: str
    created_at: datetime


@dataclass(frozen=True)
class IssuedKey:
    tenant: Tenant
    api_key: str


class TenantExistsError(ValueError):
    pass


def hash_api_key(api_key: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough; no password stretching needed.
    return hashlib.sha256(api_key.encode()).hexdigest()


def _new_api_key(tenant_id: str) -> str:
    return f"{KEY_PREFIX}_{tenant_id}_{secrets.token_urlsafe(32)}"


def _tenant(row: asyncpg.Record) -> Tenant:
    return Tenant(row["id"], row["name"], row["region"], row["created_at"])


class TenantStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def create(self, name: str, region: str) -> IssuedKey:
        tenant_id = uuid.uuid4().hex[:12]
        async with self._pool.acquire() as conn, conn.transaction():
            try:
                row = await conn.fetchrow(
                    "INSERT INTO tenants (id, name, region) VALUES ($1, $2, $3) RETURNING *",
                    tenant_id,
                    name,
                    region,
                )
            except asyncpg.UniqueViolationError as exc:
                raise TenantExistsError(f"a tenant named {name!r} already exists") from exc
            api_key = await self._issue_key(conn, tenant_id)
        assert row is not None
        return IssuedKey(_tenant(row), api_key)

    async def rotate_key(self, tenant_ref: str) -> IssuedKey:
        """Revokes every key of the tenant (by id or name) and issues a new one."""
        return await self.issue_key(tenant_ref, revoke_others=True)

    async def issue_key(self, tenant_ref: str, *, revoke_others: bool = False) -> IssuedKey:
        """Issues a key for the tenant (by id or name), revoking its others if asked."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "SELECT * FROM tenants WHERE id = $1 OR name = $1", tenant_ref
            )
            if row is None:
                raise LookupError(f"no tenant {tenant_ref!r}")
            if revoke_others:
                await conn.execute(
                    "UPDATE api_keys SET revoked_at = now()"
                    " WHERE tenant_id = $1 AND revoked_at IS NULL",
                    row["id"],
                )
            api_key = await self._issue_key(conn, row["id"])
        return IssuedKey(_tenant(row), api_key)

    async def all(self) -> list[Tenant]:
        rows = await self._pool.fetch("SELECT * FROM tenants ORDER BY created_at, name")
        return [_tenant(r) for r in rows]

    async def by_api_key(self, api_key: str) -> Tenant | None:
        row = await self._pool.fetchrow(
            "SELECT t.* FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
            " WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
            hash_api_key(api_key),
        )
        return _tenant(row) if row else None

    async def _issue_key(self, conn: PoolConnectionProxy[asyncpg.Record], tenant_id: str) -> str:
        api_key = _new_api_key(tenant_id)
        await conn.execute(
            "INSERT INTO api_keys (id, tenant_id, key_hash) VALUES ($1, $2, $3)",
            uuid.uuid4().hex,
            tenant_id,
            hash_api_key(api_key),
        )
        return api_key
