"""What the Connect Lambdas share: one bounded HTTP call to callguide with the tenant's key.

Standard library and boto3 only (both are in the Lambda Python runtime), so the handlers
deploy as plain files with no layer.

Environment:
- CALLGUIDE_API_URL: the tenant's API origin (https://<tenant>.<region>.<domain>).
- CALLGUIDE_API_KEY_SECRET_ARN: the Secrets Manager secret holding the tenant's API key
  (its SecretString is the key itself, or a JSON object with an "api_key" field).
- CALLGUIDE_TIMEOUT_S: the most one invocation spends on callguide, key fetch included
  (default 1.5 s for the contact flow, longer for the handlers nobody waits on); capped
  by the time the Lambda itself has left, minus a margin to answer.

The key is fetched once per container and kept in this module (containers live for many
invocations); a 401 means it was rotated, so it is fetched again once and the request
repeated. Nothing here logs or raises the event's content: Connect events carry the
caller's phone number.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT_S = 1.5
# Time kept back from the Lambda's own limit to build the answer and return it.
ANSWER_MARGIN_S = 0.5
# Below this there is no point starting a request.
MIN_REQUEST_S = 0.05
# callguide's error bodies are short; a large one is cut rather than read whole.
MAX_BODY_BYTES = 64 * 1024


class CallguideUnavailable(Exception):
    """callguide (or the key's secret) did not answer in time, or answered with a 5xx.
    The message names the reason, never the event."""


@dataclass(frozen=True)
class ApiAnswer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: str | None = None


def configured_timeout_s(default_s: float = DEFAULT_TIMEOUT_S) -> float:
    raw = os.environ.get("CALLGUIDE_TIMEOUT_S", "")
    try:
        value = float(raw) if raw else default_s
    except ValueError:
        value = default_s
    return value if value > 0 else default_s


def deadline_for(context: object, default_s: float = DEFAULT_TIMEOUT_S) -> float:
    """The monotonic time by which this invocation must be done with callguide."""
    budget = configured_timeout_s(default_s)
    remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
    if callable(remaining_ms):
        budget = min(budget, remaining_ms() / 1000 - ANSWER_MARGIN_S)
    return time.monotonic() + max(budget, MIN_REQUEST_S)


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left < MIN_REQUEST_S:
        raise CallguideUnavailable("timed out")
    return left


class ApiKeyCache:
    """The tenant's API key, fetched from Secrets Manager on first use and kept."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._client: Any = None
        self.fetches = 0  # how many times the secret was read (tests, diagnostics)

    def get(self, deadline: float) -> str:
        if self._key is None:
            self._key = self._fetch(deadline)
        return self._key

    def refresh(self, deadline: float) -> str:
        self._key = None
        return self.get(deadline)

    def _fetch(self, deadline: float) -> str:
        secret_id = os.environ.get("CALLGUIDE_API_KEY_SECRET_ARN", "")
        if not secret_id:
            raise CallguideUnavailable("CALLGUIDE_API_KEY_SECRET_ARN is not set")
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        left = _time_left(deadline)
        if self._client is None:
            # One attempt bounded by this invocation's budget: a slow Secrets Manager must
            # not hold the contact flow (the next invocation tries again).
            config = Config(connect_timeout=left, read_timeout=left, retries={"max_attempts": 1})
            self._client = boto3.client("secretsmanager", config=config)
        self.fetches += 1
        try:
            secret = self._client.get_secret_value(SecretId=secret_id)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            raise CallguideUnavailable(f"API key secret unreadable: {code}") from exc
        except BotoCoreError as exc:
            raise CallguideUnavailable(f"API key secret unreadable: {type(exc).__name__}") from exc
        return _key_from_secret(secret.get("SecretString") or "")


def _key_from_secret(value: str) -> str:
    text = value.strip()
    if text.startswith("{"):
        try:
            text = str(json.loads(text).get("api_key", "")).strip()
        except (ValueError, AttributeError):
            text = ""
    if not text:
        raise CallguideUnavailable("API key secret is empty")
    return text


# One per container: warm invocations reuse the key.
API_KEYS = ApiKeyCache()


def _post_once(path: str, payload: object, api_key: str, deadline: float) -> ApiAnswer:
    base = os.environ.get("CALLGUIDE_API_URL", "").rstrip("/")
    if not base:
        raise CallguideUnavailable("CALLGUIDE_API_URL is not set")
    request = urllib.request.Request(
        base + path,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_time_left(deadline)) as response:
            return ApiAnswer(response.status, _json_object(response.read(MAX_BODY_BYTES)))
    except urllib.error.HTTPError as exc:
        body = _json_object(exc.read(MAX_BODY_BYTES))
        exc.close()
        if exc.code >= 500:
            raise CallguideUnavailable(f"callguide answered {exc.code}") from exc
        return ApiAnswer(exc.code, body, exc.headers.get("Retry-After"))
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise CallguideUnavailable("callguide did not answer in time") from exc
        raise CallguideUnavailable(f"callguide unreachable: {type(reason).__name__}") from exc


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def post_to_callguide(path: str, payload: object, deadline: float) -> ApiAnswer:
    """POSTs the payload with the tenant's key; a 401 refetches the key once (it may have
    been rotated) and tries again if the key changed. Raises CallguideUnavailable when
    callguide cannot answer before the deadline or answers with a 5xx."""
    api_key = API_KEYS.get(deadline)
    answer = _post_once(path, payload, api_key, deadline)
    if answer.status == 401:
        fresh = API_KEYS.refresh(deadline)
        if fresh != api_key:
            answer = _post_once(path, payload, fresh, deadline)
    return answer


def detail_of(answer: ApiAnswer) -> str:
    """callguide's error detail (it names the field, never its value), cut to fit an
    attribute; validation errors come as a list of {loc, msg}."""
    detail = answer.body.get("detail", "")
    if isinstance(detail, list):
        detail = "; ".join(
            ".".join(str(p) for p in item.get("loc", [])) + ": " + str(item.get("msg", ""))
            for item in detail
            if isinstance(item, dict)
        )
    return str(detail)[:250]
