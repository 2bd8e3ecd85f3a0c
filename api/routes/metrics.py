"""`GET /metrics`: this API process's Prometheus metrics, for the operator's scraper.

Every tenant's figures are in there (admission refusals carry tenant ids), so it takes the
operator token (CALLGUIDE_OPERATOR_TOKEN) as a bearer token, never a tenant key; a dev
stack (CALLGUIDE_DEV_MODE) serves it to anyone who can reach its loopback port. It is left
out of the OpenAPI document, which describes the tenants' API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Response, status

from api.deps import SettingsDep, StoresDep, bearer_token, is_operator_token
from callguide.metrics import exposition

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(
    settings: SettingsDep,
    stores: StoresDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    if not settings.dev_mode:
        await _require_operator(bearer_token(authorization), settings.operator_token, stores)
    body, content_type = exposition()
    return Response(content=body, media_type=content_type)


async def _require_operator(token: str | None, operator_token: object, stores: StoresDep) -> None:
    if token is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing bearer token: /metrics needs 'Authorization: Bearer <operator token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if is_operator_token(token, operator_token):
        return
    if await stores.tenants.by_api_key(token) is not None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="/metrics holds every tenant's figures: it takes the operator token "
            "(CALLGUIDE_OPERATOR_TOKEN), not a tenant API key",
        )
    raise HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="invalid operator token",
        headers={"WWW-Authenticate": "Bearer"},
    )
