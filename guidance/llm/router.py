"""The ML router: which provider answers a tenant's model route, within its timeout, and
whether that route is healthy enough to try.

A route (`guidance.policy.ModelRoute`) comes from the tenant's policy; credentials and the
set of hosts our workers may call come from the deployment's settings. A policy may name a
`base_url` only if the operator allowlisted it (or it is one the operator configured), so a
tenant cannot point our workers at internal hosts, nor have them send a provider key there.

Every route has its own circuit breaker (keyed by provider, base URL, model and deployment),
so one tenant's broken LoRA does not refuse calls to another's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from callguide.metrics import MODEL_TIMEOUTS
from guidance.llm.base import (
    ChatProvider,
    ChatRequest,
    ChatResult,
    ModelError,
    ModelTimeout,
    ModelUnavailable,
)
from guidance.llm.breaker import DEFAULT_COOLOFF_S, DEFAULT_FAILURE_THRESHOLD, CircuitBreaker
from guidance.llm.fireworks import DEFAULT_FIREWORKS_BASE_URL, FireworksProvider
from guidance.llm.openai_compatible import OpenAICompatibleProvider
from guidance.policy import ModelRoute, Provider

if TYPE_CHECKING:
    from callguide.settings import Settings

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
# Beyond the adapter's own deadline: the time an adapter may take to notice it and unwind.
_DEADLINE_GRACE_S = 0.05


def normalise_base_url(url: str) -> str:
    """scheme://host[:port]/path in lower case (path as given), no trailing slash, so that
    allowlist entries and policy URLs compare equal however they were written."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("a model base URL has no credentials, query or fragment")
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    host = parts.hostname.lower()
    netloc = host if port == default_port else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class RouteKey:
    provider: str
    base_url: str
    model: str
    deployment: str | None


