"""The OpenAI-compatible adapter against the real llama.cpp server (SmolLM2-135M)."""

from __future__ import annotations

import json
import time

import pytest

from callguide.devstack import free_port
from guidance.llm.base import ChatMessage, ChatRequest, ModelError, ModelTimeout
from guidance.llm.openai_compatible import OpenAICompatibleProvider, response_format
from guidance.policy import LOCAL_MODEL
from tests.llm_proxy import LlmProxy, ProxyMode

# Generous: the suite shares two cores with the model.
TIMEOUT_S = 30.0


def hello(max_tokens: int = 16) -> ChatRequest:
    return ChatRequest(
        messages=[
            ChatMessage("system", "You are brief."),
            ChatMessage("user", "Say hello to a customer."),
        ],
        max_tokens=max_tokens,
        temperature=0.0,
    )


async def test_a_streamed_completion_is_timed_and_counted(llm_url: str) -> None:
    provider = OpenAICompatibleProvider(base_url=llm_url, name="local", schema_style="json_object")
    try:
        result = await provider.complete(hello(), model=LOCAL_MODEL, timeout_s=TIMEOUT_S)
    finally:
        await provider.close()
    assert result.text.strip()
    assert result.provider == "local"
    assert result.model == LOCAL_MODEL
    assert result.first_token_ms is not None
    assert 0 < result.first_token_ms <= result.total_ms
    assert 1 <= result.completion_tokens <= 16


async def test_a_json_schema_constrains_the_answer(llm_url: str, proxy: LlmProxy) -> None:
    schema = {
        "type": "object",
        "properties": {"greeting": {"type": "string"}, "polite": {"type": "boolean"}},
        "required": ["greeting", "polite"],
    }
    provider = OpenAICompatibleProvider(
        base_url=f"{proxy.url}/v1", name="local", schema_style="json_object"
    )
    request = ChatRequest(
        messages=[ChatMessage("user", "Greet a customer. Answer as JSON.")],
        max_tokens=80,
        temperature=0.0,
        json_schema=schema,
    )
    try:
        result = await provider.complete(request, model=LOCAL_MODEL, timeout_s=TIMEOUT_S)
    finally:
        await provider.close()
    answer = json.loads(result.text)
    assert isinstance(answer["greeting"], str) and isinstance(answer["polite"], bool)
    # llama-cpp-python's server takes the schema inside a json_object format.
    assert proxy.bodies()[-1]["response_format"] == {"type": "json_object", "schema": schema}
    assert proxy.bodies()[-1]["stream"] is True


def test_openai_style_schemas_are_named_json_schema_formats() -> None:
    schema = {"type": "object"}
    assert response_format(schema, "json_schema") == {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": schema, "strict": True},
    }


async def test_a_refused_connection_is_a_model_error_at_once() -> None:
    provider = OpenAICompatibleProvider(base_url=f"http://127.0.0.1:{free_port()}/v1")
    started = time.monotonic()
    try:
        with pytest.raises(ModelError) as raised:
            await provider.complete(hello(), model=LOCAL_MODEL, timeout_s=5.0)
    finally:
        await provider.close()
    assert not isinstance(raised.value, ModelTimeout)
    assert time.monotonic() - started < 2.0


async def test_a_hanging_server_times_out_within_the_deadline(proxy: LlmProxy) -> None:
    proxy.mode = ProxyMode.HANG
    provider = OpenAICompatibleProvider(base_url=f"{proxy.url}/v1")
    started = time.monotonic()
    try:
        with pytest.raises(ModelTimeout):
            await provider.complete(hello(), model=LOCAL_MODEL, timeout_s=0.3)
    finally:
        await provider.close()
    assert time.monotonic() - started < 0.3 + 0.4
    assert len(proxy.requests) == 1


async def test_a_server_error_is_a_model_error(proxy: LlmProxy) -> None:
    proxy.mode = ProxyMode.ERROR
    provider = OpenAICompatibleProvider(base_url=f"{proxy.url}/v1")
    try:
        with pytest.raises(ModelError, match=r"InternalServerError \(HTTP 500\)") as raised:
            await provider.complete(hello(), model=LOCAL_MODEL, timeout_s=5.0)
    finally:
        await provider.close()
    assert len(proxy.requests) == 1  # the SDK's own retries are off
    # A server's error body may quote the request: it stays out of the error's message.
    assert "injected" not in str(raised.value)
