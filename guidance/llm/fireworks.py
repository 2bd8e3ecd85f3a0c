"""Fireworks AI through its SDK (fireworks-ai 1.x), streaming: a tenant's LoRA addon
`accounts/<account>/models/<lora>`, optionally pinned to a dedicated deployment.

Fireworks addresses a model on one deployment as `<model name>#<deployment name>`, the
deployment name being `accounts/<account>/deployments/<id>` (docs.fireworks.ai, "On-demand
deployments": querying a deployment). A policy may give only the deployment's id; it is
taken to be in the model's account.

Transient failures (connection errors, 408/409/429, 5xx) are retried with jittered
exponential backoff, but only while the call's timeout has room for another attempt: the
timeout bounds the whole call, retries included. Other errors (a bad request, a wrong key,
an unknown model) fail at once.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import fireworks
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from guidance.llm.base import (
    ChatRequest,
    ChatResult,
    ModelError,
    ModelTimeout,
    collect_stream,
    openai_messages,
)

# The SDK posts to base_url + "/v1/chat/completions" once a base URL is given.
DEFAULT_FIREWORKS_BASE_URL = "https://api.fireworks.ai/inference"
MAX_ATTEMPTS = 3
RETRY_INITIAL_WAIT_S = 0.05
RETRY_MAX_WAIT_S = 1.0
_RETRYABLE_STATUS = {408, 409, 429}


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, fireworks.APIConnectionError):  # includes the SDK's own timeouts
        return True
    if isinstance(error, fireworks.APIStatusError):
        return error.status_code in _RETRYABLE_STATUS or error.status_code >= 500
    return False


class FireworksProvider:
    name = "fireworks"

    def __init__(self, *, api_key: str, base_url: str = DEFAULT_FIREWORKS_BASE_URL) -> None:
        self.base_url = base_url
        # The SDK's retries are off: ours below know the call's deadline.
        self._client = fireworks.AsyncFireworks(api_key=api_key, base_url=base_url, max_retries=0)

    @staticmethod
    def model_id(model: str, deployment: str | None = None) -> str:
        """The model name to send: `model`, or `model#accounts/<a>/deployments/<d>`."""
        if not deployment:
            return model
        if not deployment.startswith("accounts/"):
            account = model.split("/")[1] if model.startswith("accounts/") else None
            if account is None:
                raise ValueError(f"cannot tell the account of deployment {deployment!r}")
            deployment = f"accounts/{account}/deployments/{deployment}"
        return f"{model}#{deployment}"

    async def complete(self, request: ChatRequest, *, model: str, timeout_s: float) -> ChatResult:
        extra: dict[str, Any] = {}
        if request.stop:
            extra["stop"] = list(request.stop)
        if request.json_schema is not None:
            # Fireworks' JSON mode with a schema (constrained decoding); llama.cpp's server
            # takes the same form, which is what the tests run against.
            extra["response_format"] = {"type": "json_object", "schema": request.json_schema}
        started = time.perf_counter()
        deadline = time.monotonic() + timeout_s
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_retryable),
            stop=stop_after_attempt(MAX_ATTEMPTS) | stop_before_delay(timeout_s),
            wait=wait_exponential_jitter(
                multiplier=RETRY_INITIAL_WAIT_S, jitter=RETRY_INITIAL_WAIT_S, max=RETRY_MAX_WAIT_S
            ),
            reraise=True,
        )
        try:
            async with asyncio.timeout(timeout_s):
                async for attempt in retrying:
                    with attempt:
                        remaining = max(0.001, deadline - time.monotonic())
                        stream = await self._client.chat.completions.create(
                            model=model,
                            messages=openai_messages(request),  # type: ignore[arg-type]
                            max_tokens=request.max_tokens,
                            temperature=request.temperature,
                            stream=True,
                            timeout=remaining,
                            **extra,
                        )
                        # **extra hides the stream=True overload from the type checker.
                        assert isinstance(stream, fireworks.AsyncStream)
                        async with stream:
                            return await collect_stream(
                                stream, provider=self.name, model=model, started=started
                            )
        except (TimeoutError, fireworks.APITimeoutError) as error:
            raise ModelTimeout(f"fireworks did not answer within {timeout_s:.2f}s") from error
        except fireworks.APIStatusError as error:
            # Not the body: a server's error may quote the request, and so the call's text.
            raise ModelError(
                f"fireworks: {type(error).__name__} (HTTP {error.status_code})"
            ) from error
        except fireworks.APIError as error:
            raise ModelError(f"fireworks: {type(error).__name__}") from error
        raise ModelError("fireworks: no attempt was made")  # unreachable: reraise=True

    async def close(self) -> None:
        await self._client.close()
