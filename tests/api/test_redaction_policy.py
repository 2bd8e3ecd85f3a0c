"""PUT/GET /v1/redaction-policy: versions per tenant, the default until one is set, and an
invalid policy refused naming its field, with nothing stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from callguide.resources import Stores
from redaction.policy import DEFAULT_POLICY
from tests.conftest import TenantKey, new_tenant

URL = "/v1/redaction-policy"
CARDS_ONLY = {
    "entities": ["CREDIT_CARD", "CVV", "EXPIRY"],
    "style": "mask",
    "score_threshold": 0.55,
    "interim_digit_run": 3,
    "audio_padding_ms": 250,
    "beep_hz": 1200,
    "keep_original": False,
}


async def current(http: httpx.AsyncClient, tenant: TenantKey) -> dict[str, Any]:
    response = await http.get(URL, headers=tenant.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_default_applies_until_a_policy_is_set(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    assert await current(http, tenant) == {
        "version": 0,
        "policy": DEFAULT_POLICY.model_dump(mode="json"),
        "created_at": None,
    }


async def test_each_put_is_a_new_version_of_the_tenants_own(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    first = await http.put(URL, json=CARDS_ONLY, headers=tenant.headers)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1 and first.json()["policy"] == CARDS_ONLY
    assert first.json()["created_at"]

    # A field left out takes its default: the body is the whole policy.
    second = await http.put(URL, json={"style": "hash"}, headers=tenant.headers)
    assert second.status_code == 200, second.text
    expected = DEFAULT_POLICY.model_dump(mode="json") | {"style": "hash"}
    assert second.json()["version"] == 2 and second.json()["policy"] == expected

    assert await current(http, tenant) == second.json()
    stored = await stores.policies.current(tenant.tenant_id)
    assert stored is not None and stored.version == 2 and stored.policy.style == "hash"

    other = await new_tenant(stores)
    assert (await current(http, other))["version"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entites": ["CREDIT_CARD"]}, "entites"),  # a typo is not ignored
        ({"entities": ["CREDIT_CARD", "SHOE_SIZE"]}, "entities.1"),
        ({"entities": "CREDIT_CARD"}, "entities"),
        ({"score_threshold": 2}, "score_threshold"),
        ({"score_threshold": "high"}, "score_threshold"),
        ({"style": "blur"}, "style"),
        ({"interim_digit_run": 1}, "interim_digit_run"),
        ({"audio_padding_ms": -5}, "audio_padding_ms"),
        ({"beep_hz": 8000}, "beep_hz"),  # above the 8 kHz line's Nyquist frequency
        (["CREDIT_CARD"], "body"),
    ],
)
async def test_an_invalid_policy_is_refused_naming_the_field(
    http: httpx.AsyncClient, stores: Stores, body: object, field: str
) -> None:
    tenant = await new_tenant(stores)
    response = await http.put(URL, json=body, headers=tenant.headers)
    # Valid JSON that breaks the policy's rules is unprocessable: 422, naming the field.
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{field}:"), response.json()
    assert (await current(http, tenant))["version"] == 0


async def test_a_body_that_is_not_json_is_refused(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    response = await http.put(
        URL, content=b"style: tag", headers=tenant.headers | {"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text


async def test_the_policy_needs_a_tenant_key(http: httpx.AsyncClient) -> None:
    for method in ("GET", "PUT"):
        response = await http.request(method, URL, json=CARDS_ONLY)
        assert response.status_code == 401
        wrong = await http.request(
            method, URL, json=CARDS_ONLY, headers={"Authorization": "Bearer cgk_nobody_wrong"}
        )
        assert wrong.status_code == 401


async def test_the_openapi_document_describes_the_policy_as_validated(
    http: httpx.AsyncClient,
) -> None:
    doc = (await http.get("/openapi.json")).json()
    put = doc["paths"][URL]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RedactionPolicy"
    }
    assert {"400", "401", "413", "422"} <= set(put["responses"])
    assert put["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    schema = doc["components"]["schemas"]["RedactionPolicy"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["score_threshold"]["maximum"] == 1.0
    assert "SHOE_SIZE" not in doc["components"]["schemas"]["EntityType"]["enum"]
    assert "CREDIT_CARD" in doc["components"]["schemas"]["EntityType"]["enum"]
