"""ReplayAsr: a StreamingAsr that plays back recorded results on the audio clock.

It lets a benchmark measure callguide's own per-call cost (parsing, redaction,
workflow signals, storage) without paying for a speech model: each recorded event is
released once the audio sent on the stream has passed its time. Recordings come from
a real engine through RecordingAsr, or from the command line:

    python -m voice.asr.replay record call.wav results.json --url ws://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import wave
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from voice.asr.base import AsrError, AsrEvent, AsrResult, AsrStream, AsrUtteranceEnd, AsrWord
from voice.asr.base import StreamingAsr as StreamingAsrProtocol

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event and the audio position (seconds) at which it is released."""

    at_s: float
    event: AsrEvent


def event_time(event: AsrEvent) -> float:
    """The earliest audio position at which an engine could have produced the event."""
    return event.end_s if isinstance(event, AsrResult) else event.last_word_end_s


# ---- JSON ---------------------------------------------------------------------------------


def dump_events(
    events: Sequence[RecordedEvent], path: Path, *, sample_rate: int = 8000, channels: int = 2
) -> None:
    document = {
        "version": FORMAT_VERSION,
        "sample_rate": sample_rate,
        "channels": channels,
        "events": [_to_json(item) for item in events],
    }
    path.write_text(json.dumps(document, indent=1))


def load_events(path: Path) -> list[RecordedEvent]:
    document = json.loads(path.read_text())
    if document.get("version") != FORMAT_VERSION:
        raise AsrError(f"{path}: unsupported recording version {document.get('version')!r}")
    return [_from_json(item) for item in document["events"]]


def _to_json(item: RecordedEvent) -> dict[str, Any]:
    kind = "result" if isinstance(item.event, AsrResult) else "utterance_end"
    return {"type": kind, "at_s": item.at_s, **asdict(item.event)}


def _from_json(raw: dict[str, Any]) -> RecordedEvent:
    fields = {k: v for k, v in raw.items() if k not in ("type", "at_s")}
    event: AsrEvent
    if raw["type"] == "result":
        fields["words"] = [AsrWord(**w) for w in fields.get("words", [])]
        event = AsrResult(**fields)
    elif raw["type"] == "utterance_end":
        event = AsrUtteranceEnd(**fields)
    else:
        raise AsrError(f"unknown recorded event type {raw['type']!r}")
    return RecordedEvent(at_s=float(raw.get("at_s", event_time(event))), event=event)


# ---- playback -----------------------------------------------------------------------------


class _End:
    pass


_END = _End()


class ReplayStream:
    """Releases recorded events as the audio clock passes them."""

    def __init__(self, *, events: Sequence[RecordedEvent], sample_rate: int, channels: int):
        self._pending = sorted(events, key=lambda item: item.at_s)
        self._next = 0
        self._bytes_per_s = 2 * channels * sample_rate
        self._sent = 0
        self._out: asyncio.Queue[AsrEvent | _End] = asyncio.Queue()
        self._closed = False

    @property
    def position_s(self) -> float:
        return self._sent / self._bytes_per_s

    async def send_audio(self, pcm: bytes) -> None:
        if self._closed:
            raise AsrError("stream is closed")
        self._sent += len(pcm)
        self._release(lambda item: item.at_s <= self.position_s)

    async def finalize(self) -> None:
        # A flush makes speech already heard final, even if its recorded time is later.
        self._release(lambda item: _started_before(item.event, self.position_s))

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._iter_events()

    async def close(self) -> None:
        if not self._closed:
            await self.finalize()
            self._closed = True
            self._out.put_nowait(_END)

    async def _iter_events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        while not isinstance(item := await self._out.get(), _End):
            yield item

    def _release(self, due: Any) -> None:
        while self._next < len(self._pending) and due(self._pending[self._next]):
            self._out.put_nowait(self._pending[self._next].event)
            self._next += 1