class ModelRouter:
    def __init__(
        self,
        *,
        local_url: str | None = None,
        openai_base_url: str | None = None,
        openai_api_key: str | None = None,
        fireworks_api_key: str | None = None,
        fireworks_base_url: str | None = None,
        allowed_base_urls: Iterable[str] = (),
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        cooloff_s: float = DEFAULT_COOLOFF_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._local_url = local_url
        self._openai_base_url = openai_base_url or DEFAULT_OPENAI_BASE_URL
        self._openai_api_key = openai_api_key
        self._fireworks_api_key = fireworks_api_key
        self._fireworks_base_url = fireworks_base_url or DEFAULT_FIREWORKS_BASE_URL
        configured = [local_url, self._openai_base_url, self._fireworks_base_url]
        self._allowed = {normalise_base_url(u) for u in [*allowed_base_urls, *configured] if u}
        self._failure_threshold = failure_threshold
        self._cooloff_s = cooloff_s
        self._clock = clock
        self._providers: dict[tuple[str, str], ChatProvider] = {}
        self._breakers: dict[RouteKey, CircuitBreaker] = {}

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> ModelRouter:
        values: dict[str, object] = {
            "local_url": settings.llm_url,
            "openai_base_url": settings.openai_base_url,
            "openai_api_key": settings.openai_api_key.get_secret_value() or None,
            "fireworks_api_key": settings.fireworks_api_key.get_secret_value() or None,
            "fireworks_base_url": settings.fireworks_base_url,
            "allowed_base_urls": settings.llm_allowed_base_urls,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @staticmethod
    def task_queue_for(route: ModelRoute, default: str) -> str:
        """The task queue whose workers make this route's calls (a GPU or CPU shard when
        the policy names one; before the deployment's queue prefix is applied)."""
        return route.task_queue or default

    def breaker_for(self, route: ModelRoute) -> CircuitBreaker:
        key = self._route_key(route)
        breaker = self._breakers.get(key)
        if breaker is None:
            breaker = CircuitBreaker(
                failure_threshold=self._failure_threshold,
                cooloff_s=self._cooloff_s,
                clock=self._clock,
            )
            self._breakers[key] = breaker
        return breaker

    async def complete(self, route: ModelRoute, request: ChatRequest) -> ChatResult:
        """One chat completion on the route, within route.timeout_ms.

        Raises ModelUnavailable (refused route or open breaker: nothing was sent),
        ModelTimeout or ModelError; the last two count against the route's breaker.
        """
        provider, model = self._provider_for(route)
        breaker = self.breaker_for(route)
        if not breaker.allow():
            raise ModelUnavailable(
                f"the {route.provider} route for {route.model} is open after "
                f"{breaker.consecutive_failures} failures; retry in {breaker.retry_after_s():.1f}s"
            )
        timeout_s = route.timeout_ms / 1000
        try:
            async with asyncio.timeout(timeout_s + _DEADLINE_GRACE_S):
                result = await provider.complete(request, model=model, timeout_s=timeout_s)
        except TimeoutError as error:
            breaker.record_failure()
            MODEL_TIMEOUTS.labels(provider=route.provider.value).inc()
            raise ModelTimeout(f"no answer within {route.timeout_ms} ms") from error
        except ModelTimeout:  # the provider's own deadline (the same timeout) ran out
            breaker.record_failure()
            MODEL_TIMEOUTS.labels(provider=route.provider.value).inc()
            raise
        except ModelError:
            breaker.record_failure()
            raise
        except asyncio.CancelledError:
            breaker.release()  # cancelled by the caller: says nothing of the model
            raise
        except Exception as error:
            breaker.record_failure()
            raise ModelError(f"{route.provider}: {type(error).__name__}") from error
        breaker.record_success()
        return result

    async def close(self) -> None:
        for provider in self._providers.values():
            close = getattr(provider, "close", None)
            if close is not None:
                await close()
        self._providers.clear()

    # -- choosing the provider ---------------------------------------------------------

    def _base_url(self, route: ModelRoute) -> str:
        if route.base_url is not None:
            try:
                wanted = normalise_base_url(route.base_url)
            except ValueError as error:
                raise ModelUnavailable(f"model base URL refused: {error}") from None
            if wanted not in self._allowed:
                raise ModelUnavailable(
                    f"model base URL {route.base_url!r} is not in the allowlist "
                    "(CALLGUIDE_LLM_ALLOWED_BASE_URLS)"
                )
            return route.base_url
        if route.provider is Provider.LOCAL:
            if not self._local_url:
                raise ModelUnavailable(
                    "no local LLM server is configured (CALLGUIDE_LLM_URL, or `callguide dev up`)"
                )
            return self._local_url
        if route.provider is Provider.OPENAI:
            return self._openai_base_url
        return self._fireworks_base_url

    def _route_key(self, route: ModelRoute) -> RouteKey:
        return RouteKey(
            provider=str(route.provider),
            base_url=normalise_base_url(self._base_url(route)),
            model=route.model,
            deployment=route.deployment,
        )

    def _provider_for(self, route: ModelRoute) -> tuple[ChatProvider, str]:
        base_url = self._base_url(route)
        cache_key = (str(route.provider), normalise_base_url(base_url))
        provider = self._providers.get(cache_key)
        if route.provider is Provider.FIREWORKS:
            if provider is None:
                if not self._fireworks_api_key:
                    raise ModelUnavailable("no Fireworks API key (CALLGUIDE_FIREWORKS_API_KEY)")
                provider = FireworksProvider(api_key=self._fireworks_api_key, base_url=base_url)
            model = FireworksProvider.model_id(route.model, route.deployment)
        else:
            if provider is None:
                provider = OpenAICompatibleProvider(
                    base_url=base_url,
                    # The OpenAI key goes to OpenAI-provider URLs only, never to the local
                    # server a tenant might have named.
                    api_key=self._openai_api_key if route.provider is Provider.OPENAI else None,
                    name=str(route.provider),
                    # llama-cpp-python's server takes the schema in a json_object format.
                    schema_style="json_object"
                    if route.provider is Provider.LOCAL
                    else "json_schema",
                )
            model = route.model
        self._providers[cache_key] = provider
        return provider, model
