"""A database as an earlier release left it, for tests of a migration on data in use."""

from __future__ import annotations

import asyncpg

from storage.postgres import load_migrations


async def migrate_before(conn: asyncpg.Connection, version: int) -> None:
    """Applies (and records) every migration older than `version`, then adds tenant t1."""
    await conn.execute(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
        " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    for m in load_migrations():
        if m.version >= version:
            continue
        await conn.execute(m.sql)
        await conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name
        )
    await conn.execute(
        "INSERT INTO tenants (id, name, region, slug) VALUES ('t1', 't1', 'us-east-1', 't1')"
    )