def _started_before(event: AsrEvent, position_s: float) -> bool:
    start = event.start_s if isinstance(event, AsrResult) else event.last_word_end_s
    return start < position_s


class ReplayAsr:
    """StreamingAsr from a recording; every stream replays the same events."""

    def __init__(self, *, events: Sequence[RecordedEvent]) -> None:
        self._events = list(events)

    @classmethod
    def from_file(cls, path: Path) -> ReplayAsr:
        return cls(events=load_events(path))

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[ReplayStream]:
        stream = ReplayStream(events=self._events, sample_rate=sample_rate, channels=channels)
        try:
            yield stream
        finally:
            await stream.close()


# ---- recording ----------------------------------------------------------------------------


class RecordingStream:
    """Passes everything through to a real stream and notes when each event arrived."""

    def __init__(self, inner: AsrStream, *, sample_rate: int, channels: int) -> None:
        self._inner = inner
        self._bytes_per_s = 2 * channels * sample_rate
        self._sent = 0
        self.recorded: list[RecordedEvent] = []

    async def send_audio(self, pcm: bytes) -> None:
        self._sent += len(pcm)
        await self._inner.send_audio(pcm)

    async def finalize(self) -> None:
        await self._inner.finalize()

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._record()

    async def _record(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        async for event in self._inner.events():
            # An UtteranceEnd comes some silence after the last word: keep that delay.
            # Results are released at their end time, independent of the engine's lag.
            at = event_time(event)
            if isinstance(event, AsrUtteranceEnd):
                at = max(at, self._sent / self._bytes_per_s)
            self.recorded.append(RecordedEvent(at_s=at, event=event))
            yield event


class RecordingAsr:
    """Wraps a StreamingAsr; `streams` keeps each stream's recording."""

    def __init__(self, *, inner: StreamingAsrProtocol) -> None:
        self._inner = inner
        self.streams: list[RecordingStream] = []

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[RecordingStream]:
        async with self._inner.stream(sample_rate=sample_rate, channels=channels) as inner:
            recording = RecordingStream(inner, sample_rate=sample_rate, channels=channels)
            self.streams.append(recording)
            yield recording


async def record_wav(
    asr: StreamingAsrProtocol, wav_path: Path, out_path: Path, *, speed: float = 1.0
) -> list[RecordedEvent]:
    """Stream an s16 WAV through an engine at `speed` x real time and save its events."""
    with wave.open(str(wav_path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        if wav.getsampwidth() != 2:
            raise AsrError(f"{wav_path}: expected 16-bit PCM")
        pcm = wav.readframes(wav.getnframes())
    recorder = RecordingAsr(inner=asr)
    chunk = 2 * channels * rate // 10  # 100 ms
    async with recorder.stream(sample_rate=rate, channels=channels) as stream:
        drain = asyncio.create_task(_drain(stream.events()))
        for begin in range(0, len(pcm), chunk):
            await stream.send_audio(pcm[begin : begin + chunk])
            await asyncio.sleep(0.1 / speed)
    await drain
    recorded = recorder.streams[0].recorded
    dump_events(recorded, out_path, sample_rate=rate, channels=channels)
    return recorded


async def _drain(events: AsyncIterator[Any]) -> None:
    async for _ in events:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Record ASR results of a WAV for ReplayAsr.")
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("wav", type=Path)
    rec.add_argument("out", type=Path)
    rec.add_argument("--url", help="Deepgram-protocol server; default: Deepgram itself")
    rec.add_argument("--api-key", default=os.environ.get("DEEPGRAM_API_KEY", "local"))
    rec.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args(argv)
    from voice.asr.deepgram import DeepgramAsr

    asr = DeepgramAsr(api_key=args.api_key, url=args.url)
    recorded = asyncio.run(record_wav(asr, args.wav, args.out, speed=args.speed))
    print(f"recorded {len(recorded)} events to {args.out}")


if __name__ == "__main__":
    main()
