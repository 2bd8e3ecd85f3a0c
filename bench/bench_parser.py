"""Throughput of voice.mkv.MkvStreamParser on the KVS fixtures and on synthetic Connect audio.

Run from the repo root: ``.venv/bin/python bench/bench_parser.py [--minutes 60]``.
Prints plain lines; the last one says how many live calls one core keeps up with.
"""

from __future__ import annotations

import argparse
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from voice.mkv import ElementId, MkvStreamParser, TrackAudio

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "kvs"
CHUNK_SIZES = (4 * 1024, 64 * 1024)
SAMPLE_RATE = 8000
BLOCK_MS = 60
BLOCKS_PER_FRAGMENT = 17  # ~1 s fragments, ~34 SimpleBlocks each, as Connect writes
AUDIO_BYTES_PER_CALL_SECOND = 2 * SAMPLE_RATE * 2  # two s16 tracks
UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"


def _size(length: int) -> bytes:
    width = 1
    while length >= (1 << (7 * width)) - 1:
        width += 1
    return ((1 << (7 * width)) | length).to_bytes(width, "big")


def _element(element_id: int, *children: bytes) -> bytes:
    payload = b"".join(children)
    return (
        element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
        + _size(len(payload))
        + payload
    )


def _unknown_size(element_id: int, *children: bytes) -> bytes:
    return element_id.to_bytes(4, "big") + UNKNOWN_SIZE + b"".join(children)


def _text(element_id: int, text: str) -> bytes:
    return _element(element_id, text.encode())


def _uint(element_id: int, value: int) -> bytes:
    return _element(element_id, value.to_bytes(8, "big"))


def _tags(**pairs: str) -> bytes:
    simple_tags = [
        _element(ElementId.SIMPLE_TAG, _text(ElementId.TAG_NAME, k), _text(ElementId.TAG_STRING, v))
        for k, v in pairs.items()
    ]
    return _element(ElementId.TAGS, _element(ElementId.TAG, *simple_tags))


def _track(number: int, name: str) -> bytes:
    return _element(
        ElementId.TRACK_ENTRY,
        _uint(ElementId.TRACK_NUMBER, number),
        _text(ElementId.NAME, name),
        _text(ElementId.CODEC_ID, "A_AAC"),
    )


def connect_fragment(number: int, timecode_ms: int, pcm: tuple[bytes, bytes]) -> bytes:
    block_bytes = SAMPLE_RATE * 2 * BLOCK_MS // 1000
    blocks = [
        _element(
            ElementId.SIMPLE_BLOCK,
            bytes([0x80 | track]) + struct.pack(">hB", index * BLOCK_MS, 0x80),
            pcm[track - 1][index * block_bytes : (index + 1) * block_bytes],
        )
        for index in range(BLOCKS_PER_FRAGMENT)
        for track in (1, 2)
    ]
    cluster = _unknown_size(ElementId.CLUSTER, _uint(ElementId.TIMECODE, timecode_ms), *blocks)
    segment_children = (
        _element(ElementId.INFO, _uint(ElementId.TIMECODE_SCALE, 1_000_000)),
        _element(
            ElementId.TRACKS, _track(1, "AUDIO_FROM_CUSTOMER"), _track(2, "AUDIO_TO_CUSTOMER")
        ),
        _tags(AWS_KINESISVIDEO_FRAGMENT_NUMBER=str(number)),
        cluster,
        _tags(ContactId="bench-call", MimeType="audio/L16;rate=8000;channels=1;"),
        _tags(AWS_KINESISVIDEO_CONTINUATION_TOKEN=str(number)),
    )
    ebml = _element(ElementId.EBML, _text(0x4282, "matroska"))
    return ebml + _unknown_size(ElementId.SEGMENT, *segment_children)


def synthetic_stream(minutes: float) -> tuple[bytes, float]:
    rng = np.random.default_rng(7)
    fragment_ms = BLOCK_MS * BLOCKS_PER_FRAGMENT
    samples = SAMPLE_RATE * fragment_ms // 1000
    pcm = tuple(rng.integers(-3000, 3000, samples).astype("<i2").tobytes() for _ in range(2))
    count = int(minutes * 60_000 // fragment_ms)
    fragments = (connect_fragment(i, i * fragment_ms, (pcm[0], pcm[1])) for i in range(count))
    return b"".join(fragments), count * fragment_ms / 1000


def chunks(data: bytes, size: int) -> Iterator[memoryview]:
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield view[start : start + size]


def parse_seconds(data: bytes, chunk_size: int) -> tuple[float, int]:
    """Wall time to parse ``data`` in chunks, and how many audio blocks came out."""
    parser = MkvStreamParser()
    blocks = 0
    started = time.process_time()
    for chunk in chunks(data, chunk_size):
        blocks += sum(isinstance(event, TrackAudio) for event in parser.feed(chunk))
    parser.close()
    return time.process_time() - started, blocks


def best_rate(data: bytes, chunk_size: int, repeats: int) -> float:
    fastest = min(parse_seconds(data, chunk_size)[0] for _ in range(repeats))
    return len(data) / fastest / 1e6


def bench_fixtures(repeats: int) -> None:
    if not FIXTURES.is_dir():
        print(f"fixtures: skipped, {FIXTURES.name}/ not found next to the repo")
        return
    for path in sorted(FIXTURES.glob("*.mkv")):
        data = path.read_bytes()
        sizes = (*CHUNK_SIZES, len(data))
        rates = ", ".join(
            f"{'whole file' if s == len(data) else f'{s // 1024} KiB chunks'} "
            f"{best_rate(data, s, repeats):.0f} MB/s"
            for s in sizes
        )
        print(f"fixture {path.name} ({len(data) / 1e6:.2f} MB): {rates}")


def bench_connect(minutes: float) -> None:
    stream, audio_seconds = synthetic_stream(minutes)
    stream_rate = len(stream) / audio_seconds
    print(
        f"synthetic Connect stream: {audio_seconds / 60:.0f} min of 2-track 8 kHz PCM, "
        f"{len(stream) / 1e6:.1f} MB, {stream_rate / 1000:.1f} kB of MKV per call-second"
    )
    for chunk_size in CHUNK_SIZES:
        seconds, blocks = parse_seconds(stream, chunk_size)
        rate = len(stream) / seconds
        print(
            f"synthetic Connect, {chunk_size // 1024} KiB chunks: {rate / 1e6:.0f} MB/s, "
            f"{blocks / seconds:,.0f} blocks/s, {audio_seconds / seconds:,.0f}x real time"
        )
        print(
            f"real time on one core ({chunk_size // 1024} KiB chunks): "
            f"{rate / stream_rate:,.0f} concurrent calls "
            f"({AUDIO_BYTES_PER_CALL_SECOND // 1000} kB/s of audio each)"
        )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--minutes", type=float, default=60.0)
    arguments.add_argument("--repeats", type=int, default=3)
    options = arguments.parse_args()
    print("timings: CPU time of this process on one core, so other load on the box does not skew")
    bench_fixtures(options.repeats)
    bench_connect(options.minutes)


if __name__ == "__main__":
    main()
