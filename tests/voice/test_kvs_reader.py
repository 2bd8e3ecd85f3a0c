"""KvsCallReader against the KVS emulator, through real aioboto3 clients over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from voice.kvs_emulator import (
    CallStart,
    EmulatorConfig,
    FeedResult,
    RunningEmulator,
    running_emulator,
)
from voice.kvs_reader import (
    CallAudio,
    KvsCallReader,
    KvsCorruptMediaError,
    KvsReadError,
    KvsStreamRejectedError,
    ReaderCheckpoint,
)
from voice.mkv_writer import TrackLayout

# Small so that finished streams end the reader quickly.
IDLE_S = 0.4
BYTES_PER_MS = 16  # 8 kHz s16le mono
CALL_A_START = 1_700_000_000.0


@pytest.fixture(scope="module")
def kvs() -> Iterator[RunningEmulator]:
    # Default config on purpose: KVS's 5 TPS and 3-connection limits are in force.
    with running_emulator() as running:
        yield running


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, kvs: RunningEmulator) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_KINESIS_VIDEO", kvs.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(variable, raising=False)


def pcm(seconds: float, seed: int) -> bytes:
    """Seeded noise: any lost, repeated or shifted byte breaks a comparison."""
    return random.Random(seed).randbytes(round(seconds * 8000) * 2)


def unique_name() -> str:
    return f"reader-{uuid.uuid4().hex[:10]}"


@dataclass
class FedCall:
    result: FeedResult
    start: CallStart
    customer: bytes
    agent: bytes

    def reader(self, **options: Any) -> KvsCallReader:
        return make_reader(
            stream_arn=self.start.stream_arn,
            contact_id=self.result.contact_id,
            start_fragment_number=self.start.start_fragment_number,
            start_timestamp_ms=self.start.start_timestamp_ms,
            **options,
        )


def make_reader(**options: Any) -> KvsCallReader:
    defaults: dict[str, Any] = {
        "end_of_stream_idle_s": IDLE_S,
        # No contact_ended callback here: a quiet stream ends once the stall limit passes.
        "stall_limit_s": IDLE_S,
        "backoff_base_s": 0.05,
        "backoff_max_s": 0.3,
    }
    return KvsCallReader(**{**defaults, **options})


async def feed(
    kvs: RunningEmulator,
    name: str,
    *,
    seconds: float,
    seed: int,
    contact_id: str | None = None,
    on_start: Callable[[CallStart], object] | None = None,
    **options: Any,
) -> FedCall:
    starts: list[CallStart] = []

    def started(start: CallStart) -> None:
        starts.append(start)
        if on_start is not None:
            on_start(start)

    customer, agent = pcm(seconds, seed), pcm(seconds, seed + 1)
    if options.get("track_layout") is TrackLayout.LEGACY_SINGLE_TRACK:
        agent = b""
    result = await kvs.emulator.feed_call(
        name,
        customer_pcm=customer,
        agent_pcm=agent,
        contact_id=contact_id or str(uuid.uuid4()),
        on_start=started,
        **{"speed": 0, **options},
    )
    return FedCall(result, starts[0], customer, agent)


async def read_all(reader: KvsCallReader, *, limit: int | None = None) -> list[CallAudio]:
    pieces: list[CallAudio] = []
    async with contextlib.aclosing(reader.audio()) as audio:
        async for piece in audio:
            pieces.append(piece)
            if len(pieces) == limit:
                break
    return pieces


def joined(pieces: list[CallAudio], role: str) -> bytes:
    return b"".join(getattr(piece, f"{role}_pcm") for piece in pieces)


def assert_contiguous(pieces: list[CallAudio], *, start_ms: int = 0) -> None:
    expected = start_ms
    for piece in pieces:
        assert piece.start_ms == expected
        assert len(piece.customer_pcm) == len(piece.agent_pcm)
        expected += len(piece.customer_pcm) // BYTES_PER_MS


async def wait_until(condition: Callable[[], bool], *, within_s: float = 2.0) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


# --- where a call starts and ends -------------------------------------------------------


@pytest.mark.parametrize("layout", [TrackLayout.CONNECT, TrackLayout.LEGACY_SINGLE_TRACK])
async def test_reads_the_whole_call_byte_exact_from_its_first_fragment(
    kvs: RunningEmulator, layout: TrackLayout
) -> None:
    call = await feed(kvs, unique_name(), seconds=4.5, seed=1, track_layout=layout)
    reader = call.reader()

    pieces = await read_all(reader)

    assert [piece.fragment_number for piece in pieces] == call.result.fragment_numbers
    assert joined(pieces, "customer") == call.customer
    expected_agent = call.agent or bytes(len(call.customer))  # no agent track: silence
    assert joined(pieces, "agent") == expected_agent
    assert [piece.start_ms for piece in pieces] == [0, 1000, 2000, 3000, 4000]
    assert_contiguous(pieces)
    assert reader.checkpoint == ReaderCheckpoint(
        last_fragment_number=pieces[-1].fragment_number,
        continuation_token=pieces[-1].continuation_token,
        next_start_ms=4500,
    )
    assert pieces[0].producer_timestamp == pytest.approx(call.start.start_timestamp_ms / 1000)


START_INFO = {
    "timestamp and fragment number": ("start_timestamp_ms", "start_fragment_number"),
    "timestamp only": ("start_timestamp_ms",),
    "fragment number only": ("start_fragment_number",),
    "contact id only": (),
}


@pytest.mark.parametrize("start_info", START_INFO)
async def test_contacts_before_and_after_ours_on_a_reused_stream(
    kvs: RunningEmulator, start_info: str
) -> None:
    name = unique_name()
    # Back to back on one stream, producer clocks contiguous, so the timestamp selector's
    # margin reaches into the previous contact.
    await feed(kvs, name, seconds=3, seed=10, start_timestamp=CALL_A_START, finish=False)
    ours = await feed(kvs, name, seconds=4, seed=20, start_timestamp=CALL_A_START + 3, finish=False)
    await feed(kvs, name, seconds=2, seed=30, start_timestamp=CALL_A_START + 7)
    start = {
        "start_timestamp_ms": ours.start.start_timestamp_ms,
        "start_fragment_number": ours.start.start_fragment_number,
    }
    reader = make_reader(
        stream_arn=ours.start.stream_arn,
        contact_id=ours.result.contact_id,
        **{key: start[key] for key in START_INFO[start_info]},
        end_of_stream_idle_s=30,  # the next contact must end the read, not idleness
    )

    pieces = await asyncio.wait_for(read_all(reader), timeout=10)

    assert [piece.fragment_number for piece in pieces] == ours.result.fragment_numbers
    assert joined(pieces, "customer") == ours.customer
    assert joined(pieces, "agent") == ours.agent
    assert_contiguous(pieces)


async def test_streaming_restarted_within_the_same_contact(kvs: RunningEmulator) -> None:
    """Connect can stop and start streaming in one contact: read from the latest start."""
    name = unique_name()
    await feed(
        kvs,
        name,
        seconds=2,
        seed=140,
        contact_id="c-140",
        start_timestamp=CALL_A_START,
        finish=False,
    )
    restart = await feed(
        kvs, name, seconds=3, seed=150, contact_id="c-140", start_timestamp=CALL_A_START + 2
    )

    pieces = await read_all(restart.reader())

    assert [piece.fragment_number for piece in pieces] == restart.result.fragment_numbers
    assert joined(pieces, "customer") == restart.customer
    assert_contiguous(pieces)


async def test_resume_from_checkpoint_yields_exactly_the_rest(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=6, seed=40)
    first = await read_all(call.reader(), limit=3)
    # As a heartbeat would carry it.
    checkpoint = ReaderCheckpoint.from_dict(json.loads(json.dumps(call_checkpoint(first))))

    resumed = call.reader(checkpoint=checkpoint)
    rest = await read_all(resumed)

    assert [piece.start_ms for piece in rest] == [3000, 4000, 5000]
    assert joined(first + rest, "customer") == call.customer
    assert joined(first + rest, "agent") == call.agent
    assert [p.fragment_number for p in first + rest] == call.result.fragment_numbers


def call_checkpoint(pieces: list[CallAudio]) -> dict[str, Any]:
    last = pieces[-1]
    return ReaderCheckpoint(
        last_fragment_number=last.fragment_number,
        continuation_token=last.continuation_token,
        next_start_ms=last.start_ms + len(last.customer_pcm) // BYTES_PER_MS,
    ).to_dict()


async def test_resume_never_repeats_even_if_the_server_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This emulator serves FRAGMENT_NUMBER *from* AfterFragmentNumber, not after it.
    with running_emulator(config=EmulatorConfig(after_fragment_inclusive=True)) as inclusive:
        monkeypatch.setenv("AWS_ENDPOINT_URL_KINESIS_VIDEO", inclusive.endpoint_url)
        call = await feed(inclusive, unique_name(), seconds=4, seed=160)
        first = await read_all(call.reader(), limit=2)
        # No continuation token: the reader falls back to FRAGMENT_NUMBER.
        checkpoint = ReaderCheckpoint.from_dict(
            {**call_checkpoint(first), "continuation_token": ""}
        )

        rest = await read_all(call.reader(checkpoint=checkpoint))

    assert [piece.fragment_number for piece in first + rest] == call.result.fragment_numbers
    assert joined(first + rest, "agent") == call.agent
    assert [piece.start_ms for piece in rest] == [2000, 3000]


async def test_stops_at_the_stop_fragment_inclusive(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=5, seed=50, finish=False)  # stays live
    stop = call.result.fragment_numbers[2]

    reader = call.reader(stop_fragment_number=stop, end_of_stream_idle_s=30)
    pieces = await asyncio.wait_for(read_all(reader), timeout=5)
    after_stop = call.reader(stop_fragment_number=stop, checkpoint=reader.checkpoint)

    assert [piece.fragment_number for piece in pieces] == call.result.fragment_numbers[:3]
    assert await read_all(after_stop) == []
    assert after_stop.get_media_calls == 0


# --- surviving the network and KVS ------------------------------------------------------


async def test_session_limit_reconnects_without_gap_or_overlap(kvs: RunningEmulator) -> None:
    name = unique_name()
    kvs.emulator.create_stream(name)
    kvs.emulator.set_faults(name, session_limit_seconds=0.15)
    starts: asyncio.Queue[CallStart] = asyncio.Queue()
    feeding = asyncio.create_task(
        feed(kvs, name, seconds=8, seed=60, contact_id="c-60", speed=10, on_start=starts.put_nowait)
    )
    start = await asyncio.wait_for(starts.get(), timeout=2)
    reader = make_reader(
        stream_arn=start.stream_arn,
        contact_id="c-60",
        start_fragment_number=start.start_fragment_number,
        start_timestamp_ms=start.start_timestamp_ms,
    )

    pieces = await read_all(reader)
    call = await feeding

    assert reader.get_media_calls >= 4
    assert [piece.fragment_number for piece in pieces] == call.result.fragment_numbers
    assert joined(pieces, "customer") == call.customer
    assert joined(pieces, "agent") == call.agent
    assert_contiguous(pieces)


async def test_drop_mid_fragment_resumes_after_the_last_complete_one(
    kvs: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    name = unique_name()
    call = await feed(kvs, name, seconds=6, seed=70)
    kvs.emulator.set_faults(name, drop_after_bytes=50_000)  # inside the 2nd fragment

    with caplog.at_level(logging.WARNING, logger="voice.kvs_reader"):
        pieces = await read_all(call.reader())

    failures = [r for r in caplog.records if r.name == "voice.kvs_reader" and "failed" in r.message]
    assert len(failures) == 1 and "ClientPayloadError" in failures[0].message
    assert [piece.fragment_number for piece in pieces] == call.result.fragment_numbers
    assert joined(pieces, "customer") == call.customer
    assert joined(pieces, "agent") == call.agent
    assert_contiguous(pieces)


async def test_waits_out_the_tps_limit(
    kvs: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    name = unique_name()
    call = await feed(kvs, name, seconds=2, seed=80)
    stream = kvs.emulator.get_stream(name=name)
    for _ in range(5):  # somebody else just used this second's budget
        stream.get_data_endpoint_limiter.try_acquire()
        stream.get_media_limiter.try_acquire()

    with caplog.at_level(logging.WARNING, logger="voice.kvs_reader"):
        pieces = await read_all(call.reader())

    assert joined(pieces, "customer") == call.customer
    assert "ClientLimitExceededException" in caplog.text


async def test_gives_up_after_consecutive_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_KINESIS_VIDEO", f"http://127.0.0.1:{closed_port}")
    reader = make_reader(
        stream_arn="arn:aws:kinesisvideo:us-east-1:123456789012:stream/nowhere/1",
        contact_id="c",
        max_consecutive_failures=2,
    )

    with pytest.raises(KvsReadError, match="3 consecutive failures"):
        await asyncio.wait_for(read_all(reader), timeout=10)


async def test_unknown_stream_fails_at_once(kvs: RunningEmulator) -> None:
    reader = make_reader(
        stream_arn="arn:aws:kinesisvideo:us-east-1:123456789012:stream/missing/1",
        contact_id="c",
    )

    with pytest.raises(KvsStreamRejectedError, match="ResourceNotFoundException"):
        await asyncio.wait_for(read_all(reader), timeout=5)


# --- corrupt media ----------------------------------------------------------------------


async def test_corrupt_fragment_mid_call_is_reported_not_retried(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=4, seed=90, corrupt_before_fragments=[2])
    reader = call.reader()
    pieces: list[CallAudio] = []

    with pytest.raises(KvsCorruptMediaError) as caught:
        async with contextlib.aclosing(reader.audio()) as audio:
            async for piece in audio:
                pieces.append(piece)

    good = call.result.fragment_numbers[:2]
    assert [piece.fragment_number for piece in pieces] == good
    assert caught.value.fragment_number_context == good[-1]
    assert caught.value.offset > 0
    assert f"byte offset {caught.value.offset}" in str(caught.value)
    assert good[-1] in str(caught.value)
    assert reader.get_media_calls == 1


async def test_truncated_last_fragment_is_corrupt_once_it_repeats(kvs: RunningEmulator) -> None:
    name = unique_name()
    call = await feed(kvs, name, seconds=2, seed=100)
    kvs.emulator.inject_corrupt_fragment(name, kind="truncated")  # the stream is finished
    reader = call.reader()

    with pytest.raises(KvsCorruptMediaError, match="stream ended"):
        await read_all(reader)

    assert reader.get_media_calls == 2  # one retry, in case the cut was the network's
    assert reader.checkpoint is not None
    assert reader.checkpoint.last_fragment_number == call.result.fragment_numbers[-1]


# --- live streams and closing -----------------------------------------------------------


async def test_live_tail_of_a_paced_feed(kvs: RunningEmulator) -> None:
    starts: asyncio.Queue[CallStart] = asyncio.Queue()
    feeding = asyncio.create_task(
        feed(
            kvs,
            unique_name(),
            seconds=12,
            seed=110,
            contact_id="c-110",
            # 4 s of feeding: on a loaded machine the reader's first GetMedia can take
            # more than a second, and audio must still be flowing when it arrives.
            speed=3,
            on_start=starts.put_nowait,
        )
    )
    start = await asyncio.wait_for(starts.get(), timeout=2)
    reader = make_reader(
        stream_arn=start.stream_arn,
        contact_id="c-110",
        start_fragment_number=start.start_fragment_number,
        start_timestamp_ms=start.start_timestamp_ms,
    )
    pieces: list[CallAudio] = []
    feeding_when_first_arrived = None

    async with contextlib.aclosing(reader.audio()) as audio:
        async for piece in audio:
            if not pieces:
                feeding_when_first_arrived = not feeding.done()
            pieces.append(piece)
    call = await feeding

    assert feeding_when_first_arrived  # audio flowed while the call was still going
    assert [piece.fragment_number for piece in pieces] == call.result.fragment_numbers
    assert joined(pieces, "customer") == call.customer
    assert joined(pieces, "agent") == call.agent
    assert_contiguous(pieces)


async def test_closing_early_frees_the_get_media_connection(kvs: RunningEmulator) -> None:
    name = unique_name()
    call = await feed(kvs, name, seconds=3, seed=120, finish=False)  # a live stream
    stream = kvs.emulator.get_stream(name=name)

    # KVS refuses a 4th concurrent GetMedia: a leak would fail the 4th reader.
    for _ in range(4):
        audio = call.reader(max_consecutive_failures=0).audio()
        first = await anext(audio)
        assert first.fragment_number == call.result.fragment_numbers[0]
        assert stream.active_sessions == 1
        await audio.aclose()
        await wait_until(lambda: stream.active_sessions == 0, within_s=1)


async def test_cancelling_a_waiting_reader_frees_the_connection(kvs: RunningEmulator) -> None:
    name = unique_name()
    call = await feed(kvs, name, seconds=2, seed=130, finish=False)
    stream = kvs.emulator.get_stream(name=name)
    received: list[CallAudio] = []

    async def consume() -> None:
        async for piece in call.reader(end_of_stream_idle_s=30).audio():
            received.append(piece)

    task = asyncio.create_task(consume())
    await wait_until(lambda: len(received) == 2)  # now waiting for more audio
    assert stream.active_sessions == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    await wait_until(lambda: stream.active_sessions == 0, within_s=1)
