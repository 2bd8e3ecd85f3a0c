"""Small parts of the Deepgram adapter: backoff, the replay buffer, connection errors."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import pytest

from callguide.backoff import Backoff, BackoffExhausted
from voice.asr.base import AsrConnectionError
from voice.asr.deepgram import (
    DeepgramAsr,
    DeepgramStream,
    ReconnectPolicy,
    _AudioLog,
    _environment,
)


def test_backoff_is_jittered_exponential_and_capped() -> None:
    backoff = Backoff(initial_s=0.5, max_s=4.0)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (9, 4.0), (500, 4.0)]:
        delays = {backoff.delay(attempt) for _ in range(50)}
        assert all(0 <= d <= ceiling for d in delays)
        assert len(delays) > 1
        assert backoff.ceiling(attempt) == ceiling
    first = [d for d, _ in zip(backoff.delays(), range(4), strict=False)]
    assert len(first) == 4 and all(0 <= d <= 4.0 for d in first)


def test_attempts_give_up_past_the_limit_and_reset_on_success() -> None:
    attempts = ReconnectPolicy(max_attempts=2, initial_backoff_s=0.1, max_backoff_s=0.1).attempts()
    assert 0 <= attempts.failed() <= 0.1
    assert 0 <= attempts.failed() <= 0.1
    with pytest.raises(BackoffExhausted):
        attempts.failed()
    attempts.reset()
    assert attempts.failures == 0 and attempts.failed() <= 0.1


async def test_tenacity_retrying_uses_the_same_wait() -> None:
    calls = 0
    async for attempt in Backoff(initial_s=0.001, max_s=0.002).retrying():
        with attempt:
            calls += 1
            if calls < 3:
                raise ConnectionError("not yet")
    assert calls == 3


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


class _IdleConnection:
    """A connection that takes whatever is sent and never answers."""

    def __init__(self) -> None:
        self.sent = asyncio.Event()

    async def send_media(self, data: bytes) -> None:
        self.sent.set()

    async def send_keep_alive(self) -> None:
        pass


async def test_a_sender_woken_as_it_is_cancelled_stops() -> None:
    """Aborting a stream that was just sent audio must not hang.

    Python 3.11's asyncio.wait_for returns normally, swallowing the cancellation, when the
    awaited future finished just before the cancel was delivered. The sender's idle wait
    finishes whenever audio arrives, so a stream aborted right after a send (a pipeline
    failing mid-call) kept its sender running: abort() then waited for it for seconds,
    the activity stopped heartbeating meanwhile and its failure was reported too late.
    """
    asr = DeepgramAsr(api_key="k", url="ws://127.0.0.1:9", keepalive_s=3600.0)
    async with contextlib.AsyncExitStack() as stack:
        stream = DeepgramStream(
            client=asr._client, settings=asr._settings, sample_rate=8000, channels=2
        )
        conn = _IdleConnection()
        sender = asyncio.create_task(stream._send(conn))
        stack.callback(sender.cancel)
        await stream.send_audio(bytes(400))
        await conn.sent.wait()  # it sent the audio and waits, idle, for more
        await stream.send_audio(bytes(400))  # wakes the idle wait...
        await asyncio.sleep(0)  # ...which finishes, and before the sender runs:
        sender.cancel()
        for _ in range(10):  # a delivered cancellation ends it within a few loop turns
            if sender.done():
                break
            await asyncio.sleep(0)
        assert sender.cancelled(), "the sender swallowed its cancellation"
