"""Any OpenAI-compatible chat endpoint (OpenAI itself, vLLM, llama.cpp's server) through the
openai SDK, streaming.

The SDK's own retries are off: a suggested reply has under a second, and the router's
breaker, not a hidden retry loop, decides what a failing endpoint gets next.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

import openai

from guidance.llm.base import (
    ChatRequest,
    ChatResult,
    ModelError,
    ModelTimeout,
    collect_stream,
    openai_messages,
)

# How a JSON schema is asked for. OpenAI's API takes {"type": "json_schema", "json_schema":
# {"name", "schema"}}; llama-cpp-python's server (and Fireworks) take the schema inside a
# json_object format, {"type": "json_object", "schema": ...}, and turn it into a grammar.
SchemaStyle = Literal["json_schema", "json_object"]

# The SDK refuses to start without a key; servers that need none ignore this one.
NO_KEY = "none"


def response_format(schema: dict[str, Any], style: SchemaStyle) -> dict[str, Any]:
    if style == "json_object":
        return {"type": "json_object", "schema": schema}
    return {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": schema, "strict": True},
    }


class OpenAICompatibleProvider:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None = None,
        name: str = "openai",
        schema_style: SchemaStyle = "json_schema",
    ) -> None:
        self.name = name
        self.base_url = base_url
        self._schema_style = schema_style
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or NO_KEY, max_retries=0
        )

    async def complete(self, request: ChatRequest, *, model: str, timeout_s: float) -> ChatResult:
        extra: dict[str, Any] = {}
        if request.stop:
            extra["stop"] = list(request.stop)
        if request.json_schema is not None:
            extra["response_format"] = response_format(request.json_schema, self._schema_style)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s):
                stream = await self._client.chat.completions.create(
                    model=model,
                    messages=openai_messages(request),  # type: ignore[arg-type]
                    max_tokens=request.max_tokens,
                    temperature=request.temperature,
                    stream=True,
                    timeout=timeout_s,
                    **extra,
                )
                # **extra hides the stream=True overload from the type checker.
                assert isinstance(stream, openai.AsyncStream)
                # Leaving the block closes the response, also when the deadline cancels it,
                # so a hanging server keeps no connection of ours.
                async with stream:
                    return await collect_stream(
                        stream, provider=self.name, model=model, started=started
                    )
        except (TimeoutError, openai.APITimeoutError) as error:
            raise ModelTimeout(f"{self.name} did not answer within {timeout_s:.2f}s") from error
        except openai.APIStatusError as error:
            # Not the body: a server's error may quote the request, and so the call's text.
            raise ModelError(
                f"{self.name}: {type(error).__name__} (HTTP {error.status_code})"
            ) from error
        except openai.APIError as error:
            raise ModelError(f"{self.name}: {type(error).__name__}") from error

    async def close(self) -> None:
        await self._client.close()
