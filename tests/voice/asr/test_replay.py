"""ReplayAsr releases recorded events on the audio clock; RecordingAsr makes recordings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from voice.asr.base import AsrResult, AsrStream, AsrUtteranceEnd, AsrWord, StreamingAsr
from voice.asr.replay import (
    RecordedEvent,
    RecordingAsr,
    ReplayAsr,
    dump_events,
    load_events,
)

RATE = 8000
BYTES_PER_S = 2 * 2 * RATE


def _final(channel: int, start: float, end: float, *words: str) -> AsrResult:
    step = (end - start) / max(1, len(words))
    timed = [AsrWord(w, start + i * step, start + (i + 1) * step, 0.9) for i, w in enumerate(words)]
    return AsrResult(channel, True, True, " ".join(words), timed, start, end, 0.9)


EVENTS = [
    RecordedEvent(1.0, AsrResult(0, False, False, "hello", [], 0.0, 1.0, 0.5)),
    RecordedEvent(2.0, _final(0, 0.0, 2.0, "hello", "there")),
    RecordedEvent(3.2, AsrUtteranceEnd(0, 1.7)),
    RecordedEvent(5.0, _final(1, 2.5, 5.0, "how", "can", "I", "help")),
]


async def _send_seconds(stream: AsrStream, seconds: float) -> None:
    await stream.send_audio(bytes(int(seconds * BYTES_PER_S)))


def _drain(seen: list[object], stream: AsrStream) -> asyncio.Task[None]:
    async def pump() -> None:
        async for event in stream.events():
            seen.append(event)

    return asyncio.create_task(pump())


async def test_events_are_released_when_the_audio_passes_them() -> None:
    seen: list[object] = []
    async with ReplayAsr(events=EVENTS).stream(sample_rate=RATE, channels=2) as stream:
        task = _drain(seen, stream)
        await _send_seconds(stream, 0.9)
        await asyncio.sleep(0)
        assert seen == []
        await _send_seconds(stream, 1.2)  # now at 2.1 s
        await asyncio.sleep(0)
        assert seen == [EVENTS[0].event, EVENTS[1].event]
        await _send_seconds(stream, 1.0)  # 3.1 s: the turn has not ended yet
        await asyncio.sleep(0)
        assert len(seen) == 2
    await task
    # Closing flushes what had started (the agent's turn began at 2.5 s), like a Finalize.
    assert seen == [item.event for item in EVENTS]


async def test_close_drops_speech_that_was_never_sent() -> None:
    seen: list[object] = []
    async with ReplayAsr(events=EVENTS).stream(sample_rate=RATE, channels=2) as stream:
        task = _drain(seen, stream)
        await _send_seconds(stream, 2.0)
    await task
    # The customer's turn is over (the stream ended); the agent never spoke in it.
    assert seen == [item.event for item in EVENTS[:3]]


def test_json_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    dump_events(EVENTS, path, sample_rate=RATE, channels=2)
    assert load_events(path) == EVENTS


async def _record(asr: StreamingAsr, seconds: float) -> None:
    async with asr.stream(sample_rate=RATE, channels=2) as stream:
        task = _drain([], stream)
        for _ in range(int(seconds * 10)):
            await _send_seconds(stream, 0.1)
            await asyncio.sleep(0.001)  # let the consumer see events as they are released
    await task


async def test_a_recording_replays_the_same_events(tmp_path: Path) -> None:
    recorder = RecordingAsr(inner=ReplayAsr(events=EVENTS))
    await _record(recorder, 6.0)
    recorded = recorder.streams[0].recorded
    assert [item.event for item in recorded] == [item.event for item in EVENTS]
    # Results are stamped with their end time; the turn end with when it was heard.
    assert [item.at_s for item in recorded] == pytest.approx([1.0, 2.0, 3.2, 5.0], abs=0.11)

    path = tmp_path / "recorded.json"
    dump_events(recorded, path)
    again = RecordingAsr(inner=ReplayAsr.from_file(path))
    await _record(again, 6.0)
    assert [i.event for i in again.streams[0].recorded] == [i.event for i in EVENTS]
