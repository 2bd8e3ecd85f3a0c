"""Real parts for the suite: a Temporal dev server, PostgreSQL, Redis and S3 (moto).

PostgreSQL and Redis are the machine's own when they answer on their usual ports (or
DATABASE_URL / REDIS_URL say where), else embedded servers started here.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
import uvicorn
from temporalio.client import Client

from api.app import create_app
from callguide.connect_events import DEMO_INSTANCE_ARN
from callguide.devstack import TemporalDevServer, free_port, postgres_url, redis_url
from callguide.resources import Stores, open_stores
from callguide.settings import Settings, new_codec_key_spec
from callguide.temporal_client import connect_temporal
from workers.main import build_workers


@dataclass(frozen=True)
class Stack:
    temporal_address: str
    database_url: str
    redis_url: str
    codec_keys: str
    s3_endpoint_url: str | None = None


# moto accepts any credentials, but boto3 signs every request and needs some.
TEST_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "callguide-test",
    "AWS_SECRET_ACCESS_KEY": "callguide-test",
}


@pytest.fixture(scope="session")
def s3() -> Iterator[str]:
    """An S3-compatible server (moto, in this process) for the session: its endpoint URL.

    Tests (and the processes they start) without AWS credentials get dummy ones meanwhile.
    """
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    added = {k: v for k, v in TEST_AWS_ENV.items() if k not in os.environ}
    if len(added) < len(TEST_AWS_ENV):
        added = {}  # half a pair of credentials is someone's own setup: left as it is
    os.environ.update(added)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for key in added:
            os.environ.pop(key, None)
        server.stop()


async def _fresh_database(server_url: str) -> str:
    """A database of its own per run, so runs never see each other's rows."""
    name = f"callguide_test_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, query = server_url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + name
    return f"{base}?{query}" if query else base


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, s3: str) -> Iterator[Stack]:
    state = tmp_path_factory.mktemp("stack")
    temporal = TemporalDevServer(db_file=None, log_file=state / "temporal.log")
    temporal.start()
    with (
        postgres_url(os.environ.get("DATABASE_URL"), state / "pg", probe_local=True) as pg,
        redis_url(os.environ.get("REDIS_URL"), probe_local=True) as redis,
    ):
        database = asyncio.run(_fresh_database(pg))
        yield Stack(temporal.address, database, redis, new_codec_key_spec("test-key"), s3)
    temporal.stop()


SUITE_ANALYTICS = Path(tempfile.gettempdir()) / f"callguide-test-analytics-{os.getpid()}"


@pytest.fixture(scope="session", autouse=True)
def _suite_analytics_removed() -> Iterator[None]:
    yield
    shutil.rmtree(SUITE_ANALYTICS, ignore_errors=True)


def make_settings(stack: Stack, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "temporal_address": stack.temporal_address,
        "database_url": stack.database_url,
        "redis_url": stack.redis_url,
        "s3_endpoint_url": stack.s3_endpoint_url,
        "codec_keys": stack.codec_keys,
        "task_queue_prefix": f"test-{uuid.uuid4().hex[:8]}-",
        "utterance_batch_size": 5,
        "stream_audio": False,
        # The suite's own embedded analytics, never a running dev stack's directory.
        "analytics_path": SUITE_ANALYTICS,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(stack: Stack) -> Settings:
    return make_settings(stack)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def client(stack: Stack) -> Client:
    return await connect_temporal(make_settings(stack))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def stores(stack: Stack) -> AsyncIterator[Stores]:
    async with open_stores(make_settings(stack)) as opened:
        yield opened


@contextlib.asynccontextmanager
async def running_worker(
    client: Client, settings: Settings, stores: Stores, queues: tuple[str, ...] = ("calls",)
) -> AsyncIterator[None]:
    workers = build_workers(client, settings, stores, queues)
    tasks = [asyncio.create_task(w.run()) for w in workers]
    try:
        yield
    finally:
        for w in workers:
            await w.shutdown()
        await asyncio.gather(*tasks, return_exceptions=True)


@pytest_asyncio.fixture(loop_scope="session")
async def worker(client: Client, settings: Settings, stores: Stores) -> AsyncIterator[None]:
    async with running_worker(client, settings, stores):
        yield


@contextlib.asynccontextmanager
async def running_api(settings: Settings) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest_asyncio.fixture(loop_scope="session")
async def api_url(settings: Settings) -> AsyncIterator[str]:
    async with running_api(settings) as url:
        yield url


@dataclass(frozen=True)
class TenantKey:
    tenant_id: str
    name: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


async def new_tenant(stores: Stores, region: str = "us-east-1") -> TenantKey:
    # Bound to the instance the event builders send, so sealed tenants can start calls.
    instances = [DEMO_INSTANCE_ARN] if region == DEMO_INSTANCE_ARN.split(":")[3] else []
    issued = await stores.tenants.create(f"tenant-{uuid.uuid4().hex[:8]}", region, instances)
    return TenantKey(issued.tenant.id, issued.tenant.name, issued.api_key)


@pytest_asyncio.fixture(loop_scope="session")
async def tenant(stores: Stores) -> TenantKey:
    return await new_tenant(stores)


@pytest_asyncio.fixture(loop_scope="session")
async def http(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as session:
        yield session


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An OpenAI-compatible base URL (with /v1) of a real llama.cpp server with the
    SmolLM2 model: CALLGUIDE_LLM_URL, else the running dev stack's, else one started for
    the session."""
    from callguide.dev_state import settings_with_dev_stack
    from callguide.devstack import EmbeddedLlm

    configured = settings_with_dev_stack(Settings()).llm_url
    if configured:
        yield configured
        return
    server = EmbeddedLlm(log_file=tmp_path_factory.mktemp("llm") / "llm.log")
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
