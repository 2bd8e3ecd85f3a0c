"""The drill helpers: a proxy that fails like a crashed server, a restartable Temporal."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio
import redis.exceptions
from temporalio.client import Client, WorkflowExecutionStatus

from callguide.devstack import LOCAL_POSTGRES_URL, LOCAL_REDIS_URL, port_open
from callguide.settings import Settings, new_codec_key_spec
from callguide.temporal_client import connect_temporal
from tests.faults import FaultProxy, RestartableTemporal

needs_local_redis = pytest.mark.skipif(
    not port_open("127.0.0.1", 6379), reason="no Redis answers on 127.0.0.1:6379"
)


async def test_url_for_swaps_only_host_and_port() -> None:
    async with FaultProxy("db.internal", 5432) as proxy:
        port = proxy.port
        assert (
            proxy.url_for("postgresql://app:s3cret@db.internal:5432/calls?sslmode=disable")
            == f"postgresql://app:s3cret@127.0.0.1:{port}/calls?sslmode=disable"
        )
        assert proxy.url_for("redis://127.0.0.1:6379/0") == f"redis://127.0.0.1:{port}/0"


@needs_local_redis
async def test_redis_through_the_proxy_fails_during_an_outage_and_recovers() -> None:
    key = f"faults-{uuid.uuid4().hex}"
    async with FaultProxy.for_url(LOCAL_REDIS_URL) as proxy:
        client = redis.asyncio.Redis.from_url(proxy.url_for(LOCAL_REDIS_URL), socket_timeout=2)
        try:
            assert await client.set(key, "before", ex=60)
            assert proxy.open_connections == 1

            async with proxy.down():
                assert proxy.is_down and proxy.open_connections == 0
                with pytest.raises(redis.exceptions.ConnectionError):
                    await client.get(key)
                with pytest.raises(ConnectionRefusedError):
                    await asyncio.open_connection("127.0.0.1", proxy.port)

            assert await client.get(key) == b"before"
            assert proxy.accepted == 2  # the client reconnected after the restore
        finally:
            await client.delete(key)
            await client.aclose()


@needs_local_redis
async def test_an_open_connection_is_reset_by_an_outage() -> None:
    async with FaultProxy("127.0.0.1", 6379) as proxy:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"PING\r\n")
        assert await reader.readline() == b"+PONG\r\n"

        await proxy.outage()
        with pytest.raises(ConnectionResetError):
            if await reader.read(1) == b"":  # a reset may surface on the next write instead
                writer.write(b"PING\r\n")
                await writer.drain()
        writer.close()

        await proxy.restore()
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(b"PING\r\n")
        assert await reader.readline() == b"+PONG\r\n"
        writer.close()


@pytest.mark.skipif(not port_open("127.0.0.1", 5432), reason="no PostgreSQL on 127.0.0.1:5432")
async def test_postgres_through_the_proxy_fails_during_an_outage_and_recovers() -> None:
    async with FaultProxy.for_url(LOCAL_POSTGRES_URL) as proxy:
        url = proxy.url_for(LOCAL_POSTGRES_URL)
        conn = await asyncpg.connect(url)
        assert await conn.fetchval("SELECT 1") == 1
        async with proxy.down():
            # asyncpg usually has seen the reset already ("connection is closed"); if not,
            # the query itself fails on the dead socket.
            with pytest.raises((asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError)):
                await conn.fetchval("SELECT 1")
            with pytest.raises(OSError):
                await asyncpg.connect(url, timeout=2)
        conn = await asyncpg.connect(url)
        try:
            assert await conn.fetchval("SELECT 1") == 1
        finally:
            await conn.close()


async def test_a_dead_target_is_a_closed_connection_not_a_hang() -> None:
    async with FaultProxy("127.0.0.1", 1) as proxy:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        with pytest.raises(ConnectionResetError):
            await asyncio.wait_for(reader.read(1), timeout=5)
        writer.close()


async def test_temporal_state_survives_a_crash_restart(tmp_path: Path) -> None:
    async with RestartableTemporal(
        tmp_path / "temporal.db", log_file=tmp_path / "temporal.log"
    ) as temporal:
        address = temporal.address
        settings = Settings(temporal_address=address, codec_keys=new_codec_key_spec("drill"))
        client = await connect_temporal(settings)
        workflow_id = f"drill-{uuid.uuid4().hex[:8]}"
        # No worker polls this queue: the workflow just stays open, which is all we need.
        await client.start_workflow("DrillWorkflow", id=workflow_id, task_queue="drill-nobody")
        query = f"WorkflowId = '{workflow_id}'"
        assert await listed_ids(client, query) == [workflow_id]
        crashed = temporal.server.process

        await temporal.restart(downtime_s=1.0, crash=True)

        assert temporal.server.process is not crashed and temporal.address == address
        described = await client.get_workflow_handle(workflow_id).describe()
        assert described.status == WorkflowExecutionStatus.RUNNING
        assert await listed_ids(client, query) == [workflow_id]


async def listed_ids(client: Client, query: str) -> list[str]:
    """Visibility lags a moment behind a start, so wait briefly for a match."""
    for _ in range(50):
        ids = [execution.id async for execution in client.list_workflows(query)]
        if ids:
            return ids
        await asyncio.sleep(0.1)
    return []
