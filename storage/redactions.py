"""Tenants' redaction policies (versioned) and each call's redaction verdict, in PostgreSQL.

Nothing here holds PII: policies are configuration, verdicts hold types, times, counts
and the object key of the redacted audio.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from redaction.policy import RedactionPolicy


@dataclass(frozen=True)
class StoredPolicy:
    tenant_id: str
    version: int
    policy: RedactionPolicy
    created_at: datetime


@dataclass(frozen=True)
class RedactedSpan:
    """One beeped span: track is "customer" or "agent", times in ms from the call's start."""

    track: str
    start_ms: int
    end_ms: int
    type: str


class RedactionStatus:
    """Values of the RedactionStatus search attribute and of call_redactions.status."""

    PENDING = "pending"  # the call ended; audio redaction has not finished
    REDACTED = "redacted"  # redacted audio stored; verification has not finished
    VERIFIED = "verified"
    FAILED = "failed"  # redaction or verification failed: see reasons; audio quarantined
    ALL = (PENDING, REDACTED, VERIFIED, FAILED)


@dataclass(frozen=True)
class CallRedaction:
    tenant_id: str
    call_id: str
    status: str
    updated_at: datetime
    policy_version: int | None = None
    reasons: list[str] = field(default_factory=list)
    spans: list[RedactedSpan] = field(default_factory=list)
    bucket: str | None = None
    object_key: str | None = None
    audio_ms: int | None = None


class RedactionPolicyStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def put(self, tenant_id: str, policy: RedactionPolicy) -> StoredPolicy:
        """Stores a new version (1, 2, ...) of the tenant's policy; the newest applies.

        Concurrent puts for one tenant queue on the tenant's row, so their versions follow
        each other with no gap and no duplicate. LookupError when there is no such tenant.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            # NO KEY UPDATE: rows referencing the tenant (calls, keys) may still be inserted.
            locked = await conn.fetchval(
                "SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE", tenant_id
            )
            if locked is None:
                raise LookupError(f"no tenant {tenant_id!r}")
            # Read committed: this statement sees the version the previous holder committed.
            row = await conn.fetchrow(
                "INSERT INTO redaction_policies (tenant_id, version, policy)"
                " SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb"
                " FROM redaction_policies WHERE tenant_id = $1"
                " RETURNING version, created_at",
                tenant_id,
                policy.model_dump(mode="json"),
            )
        assert row is not None
        return StoredPolicy(tenant_id, row["version"], policy, row["created_at"])

    async def current(self, tenant_id: str) -> StoredPolicy | None:
        """The newest version, or None when the tenant never set one (DEFAULT_POLICY applies)."""
        row = await self._pool.fetchrow(
            "SELECT version, policy, created_at FROM redaction_policies WHERE tenant_id = $1"
            " ORDER BY version DESC LIMIT 1",
            tenant_id,
        )
        if row is None:
            return None
        policy = RedactionPolicy.model_validate(row["policy"])
        return StoredPolicy(tenant_id, row["version"], policy, row["created_at"])


def _redaction(row: asyncpg.Record) -> CallRedaction:
    return CallRedaction(
        tenant_id=row["tenant_id"],
        call_id=row["call_id"],
        status=row["status"],
        updated_at=row["updated_at"],
        policy_version=row["policy_version"],
        reasons=[str(r) for r in row["reasons"]],
        spans=[RedactedSpan(**s) for s in row["spans"]],
        bucket=row["bucket"],
        object_key=row["object_key"],
        audio_ms=row["audio_ms"],
    )


class CallRedactionStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def record(self, redaction: CallRedaction) -> None:
        """Upserts the call's verdict row (one per tenant and call); updated_at is the caller's.

        Every field is replaced, so the last record of a call is its verdict.
        """
        if redaction.status not in RedactionStatus.ALL:
            raise ValueError(
                f"status: {redaction.status!r} is not one of {', '.join(RedactionStatus.ALL)}"
            )
        await self._pool.execute(
            "INSERT INTO call_redactions (tenant_id, call_id, status, policy_version, reasons,"
            " spans, bucket, object_key, audio_ms, updated_at)"
            " VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10)"
            " ON CONFLICT (tenant_id, call_id) DO UPDATE SET status = EXCLUDED.status,"
            " policy_version = EXCLUDED.policy_version, reasons = EXCLUDED.reasons,"
            " spans = EXCLUDED.spans, bucket = EXCLUDED.bucket,"
            " object_key = EXCLUDED.object_key, audio_ms = EXCLUDED.audio_ms,"
            " updated_at = EXCLUDED.updated_at",
            redaction.tenant_id,
            redaction.call_id,
            redaction.status,
            redaction.policy_version,
            list(redaction.reasons),
            [dataclasses.asdict(s) for s in redaction.spans],
            redaction.bucket,
            redaction.object_key,
            redaction.audio_ms,
            redaction.updated_at,
        )

    async def get(self, tenant_id: str, call_id: str) -> CallRedaction | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM call_redactions WHERE tenant_id = $1 AND call_id = $2",
            tenant_id,
            call_id,
        )
        return _redaction(row) if row else None

    async def list(
        self, tenant_id: str, *, status: str | None = None, limit: int = 100
    ) -> list[CallRedaction]:
        """Newest first."""
        rows = await self._pool.fetch(
            "SELECT * FROM call_redactions WHERE tenant_id = $1"
            " AND ($2::text IS NULL OR status = $2)"
            " ORDER BY updated_at DESC, call_id LIMIT $3",
            tenant_id,
            status,
            limit,
        )
        return [_redaction(r) for r in rows]
