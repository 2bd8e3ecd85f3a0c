"""Dependencies routes declare with Annotated: clients, stores and the calling tenant."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from temporalio.client import Client

from callguide.resources import Stores
from callguide.settings import Settings
from storage.tenants import Tenant


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_stores(request: Request) -> Stores:
    stores: Stores = request.app.state.stores
    return stores


def get_temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoresDep = Annotated[Stores, Depends(get_stores)]
TemporalDep = Annotated[Client, Depends(get_temporal)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"}
    )


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def tenant_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def host_tenant(host: str, public_domain: str | None) -> tuple[str, str] | None:
    """(tenant, region) when the request came to <tenant>.<region>.<public_domain>."""
    if not public_domain:
        return None
    hostname = host.split(":")[0].lower().rstrip(".")
    suffix = "." + public_domain.lower()
    if not hostname.endswith(suffix):
        return None
    labels = hostname[: -len(suffix)].split(".")
    return (labels[0], labels[1]) if len(labels) == 2 else None


async def current_tenant(
    request: Request,
    settings: SettingsDep,
    stores: StoresDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Tenant:
    token = bearer_token(authorization)
    if token is None:
        raise _unauthorized("missing bearer token: send 'Authorization: Bearer <tenant API key>'")
    tenant = await stores.tenants.by_api_key(token)
    if tenant is None:
        raise _unauthorized("invalid API key")
    addressed = host_tenant(request.headers.get("host", ""), settings.public_domain)
    if addressed is not None:
        name, region = addressed
        if name not in (tenant_slug(tenant.name), tenant.id) or region != tenant.region:
            raise _unauthorized("this API key does not belong to this tenant host")
    return tenant


TenantDep = Annotated[Tenant, Depends(current_tenant)]
