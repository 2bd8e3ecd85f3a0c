"""The ML router against the real llama.cpp server, through the fault-injecting proxy."""

from __future__ import annotations

import time

import pytest

from callguide.settings import Settings
from guidance.llm.base import ChatMessage, ChatRequest, ModelError, ModelTimeout, ModelUnavailable
from guidance.llm.breaker import BreakerState
from guidance.llm.router import ModelRouter, normalise_base_url
from guidance.policy import ModelRoute, Provider
from tests.guidance.llm.test_breaker import FakeClock
from tests.llm_proxy import LlmProxy, ProxyMode

HELLO = ChatRequest(
    messages=[ChatMessage("user", "Say hello to a customer.")], max_tokens=12, temperature=0.0
)
# Generous where the model must answer: the suite shares two cores with it.
ANSWER_MS = 10_000


def local_route(**fields: object) -> ModelRoute:
    return ModelRoute.model_validate({"provider": "local", "timeout_ms": ANSWER_MS, **fields})


async def test_a_local_route_is_answered_by_the_local_server(llm_url: str) -> None:
    router = ModelRouter(local_url=llm_url)
    try:
        result = await router.complete(local_route(), HELLO)
    finally:
        await router.close()
    assert result.text.strip() and result.provider == "local"


async def test_a_hanging_model_times_out_within_the_route_timeout(proxy: LlmProxy) -> None:
    proxy.mode = ProxyMode.HANG
    router = ModelRouter(local_url=f"{proxy.url}/v1")
    route = local_route(timeout_ms=300)
    started = time.monotonic()
    try:
        with pytest.raises(ModelTimeout):
            await router.complete(route, HELLO)
    finally:
        await router.close()
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 0.3 + 0.4
    assert router.breaker_for(route).consecutive_failures == 1


async def test_an_erroring_model_trips_the_breaker_and_recovers(proxy: LlmProxy) -> None:
    clock = FakeClock()
    router = ModelRouter(
        local_url=f"{proxy.url}/v1", failure_threshold=2, cooloff_s=30.0, clock=clock
    )
    route = local_route()
    proxy.mode = ProxyMode.ERROR
    try:
        for _ in range(2):
            with pytest.raises(ModelError) as raised:
                await router.complete(route, HELLO)
            assert not isinstance(raised.value, ModelUnavailable)
        assert router.breaker_for(route).state is BreakerState.OPEN

        # Open: refused at once, and nothing reaches the model.
        sent = len(proxy.requests)
        started = time.monotonic()
        with pytest.raises(ModelUnavailable, match="open"):
            await router.complete(route, HELLO)
        assert time.monotonic() - started < 0.05
        assert len(proxy.requests) == sent

        # The model is back; after the cool-off one trial goes through and closes it.
        proxy.mode = ProxyMode.PASS
        clock.advance(30.0)
        result = await router.complete(route, HELLO)
        assert result.text.strip()
        assert router.breaker_for(route).state is BreakerState.CLOSED
        assert len(proxy.requests) == sent + 1
    finally:
        await router.close()


async def test_one_routes_open_breaker_does_not_refuse_another(proxy: LlmProxy) -> None:
    router = ModelRouter(local_url=f"{proxy.url}/v1", failure_threshold=1)
    broken, healthy = local_route(), local_route(model="another-lora")
    proxy.mode = ProxyMode.ERROR
    try:
        with pytest.raises(ModelError):
            await router.complete(broken, HELLO)
        proxy.mode = ProxyMode.PASS
        with pytest.raises(ModelUnavailable):
            await router.complete(broken, HELLO)
        assert (await router.complete(healthy, HELLO)).text.strip()
    finally:
        await router.close()


async def test_a_base_url_outside_the_allowlist_is_refused(proxy: LlmProxy) -> None:
    router = ModelRouter(local_url=f"{proxy.url}/v1", allowed_base_urls=["https://llm.example/v1"])
    try:
        for url in ("http://169.254.169.254/latest", "http://127.0.0.1:5432/v1"):
            with pytest.raises(ModelUnavailable, match="allowlist"):
                await router.complete(local_route(base_url=url), HELLO)
        openai_route = ModelRoute(provider=Provider.OPENAI, model="gpt-4o-mini", base_url=proxy.url)
        with pytest.raises(ModelUnavailable, match="allowlist"):
            await router.complete(openai_route, HELLO)
    finally:
        await router.close()
    assert proxy.requests == []


async def test_an_allowlisted_base_url_is_used(proxy: LlmProxy) -> None:
    router = ModelRouter(local_url=None, allowed_base_urls=[f"{proxy.url}/v1/"])
    try:
        result = await router.complete(local_route(base_url=f"{proxy.url}/v1"), HELLO)
    finally:
        await router.close()
    assert result.text.strip()
    assert len(proxy.requests) == 1


async def test_unconfigured_providers_are_unavailable() -> None:
    router = ModelRouter()
    with pytest.raises(ModelUnavailable, match="local LLM"):
        await router.complete(local_route(), HELLO)
    fireworks_route = ModelRoute(
        provider=Provider.FIREWORKS, model="accounts/acme/models/acme-lora"
    )
    with pytest.raises(ModelUnavailable, match="Fireworks API key"):
        await router.complete(fireworks_route, HELLO)


async def test_a_fireworks_route_reaches_its_pinned_deployment(proxy: LlmProxy) -> None:
    router = ModelRouter(fireworks_api_key="test-key", fireworks_base_url=proxy.url)
    route = ModelRoute(
        provider=Provider.FIREWORKS,
        model="accounts/acme/models/acme-lora-v3",
        deployment="shard-1",
        timeout_ms=ANSWER_MS,
    )
    try:
        result = await router.complete(route, HELLO)
    finally:
        await router.close()
    assert result.provider == "fireworks" and result.text.strip()
    assert proxy.bodies()[-1]["model"] == (
        "accounts/acme/models/acme-lora-v3#accounts/acme/deployments/shard-1"
    )


def test_routes_may_name_their_own_task_queue() -> None:
    assert ModelRouter.task_queue_for(local_route(), "ml") == "ml"
    assert ModelRouter.task_queue_for(local_route(task_queue="gpu-a10"), "ml") == "gpu-a10"


def test_from_settings_takes_urls_keys_and_the_allowlist() -> None:
    settings = Settings(
        llm_url="http://127.0.0.1:9/v1",
        fireworks_api_key="fw-test",  # type: ignore[arg-type]
        llm_allowed_base_urls=["https://models.internal.example/v1"],
    )
    router = ModelRouter.from_settings(settings)
    route = local_route(base_url="https://MODELS.internal.example:443/v1/")
    assert router.breaker_for(route).state is BreakerState.CLOSED  # allowed: no refusal


def test_base_urls_compare_however_they_are_written() -> None:
    assert normalise_base_url("HTTPS://Api.Example:443/v1/") == "https://api.example/v1"
    assert normalise_base_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    for bad in ("ftp://x/v1", "http://user:pw@x/v1", "http://x/v1?next=y", "not a url"):
        with pytest.raises(ValueError):
            normalise_base_url(bad)
