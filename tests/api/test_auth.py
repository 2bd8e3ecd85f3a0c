"""Tenancy: bad keys are 401, another tenant's call is 404, tenant hosts need their own key."""

from __future__ import annotations

import uuid

import httpx
import pytest

from callguide.resources import Stores
from callguide.settings import Settings
from tests.api.test_connect import flow_event
from tests.conftest import TenantKey, new_tenant, running_api


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer cgk_nobody_wrong"}, {"Authorization": "Basic abc"}],
)
async def test_bad_key_is_401(http: httpx.AsyncClient, headers: dict) -> None:
    for method, path in [("GET", "/v1/calls"), ("POST", "/v1/connect/contact-flow")]:
        response = await http.request(method, path, headers=headers, json=flow_event())
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


async def test_health_needs_no_key(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).status_code == 200
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"temporal": "ok", "postgres": "ok", "redis": "ok"}


async def test_another_tenants_call_is_404(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores, worker: None
) -> None:
    event = flow_event()
    started = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
    call_id = started.json()["call_id"]
    intruder = await new_tenant(stores)

    for path in ("", "/transcript", "/events"):
        own = (
            await http.get(f"/v1/calls/{call_id}{path}", headers=tenant.headers)
            if path != "/events"
            else None
        )
        if own is not None:
            assert own.status_code == 200
        response = await http.get(f"/v1/calls/{call_id}{path}", headers=intruder.headers)
        assert response.status_code == 404, path
    response = await http.post(f"/v1/calls/{call_id}/end", headers=intruder.headers)
    assert response.status_code == 404
    listed = await http.get("/v1/calls", headers=intruder.headers)
    assert call_id not in [c["call_id"] for c in listed.json()["calls"]]
    await http.post(f"/v1/calls/{call_id}/end", headers=tenant.headers)


async def test_tenant_subdomain_needs_that_tenants_key(settings: Settings, stores: Stores) -> None:
    acme = await stores.tenants.create(f"acme-{uuid.uuid4().hex[:6]}", "us-east-1")
    other = await new_tenant(stores)
    domain = "callguide.example"
    host = f"{acme.tenant.name}.us-east-1.{domain}"
    async with running_api(settings.model_copy(update={"public_domain": domain})) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            ok = await http.get(
                "/v1/calls", headers={"Authorization": f"Bearer {acme.api_key}", "Host": host}
            )
            wrong_tenant = await http.get("/v1/calls", headers={**other.headers, "Host": host})
            wrong_region = await http.get(
                "/v1/calls",
                headers={
                    "Authorization": f"Bearer {acme.api_key}",
                    "Host": f"{acme.tenant.name}.eu-west-1.{domain}",
                },
            )
    assert ok.status_code == 200
    assert wrong_tenant.status_code == 401
    assert wrong_region.status_code == 401


async def test_rotated_key_replaces_the_old_one(http: httpx.AsyncClient, stores: Stores) -> None:
    tenant = await new_tenant(stores)
    rotated = await stores.tenants.rotate_key(tenant.tenant_id)
    old = await http.get("/v1/calls", headers=tenant.headers)
    new = await http.get("/v1/calls", headers={"Authorization": f"Bearer {rotated.api_key}"})
    assert (old.status_code, new.status_code) == (401, 200)
    stored = await stores.pool.fetch(
        "SELECT key_hash FROM api_keys WHERE tenant_id = $1", tenant.tenant_id
    )
    assert all(rotated.api_key not in row["key_hash"] for row in stored)
