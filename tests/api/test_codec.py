"""The remote codec endpoint the Temporal UI uses to show decrypted payloads.

A tenant key opens only that tenant's payloads; the operator token opens all of them.
Calls' real histories are checked end to end in tests/workflows/test_tenant_keys.py.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload

from callguide.codec import AesGcmCodec
from callguide.resources import Stores
from callguide.settings import Settings, parse_codec_keys
from tests.conftest import TenantKey, new_tenant, running_api

OPERATOR_TOKEN = f"operator-{uuid.uuid4().hex}"


def as_json(*payloads: Payload) -> dict[str, object]:
    return {
        "payloads": [
            {
                "metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()},
                "data": base64.b64encode(p.data).decode(),
            }
            for p in payloads
        ]
    }


def first_data(response: httpx.Response) -> bytes:
    return base64.b64decode(response.json()["payloads"][0].get("data", ""))


def secret_payload() -> tuple[Payload, bytes]:
    secret = f"my date of birth is {uuid.uuid4().hex}".encode()
    return Payload(metadata={"encoding": b"json/plain"}, data=b'"' + secret + b'"'), secret


def sealing(settings: Settings, tenant_id: str | None) -> AesGcmCodec:
    return AesGcmCodec(keys=parse_codec_keys(settings.codec_keys), tenant_id=tenant_id)


@pytest_asyncio.fixture(loop_scope="session")
async def operator_http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An API whose operator codec token is set (the suite's default API has none)."""
    with_token = settings.model_copy(update={"codec_auth_token": SecretStr(OPERATOR_TOKEN)})
    async with running_api(with_token) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as session:
            yield session


OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


async def test_a_tenant_decodes_its_own_payloads_and_no_other(
    operator_http: httpx.AsyncClient, settings: Settings, stores: Stores, tenant: TenantKey
) -> None:
    other = await new_tenant(stores)
    plain, secret = secret_payload()
    [own] = await sealing(settings, tenant.tenant_id).encode([plain])
    [foreign] = await sealing(settings, other.tenant_id).encode([plain])
    [master] = await sealing(settings, None).encode([plain])

    assert (await operator_http.post("/codec/decode", json=as_json(own))).status_code == 401
    mine = await operator_http.post("/codec/decode", json=as_json(own), headers=tenant.headers)
    assert mine.status_code == 200 and secret in first_data(mine)
    # What the Temporal UI (2.54) sends: the same request with preserveStorageRefs.
    from_ui = await operator_http.post(
        "/codec/decode?preserveStorageRefs=true", json=as_json(own), headers=tenant.headers
    )
    assert from_ui.status_code == 200 and secret in first_data(from_ui)

    for refused in (as_json(foreign), as_json(own, foreign), as_json(master)):
        denied = await operator_http.post("/codec/decode", json=refused, headers=tenant.headers)
        assert denied.status_code == 403, denied.text
        assert "payloads[" in denied.json()["detail"]
        assert secret.decode() not in denied.text

    everything = await operator_http.post(
        "/codec/decode", json=as_json(own, foreign, master), headers=OPERATOR
    )
    assert everything.status_code == 200
    assert all(secret in base64.b64decode(p["data"]) for p in everything.json()["payloads"])


async def test_a_wrong_operator_token_is_not_an_operator(
    operator_http: httpx.AsyncClient, settings: Settings
) -> None:
    plain, _ = secret_payload()
    [sealed] = await sealing(settings, None).encode([plain])
    for token in (OPERATOR_TOKEN[:-1], OPERATOR_TOKEN + "x", "x"):
        response = await operator_http.post(
            "/codec/decode", json=as_json(sealed), headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401


async def test_tampered_or_unknown_payloads_are_a_400(
    operator_http: httpx.AsyncClient, settings: Settings, tenant: TenantKey
) -> None:
    plain, _ = secret_payload()
    [sealed] = await sealing(settings, tenant.tenant_id).encode([plain])
    flipped = Payload(
        metadata=sealed.metadata, data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    )
    truncated = Payload(metadata=sealed.metadata, data=sealed.data[:3])
    unknown = Payload(
        metadata={**sealed.metadata, "encryption-key-id": b"retired-key"}, data=sealed.data
    )
    for bad, headers in (
        (flipped, tenant.headers),
        (truncated, tenant.headers),
        (flipped, OPERATOR),
        (unknown, OPERATOR),
    ):
        response = await operator_http.post("/codec/decode", json=as_json(bad), headers=headers)
        assert response.status_code == 400, response.text


async def test_a_tenant_encodes_with_its_own_key(
    operator_http: httpx.AsyncClient, settings: Settings, stores: Stores, tenant: TenantKey
) -> None:
    other = await new_tenant(stores)
    plain, secret = secret_payload()
    encoded = await operator_http.post("/codec/encode", json=as_json(plain), headers=tenant.headers)
    assert encoded.status_code == 200
    assert secret not in first_data(encoded)
    key_id = base64.b64decode(encoded.json()["payloads"][0]["metadata"]["encryption-key-id"])
    assert key_id.decode().endswith(f"/{tenant.tenant_id}")
    back = await operator_http.post("/codec/decode", json=encoded.json(), headers=tenant.headers)
    assert back.status_code == 200 and secret in first_data(back)
    denied = await operator_http.post("/codec/decode", json=encoded.json(), headers=other.headers)
    assert denied.status_code == 403


async def test_codec_answers_the_temporal_ui_preflight(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    response = await http.options(
        "/codec/decode",
        headers={
            "Origin": settings.temporal_ui_url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-namespace,authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == settings.temporal_ui_url


async def test_dev_stack_lets_the_local_ui_decode_without_a_token(settings: Settings) -> None:
    async with running_api(settings.model_copy(update={"dev_mode": True})) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            response = await http.post("/codec/decode", json={"payloads": []})
    assert response.status_code == 200
