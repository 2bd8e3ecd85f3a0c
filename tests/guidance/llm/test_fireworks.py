"""The Fireworks adapter, driven through the fireworks-ai SDK against the local llama.cpp
server (its base URL overridden), as the issue asks: no network to Fireworks here."""

from __future__ import annotations

import json
import time
from typing import Any

import fireworks
import httpx
import pytest

from guidance.llm.base import ChatMessage, ChatRequest, ModelError, ModelTimeout
from guidance.llm.fireworks import MAX_ATTEMPTS, FireworksProvider, is_retryable
from tests.llm_proxy import LlmProxy, ProxyMode

LORA = "accounts/acme/models/acme-lora-v3"
# The local server answers whatever model is named; Fireworks would route the LoRA.
TIMEOUT_S = 30.0


def question(max_tokens: int = 16, schema: dict[str, Any] | None = None) -> ChatRequest:
    return ChatRequest(
        messages=[ChatMessage("user", "Say hello to a customer.")],
        max_tokens=max_tokens,
        temperature=0.0,
        json_schema=schema,
    )


def provider_for(proxy: LlmProxy) -> FireworksProvider:
    # Without /v1: the SDK appends /v1/chat/completions to an overridden base URL.
    return FireworksProvider(api_key="test-key", base_url=proxy.url)


def test_a_deployment_pins_the_model_with_fireworks_syntax() -> None:
    assert FireworksProvider.model_id(LORA) == LORA
    assert (
        FireworksProvider.model_id(LORA, "lora-shard-1")
        == f"{LORA}#accounts/acme/deployments/lora-shard-1"
    )
    full = "accounts/other/deployments/shared"
    assert FireworksProvider.model_id(LORA, full) == f"{LORA}#{full}"


async def test_streams_a_completion_through_the_sdk(proxy: LlmProxy) -> None:
    provider = provider_for(proxy)
    model = FireworksProvider.model_id(LORA, "lora-shard-1")
    try:
        result = await provider.complete(question(), model=model, timeout_s=TIMEOUT_S)
    finally:
        await provider.close()
    assert result.text.strip() and result.provider == "fireworks"
    assert result.first_token_ms is not None and result.first_token_ms <= result.total_ms
    sent = proxy.requests[-1]
    assert sent.path == "/v1/chat/completions"
    body = sent.json()
    assert body["model"] == f"{LORA}#accounts/acme/deployments/lora-shard-1"
    assert body["stream"] is True


async def test_a_json_schema_uses_fireworks_json_mode(proxy: LlmProxy) -> None:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    provider = provider_for(proxy)
    try:
        result = await provider.complete(
            question(max_tokens=20, schema=schema), model=LORA, timeout_s=TIMEOUT_S
        )
    finally:
        await provider.close()
    assert isinstance(json.loads(result.text)["ok"], bool)
    assert proxy.bodies()[-1]["response_format"] == {"type": "json_object", "schema": schema}


async def test_server_errors_are_retried_within_the_timeout(proxy: LlmProxy) -> None:
    proxy.mode = ProxyMode.ERROR
    provider = provider_for(proxy)
    try:
        with pytest.raises(ModelError, match="InternalServerError"):
            await provider.complete(question(), model=LORA, timeout_s=5.0)
    finally:
        await provider.close()
    assert len(proxy.requests) == MAX_ATTEMPTS


async def test_a_recovering_server_answers_on_a_retry(proxy: LlmProxy) -> None:
    proxy.mode = ProxyMode.ERROR
    proxy.on_request = lambda _: setattr(proxy, "mode", ProxyMode.PASS)  # heals after one
    provider = provider_for(proxy)
    try:
        result = await provider.complete(question(), model=LORA, timeout_s=TIMEOUT_S)
    finally:
        await provider.close()
    assert result.text.strip()
    assert [r.mode for r in proxy.requests] == [ProxyMode.ERROR, ProxyMode.PASS]


async def test_a_hanging_deployment_times_out_without_retrying_past_the_deadline(
    proxy: LlmProxy,
) -> None:
    proxy.mode = ProxyMode.HANG
    provider = provider_for(proxy)
    started = time.monotonic()
    try:
        with pytest.raises(ModelTimeout):
            await provider.complete(question(), model=LORA, timeout_s=0.3)
    finally:
        await provider.close()
    assert time.monotonic() - started < 0.3 + 0.4


def test_only_transient_errors_are_retryable() -> None:
    request = httpx.Request("POST", "http://fireworks.invalid/v1/chat/completions")

    def status(code: int) -> fireworks.APIStatusError:
        response = httpx.Response(code, request=request)
        return fireworks.APIStatusError("failed", response=response, body=None)

    assert is_retryable(fireworks.APIConnectionError(request=request))
    assert all(is_retryable(status(code)) for code in (408, 409, 429, 500, 503))
    assert not any(is_retryable(status(code)) for code in (400, 401, 403, 404, 422))
    assert not is_retryable(ValueError("not an API error"))
