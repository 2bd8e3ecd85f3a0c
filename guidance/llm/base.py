"""What every model provider offers guidance: one chat completion, streamed under the hood
so the time to the first token is measured, within a deadline.

Adapters know nothing of Temporal or of tenants: the router (`guidance.llm.router`) picks
one per route and counts its failures.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    messages: tuple[ChatMessage, ...] | list[ChatMessage]
    max_tokens: int = 128
    temperature: float = 0.2
    # When set, the provider is asked to answer with JSON matching this schema (constrained
    # decoding where the server supports it); the caller still validates what comes back.
    json_schema: dict[str, Any] | None = None
    # Generation ends at any of these (not included in the text).
    stop: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChatResult:
    text: str
    provider: str
    model: str
    # None when the answer had no content at all.
    first_token_ms: float | None
    total_ms: float
    completion_tokens: int
    finish_reason: str | None = field(default=None, compare=False)


class ModelError(Exception):
    """A model call that gave no usable answer."""


class ModelTimeout(ModelError):
    """The model did not finish within the route's timeout."""


class ModelUnavailable(ModelError):
    """The call was not made: the route's breaker is open, or the route is refused
    (a base URL outside the allowlist, a provider without configuration)."""


class ChatProvider(Protocol):
    async def complete(
        self, request: ChatRequest, *, model: str, timeout_s: float
    ) -> ChatResult: ...


def openai_messages(request: ChatRequest) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in request.messages]


async def collect_stream(
    chunks: AsyncIterator[Any], *, provider: str, model: str, started: float
) -> ChatResult:
    """Reads an OpenAI-shaped chat completion stream (the openai and fireworks SDKs both
    yield such chunks) into one result, timing the first content token.

    `started` is a `time.perf_counter()` reading taken before the request was sent.
    """
    parts: list[str] = []
    first_token_at: float | None = None
    content_chunks = 0
    usage_tokens: int | None = None
    finish_reason: str | None = None
    answered_model = model
    async for chunk in chunks:
        if getattr(chunk, "model", None):
            answered_model = chunk.model
        usage = getattr(chunk, "usage", None)
        if usage is not None and getattr(usage, "completion_tokens", None) is not None:
            usage_tokens = int(usage.completion_tokens)
        for choice in getattr(chunk, "choices", None) or ():
            delta = getattr(choice, "delta", None)
            text = getattr(delta, "content", None) if delta is not None else None
            if text:
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                parts.append(text)
                content_chunks += 1
            if getattr(choice, "finish_reason", None):
                finish_reason = choice.finish_reason
    finished = time.perf_counter()
    return ChatResult(
        text="".join(parts),
        provider=provider,
        model=answered_model,
        first_token_ms=None if first_token_at is None else (first_token_at - started) * 1000,
        total_ms=(finished - started) * 1000,
        # Servers that stream one token per chunk (llama.cpp does) need no usage report.
        completion_tokens=usage_tokens if usage_tokens is not None else content_chunks,
        finish_reason=finish_reason,
    )
