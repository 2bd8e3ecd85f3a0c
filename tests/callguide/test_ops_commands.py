"""`callguide ops` as an operator uses it: across tenants, straight to Temporal and the
stores, with the same answers as /v1/ops."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client

from callguide.resources import Stores
from callguide.settings import Settings, get_settings
from tests.api.test_connect import flow_event
from tests.callguide.test_tenant_commands import run
from tests.conftest import Stack, TenantKey, new_tenant
from workflows.call import CallWorkflow


@pytest.fixture
def ops_env(
    stack: Stack, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("CALLGUIDE_DATABASE_URL", stack.database_url)
    monkeypatch.setenv("CALLGUIDE_REDIS_URL", stack.redis_url)
    monkeypatch.setenv("CALLGUIDE_TEMPORAL_ADDRESS", stack.temporal_address)
    monkeypatch.setenv("CALLGUIDE_CODEC_KEYS", stack.codec_keys)
    monkeypatch.setenv("CALLGUIDE_STATE_DIR", str(tmp_path / "state"))  # no dev stack here
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def cli(*args: str) -> tuple[int, str]:
    return await asyncio.to_thread(run, "ops", *args)


async def test_an_operator_lists_cancels_and_is_told_why_not(
    ops_env: None, http: httpx.AsyncClient, stores: Stores, client: Client, worker: None
) -> None:
    tenant: TenantKey = await new_tenant(stores)
    started = await http.post("/v1/connect/contact-flow", json=flow_event(), headers=tenant.headers)
    call_id = started.json()["call_id"]
    for _ in range(50):
        code, out = await cli("calls", "--status", "active", "--tenant", tenant.name, "--json")
        assert code == 0, out
        if json.loads(out):
            break
        await asyncio.sleep(0.1)
    [listed] = json.loads(out)
    assert listed["call_id"] == call_id and listed["tenant_id"] == tenant.tenant_id

    code, out = await cli("retry", tenant.name, call_id)
    assert code == 1 and "nothing to retry" in out
    code, out = await cli("cancel", tenant.name, call_id)
    assert code == 0 and "call_ending" in out, out
    handle = client.get_workflow_handle_for(CallWorkflow.run, started.json()["workflow_id"])
    assert (await asyncio.wait_for(handle.result(), 30)).end_reason == "cancelled_by_ops"

    code, out = await cli("retry", tenant.name, str(uuid.uuid4()))
    assert code == 1 and "no such call" in out
    code, out = await cli("calls", "--tenant", "no-such-tenant-anywhere")
    assert code == 1 and "no tenant" in out
