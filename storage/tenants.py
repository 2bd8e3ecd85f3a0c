"""Tenants, their Connect instances and API keys; keys are stored only as SHA-256 digests."""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from asyncpg.pool import PoolConnectionProxy

KEY_PREFIX = "cgk"
# A slug is one DNS label of the tenant's host <slug>.<region>.<domain>.
MAX_SLUG_LENGTH = 63
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What Connect shows as an instance's ARN; the id is a UUID in AWS, free-form in demos.
INSTANCE_ARN_PATTERN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):connect:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d):"
    r"(?P<account>\d{12}):instance/(?P<instance>[A-Za-z0-9-]{1,100})"
)


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    region: str
    created_at: datetime
    slug: str = ""
    connect_instances: tuple[str, ...] = ()
    # How many of the tenant's calls may run at once; None: no cap.
    max_concurrent_calls: int | None = None


@dataclass(frozen=True)
class IssuedKey:
    tenant: Tenant
    api_key: str


class TenantExistsError(ValueError):
    pass


class InvalidTenantError(ValueError):
    """A name, slug or Connect instance a tenant cannot have."""


def hash_api_key(api_key: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough; no password stretching needed.
    return hashlib.sha256(api_key.encode()).hexdigest()


def canonical_slug(name: str) -> str:
    """The one host label a name maps to: lowercase a-z0-9 runs joined by single hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise InvalidTenantError(f"tenant name {name!r} has no letters or digits for its host")
    if len(slug) > MAX_SLUG_LENGTH:
        raise InvalidTenantError(f"tenant name {name!r} is too long for a host label")
    return slug


def validate_instance_arns(arns: Iterable[str], region: str) -> tuple[str, ...]:
    """The instance ARNs, deduplicated in order; each must be a Connect instance in region."""
    found: list[str] = []
    for arn in arns:
        match = INSTANCE_ARN_PATTERN.fullmatch(arn)
        if match is None:
            raise InvalidTenantError(
                f"{arn!r} is not a Connect instance ARN "
                "(arn:aws:connect:<region>:<account>:instance/<id>)"
            )
        if match["region"] != region:
            raise InvalidTenantError(
                f"instance {arn} is in {match['region']}, but the tenant's data stays in {region}"
            )
        if arn not in found:
            found.append(arn)
    return tuple(found)


def _new_api_key(tenant_id: str) -> str:
    return f"{KEY_PREFIX}_{tenant_id}_{secrets.token_urlsafe(32)}"


def _tenant(row: asyncpg.Record) -> Tenant:
    return Tenant(
        row["id"],
        row["name"],
        row["region"],
        row["created_at"],
        row["slug"],
        tuple(row["connect_instances"] or ()),
        row["max_concurrent_calls"],
    )


class TenantStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def create(
        self, name: str, region: str, connect_instances: Iterable[str] = ()
    ) -> IssuedKey:
        slug = canonical_slug(name)
        instances = validate_instance_arns(connect_instances, region)
        tenant_id = uuid.uuid4().hex[:12]
        async with self._pool.acquire() as conn, conn.transaction():
            try:
                row = await conn.fetchrow(
                    "INSERT INTO tenants (id, name, region, slug, connect_instances)"
                    " VALUES ($1, $2, $3, $4, $5) RETURNING *",
                    tenant_id,
                    name,
                    region,
                    slug,
                    list(instances),
                )
            except asyncpg.UniqueViolationError as exc:
                # The slug index catches names that differ only in case or punctuation.
                raise TenantExistsError(
                    f"a tenant named {name!r} or with host name {slug!r} already exists"
                ) from exc
            api_key = await self._issue_key(conn, tenant_id)
        assert row is not None
        return IssuedKey(_tenant(row), api_key)

    async def set_connect_instances(self, tenant_ref: str, arns: Iterable[str]) -> Tenant:
        """Replaces the Connect instances whose calls the tenant (id, name or slug) may start."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await self._find(conn, tenant_ref, lock=True)
            instances = validate_instance_arns(arns, row["region"])
            updated = await conn.fetchrow(
                "UPDATE tenants SET connect_instances = $2 WHERE id = $1 RETURNING *",
                row["id"],
                list(instances),
            )
        assert updated is not None
        return _tenant(updated)

    async def set_max_concurrent_calls(self, tenant_ref: str, limit: int | None) -> Tenant:
        """Caps how many of the tenant's calls run at once (None lifts the cap)."""
        if limit is not None and limit < 1:
            raise InvalidTenantError("max concurrent calls must be at least 1")
        async with self._pool.acquire() as conn, conn.transaction():
            row = await self._find(conn, tenant_ref, lock=True)
            updated = await conn.fetchrow(
                "UPDATE tenants SET max_concurrent_calls = $2 WHERE id = $1 RETURNING *",
                row["id"],
                limit,
            )
        assert updated is not None
        return _tenant(updated)

    async def get(self, tenant_ref: str) -> Tenant:
        async with self._pool.acquire() as conn:
            return _tenant(await self._find(conn, tenant_ref))

    async def rotate_key(self, tenant_ref: str) -> IssuedKey:
        """Revokes every key of the tenant (by id, name or slug) and issues a new one."""
        return await self.issue_key(tenant_ref, revoke_others=True)

    async def issue_key(self, tenant_ref: str, *, revoke_others: bool = False) -> IssuedKey:
        """Issues a key for the tenant (by id, name or slug), revoking its others if asked."""
        async with self._pool.acquire() as conn, conn.transaction():
            row = await self._find(conn, tenant_ref, lock=True)
            if revoke_others:
                await conn.execute(
                    "UPDATE api_keys SET revoked_at = now()"
                    " WHERE tenant_id = $1 AND revoked_at IS NULL",
                    row["id"],
                )
            api_key = await self._issue_key(conn, row["id"])
        return IssuedKey(_tenant(row), api_key)

    async def revoke_key(self, api_key: str) -> bool:
        """Revokes one key; False when it was unknown or already revoked."""
        result = await self._pool.execute(
            "UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1 AND revoked_at IS NULL",
            hash_api_key(api_key),
        )
        return result.endswith(" 1")

    @contextlib.asynccontextmanager
    async def temporary_key(self, tenant_ref: str) -> AsyncIterator[IssuedKey]:
        """A key for one run of a command, revoked when the run ends however it ends."""
        issued = await self.issue_key(tenant_ref)
        try:
            yield issued
        finally:
            await self.revoke_key(issued.api_key)

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

    async def _find(
        self, conn: PoolConnectionProxy[asyncpg.Record], tenant_ref: str, *, lock: bool = False
    ) -> asyncpg.Record:
        row = await conn.fetchrow(
            "SELECT * FROM tenants WHERE id = $1 OR name = $1 OR slug = $1"
            " ORDER BY (id = $1) DESC, (name = $1) DESC LIMIT 1" + (" FOR UPDATE" if lock else ""),
            tenant_ref,
        )
        if row is None:
            raise LookupError(f"no tenant {tenant_ref!r}")
        return row

    async def _issue_key(self, conn: PoolConnectionProxy[asyncpg.Record], tenant_id: str) -> str:
        api_key = _new_api_key(tenant_id)
        await conn.execute(
            "INSERT INTO api_keys (id, tenant_id, key_hash) VALUES ($1, $2, $3)",
            uuid.uuid4().hex,
            tenant_id,
            hash_api_key(api_key),
        )
        return api_key
