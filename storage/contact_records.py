"""Contact records (CTRs) per tenant, the newest version of each contact kept, and how far
the CTR consumer has read each shard of its stream.

A record belongs to the tenant bound to its Connect instance. Should several tenants claim
one instance (a shared demo instance, say), the one with a call of that contact gets it;
a record no tenant can be sure of is skipped and counted, never guessed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from ctr.records import ContactRecord

_COLUMNS = [f.name for f in dataclasses.fields(ContactRecord)]
_UPDATED = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "contact_id")
# Re-deliveries are the rule (at least once, in any order): only a newer version replaces
# the stored one, and the same version delivered again changes nothing.
_UPSERT = (
    f"INSERT INTO contact_records (tenant_id, {', '.join(_COLUMNS)})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(_COLUMNS) + 2))})"
    f" ON CONFLICT (tenant_id, contact_id) DO UPDATE SET {_UPDATED}, stored_at = now()"
    " WHERE excluded.last_update > contact_records.last_update"
    " RETURNING 1"
)


@dataclass(frozen=True)
class ShardPosition:
    """The last sequence number of a shard whose records are all stored."""

    stream_name: str
    shard_id: str
    sequence_number: str


@dataclass
class BatchOutcome:
    """What became of a batch's records; counts only."""

    stored: int = 0
    # An older or the same version of a contact already stored.
    stale: int = 0
    # No tenant is bound to the record's instance.
    unknown_instance: int = 0
    # Several tenants are bound to it and none (or more than one) has the contact's call.
    ambiguous_instance: int = 0

    def add(self, other: BatchOutcome) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


def _record(row: asyncpg.Record) -> ContactRecord:
    return ContactRecord(**{c: row[c] for c in _COLUMNS})


class ContactRecordStore:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def store_batch(
        self, records: Sequence[ContactRecord], position: ShardPosition | None = None
    ) -> BatchOutcome:
        """Upserts the records and moves the shard's position, in one transaction: a batch
        is either stored and passed, or read again after a restart."""
        outcome = BatchOutcome()
        async with self._pool.acquire() as conn, conn.transaction():
            tenants_by_instance: dict[str, list[str]] = {}
            for record in records:
                if record.instance_arn not in tenants_by_instance:
                    tenants_by_instance[record.instance_arn] = await self._tenants_of(
                        conn, record.instance_arn
                    )
                tenant_id = await self._owner(
                    conn, tenants_by_instance[record.instance_arn], record, outcome
                )
                if tenant_id is not None:
                    await self._upsert(conn, tenant_id, record, outcome)
            if position is not None:
                await self._advance(conn, position)
        return outcome

    async def store_for_tenant(
        self, tenant_id: str, records: Sequence[ContactRecord]
    ) -> BatchOutcome:
        """Upserts records a tenant sent itself (the CTR feeder Lambda, with its key):
        the tenant is the caller, whoever else shares the instance."""
        outcome = BatchOutcome()
        async with self._pool.acquire() as conn, conn.transaction():
            for record in records:
                await self._upsert(conn, tenant_id, record, outcome)
        return outcome

    @staticmethod
    async def _upsert(
        conn: PoolConnectionProxy, tenant_id: str, record: ContactRecord, outcome: BatchOutcome
    ) -> None:
        values = [getattr(record, c) for c in _COLUMNS]
        if await conn.fetchval(_UPSERT, tenant_id, *values):
            outcome.stored += 1
        else:
            outcome.stale += 1

    @staticmethod
    async def _tenants_of(conn: PoolConnectionProxy, instance_arn: str) -> list[str]:
        rows = await conn.fetch(
            "SELECT id FROM tenants WHERE $1 = ANY (connect_instances) ORDER BY id", instance_arn
        )
        return [r["id"] for r in rows]

    @staticmethod
    async def _owner(
        conn: PoolConnectionProxy,
        candidates: list[str],
        record: ContactRecord,
        outcome: BatchOutcome,
    ) -> str | None:
        if not candidates:
            outcome.unknown_instance += 1
            return None
        if len(candidates) == 1:
            return candidates[0]
        with_call = await conn.fetch(
            "SELECT DISTINCT tenant_id FROM calls WHERE tenant_id = ANY ($1::text[])"
            " AND contact_id = $2 AND instance_arn = $3",
            candidates,
            record.contact_id,
            record.instance_arn,
        )
        if len(with_call) != 1:
            outcome.ambiguous_instance += 1
            return None
        tenant_id: str = with_call[0]["tenant_id"]
        return tenant_id

    @staticmethod
    async def _advance(conn: PoolConnectionProxy, position: ShardPosition) -> None:
        # Forward only: a slower second consumer cannot move the position back.
        await conn.execute(
            "INSERT INTO ctr_consumer_positions (stream_name, shard_id, sequence_number)"
            " VALUES ($1, $2, $3) ON CONFLICT (stream_name, shard_id) DO UPDATE"
            " SET sequence_number = excluded.sequence_number, updated_at = now()"
            " WHERE excluded.sequence_number > ctr_consumer_positions.sequence_number",
            position.stream_name,
            position.shard_id,
            Decimal(position.sequence_number),
        )

    async def save_position(self, position: ShardPosition) -> None:
        """Moves a shard's position past records that stored nothing (all bad, say)."""
        async with self._pool.acquire() as conn:
            await self._advance(conn, position)

    async def forget_position(self, stream_name: str, shard_id: str) -> None:
        """Drops a shard's position that Kinesis no longer knows (a stream made again under
        the same name), so the shard is read, and its position kept, from its start."""
        await self._pool.execute(
            "DELETE FROM ctr_consumer_positions WHERE stream_name = $1 AND shard_id = $2",
            stream_name,
            shard_id,
        )

    async def position(self, stream_name: str, shard_id: str) -> str | None:
        """The last sequence number stored for the shard, or None to start at its oldest."""
        value = await self._pool.fetchval(
            "SELECT sequence_number FROM ctr_consumer_positions"
            " WHERE stream_name = $1 AND shard_id = $2",
            stream_name,
            shard_id,
        )
        return None if value is None else str(int(value))

    async def for_contact(self, tenant_id: str, contact_id: str) -> ContactRecord | None:
        row = await self._pool.fetchrow(
            "SELECT * FROM contact_records WHERE tenant_id = $1 AND contact_id = $2",
            tenant_id,
            contact_id,
        )
        return _record(row) if row else None
