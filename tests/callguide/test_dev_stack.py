"""`callguide dev up --detach` on embedded parts, then tenants, status and down."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from callguide.dev_state import pid_alive
from callguide.dev_supervisor import DEV_AWS_ENV, DevPorts
from guidance.policy import LOCAL_MODEL
from storage.object_store import ObjectStore, ObjectStoreError


def cli(state_dir: Path, *args: str, timeout: float = 200) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env = {k: v for k, v in env.items() if not k.startswith("CALLGUIDE_")}
    env["CALLGUIDE_STATE_DIR"] = str(state_dir)
    return subprocess.run(
        [sys.executable, "-m", "callguide.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_detached_stack_on_embedded_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The embedded S3 takes any credentials; boto3 in this process needs some to sign with.
    for key, value in DEV_AWS_ENV.items():
        monkeypatch.setenv(key, value)
    state_dir = tmp_path / "state"
    ports = DevPorts.free()
    up = cli(state_dir, "dev", "up", "--detach", *ports.cli_args())
    assert up.returncode == 0, up.stdout + up.stderr
    try:
        endpoints = json.loads((state_dir / "dev.json").read_text())
        for key in (
            "api_url",
            "temporal_address",
            "temporal_ui_url",
            "database_url",
            "redis_url",
            "s3_endpoint_url",
        ):
            assert endpoints[key] and endpoints[key] in up.stdout
        assert endpoints["temporal_address"] == f"127.0.0.1:{ports.temporal}"
        assert endpoints["kvs_endpoint_url"] == f"http://127.0.0.1:{ports.kvs}"
        assert endpoints["asr_url"] == f"ws://127.0.0.1:{ports.asr}"
        assert endpoints["llm_url"] in up.stdout
        models = httpx.get(f"{endpoints['llm_url']}/models", timeout=10)
        assert models.status_code == 200 and models.json()["data"][0]["id"] == LOCAL_MODEL
        assert "llm" in endpoints["children"]  # supervised, so it comes back if it dies
        assert httpx.get(f"{endpoints['temporal_ui_url']}/", timeout=10).status_code == 200
        kvs_health = httpx.get(f"{endpoints['kvs_endpoint_url']}/_emulator/health", timeout=10)
        assert kvs_health.status_code == 200
        assert_embedded_s3_stores(str(endpoints["s3_endpoint_url"]))

        created = cli(state_dir, "tenants", "create", "acme", "--region", "us-east-1", "--json")
        assert created.returncode == 0, created.stderr
        key = json.loads(created.stdout)["api_key"]
        calls = httpx.get(
            f"{endpoints['api_url']}/v1/calls", headers={"Authorization": f"Bearer {key}"}
        )
        assert calls.status_code == 200 and calls.json() == {"calls": []}
        duplicate = cli(state_dir, "tenants", "create", "acme", "--region", "us-east-1")
        assert duplicate.returncode == 1 and "already exists" in duplicate.stderr

        status = cli(state_dir, "dev", "status")
        assert status.returncode == 0 and "readiness: ready" in status.stdout

        assert_embedded_redis_comes_back(state_dir, endpoints)
        assert_embedded_s3_comes_back(state_dir, endpoints)
    finally:
        down = cli(state_dir, "dev", "down")
    assert down.returncode == 0 and "stopped" in down.stdout
    assert not pid_alive(endpoints["pid"])
    assert not (state_dir / "dev.json").exists()
    assert (state_dir / "temporal.db").exists()  # state persists for the next `dev up`


def assert_embedded_s3_stores(url: str) -> None:
    """The stack's S3 endpoint is a working S3: encrypted put, head and get."""

    async def round_trip() -> None:
        async with ObjectStore(bucket="dev-stack-check", endpoint_url=url) as store:
            await store.ensure_bucket()
            await store.put("probe.wav", b"RIFF", content_type="audio/wav", metadata={"n": "1"})
            assert await store.get("probe.wav") == b"RIFF"
            assert (await store.head("probe.wav")).server_side_encryption == "AES256"

    asyncio.run(round_trip())


def assert_embedded_s3_comes_back(state_dir: Path, endpoints: dict[str, object]) -> None:
    """SIGKILL the embedded S3: the supervisor restarts it on the same endpoint."""
    children = endpoints["children"]
    assert isinstance(children, dict)
    os.kill(children["s3"], signal.SIGKILL)
    deadline = time.monotonic() + 30
    while "s3 exited with" not in (state_dir / "dev.log").read_text():
        assert time.monotonic() < deadline, "the supervisor did not restart the S3 server"
        time.sleep(0.2)
    while True:
        try:
            assert_embedded_s3_stores(str(endpoints["s3_endpoint_url"]))
            break
        except ObjectStoreError:
            assert time.monotonic() < deadline, "the restarted S3 server never answered"
            time.sleep(0.2)


def assert_embedded_redis_comes_back(state_dir: Path, endpoints: dict[str, object]) -> None:
    """SIGKILL the embedded Redis: the supervisor restarts it on its URL, streams intact."""
    url = str(endpoints["redis_url"])
    with redis.Redis.from_url(url) as client:
        entry_id = client.xadd("drill:events", {"n": "1"})
    children = endpoints["children"]
    assert isinstance(children, dict)
    os.kill(children["redis"], signal.SIGKILL)
    deadline = time.monotonic() + 15
    while "redis exited with" not in (state_dir / "dev.log").read_text():
        assert time.monotonic() < deadline, "the supervisor did not restart Redis"
        time.sleep(0.2)
    with redis.Redis.from_url(url) as client:
        while True:  # the line is printed just before the new server starts listening
            try:
                assert [found for found, _ in client.xrange("drill:events")] == [entry_id]
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "the restarted Redis never answered"
                time.sleep(0.2)
    assert (state_dir / "redis" / "appendonly.aof").exists()
