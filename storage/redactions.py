"""Tenants' redaction policies (versioned) and each call's redaction verdict, in PostgreSQL.

Nothing here holds PII: policies are configuration, verdicts hold types, times, counts
and the object key of the redacted audio.
"""

from __future__ import annotations

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
        """Stores a new version (1, 2, ...) of the tenant's policy; the newest applies."""
        raise NotImplementedError

    async def current(self, tenant_id: str) -> StoredPolicy | None:
        """The newest version, or None when the tenant never set one (DEFAULT_POLICY applies)."""
        raise NotImplementedError


class CallRedactionStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def record(self, redaction: CallRedaction) -> None:
        """Upserts the call's verdict row (one per tenant and call); updated_at is the caller's."""
        raise NotImplementedError

    async def get(self, tenant_id: str, call_id: str) -> CallRedaction | None:
        raise NotImplementedError

    async def list(
        self, tenant_id: str, *, status: str | None = None, limit: int = 100
    ) -> list[CallRedaction]:
        """Newest first."""
        raise NotImplementedError
