"""Ops routes and admission control on the real stack: who sees which calls, what a
tenant at its concurrent-call cap is told, and what cannot be retried says why."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from prometheus_client import REGISTRY
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.service import RPCError

from callguide.resources import Stores
from callguide.settings import Settings
from tests.api.test_connect import flow_event
from tests.conftest import Stack, TenantKey, make_settings, new_tenant, running_api, running_worker
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest

OPERATOR = "operator-token-for-tests"


@pytest_asyncio.fixture(loop_scope="session")
async def ops_settings(stack: Stack) -> Settings:
    return make_settings(stack, operator_token=SecretStr(OPERATOR))


@pytest_asyncio.fixture(loop_scope="session")
async def ops_http(
    ops_settings: Settings, client: Client, stores: Stores
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running_worker(client, ops_settings, stores),
        running_api(ops_settings) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as session,
    ):
        yield session


def operator() -> dict[str, str]:
    return {"Authorization": f"Bearer {OPERATOR}"}


async def start(http: httpx.AsyncClient, tenant: TenantKey, contact_id: str | None = None):
    return await http.post(
        "/v1/connect/contact-flow", json=flow_event(contact_id), headers=tenant.headers
    )


async def end(client: Client, workflow_id: str) -> None:
    handle = client.get_workflow_handle_for(CallWorkflow.run, workflow_id)
    await handle.signal(CallWorkflow.end_call, EndCallRequest("test"))
    await asyncio.wait_for(handle.result(), 30)


async def active_ids(http: httpx.AsyncClient, headers: dict, **params: str) -> set[str]:
    for _ in range(50):  # visibility catches up within moments
        response = await http.get(
            "/v1/ops/calls", params={"status": "active", **params}, headers=headers
        )
        assert response.status_code == 200, response.text
        found = {c["call_id"] for c in response.json()["calls"]}
        if found:
            return found
        await asyncio.sleep(0.1)
    return set()


def refusals(tenant_id: str) -> float:
    value = REGISTRY.get_sample_value(
        "callguide_admission_refusals_total", {"tenant_id": tenant_id}
    )
    return value or 0.0


async def test_a_tenant_at_its_cap_gets_429_and_a_redelivery_is_not_refused(
    ops_http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    tenant = await new_tenant(stores)
    await stores.tenants.set_max_concurrent_calls(tenant.tenant_id, 1)
    first = await start(ops_http, tenant)
    assert first.status_code == 200, first.text
    contact = first.json()["call_id"]

    refused_contact = str(uuid.uuid4())
    refused = await start(ops_http, tenant, refused_contact)
    assert refused.status_code == 429
    assert "limit of 1 concurrent calls" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert refusals(tenant.tenant_id) == 1
    assert await stores.admissions.refusals(tenant.tenant_id) == 1
    # The refused call was never started: no workflow, no row.
    refused_workflow = client.get_workflow_handle(f"call-{tenant.tenant_id}-{refused_contact}")
    with pytest.raises(RPCError):
        await refused_workflow.describe()

    again = await start(ops_http, tenant, contact)  # Connect re-delivers the first event
    assert again.status_code == 200 and again.json()["created"] is False

    await end(client, first.json()["workflow_id"])
    for _ in range(50):  # the call's row says it ended: its place is free
        if await stores.admissions.in_use(tenant.tenant_id) == 0:
            break
        await asyncio.sleep(0.1)
    after = await start(ops_http, tenant)
    assert after.status_code == 200, after.text
    await end(client, after.json()["workflow_id"])


async def test_another_tenant_is_not_held_back_by_a_full_tenant(
    ops_http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    full = await new_tenant(stores)
    await stores.tenants.set_max_concurrent_calls(full.tenant_id, 1)
    other = await new_tenant(stores)
    held = await start(ops_http, full)
    assert (await start(ops_http, full)).status_code == 429
    free = await start(ops_http, other)
    assert free.status_code == 200
    await end(client, held.json()["workflow_id"])
    await end(client, free.json()["workflow_id"])


async def test_ops_lists_only_the_callers_calls_and_the_operator_sees_all(
    ops_http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    a, b = await new_tenant(stores), await new_tenant(stores)
    started = await start(ops_http, a)
    call_id = started.json()["call_id"]
    try:
        assert call_id in await active_ids(ops_http, a.headers)
        listed_b = await ops_http.get(
            "/v1/ops/calls", params={"status": "active"}, headers=b.headers
        )
        assert call_id not in {c["call_id"] for c in listed_b.json()["calls"]}
        foreign = await ops_http.get(
            "/v1/ops/calls",
            params={"status": "active", "tenant_id": a.tenant_id},
            headers=b.headers,
        )
        assert foreign.status_code == 403
        assert call_id in await active_ids(ops_http, operator(), tenant_id=a.tenant_id)
        # Another tenant can neither retry nor cancel it: to them it does not exist.
        for action in ("retry", "cancel"):
            response = await ops_http.post(f"/v1/ops/calls/{call_id}/{action}", headers=b.headers)
            assert response.status_code == 404, response.text
        # A running call whose audio is not stuck has nothing to retry.
        busy = await ops_http.post(f"/v1/ops/calls/{call_id}/retry", headers=a.headers)
        assert busy.status_code == 409 and "nothing to retry" in busy.json()["detail"]
        cancelled = await ops_http.post(f"/v1/ops/calls/{call_id}/cancel", headers=a.headers)
        assert cancelled.status_code == 200 and cancelled.json()["action"] == "call_ending"
        handle = client.get_workflow_handle_for(CallWorkflow.run, started.json()["workflow_id"])
        result = await asyncio.wait_for(handle.result(), 30)
        assert result.end_reason == "cancelled_by_ops"
    finally:
        with contextlib.suppress(RPCError):  # ended already, unless an assertion failed
            await client.get_workflow_handle(started.json()["workflow_id"]).signal(
                CallWorkflow.end_call, EndCallRequest("test")
            )


async def test_ops_needs_a_key_and_names_bad_fields(
    ops_http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    assert (await ops_http.get("/v1/ops/calls")).status_code == 401
    bad = await ops_http.get("/v1/ops/calls", params={"status": "exploded"}, headers=tenant.headers)
    assert bad.status_code == 400 and bad.json()["detail"].startswith("query.status")
    limit = await ops_http.get("/v1/ops/calls", params={"limit": "0"}, headers=tenant.headers)
    assert limit.status_code == 400 and limit.json()["detail"].startswith("query.limit")
    unnamed = await ops_http.post(f"/v1/ops/calls/{uuid.uuid4()}/retry", headers=operator())
    assert unnamed.status_code == 400 and unnamed.json()["detail"].startswith("query.tenant_id")
    quoted = await ops_http.get(
        "/v1/ops/calls", params={"tenant_id": "x' OR TenantId != '"}, headers=operator()
    )
    assert quoted.status_code == 400 and quoted.json()["detail"].startswith("query.tenant_id")
    missing = await ops_http.post(f"/v1/ops/calls/{uuid.uuid4()}/retry", headers=tenant.headers)
    assert missing.status_code == 404


async def test_a_place_held_by_a_call_terminated_from_outside_is_freed(
    ops_http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    tenant = await new_tenant(stores)
    await stores.tenants.set_max_concurrent_calls(tenant.tenant_id, 1)
    first = await start(ops_http, tenant)
    assert first.status_code == 200, first.text
    # Terminated in the Temporal UI: its row will never say it finished.
    await client.get_workflow_handle(first.json()["workflow_id"]).terminate(reason="drill")
    # Just admitted, it might still be starting: its place is not judged yet.
    assert (await start(ops_http, tenant)).status_code == 429
    await stores.pool.execute(
        "UPDATE call_admissions SET admitted_at = now() - interval '5 minutes'"
        " WHERE tenant_id = $1",
        tenant.tenant_id,
    )
    second = await start(ops_http, tenant)
    assert second.status_code == 200, second.text
    assert await stores.admissions.refusals(tenant.tenant_id) == 1
    await end(client, second.json()["workflow_id"])
