"""The Temporal UI's remote codec protocol, so permitted users see payloads decrypted.

Who may open what:
- the operator token (CALLGUIDE_CODEC_AUTH_TOKEN), and a dev stack's own local UI, open
  every payload and encode with the master key;
- a tenant API key opens only payloads sealed with that tenant's key and encodes with it.
  A request holding any encrypted payload of another tenant, or one sealed with a master
  key (workflows that are not calls, and histories written before tenant keys), is
  refused whole with a 403 naming the payload's index: nothing of it is decrypted.
A payload that is tampered with, truncated or names an unknown key is a 400.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, status
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from api.deps import (
    SettingsDep,
    StoresDep,
    bearer_token,
    check_request_host,
    refuse_foreign_host,
)
from api.schemas import error_responses
from callguide.codec import AesGcmCodec, CodecError, is_encrypted_payload, payload_tenant
from callguide.settings import Settings, parse_codec_keys

router = APIRouter(prefix="/codec", tags=["codec"])

PayloadsBody = Annotated[
    dict[str, Any],
    Body(
        examples=[
            {"payloads": [{"metadata": {"encoding": "YmluYXJ5L2VuY3J5cHRlZA=="}, "data": ""}]}
        ],
        description="Temporal Payloads in protobuf JSON form",
    ),
]

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class CodecCaller:
    """The tenant a caller may decode for; None for the operator (every tenant)."""

    tenant_id: str | None


def _is_operator_token(token: str, settings: Settings) -> bool:
    expected = settings.codec_auth_token.get_secret_value() if settings.codec_auth_token else ""
    # An empty token configured means "no operator token", never "any empty bearer".
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


async def authorize_codec(
    request: Request, settings: SettingsDep, stores: StoresDep
) -> CodecCaller:
    """An operator codec token or a tenant key; a dev stack also admits its own local UI.

    Hosts follow the API's rule: a host under our domain that is not exactly a tenant's
    is refused for everyone, and a tenant key works only on its own tenant's host.
    """
    refuse_foreign_host(request, settings)
    token = bearer_token(request.headers.get("authorization"))
    if token is not None:
        if _is_operator_token(token, settings):
            return CodecCaller(tenant_id=None)
        tenant = await stores.tenants.by_api_key(token)
        if tenant is not None:
            check_request_host(request, settings, tenant)
            return CodecCaller(tenant_id=tenant.id)
    elif settings.dev_mode and request.client and request.client.host in _LOOPBACK:
        return CodecCaller(tenant_id=None)
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="codec access needs a bearer token",
        headers={"WWW-Authenticate": "Bearer"},
    )


CallerDep = Annotated[CodecCaller, Depends(authorize_codec)]


def _codec(settings: Settings, caller: CodecCaller) -> AesGcmCodec:
    return AesGcmCodec(keys=parse_codec_keys(settings.codec_keys), tenant_id=caller.tenant_id)


def _parse(body: dict[str, Any]) -> Payloads:
    try:
        return json_format.ParseDict(body, Payloads())
    except json_format.ParseError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"payloads: {exc}") from exc


def _render(payloads: Payloads) -> dict[str, Any]:
    return json_format.MessageToDict(payloads)


def _require_own_payloads(payloads: Payloads, caller: CodecCaller) -> None:
    if caller.tenant_id is None:
        return
    for index, payload in enumerate(payloads.payloads):
        if is_encrypted_payload(payload) and payload_tenant(payload) != caller.tenant_id:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"payloads[{index}] is not sealed with this tenant's key",
            )


# The Temporal UI (2.54) asks the codec to leave external-storage references as they are.
# callguide stores no payload externally, so there are none to preserve: accepted, unused.
PreserveStorageRefs = Annotated[
    bool,
    Query(
        alias="preserveStorageRefs",
        description="Sent by the Temporal UI; callguide keeps no payloads in external storage.",
    ),
]


@router.post("/encode", responses=error_responses(413))
async def encode(
    body: PayloadsBody,
    settings: SettingsDep,
    caller: CallerDep,
    preserve_storage_refs: PreserveStorageRefs = False,
) -> dict[str, Any]:
    payloads = _parse(body)
    encoded = await _codec(settings, caller).encode(payloads.payloads)
    return _render(Payloads(payloads=encoded))


# 400: malformed, tampered with or of an unknown key; 403: another tenant's payload.
@router.post("/decode", responses=error_responses(403, 413))
async def decode(
    body: PayloadsBody,
    settings: SettingsDep,
    caller: CallerDep,
    preserve_storage_refs: PreserveStorageRefs = False,
) -> dict[str, Any]:
    payloads = _parse(body)
    _require_own_payloads(payloads, caller)
    try:
        decoded = await _codec(settings, caller).decode(payloads.payloads)
    except CodecError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(exc)) from exc
    return _render(Payloads(payloads=decoded))
