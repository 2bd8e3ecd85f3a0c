"""Redaction policies are versioned per tenant (no gap, no duplicate, even when puts race);
call verdicts are upserted and listed newest first; the migration runs on a used database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from callguide.resources import Stores
from redaction.model import EntityType
from redaction.policy import RedactionPolicy, ReplacementStyle
from storage.postgres import _init_connection, load_migrations, migrate
from storage.redactions import CallRedaction, RedactedSpan, RedactionStatus
from tests.conftest import Stack, _fresh_database, new_tenant
from tests.storage.migrations_at import migrate_before

REDACTION_MIGRATION = 3
T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def verdict(
    tenant_id: str, call_id: str, status: str, minute: int = 0, **fields: object
) -> CallRedaction:
    return CallRedaction(
        tenant_id=tenant_id,
        call_id=call_id,
        status=status,
        updated_at=T0 + timedelta(minutes=minute),
        **fields,  # type: ignore[arg-type]
    )


async def test_versions_count_up_per_tenant_and_the_newest_applies(stores: Stores) -> None:
    acme, other = await new_tenant(stores), await new_tenant(stores)
    assert await stores.policies.current(acme.tenant_id) is None

    first = await stores.policies.put(acme.tenant_id, RedactionPolicy())
    cards = RedactionPolicy(
        entities=(EntityType.CREDIT_CARD, EntityType.CVV),
        style=ReplacementStyle.MASK,
        score_threshold=0.6,
    )
    second = await stores.policies.put(acme.tenant_id, cards)
    assert (first.version, second.version) == (1, 2)
    assert second.created_at >= first.created_at

    current = await stores.policies.current(acme.tenant_id)
    assert current is not None
    assert current.version == 2 and current.policy == cards and current.tenant_id == acme.tenant_id
    # Another tenant's versions are its own.
    assert await stores.policies.current(other.tenant_id) is None
    assert (await stores.policies.put(other.tenant_id, cards)).version == 1


async def test_concurrent_puts_get_consecutive_versions(stores: Stores) -> None:
    acme = await new_tenant(stores)
    policies = [RedactionPolicy(score_threshold=i / 20) for i in range(12)]
    stored = await asyncio.gather(*(stores.policies.put(acme.tenant_id, p) for p in policies))
    assert sorted(s.version for s in stored) == list(range(1, 13))
    # Each version holds the policy its put stored.
    for s in stored:
        row = await stores.pool.fetchval(
            "SELECT policy FROM redaction_policies WHERE tenant_id = $1 AND version = $2",
            acme.tenant_id,
            s.version,
        )
        assert RedactionPolicy.model_validate(row) == s.policy
    current = await stores.policies.current(acme.tenant_id)
    assert current is not None and current.version == 12


async def test_a_policy_for_no_tenant_is_refused(stores: Stores) -> None:
    with pytest.raises(LookupError, match="no tenant"):
        await stores.policies.put(f"nobody-{uuid.uuid4().hex[:6]}", RedactionPolicy())


async def test_a_verdict_is_upserted_and_read_back_whole(stores: Stores) -> None:
    acme = await new_tenant(stores)
    call_id = str(uuid.uuid4())
    assert await stores.redactions.get(acme.tenant_id, call_id) is None

    await stores.redactions.record(verdict(acme.tenant_id, call_id, RedactionStatus.PENDING))
    pending = await stores.redactions.get(acme.tenant_id, call_id)
    assert pending == verdict(acme.tenant_id, call_id, RedactionStatus.PENDING)

    spans = [
        RedactedSpan("customer", 1200, 4800, "CREDIT_CARD"),
        RedactedSpan("agent", 5000, 5600, "PERSON"),
    ]
    done = verdict(
        acme.tenant_id,
        call_id,
        RedactionStatus.VERIFIED,
        minute=3,
        policy_version=2,
        reasons=["text: no PII left", "audio: spans silent"],
        spans=spans,
        bucket="callguide-redacted",
        object_key=f"{acme.tenant_id}/{call_id}.wav",
        audio_ms=61_000,
    )
    await stores.redactions.record(done)
    assert await stores.redactions.get(acme.tenant_id, call_id) == done
    # Still one row for the call, and another tenant does not see it.
    assert [r.call_id for r in await stores.redactions.list(acme.tenant_id)] == [call_id]
    intruder = await new_tenant(stores)
    assert await stores.redactions.get(intruder.tenant_id, call_id) is None
    assert await stores.redactions.list(intruder.tenant_id) == []


async def test_verdicts_are_listed_newest_first_by_status(stores: Stores) -> None:
    acme, other = await new_tenant(stores), await new_tenant(stores)
    calls = {f"c{i}": str(uuid.uuid4()) for i in range(5)}
    statuses = [
        RedactionStatus.VERIFIED,
        RedactionStatus.FAILED,
        RedactionStatus.VERIFIED,
        RedactionStatus.PENDING,
        RedactionStatus.VERIFIED,
    ]
    for minute, (name, status) in enumerate(zip(calls, statuses, strict=True)):
        await stores.redactions.record(verdict(acme.tenant_id, calls[name], status, minute))
    await stores.redactions.record(
        verdict(other.tenant_id, str(uuid.uuid4()), RedactionStatus.VERIFIED, 9)
    )

    verified = await stores.redactions.list(acme.tenant_id, status=RedactionStatus.VERIFIED)
    assert [r.call_id for r in verified] == [calls["c4"], calls["c2"], calls["c0"]]
    assert [r.call_id for r in await stores.redactions.list(acme.tenant_id, limit=2)] == [
        calls["c4"],
        calls["c3"],
    ]
    failed = await stores.redactions.list(acme.tenant_id, status=RedactionStatus.FAILED)
    assert [r.call_id for r in failed] == [calls["c1"]]
    assert await stores.redactions.list(acme.tenant_id, status=RedactionStatus.REDACTED) == []


async def test_an_unknown_status_is_refused(stores: Stores) -> None:
    acme = await new_tenant(stores)
    with pytest.raises(ValueError, match="status"):
        await stores.redactions.record(verdict(acme.tenant_id, "c", "done"))


async def test_the_migration_runs_on_a_database_in_use(stack: Stack) -> None:
    """A database at the previous version, with utterances stored, gains the tables and
    an empty pii list on every existing utterance."""
    url = await _fresh_database(stack.database_url)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, init=_init_connection)
    assert pool is not None
    try:
        assert any(m.name == "redaction" for m in load_migrations())
        async with pool.acquire() as conn:
            await migrate_before(conn, REDACTION_MIGRATION)
            await conn.execute(
                "INSERT INTO calls (tenant_id, call_id, contact_id, workflow_id, status,"
                " started_at) VALUES ('t1', 'c1', 'c1', 'w', 'ended', now())"
            )
            await conn.execute(
                "INSERT INTO utterances (tenant_id, call_id, speaker, start_ms, end_ms, text,"
                " confidence) VALUES ('t1', 'c1', 'customer', 0, 900, 'hello', 0.9)"
            )
        assert await migrate(pool) == [
            m.version for m in load_migrations() if m.version >= REDACTION_MIGRATION
        ]
        assert await migrate(pool) == []
        assert await pool.fetchval("SELECT pii FROM utterances") == []
        assert await pool.fetchval("SELECT count(*) FROM call_redactions") == 0
        assert await pool.fetchval("SELECT count(*) FROM redaction_policies") == 0
    finally:
        await pool.close()
