"""The analytics store interface, its versioned migrations, and how a process opens one.

Two providers speak the same SQL against the same schema: analytics.clickhouse_store (a
ClickHouse server through clickhouse-connect, when CALLGUIDE_ANALYTICS_URL is set) and
analytics.chdb_store (embedded chdb in a directory, the default). Only the API process
opens a store; workers write to the PostgreSQL outbox instead, since one chdb directory
belongs to one process.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Protocol

from callguide.settings import Settings

MIGRATIONS_PACKAGE = "analytics.migrations"
log = logging.getLogger(__name__)


class AnalyticsStore(Protocol):
    async def execute(self, sql: str) -> None:
        """Runs one statement that returns nothing (DDL)."""

    async def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Inserts rows (column name -> value) into one of our tables."""

    async def query(self, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Runs a SELECT with ``{name:Type}`` parameters bound by the server."""

    async def close(self) -> None: ...


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: list[str]


def load_migrations() -> list[Migration]:
    found = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            text = "\n".join(
                line for line in entry.read_text().splitlines() if not line.startswith("--")
            )
            # One statement per call: neither provider takes several at once.
            statements = [s.strip() for s in text.split(";") if s.strip()]
            found.append(Migration(int(match[1]), match[2], statements))
    return sorted(found, key=lambda m: m.version)


SCHEMA_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String,"
    " applied_at DateTime64(3, 'UTC')) ENGINE = ReplacingMergeTree ORDER BY version"
)


async def migrate(store: AnalyticsStore) -> list[int]:
    """Applies pending migrations in order; returns the versions applied now. Statements
    are idempotent (IF NOT EXISTS), so two servers starting together are harmless."""
    await store.execute(SCHEMA_MIGRATIONS)
    done = {
        int(row["version"])
        for row in await store.query("SELECT version FROM schema_migrations FINAL", {})
    }
    applied = []
    for migration in load_migrations():
        if migration.version in done:
            continue
        for statement in migration.statements:
            await store.execute(statement)
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        await store.insert(
            "schema_migrations",
            [{"version": migration.version, "name": migration.name, "applied_at": now}],
        )
        applied.append(migration.version)
    return applied


def analytics_path(settings: Settings) -> str:
    return str(settings.analytics_path or settings.state_dir / "analytics")


@contextlib.asynccontextmanager
async def open_analytics(settings: Settings) -> AsyncIterator[AnalyticsStore]:
    """The configured store, migrated; closed (or released) on exit."""
    store: AnalyticsStore
    if settings.analytics_url is not None:
        from analytics.clickhouse_store import ClickHouseStore

        store = await ClickHouseStore.connect(dsn=settings.analytics_url.get_secret_value())
    else:
        from analytics.chdb_store import ChdbStore

        store = await ChdbStore.open(path=analytics_path(settings))
    try:
        await migrate(store)
        yield store
    finally:
        await store.close()
