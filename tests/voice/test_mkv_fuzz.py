"""Property tests: whatever bytes arrive, only MkvError escapes and memory stays bounded."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice.mkv import MkvError, MkvEvent, MkvStreamParser, parse_chunks

from .test_mkv import FIXTURES, connect_fragment, pcm_tone

MAX_ELEMENT_SIZE = 64 * 1024
FUZZ = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONNECT_STREAM = connect_fragment(pcm_tone(440, 0.25), pcm_tone(660, 0.25)) + connect_fragment(
    pcm_tone(440, 0.25, seed=5), pcm_tone(660, 0.25, seed=5), fragment_number="2"
)


def fixture_sample(name: str, limit: int) -> bytes | None:
    path = FIXTURES / name
    return path.read_bytes()[:limit] if path.is_file() else None


MIXED_TAGS = fixture_sample("test_mixed_tags.mkv", 30_000)
GET_MEDIA_HEAD = fixture_sample("output_get_media.mkv", 40_000)
needs_fixtures = pytest.mark.skipif(
    MIXED_TAGS is None or GET_MEDIA_HEAD is None,
    reason="../shared/fixtures/kvs is not present next to the repo",
)

chunk_sizes = st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=40)


def feed_checked(data: bytes, sizes: list[int]) -> list[MkvEvent]:
    """Feed ``data`` cycling through ``sizes``; asserts bounded buffering on every step."""
    parser = MkvStreamParser(max_element_size=MAX_ELEMENT_SIZE)
    events: list[MkvEvent] = []
    position, step = 0, 0
    try:
        while position < len(data):
            chunk = data[position : position + sizes[step % len(sizes)]]
            events += parser.feed(chunk)
            assert parser.buffered_bytes <= MAX_ELEMENT_SIZE + len(chunk)
            position += len(chunk)
            step += 1
        events += parser.close()
    except MkvError as error:
        assert 0 <= error.offset <= len(data)
        assert "internal parser error" not in error.message  # the safety net is not a plan
        with pytest.raises(MkvError):
            parser.feed(b"\x1a")
    return events


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        operation = draw(st.sampled_from(["flip", "delete", "insert", "set_ones"]))
        if operation == "flip" and data:
            data[position] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif operation == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=64))]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:  # an all-ones run turns sizes into "unknown" or huge ones
            data[position : position + 8] = b"\xff" * 8
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return bytes(data[:cut])


@FUZZ
@given(data=st.binary(max_size=4096), sizes=chunk_sizes)
def test_random_bytes_only_raise_mkv_errors(data: bytes, sizes: list[int]) -> None:
    feed_checked(data, sizes)


@FUZZ
@given(data=st.binary(max_size=512).map(lambda tail: b"\x1a\x45\xdf\xa3" + tail), sizes=chunk_sizes)
def test_random_bytes_after_ebml_id_only_raise_mkv_errors(data: bytes, sizes: list[int]) -> None:
    feed_checked(data, sizes)


@FUZZ
@given(data=mutated(CONNECT_STREAM), sizes=chunk_sizes)
def test_mutated_connect_stream_only_raises_mkv_errors(data: bytes, sizes: list[int]) -> None:
    feed_checked(data, sizes)


@needs_fixtures
@FUZZ
@given(data=mutated(MIXED_TAGS or b""), sizes=chunk_sizes)
def test_mutated_mixed_tags_fixture_only_raises_mkv_errors(data: bytes, sizes: list[int]) -> None:
    feed_checked(data, sizes)


@needs_fixtures
@settings(FUZZ, max_examples=150)
@given(data=mutated(GET_MEDIA_HEAD or b""), sizes=chunk_sizes)
def test_mutated_get_media_fixture_only_raises_mkv_errors(data: bytes, sizes: list[int]) -> None:
    feed_checked(data, sizes)


WHOLE_CONNECT_EVENTS = parse_chunks([CONNECT_STREAM])


@settings(FUZZ, max_examples=60)
@given(sizes=st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=60))
def test_valid_stream_parses_identically_in_any_chunking(sizes: list[int]) -> None:
    assert feed_checked(CONNECT_STREAM, sizes) == WHOLE_CONNECT_EVENTS


def test_connect_stream_sample_is_large_enough_to_matter() -> None:
    assert len(CONNECT_STREAM) > 10_000 and len(WHOLE_CONNECT_EVENTS) > 10
