"""The recording, fault-injecting LLM proxy the model tests stand behind."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.llm_proxy import LlmProxy, ProxyMode

CHAT = {
    "messages": [{"role": "user", "content": "Count from one to twenty."}],
    "max_tokens": 40,
    "temperature": 0.0,
}


async def test_streams_pass_through_chunk_by_chunk_and_bodies_are_recorded(
    llm_url: str,
) -> None:
    async with (
        LlmProxy(upstream=llm_url.removesuffix("/v1")) as proxy,
        httpx.AsyncClient(base_url=proxy.url, timeout=60) as client,
    ):
        arrivals: list[float] = []
        async with client.stream(
            "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("data: ") and line != "data: [DONE]":
                    arrivals.append(time.monotonic())
        # Events arrive over time, as the model writes them, not in one piece at the end.
        assert len(arrivals) > 5
        assert arrivals[-1] - arrivals[0] > 0.05
        assert proxy.bodies() == [{**CHAT, "stream": True}]
        assert proxy.sent_text() == "Count from one to twenty."
        assert proxy.requests[0].path == "/v1/chat/completions"
        assert proxy.requests[0].mode is ProxyMode.PASS


async def test_error_mode_answers_500_without_reaching_the_model() -> None:
    # An upstream nothing listens on: an error answer must not need it.
    async with (
        LlmProxy(upstream="http://127.0.0.1:9") as proxy,
        httpx.AsyncClient(base_url=proxy.url, timeout=5) as client,
    ):
        proxy.mode = ProxyMode.ERROR
        response = await client.post("/v1/chat/completions", json=CHAT)
        assert response.status_code == 500
        assert proxy.requests[0].mode is ProxyMode.ERROR


async def test_hang_mode_accepts_and_never_answers_until_the_proxy_stops() -> None:
    async with (
        LlmProxy(upstream="http://127.0.0.1:9") as proxy,
        httpx.AsyncClient(base_url=proxy.url, timeout=5) as client,
    ):
        proxy.mode = ProxyMode.HANG
        request = asyncio.create_task(client.post("/v1/chat/completions", json=CHAT))
        await asyncio.sleep(0.5)
        assert not request.done()
        assert len(proxy.requests) == 1  # accepted and recorded
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
