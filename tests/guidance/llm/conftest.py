"""A recording, fault-injecting proxy in front of the session's llama.cpp server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.llm_proxy import LlmProxy


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(llm_url: str) -> AsyncIterator[LlmProxy]:
    async with LlmProxy(upstream=llm_url.removesuffix("/v1")) as running:
        yield running
