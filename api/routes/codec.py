"""The Temporal UI's remote codec protocol, so permitted users see payloads decrypted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from api.deps import SettingsDep, StoresDep, bearer_token
from callguide.codec import AesGcmCodec, UnknownKeyError
from callguide.settings import parse_codec_keys

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


async def authorize_codec(request: Request, settings: SettingsDep, stores: StoresDep) -> None:
    """An operator codec token or a tenant key; a dev stack also admits its own local UI."""
    token = bearer_token(request.headers.get("authorization"))
    if token is not None:
        if settings.codec_auth_token and token == settings.codec_auth_token:
            return
        if await stores.tenants.by_api_key(token) is not None:
            return
    elif settings.dev_mode and request.client and request.client.host in _LOOPBACK:
        return
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="codec access needs a bearer token",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _codec(settings: SettingsDep) -> AesGcmCodec:
    return AesGcmCodec(keys=parse_codec_keys(settings.codec_keys))


def _parse(body: dict[str, Any]) -> Payloads:
    try:
        return json_format.ParseDict(body, Payloads())
    except json_format.ParseError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"payloads: {exc}") from exc


def _render(payloads: Payloads) -> dict[str, Any]:
    return json_format.MessageToDict(payloads)


@router.post("/encode", dependencies=[Depends(authorize_codec)])
async def encode(body: PayloadsBody, settings: SettingsDep) -> dict[str, Any]:
    payloads = _parse(body)
    encoded = await _codec(settings).encode(payloads.payloads)
    return _render(Payloads(payloads=encoded))


@router.post("/decode", dependencies=[Depends(authorize_codec)])
async def decode(body: PayloadsBody, settings: SettingsDep) -> dict[str, Any]:
    payloads = _parse(body)
    try:
        decoded = await _codec(settings).decode(payloads.payloads)
    except UnknownKeyError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(exc)) from exc
    return _render(Payloads(payloads=decoded))
