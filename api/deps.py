"""Dependencies routes declare with Annotated: clients, stores and the calling tenant."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from temporalio.client import Client

from api.tenancy import TenancyError, check_host, host_target, http_error
from callguide.logging import set_log_context
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


def check_request_host(request: Request, settings: Settings, tenant: Tenant) -> None:
    """Raises the HTTP error for a request whose host is not this tenant's host.

    Every route that authenticates a tenant key (the codec routes too) calls this, so a
    host under our domain is either exactly <slug>.<region>.<domain> or refused.
    """
    try:
        check_host(tenant, request.headers.get("host", ""), settings.public_domain)
    except TenancyError as exc:
        raise http_error(exc) from exc


def refuse_foreign_host(request: Request, settings: Settings) -> None:
    """Refuses hosts under our domain that cannot be any tenant's, before any key lookup."""
    try:
        host_target(request.headers.get("host", ""), settings.public_domain)
    except TenancyError as exc:
        raise http_error(exc) from exc


async def current_tenant(
    request: Request,
    settings: SettingsDep,
    stores: StoresDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Tenant:
    refuse_foreign_host(request, settings)
    token = bearer_token(authorization)
    if token is None:
        raise _unauthorized("missing bearer token: send 'Authorization: Bearer <tenant API key>'")
    tenant = await stores.tenants.by_api_key(token)
    if tenant is None:
        raise _unauthorized("invalid API key")
    check_request_host(request, settings, tenant)
    set_log_context(tenant_id=tenant.id)  # the request's log lines name its tenant
    return tenant


TenantDep = Annotated[Tenant, Depends(current_tenant)]


def is_operator_token(token: str, secret: object) -> bool:
    """Whether token is the configured operator token (a SecretStr or None)."""
    expected = secret.get_secret_value() if hasattr(secret, "get_secret_value") else ""
    # An empty token configured means "no operator token", never "any empty bearer".
    return bool(expected) and hmac.compare_digest(token.encode(), str(expected).encode())


@dataclass(frozen=True)
class Caller:
    """Who is calling an ops route: a tenant (its own calls only) or the operator."""

    tenant: Tenant | None

    @property
    def tenant_id(self) -> str | None:
        """The tenant whose data the caller may see; None for the operator (all)."""
        return self.tenant.id if self.tenant is not None else None


async def current_caller(
    request: Request,
    settings: SettingsDep,
    stores: StoresDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Caller:
    """The operator token (CALLGUIDE_OPERATOR_TOKEN) or a tenant API key."""
    refuse_foreign_host(request, settings)
    token = bearer_token(authorization)
    if token is None:
        raise _unauthorized(
            "missing bearer token: send 'Authorization: Bearer <tenant API key or operator token>'"
        )
    if is_operator_token(token, settings.operator_token):
        return Caller(tenant=None)
    tenant = await stores.tenants.by_api_key(token)
    if tenant is None:
        raise _unauthorized("invalid API key")
    check_request_host(request, settings, tenant)
    set_log_context(tenant_id=tenant.id)
    return Caller(tenant=tenant)


CallerDep = Annotated[Caller, Depends(current_caller)]
