"""Small parts of the Deepgram adapter: backoff, the replay buffer, connection errors."""

from __future__ import annotations

import socket

import pytest

from voice.asr.base import AsrConnectionError
from voice.asr.deepgram import DeepgramAsr, ReconnectPolicy, _AudioLog, _environment


def test_backoff_is_jittered_exponential_and_capped() -> None:
    policy = ReconnectPolicy(initial_backoff_s=0.5, max_backoff_s=4.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0)]:
        delays = {policy.delay(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1


def test_audio_log_reads_by_absolute_offset_after_trimming() -> None:
    log = _AudioLog()
    log.append(bytes(range(10)))
    log.trim(4)
    log.append(bytes(range(10, 14)))
    assert (log.start, log.end) == (4, 14)
    assert log.read(6, 12) == bytes([6, 7, 8, 9, 10, 11])
    log.trim(2)  # never backwards
    log.trim(99)  # never past the end
    assert (log.start, log.end) == (14, 14)


def test_url_maps_to_an_sdk_environment() -> None:
    env = _environment("ws://127.0.0.1:9999/v1/listen")
    assert env.production == "ws://127.0.0.1:9999"
    assert env.base == "http://127.0.0.1:9999"
    assert _environment(None).production == "wss://api.deepgram.com"


async def test_unreachable_server_gives_up_with_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the socket closes
    asr = DeepgramAsr(
        api_key="k",
        url=f"ws://127.0.0.1:{port}",
        reconnect=ReconnectPolicy(max_attempts=2, initial_backoff_s=0.01, max_backoff_s=0.02),
    )
    with pytest.raises(AsrConnectionError, match="giving up after 2 retries"):
        async with asr.stream():
            pass
