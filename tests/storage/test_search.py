"""Migration 0008 on a database in use: utterances stored before it are searchable at once,
and only by their own tenant."""

from __future__ import annotations

import asyncpg

from storage.postgres import _init_connection, load_migrations, migrate
from storage.search import TranscriptSearch
from tests.conftest import Stack, _fresh_database
from tests.storage.migrations_at import migrate_before

SEARCH_MIGRATION = 8


async def test_utterances_stored_before_the_migration_are_searchable(stack: Stack) -> None:
    url = await _fresh_database(stack.database_url)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2, init=_init_connection)
    assert pool is not None
    try:
        assert any(
            m.version == SEARCH_MIGRATION and m.name == "search_and_contact_records"
            for m in load_migrations()
        )
        async with pool.acquire() as conn:
            await migrate_before(conn, SEARCH_MIGRATION)
            await conn.execute(
                "INSERT INTO calls (tenant_id, call_id, contact_id, workflow_id, status,"
                " started_at) VALUES ('t1', 'c1', 'c1', 'w', 'ended', now())"
            )
            await conn.executemany(
                "INSERT INTO utterances (tenant_id, call_id, speaker, start_ms, end_ms, text,"
                " confidence) VALUES ('t1', 'c1', $1, $2, $3, $4, 0.9)",
                [
                    ("customer", 0, 900, "my parcel never arrived"),
                    ("agent", 1000, 1900, "let me check the parcels shipped today"),
                ],
            )
        assert SEARCH_MIGRATION in await migrate(pool)
        assert await migrate(pool) == []

        hits = await TranscriptSearch(pool=pool).search("t1", "parcel arrived")
        assert [(h.call_id, h.speaker, h.start_ms) for h in hits] == [("c1", "customer", 0)]
        assert hits[0].snippet == "my <mark>parcel</mark> never <mark>arrived</mark>"
        both = await TranscriptSearch(pool=pool).search("t1", "parcel")
        assert {h.speaker for h in both} == {"customer", "agent"}
        assert await TranscriptSearch(pool=pool).search("t2", "parcel") == []

    finally:
        await pool.close()
