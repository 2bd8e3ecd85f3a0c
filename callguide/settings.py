"""The one settings object shared by the API, the workers and the CLI."""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CALLGUIDE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    state_dir: Path = Path(".callguide")

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_api_key: SecretStr | None = None
    temporal_tls: bool = False
    temporal_ui_url: str = "http://127.0.0.1:8233"
    # Lets tests and side-by-side deployments use their own task queues on one cluster.
    task_queue_prefix: str = ""

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("CALLGUIDE_DATABASE_URL", "DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("CALLGUIDE_REDIS_URL", "REDIS_URL")
    )

    # Redacted call audio. Real S3 when s3_endpoint_url is unset; `callguide dev up` fills it
    # with its embedded S3-compatible server. The region defaults to the AWS one.
    s3_endpoint_url: str | None = None
    s3_bucket: str = "callguide-redacted-audio"
    s3_quarantine_prefix: str = "quarantine/"
    s3_region: str = Field(
        default="us-east-1",
        validation_alias=AliasChoices("CALLGUIDE_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    )

    # Contact records (CTRs): the Kinesis Data Stream Connect exports them to (None: no
    # consumer). Real Kinesis unless an endpoint is set here or in boto's own
    # AWS_ENDPOINT_URL_KINESIS; `callguide dev up` uses its embedded S3/Kinesis server.
    ctr_stream_name: str | None = None
    ctr_kinesis_endpoint_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "CALLGUIDE_CTR_KINESIS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KINESIS"
        ),
    )
    ctr_region: str = Field(
        default="us-east-1",
        validation_alias=AliasChoices("CALLGUIDE_CTR_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    )

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # Requests to <tenant>.<region>.<public_domain> must carry that tenant's key.
    public_domain: str | None = None
    # Dev stacks let the local Temporal UI reach the codec endpoint without a token.
    dev_mode: bool = False
    # Operators' bearer token for the codec endpoint (the Temporal UI sends it).
    codec_auth_token: SecretStr | None = None
    # Operators' bearer token for every tenant's ops routes and /metrics (a tenant key
    # sees only its own calls there).
    operator_token: SecretStr | None = None

    # Observability. Workers serve Prometheus metrics on this port (0: off; the API serves
    # them on /metrics); the address defaults to loopback, a deployment opens it to its
    # scraper. Traces go to an OTLP/HTTP collector when an endpoint is set (off otherwise).
    metrics_port: int = Field(default=0, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    otlp_endpoint: str | None = None
    otel_service_name: str = "callguide"
    # "json": one JSON object per line (with tenant and call ids), for log pipelines;
    # "text" for people reading a terminal.
    log_format: Literal["json", "text"] = "json"

    # Analytics (analytics/): a ClickHouse server (clickhouse://user:password@host:8123/db)
    # when set; else embedded chdb in analytics_path (default <state_dir>/analytics), which
    # only the API process opens. The API moves the outbox into it every flush interval.
    analytics_url: SecretStr | None = None
    analytics_path: Path | None = None
    analytics_flush_interval_s: float = Field(default=2.0, gt=0)
    analytics_batch_size: int = Field(default=5000, gt=0)

    # "kid:base64key,kid2:base64key": master keys; the first encrypts, all of them decrypt.
    # Calls are sealed with per-tenant keys derived from them (callguide.codec).
    codec_keys: SecretStr = SecretStr("")

    # Read each call's audio from KVS (AWS_ENDPOINT_URL_KINESIS_VIDEO etc. configure boto3).
    stream_audio: bool = True
    # Real-time guidance: each call starts a guidance child on the ml queue. A deployment
    # that runs no ml worker turns it off, or every call would leave a child waiting.
    guidance_enabled: bool = True
    # A Deepgram-protocol live endpoint: Deepgram itself, or `callguide asr-server`.
    asr_url: str | None = None
    deepgram_api_key: SecretStr = SecretStr("")
    # Models for guidance (guidance.llm.router). llm_url is the local/default
    # OpenAI-compatible server (with its /v1): the embedded llama.cpp server that
    # `callguide dev up` starts and fills in, or one of your own.
    llm_url: str | None = None
    # The OpenAI provider: its API root (OpenAI's own when unset) and key.
    openai_base_url: str | None = None
    openai_api_key: SecretStr = SecretStr("")
    fireworks_api_key: SecretStr = SecretStr("")
    # Given without /v1: the Fireworks SDK appends /v1/chat/completions.
    fireworks_base_url: str = "https://api.fireworks.ai/inference"
    # Base URLs a tenant's policy may name besides the ones configured above, so a policy
    # can never point our workers at another (internal) host. Comma-separated in the
    # environment.
    llm_allowed_base_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Ops (callguide.ops): a live call whose audio has not moved for this long is stuck
    # (longer than a KVS stall the stream waits out on its own, kvs_stall_limit_s); a
    # post-call redaction running longer than this is stuck (a two-hour call redacts and
    # verifies in well under half an hour on two cores, docs/benchmarks.md).
    ops_audio_stuck_after_s: float = Field(default=60.0, gt=0)
    ops_post_call_budget_s: float = Field(default=3600.0, gt=0)
    # How long KVS keeps a call's audio (the Connect instance's live media streaming
    # retention): a failed call can be resumed from KVS only within it.
    kvs_retention_hours: float = Field(default=24.0, gt=0)
    kvs_end_of_stream_idle_s: float = 5.0
    # A quiet KVS stream of a contact that has not ended is waited out this long.
    kvs_stall_limit_s: float = 30.0
    audio_max_concurrent_calls: int = 500

    # Bound of each call's durable event stream: generous, so a resuming viewer of a long call
    # still finds every utterance. Interims have their own short stream.
    redis_stream_maxlen: int = 10_000
    redis_interim_stream_maxlen: int = 200
    # Live SSE viewers per API process; past these a new viewer gets a 429.
    sse_max_subscribers_per_call: int = Field(default=50, gt=0)
    sse_max_subscribers_per_tenant: int = Field(default=500, gt=0)
    redis_stream_ttl_after_end_s: int = 24 * 3600
    utterance_batch_size: int = 20
    continue_as_new_after_utterances: int = 2000
    # A call whose hang-up never arrives ends after this long, or this long without speech.
    max_call_duration_s: int = Field(default=8 * 3600, gt=0)
    call_idle_limit_s: int = Field(default=30 * 60, gt=0)

    @field_validator("llm_allowed_base_urls", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @field_validator("codec_keys")
    @classmethod
    def _keys_are_well_formed(cls, value: SecretStr) -> SecretStr:
        parse_codec_keys(value.get_secret_value())
        return value

    def task_queue(self, name: str) -> str:
        return f"{self.task_queue_prefix}{name}"

    def require_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set (run `callguide dev up` for a local stack)")
        return self.database_url

    def require_redis_url(self) -> str:
        if not self.redis_url:
            raise RuntimeError("REDIS_URL is not set (run `callguide dev up` for a local stack)")
        return self.redis_url


def parse_codec_keys(spec: str | SecretStr) -> list[tuple[str, bytes]]:
    """Parses "kid:base64key,..." into (key id, 32-byte key) pairs, active key first."""
    if isinstance(spec, SecretStr):
        spec = spec.get_secret_value()
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id:
            raise ValueError("codec_keys entries must look like 'key-id:base64-key'")
        if "/" in key_id:
            # "/" separates the master key id from the tenant in payload key ids.
            raise ValueError(f"codec key id {key_id!r} must not contain '/'")
        key = base64.b64decode(encoded)
        if len(key) != 32:
            raise ValueError(f"codec key {key_id!r} must be 32 bytes (AES-256), got {len(key)}")
        keys.append((key_id, key))
    return keys


def new_codec_key_spec(key_id: str = "k1") -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
