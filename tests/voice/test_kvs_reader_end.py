"""How a KvsCallReader decides the call is over: contact ended, stalls, shared clients."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from tests.voice import test_kvs_reader as reader_tests
from tests.voice.test_kvs_reader import (
    assert_contiguous,
    feed,
    joined,
    read_all,
    unique_name,
    wait_until,
)
from voice.kvs_clients import KvsClientPool
from voice.kvs_emulator import CallStart, RunningEmulator
from voice.kvs_reader import CallAudio, KvsCallReader, StreamEnd

# The same emulator and AWS environment as the reader's own tests.
kvs = reader_tests.kvs
aws_env = reader_tests.aws_env


class ContactState:
    """The workflow's answer to "has the contact ended?", with a count of questions."""

    def __init__(self, *, ended: bool = False, broken: bool = False) -> None:
        self.ended = ended
        self.broken = broken
        self.asked = 0

    async def __call__(self) -> bool:
        self.asked += 1
        if self.broken:
            raise RuntimeError("query failed")
        return self.ended


def reader_for(start: CallStart, contact_id: str, **options: object) -> KvsCallReader:
    defaults: dict[str, object] = {
        "end_of_stream_idle_s": 0.3,
        "backoff_base_s": 0.05,
        "backoff_max_s": 0.3,
    }
    return KvsCallReader(
        stream_arn=start.stream_arn,
        contact_id=contact_id,
        start_fragment_number=start.start_fragment_number,
        start_timestamp_ms=start.start_timestamp_ms,
        **{**defaults, **options},  # type: ignore[arg-type]
    )


async def test_quiet_stream_of_an_ended_contact_ends_at_once(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=3, seed=200, finish=False)  # stays live
    contact = ContactState(ended=True)
    reader = reader_for(call.start, call.result.contact_id, contact_ended=contact, stall_limit_s=30)

    began = time.monotonic()
    pieces = await read_all(reader)

    assert time.monotonic() - began < 3
    assert joined(pieces, "customer") == call.customer
    assert reader.end_reason is StreamEnd.CONTACT_ENDED
    assert contact.asked == 1


async def test_short_stall_of_a_live_contact_is_waited_out(kvs: RunningEmulator) -> None:
    name = unique_name()
    starts: asyncio.Queue[CallStart] = asyncio.Queue()

    def started(start: CallStart) -> None:
        # The producer stalls right after its first fragment, five times the idle time: set
        # here, not when the reader has read some audio, since a reader slowed down by a
        # busy machine could otherwise find the whole call already stored and no stall.
        kvs.emulator.pause_feed(name, 1.5)
        starts.put_nowait(start)

    feeding = asyncio.create_task(
        feed(kvs, name, seconds=6, seed=210, contact_id="c-210", speed=8, on_start=started)
    )
    start = await asyncio.wait_for(starts.get(), timeout=2)
    contact = ContactState()
    reader = reader_for(start, "c-210", contact_ended=contact, stall_limit_s=10)
    pieces: list[CallAudio] = []
    asked_during_stall = 0

    async with contextlib.aclosing(reader.audio()) as audio:
        async for piece in audio:
            pieces.append(piece)
            if len(pieces) == 6:
                asked_during_stall = contact.asked
                contact.ended = True  # the hang-up arrives once the audio is in
    call = await feeding

    assert asked_during_stall >= 2  # it asked, heard "not over", and kept waiting
    assert [p.fragment_number for p in pieces] == call.result.fragment_numbers
    assert joined(pieces, "customer") == call.customer
    assert joined(pieces, "agent") == call.agent
    assert_contiguous(pieces)
    assert reader.end_reason is StreamEnd.CONTACT_ENDED


async def test_stall_past_the_limit_ends_as_stalled(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=2, seed=220, finish=False)
    contact = ContactState(broken=True)  # a failing question counts as "not over"
    reader = reader_for(
        call.start, call.result.contact_id, contact_ended=contact, stall_limit_s=1.2
    )

    began = time.monotonic()
    pieces = await read_all(reader)

    assert 1.2 <= time.monotonic() - began < 4
    assert len(pieces) == 2
    assert reader.end_reason is StreamEnd.STALLED
    assert contact.asked >= 2


async def test_stop_fragment_and_next_contact_end_without_asking(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=3, seed=230, finish=False)
    contact = ContactState()
    stop = call.result.fragment_numbers[1]
    reader = reader_for(
        call.start, call.result.contact_id, contact_ended=contact, stop_fragment_number=stop
    )

    pieces = await read_all(reader)

    assert [p.fragment_number for p in pieces] == call.result.fragment_numbers[:2]
    assert reader.end_reason is StreamEnd.STOP_FRAGMENT
    assert contact.asked == 0


async def test_waiting_on_stream_only_while_the_reader_works(kvs: RunningEmulator) -> None:
    call = await feed(kvs, unique_name(), seconds=2, seed=240, finish=False)
    reader = reader_for(call.start, call.result.contact_id, stall_limit_s=30)
    assert not reader.waiting_on_stream
    audio = reader.audio()
    first = await anext(audio)
    assert first.fragment_number == call.result.fragment_numbers[0]
    assert not reader.waiting_on_stream  # the fragment is with us, not the reader
    await anext(audio)
    waiting = asyncio.create_task(anext(audio))  # no third fragment: it waits on KVS
    await wait_until(lambda: reader.waiting_on_stream)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
        await waiting
    await audio.aclose()
    assert not reader.waiting_on_stream


async def test_readers_share_the_worker_clients(kvs: RunningEmulator) -> None:
    calls = [await feed(kvs, unique_name(), seconds=2, seed=250 + i) for i in range(3)]
    async with KvsClientPool() as pool:
        results = await asyncio.gather(
            *(
                read_all(reader_for(c.start, c.result.contact_id, clients=pool, stall_limit_s=0.3))
                for c in calls
            )
        )
        # One control-plane client for the region, one media client for the endpoint.
        assert pool.client_count == 2
    for call, pieces in zip(calls, results, strict=True):
        assert joined(pieces, "customer") == call.customer


def test_the_stall_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="stall_limit_s"):
        KvsCallReader(
            stream_arn="arn:aws:kinesisvideo:us-east-1:1:stream/s/1",
            contact_id="c",
            stall_limit_s=0,
        )
