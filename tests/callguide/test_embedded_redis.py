"""The embedded Redis keeps its streams in an append-only file and comes back when killed."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from callguide.devstack import EmbeddedRedis, redis_server, redis_url


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(data_dir=tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_killed_redis_is_restarted_on_its_port_with_its_streams(
    embedded: EmbeddedRedis, capsys: pytest.CaptureFixture[str]
) -> None:
    url, port = embedded.url, embedded.port
    with redis.Redis.from_url(url) as before:
        entry_id = before.xadd("call:events", {"type": "utterance", "text": "hello"})
    assert embedded.process is not None
    killed = embedded.process
    killed.send_signal(signal.SIGKILL)
    killed.wait(5)

    embedded.restart_if_dead()

    assert embedded.process is not killed and embedded.process.poll() is None
    assert embedded.port == port
    assert (
        f"redis exited with {-signal.SIGKILL}; restarting on port {port}" in capsys.readouterr().out
    )
    with redis.Redis.from_url(url) as after:
        assert after.xrange("call:events") == [
            (entry_id, {b"type": b"utterance", b"text": b"hello"})
        ]


def test_a_live_redis_is_left_alone(embedded: EmbeddedRedis) -> None:
    running = embedded.process
    embedded.restart_if_dead()
    assert embedded.process is running


def test_append_only_file_is_kept_in_the_data_dir(tmp_path: Path) -> None:
    server = EmbeddedRedis(data_dir=tmp_path / "redis")
    server.start()
    try:
        with redis.Redis.from_url(server.url) as client:
            assert client.config_get("appendonly") == {"appendonly": "yes"}
            assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
            assert Path(client.config_get("dir")["dir"]) == (tmp_path / "redis").resolve()
    finally:
        server.stop()


def test_redis_url_without_data_dir_runs_without_persistence() -> None:
    with redis_url(None) as url, redis.Redis.from_url(url) as client:
        assert client.ping()
        assert client.config_get("appendonly") == {"appendonly": "no"}


def test_dev_stack_redis_is_handed_back_for_supervision_and_keeps_streams(tmp_path: Path) -> None:
    data_dir = tmp_path / "redis"
    with redis_server(None, data_dir=data_dir) as (url, server):
        assert server is not None and server.url == url
        with redis.Redis.from_url(url) as client:
            entry_id = client.xadd("call:events", {"type": "status"})
    # The next `dev up` may pick another port; the streams come back from the same dir.
    with redis_server(None, data_dir=data_dir) as (url, _), redis.Redis.from_url(url) as client:
        assert [found for found, _ in client.xrange("call:events")] == [entry_id]


def test_a_configured_redis_is_used_as_is_and_not_supervised() -> None:
    with redis_server("redis://cache.internal:6380/2") as (url, server):
        assert (url, server) == ("redis://cache.internal:6380/2", None)
