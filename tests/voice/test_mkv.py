"""Tests for voice.mkv: real KVS GetMedia fixtures plus synthetic Connect audio."""

from __future__ import annotations

import itertools
import random
import struct
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pytest

from voice.mkv import (
    ElementId,
    Fragment,
    FragmentComplete,
    MkvCorruptError,
    MkvError,
    MkvEvent,
    MkvStreamParser,
    MkvTruncatedError,
    TrackAudio,
    parse_chunks,
    parse_mime_type,
    role_for_track_name,
)

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "kvs"

# ---------------------------------------------------------------- EBML writer (tests only)

UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"
PCM_BLOCK_MS = 60
PCM_BLOCK_BYTES = 8000 * 2 * PCM_BLOCK_MS // 1000


def encode_size(size: int) -> bytes:
    length = 1
    while size >= (1 << (7 * length)) - 1:
        length += 1
    return ((1 << (7 * length)) | size).to_bytes(length, "big")


def encode_id(element_id: int) -> bytes:
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")


def element(element_id: int, *children: bytes) -> bytes:
    payload = b"".join(children)
    return encode_id(element_id) + encode_size(len(payload)) + payload


def unknown_size_element(element_id: int, *children: bytes) -> bytes:
    return encode_id(element_id) + UNKNOWN_SIZE + b"".join(children)


def uint_element(element_id: int, value: int) -> bytes:
    return element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def string_element(element_id: int, text: str, nul_padding: int = 0) -> bytes:
    return element(element_id, text.encode() + b"\0" * nul_padding)


def simple_block(track_number: int, relative_timecode: int, payload: bytes, flags: int = 0x80):
    header = encode_size(track_number) + struct.pack(">hB", relative_timecode, flags)
    return element(ElementId.SIMPLE_BLOCK, header, payload)


def ebml_header() -> bytes:
    return element(
        ElementId.EBML,
        uint_element(0x4286, 1),
        uint_element(0x42F7, 1),
        uint_element(0x42F2, 4),
        uint_element(0x42F3, 8),
        string_element(0x4282, "matroska"),
        uint_element(0x4287, 2),
        uint_element(0x4285, 2),
    )


def tags_element(pairs: Iterable[tuple[str, str]]) -> bytes:
    simple_tags = (
        element(
            ElementId.SIMPLE_TAG,
            string_element(ElementId.TAG_NAME, name),
            string_element(ElementId.TAG_STRING, value),
        )
        for name, value in pairs
    )
    return element(ElementId.TAGS, element(ElementId.TAG, element(ElementId.TARGETS), *simple_tags))


def audio_track_entry(number: int, name: str) -> bytes:
    return element(
        ElementId.TRACK_ENTRY,
        uint_element(ElementId.TRACK_NUMBER, number),
        uint_element(0x73C5, number),  # TrackUID: skipped by the parser
        string_element(ElementId.NAME, name, nul_padding=3),
        string_element(ElementId.CODEC_ID, "A_AAC", nul_padding=2),
        element(
            ElementId.AUDIO,
            element(ElementId.SAMPLING_FREQUENCY, struct.pack(">d", 8000.0)),
            uint_element(ElementId.CHANNELS, 1),
        ),
    )


def pcm_tone(frequency: float, seconds: float, seed: int = 0) -> bytes:
    samples = np.arange(int(8000 * seconds))
    wave = 8000 * np.sin(2 * np.pi * frequency * samples / 8000) + seed
    return wave.astype("<i2").tobytes()


def connect_fragment(
    customer_pcm: bytes,
    agent_pcm: bytes,
    *,
    fragment_number: str = "91343852333181432392682062622220590765191907586",
    contact_id: str = "4a573372-1f28-4e26-b97b-000000000001",
    cluster_timecode: int = 1_571_360_125_131,
    track_names: tuple[str, str] = ("AUDIO_FROM_CUSTOMER", "AUDIO_TO_CUSTOMER"),
    mime_type: str = "audio/L16;rate=8000;channels=1;",
) -> bytes:
    """A fragment shaped like Connect's: unknown-size Segment and Cluster, tags around."""
    info = element(
        ElementId.INFO,
        uint_element(ElementId.TIMECODE_SCALE, 1_000_000),
        string_element(0x4D80, "Kinesis Video SDK"),
    )
    tracks = element(
        ElementId.TRACKS,
        audio_track_entry(1, track_names[0]),
        audio_track_entry(2, track_names[1]),
    )
    leading_tags = tags_element(
        [
            ("AWS_KINESISVIDEO_FRAGMENT_NUMBER", fragment_number),
            ("AWS_KINESISVIDEO_SERVER_TIMESTAMP", f"{cluster_timecode / 1000:.3f}"),
            ("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP", f"{cluster_timecode / 1000:.3f}"),
        ]
    )
    cluster = unknown_size_element(
        ElementId.CLUSTER,
        uint_element(ElementId.TIMECODE, cluster_timecode),
        *interleaved_blocks(customer_pcm, agent_pcm),
    )
    trailing_tags = tags_element(
        [
            ("ContactId", contact_id),
            ("InstanceId", "abcd-instance"),
            ("MimeType", mime_type),
            ("AUDIO_FROM_CUSTOMER", "1"),
            ("AUDIO_TO_CUSTOMER", "2"),
        ]
    )
    getmedia_tags = tags_element(
        [
            ("AWS_KINESISVIDEO_MILLIS_BEHIND_NOW", "1234"),
            ("AWS_KINESISVIDEO_CONTINUATION_TOKEN", fragment_number),
        ]
    )
    segment = unknown_size_element(
        ElementId.SEGMENT, info, tracks, leading_tags, cluster, trailing_tags, getmedia_tags
    )
    return ebml_header() + segment


def interleaved_blocks(customer_pcm: bytes, agent_pcm: bytes) -> Iterator[bytes]:
    longest = max(len(customer_pcm), len(agent_pcm))
    for index, start in enumerate(range(0, longest, PCM_BLOCK_BYTES)):
        for track_number, pcm in ((1, customer_pcm), (2, agent_pcm)):
            chunk = pcm[start : start + PCM_BLOCK_BYTES]
            if chunk:
                yield simple_block(track_number, index * PCM_BLOCK_MS, chunk)


# ---------------------------------------------------------------- feeding helpers


def feed_in_chunks(data: bytes, sizes: Iterable[int], **options: int) -> list[MkvEvent]:
    parser = MkvStreamParser(**options)
    view = memoryview(data)
    events: list[MkvEvent] = []
    position = 0
    for size in sizes:
        if position >= len(data):
            break
        events += parser.feed(view[position : position + size])
        position += size
    events += parser.feed(view[position:])
    events += parser.close()
    return events


def constant(size: int) -> Iterator[int]:
    while True:
        yield size


def random_sizes(seed: int, largest: int = 4096) -> Iterator[int]:
    rng = random.Random(seed)
    while True:
        yield rng.randint(1, largest)


def fragments_of(events: Iterable[MkvEvent]) -> list[Fragment]:
    return [event.fragment for event in events if isinstance(event, FragmentComplete)]


def audio_of(events: Iterable[MkvEvent]) -> list[TrackAudio]:
    return [event for event in events if isinstance(event, TrackAudio)]


def pcm_by_role(events: Iterable[MkvEvent]) -> dict[str, bytes]:
    joined: dict[str, bytearray] = {}
    for audio in audio_of(events):
        joined.setdefault(audio.role, bytearray()).extend(audio.payload)
    return {role: bytes(pcm) for role, pcm in joined.items()}


# ---------------------------------------------------------------- real GetMedia fixtures

FIXTURE_COUNTS = {
    # file: (fragments, clusters, simple blocks, Tags elements or None if unchecked)
    "output_get_media.mkv": (5, 5, 300, None),
    "output_get_media_sparse_fragments.mkv": (3, 3, 180, None),
    "test_mixed_tags.mkv": (10, 10, 100, 75),
    "empty-mkv-with-tags.mkv": (1, 0, 0, None),
    "test_tags_empty_cluster.mkv": (1, 0, 0, None),
}

KVS_TAGS = (
    "AWS_KINESISVIDEO_FRAGMENT_NUMBER",
    "AWS_KINESISVIDEO_SERVER_TIMESTAMP",
    "AWS_KINESISVIDEO_PRODUCER_TIMESTAMP",
    "AWS_KINESISVIDEO_CONTINUATION_TOKEN",
    "AWS_KINESISVIDEO_MILLIS_BEHIND_NOW",
)


def fixture_bytes(name: str) -> bytes:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"KVS fixture {name} not found in {FIXTURES.name}/ next to the repo")
    return path.read_bytes()


def test_every_fixture_file_has_expected_counts() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/kvs is not present next to the repo")
    assert sorted(path.name for path in FIXTURES.glob("*.mkv")) == sorted(FIXTURE_COUNTS)


@pytest.mark.parametrize("name", sorted(FIXTURE_COUNTS))
def test_fixture_counts(name: str) -> None:
    data = fixture_bytes(name)
    fragments_expected, clusters, blocks, tags_elements = FIXTURE_COUNTS[name]
    events = parse_chunks([data])
    fragments = fragments_of(events)
    assert len(fragments) == fragments_expected
    assert sum(fragment.cluster_count for fragment in fragments) == clusters
    assert sum(fragment.block_count for fragment in fragments) == blocks
    assert len(audio_of(events)) == blocks
    if tags_elements is not None:
        assert sum(fragment.tags_element_count for fragment in fragments) == tags_elements
    assert [fragment.index for fragment in fragments] == list(range(fragments_expected))
    assert fragments[0].start_offset == 0
    assert fragments[-1].end_offset == len(data)
    for earlier, later in itertools.pairwise(fragments):
        assert earlier.end_offset == later.start_offset


@pytest.mark.parametrize("name", sorted(FIXTURE_COUNTS))
def test_fixture_chunking_does_not_change_results(name: str) -> None:
    data = fixture_bytes(name)
    whole = parse_chunks([data])
    assert feed_in_chunks(data, constant(1)) == whole
    assert feed_in_chunks(data, constant(7)) == whole
    assert feed_in_chunks(data, random_sizes(seed=len(data))) == whole


def test_get_media_fixture_kvs_tags_per_fragment() -> None:
    fragments = fragments_of(parse_chunks([fixture_bytes("output_get_media.mkv")]))
    assert len(fragments) == 5
    for fragment in fragments:
        assert set(KVS_TAGS) <= set(fragment.tags)
        assert fragment.fragment_number is not None and fragment.fragment_number.isdigit()
        assert fragment.server_timestamp is not None and fragment.server_timestamp > 1.5e9
        assert fragment.producer_timestamp is not None and fragment.producer_timestamp > 1.5e9
        assert fragment.continuation_token
        assert fragment.millis_behind_now is not None and fragment.millis_behind_now >= 0
        assert fragment.tracks[1].codec_id == "V_MPEG4/ISO/AVC"
    numbers = [int(fragment.fragment_number or 0) for fragment in fragments]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    assert fragments[0].tags["AWS_KINESISVIDEO_SERVER_TIMESTAMP"] == "1511852109.126"
    assert fragments[0].millis_behind_now == 15858


def test_mixed_tags_fixture_strips_nul_padding() -> None:
    data = fixture_bytes("test_mixed_tags.mkv")
    assert b"test track\0" in data and b"V_MS/VFW/FOURCC\0" in data
    fragments = fragments_of(parse_chunks([data]))
    for fragment in fragments:
        assert fragment.tracks[1].name == "test track"
        assert fragment.tracks[1].codec_id == "V_MS/VFW/FOURCC"
        assert set(KVS_TAGS) <= set(fragment.tags)
    custom = [pair for pair in fragments[0].tag_pairs if pair[0].startswith("testTag_")]
    assert ("testTag_0", "testTag_0_Value") in custom


# ---------------------------------------------------------------- Connect audio


def test_connect_fragment_pcm_per_role_is_byte_exact() -> None:
    customer, agent = pcm_tone(440, 1.0), pcm_tone(660, 1.0, seed=3)
    data = connect_fragment(customer, agent, cluster_timecode=1_571_360_125_131)
    events = feed_in_chunks(data, random_sizes(seed=1, largest=300))
    assert pcm_by_role(events) == {"customer": customer, "agent": agent}
    customer_audio = [audio for audio in audio_of(events) if audio.role == "customer"]
    expected_times = [1_571_360_125_131 + i * PCM_BLOCK_MS for i in range(len(customer_audio))]
    assert [audio.timecode_ms for audio in customer_audio] == expected_times
    assert {(a.track_number, a.track_name) for a in audio_of(events)} == {
        (1, "AUDIO_FROM_CUSTOMER"),
        (2, "AUDIO_TO_CUSTOMER"),
    }
    assert all(audio.fragment_index == 0 for audio in audio_of(events))


def test_connect_fragment_metadata() -> None:
    data = connect_fragment(pcm_tone(440, 0.2), pcm_tone(660, 0.2), contact_id="call-7")
    (fragment,) = fragments_of(parse_chunks([data]))
    assert fragment.contact_id == "call-7"
    assert fragment.mime_type == "audio/L16;rate=8000;channels=1;"
    assert fragment.audio_format == ("audio/L16", 8000, 1)
    assert fragment.fragment_number == "91343852333181432392682062622220590765191907586"
    assert fragment.continuation_token == fragment.fragment_number
    assert fragment.millis_behind_now == 1234
    assert fragment.server_timestamp == pytest.approx(1_571_360_125.131)
    assert fragment.cluster_timecode_ms == 1_571_360_125_131
    assert fragment.cluster_count == 1 and fragment.tags_element_count == 3
    customer = fragment.tracks[1]
    assert (customer.name, customer.codec_id, customer.role) == (
        "AUDIO_FROM_CUSTOMER",
        "A_AAC",
        "customer",
    )
    assert (customer.sample_rate, customer.channels) == (8000.0, 1)
    assert fragment.tracks[2].role == "agent"
    assert fragment.track_for_role("agent") == fragment.tracks[2]


def test_legacy_track_name_maps_to_customer() -> None:
    customer = pcm_tone(300, 0.3)
    data = connect_fragment(customer, b"", track_names=("Track_audio/L16", "other"))
    events = parse_chunks([data])
    assert pcm_by_role(events) == {"customer": customer}
    assert role_for_track_name("Track_audio/L16") == "customer"
    assert role_for_track_name("AUDIO_TO_CUSTOMER") == "agent"
    assert role_for_track_name("video") == "video"


def test_consecutive_fragments_split_on_ebml_header() -> None:
    first = connect_fragment(pcm_tone(440, 0.3), pcm_tone(550, 0.3), fragment_number="1")
    second = connect_fragment(
        pcm_tone(440, 0.3, seed=1),
        pcm_tone(550, 0.3, seed=1),
        fragment_number="2",
        cluster_timecode=1_571_360_126_131,
    )
    events = feed_in_chunks(first + second, constant(7))
    fragments = fragments_of(events)
    assert [fragment.fragment_number for fragment in fragments] == ["1", "2"]
    assert (fragments[0].start_offset, fragments[0].end_offset) == (0, len(first))
    assert fragments[1].end_offset == len(first) + len(second)
    assert {audio.fragment_index for audio in audio_of(events)} == {0, 1}
    # Audio is never held back until the fragment completes.
    first_complete = events.index(FragmentComplete(fragments[0]))
    assert all(audio.fragment_index == 0 for audio in audio_of(events[:first_complete]))


def test_block_is_emitted_as_soon_as_it_is_complete() -> None:
    data = connect_fragment(pcm_tone(440, 0.3), pcm_tone(550, 0.3))
    first_block = simple_block(1, 0, pcm_tone(440, 0.3)[:PCM_BLOCK_BYTES])
    block_end = data.index(first_block) + len(first_block)
    parser = MkvStreamParser()
    assert parser.feed(data[: block_end - 1]) == []
    (audio,) = parser.feed(data[block_end - 1 : block_end])
    assert isinstance(audio, TrackAudio) and audio.role == "customer"


def test_current_fragment_exposes_tags_before_the_fragment_completes() -> None:
    data = connect_fragment(pcm_tone(440, 0.3), pcm_tone(550, 0.3), contact_id="c-1")
    cluster_start = data.index(encode_id(ElementId.CLUSTER))
    parser = MkvStreamParser()
    assert parser.current_fragment is None
    parser.feed(data[:cluster_start])
    early = parser.current_fragment
    assert early is not None and early.end_offset is None
    assert early.fragment_number == "91343852333181432392682062622220590765191907586"
    assert early.contact_id is None
    events = parser.feed(data[cluster_start:])
    assert fragments_of(events) == []
    late = parser.current_fragment
    assert late is not None and late.contact_id == "c-1" and late.continuation_token
    (done,) = fragments_of(parser.close())
    assert done.contact_id == "c-1" and done.end_offset == len(data)


def test_timecode_scale_and_known_sizes() -> None:
    cluster = element(
        ElementId.CLUSTER,
        uint_element(ElementId.TIMECODE, 4000),
        simple_block(1, 20, b"\x01\x02"),
        simple_block(1, -10, b"\x03\x04"),
    )
    segment = element(
        ElementId.SEGMENT,
        element(ElementId.INFO, uint_element(ElementId.TIMECODE_SCALE, 500_000)),
        element(ElementId.TRACKS, audio_track_entry(1, "AUDIO_FROM_CUSTOMER")),
        cluster,
    )
    events = parse_chunks([ebml_header() + segment])
    assert [audio.timecode_ms for audio in audio_of(events)] == [2010, 1995]
    (fragment,) = fragments_of(events)
    assert fragment.timecode_scale_ns == 500_000 and fragment.cluster_timecode_ms == 2000


def test_unknown_size_cluster_ends_at_next_cluster_and_at_tags() -> None:
    segment = unknown_size_element(
        ElementId.SEGMENT,
        element(ElementId.TRACKS, audio_track_entry(1, "AUDIO_FROM_CUSTOMER")),
        unknown_size_element(
            ElementId.CLUSTER, uint_element(ElementId.TIMECODE, 0), simple_block(1, 0, b"a")
        ),
        unknown_size_element(
            ElementId.CLUSTER, uint_element(ElementId.TIMECODE, 1000), simple_block(1, 5, b"b")
        ),
        tags_element([("ContactId", "x")]),
    )
    events = feed_in_chunks(ebml_header() + segment, constant(1))
    assert [(audio.timecode_ms, audio.payload) for audio in audio_of(events)] == [
        (0, b"a"),
        (1005, b"b"),
    ]
    (fragment,) = fragments_of(events)
    assert fragment.cluster_count == 2 and fragment.contact_id == "x"


def test_block_group_block_is_emitted() -> None:
    block_body = encode_size(1) + struct.pack(">hB", 3, 0) + b"pcm!"
    cluster = unknown_size_element(
        ElementId.CLUSTER,
        uint_element(ElementId.TIMECODE, 10),
        element(ElementId.BLOCK_GROUP, element(ElementId.BLOCK, block_body)),
    )
    data = ebml_header() + unknown_size_element(
        ElementId.SEGMENT,
        element(ElementId.TRACKS, audio_track_entry(1, "AUDIO_TO_CUSTOMER")),
        cluster,
    )
    (audio,) = audio_of(parse_chunks([data]))
    assert (audio.role, audio.timecode_ms, audio.payload) == ("agent", 13, b"pcm!")


@pytest.mark.parametrize(
    ("flags", "lace_header"),
    [
        (0x82, bytes([2, 3, 2])),  # Xiph: 3 frames, sizes 3 and 2, last implied
        (0x86, bytes([2, 0x83, 0xBF - 1])),  # EBML: sizes 3, 3 + (-1) = 2
        (0x84, bytes([2])),  # fixed size
    ],
)
def test_laced_frames_are_concatenated(flags: int, lace_header: bytes) -> None:
    frames = b"abc" + b"de" + b"fghi" if flags != 0x84 else b"abc" + b"def" + b"ghi"
    block_body = encode_size(1) + struct.pack(">hB", 0, flags) + lace_header + frames
    cluster = unknown_size_element(ElementId.CLUSTER, element(ElementId.SIMPLE_BLOCK, block_body))
    data = ebml_header() + unknown_size_element(ElementId.SEGMENT, cluster)
    (audio,) = audio_of(parse_chunks([data]))
    assert audio.payload == frames
    assert (audio.track_name, audio.role) == ("", "")


def test_parse_mime_type() -> None:
    assert parse_mime_type("audio/L16;rate=8000;channels=1;") == ("audio/L16", 8000, 1)
    assert parse_mime_type("audio/L16; rate=16000; channels=2") == ("audio/L16", 16000, 2)
    assert parse_mime_type("audio/L16") == ("audio/L16", None, 1)
    for bad in ("", "L16", "audio/L16;rate", "audio/L16;rate=abc", "audio/L16;channels=0"):
        with pytest.raises(ValueError):
            parse_mime_type(bad)


def test_empty_stream_and_clean_end_after_ebml_header() -> None:
    assert parse_chunks([]) == []
    (fragment,) = fragments_of(parse_chunks([ebml_header()]))
    assert fragment.cluster_count == 0


# ---------------------------------------------------------------- corruption


def small_connect_fragment() -> bytes:
    return connect_fragment(pcm_tone(440, 0.01), pcm_tone(550, 0.01), contact_id="c")


def test_truncation_at_every_offset_is_clean_or_typed() -> None:
    data = small_connect_fragment()
    reference = audio_of(parse_chunks([data]))
    outcomes = set()
    for cut in range(len(data) + 1):
        parser = MkvStreamParser()
        events = parser.feed(data[:cut])
        try:
            events += parser.close()
            outcomes.add("clean")
        except MkvTruncatedError as error:
            assert 0 <= error.offset <= cut
            outcomes.add("truncated")
        audio = audio_of(events)
        assert audio == reference[: len(audio)]
    assert outcomes == {"clean", "truncated"}


def test_truncated_block_reports_its_offset() -> None:
    data = small_connect_fragment()
    block_size = len(pcm_tone(440, 0.01)) + 4
    block_start = data.index(bytes([ElementId.SIMPLE_BLOCK]) + encode_size(block_size))
    parser = MkvStreamParser()
    parser.feed(data[: block_start + 10])
    with pytest.raises(MkvTruncatedError) as raised:
        parser.close()
    assert raised.value.offset == block_start


def test_huge_declared_size_fails_fast_with_offset() -> None:
    prefix = ebml_header() + encode_id(ElementId.SEGMENT) + UNKNOWN_SIZE
    huge = encode_id(ElementId.CLUSTER) + b"\x01\x00\x10\x00\x00\x00\x00\x00"
    parser = MkvStreamParser()
    started = time.perf_counter()
    with pytest.raises(MkvCorruptError) as raised:
        parser.feed(prefix + huge + b"\0" * 100)
    assert time.perf_counter() - started < 0.5
    assert raised.value.offset == len(prefix)
    assert "limit" in str(raised.value)


def test_max_element_size_is_configurable() -> None:
    data = connect_fragment(pcm_tone(440, 0.2), pcm_tone(550, 0.2))
    with pytest.raises(MkvCorruptError):
        parse_chunks([data], max_element_size=PCM_BLOCK_BYTES)
    assert audio_of(parse_chunks([data], max_element_size=PCM_BLOCK_BYTES + 4))


def test_garbage_at_top_level() -> None:
    with pytest.raises(MkvCorruptError) as raised:
        parse_chunks([b"hello, this is not MKV at all"])
    assert raised.value.offset == 0
    fragment = small_connect_fragment()
    with pytest.raises(MkvCorruptError) as raised:
        parse_chunks([fragment, b"\x00\x00garbage"])
    assert raised.value.offset == len(fragment)


def test_garbage_inside_unknown_size_cluster_keeps_earlier_audio() -> None:
    fragment = small_connect_fragment()
    cut = fragment.index(encode_id(ElementId.TAGS), fragment.index(encode_id(ElementId.CLUSTER)))
    parser = MkvStreamParser()
    with pytest.raises(MkvCorruptError) as raised:
        parser.feed(fragment[:cut] + b"\x42\x42garbage")
    assert raised.value.offset == cut
    assert pcm_by_role(raised.value.events)["customer"] == pcm_tone(440, 0.01)


def test_invalid_vints() -> None:
    with pytest.raises(MkvCorruptError) as raised:
        parse_chunks([ebml_header() + b"\x00\x81\x00"])
    assert raised.value.offset == len(ebml_header())
    with pytest.raises(MkvCorruptError) as raised:
        parse_chunks([encode_id(ElementId.EBML) + b"\x00\x00"])
    assert raised.value.offset == 4


def test_child_overrunning_parent() -> None:
    simple_tag = element(ElementId.SIMPLE_TAG, string_element(ElementId.TAG_NAME, "n"))
    tag = encode_id(ElementId.TAG) + encode_size(2) + simple_tag
    data = ebml_header() + unknown_size_element(ElementId.SEGMENT, element(ElementId.TAGS, tag))
    with pytest.raises(MkvCorruptError, match="overruns") as raised:
        parse_chunks([data])
    assert raised.value.offset == data.index(simple_tag)


def test_bad_block_and_bad_unknown_sizes() -> None:
    cluster = unknown_size_element(ElementId.CLUSTER, element(ElementId.SIMPLE_BLOCK, b"\x81\x00"))
    data = ebml_header() + unknown_size_element(ElementId.SEGMENT, cluster)
    with pytest.raises(MkvCorruptError, match="SIMPLE_BLOCK"):
        parse_chunks([data])
    unknown_tags = unknown_size_element(ElementId.TAGS)
    with pytest.raises(MkvCorruptError, match="unknown size"):
        parse_chunks([ebml_header() + unknown_size_element(ElementId.SEGMENT, unknown_tags)])


def test_deep_nesting_is_refused() -> None:
    nested = string_element(ElementId.TAG_NAME, "deep")
    for _ in range(40):
        nested = element(ElementId.SIMPLE_TAG, nested)
    tags = element(ElementId.TAGS, element(ElementId.TAG, nested))
    with pytest.raises(MkvCorruptError, match="nested"):
        parse_chunks([ebml_header() + unknown_size_element(ElementId.SEGMENT, tags)])


def test_parser_refuses_input_after_error_and_after_close() -> None:
    parser = MkvStreamParser()
    with pytest.raises(MkvCorruptError) as first:
        parser.feed(b"\x00")
    with pytest.raises(MkvCorruptError) as again:
        parser.feed(small_connect_fragment())
    assert again.value is first.value
    with pytest.raises(MkvCorruptError):
        parser.close()
    closed = MkvStreamParser()
    closed.close()
    assert closed.close() == []
    with pytest.raises(MkvError, match="after close"):
        closed.feed(b"\x1a")


def test_buffer_stays_bounded_while_trickling_a_large_block() -> None:
    payload = bytes(200_000)
    cluster = unknown_size_element(ElementId.CLUSTER, simple_block(1, 0, payload))
    data = ebml_header() + unknown_size_element(ElementId.SEGMENT, cluster)
    parser = MkvStreamParser(max_element_size=250_000)
    largest = 0
    for start in range(0, len(data), 4096):
        parser.feed(data[start : start + 4096])
        largest = max(largest, parser.buffered_bytes)
    assert largest <= 250_000 + 4096
    parser.close()
    assert parser.buffered_bytes == 0


def test_skipped_elements_are_not_buffered() -> None:
    void = element(ElementId.VOID, bytes(1_000_000))
    data = ebml_header() + unknown_size_element(ElementId.SEGMENT, void)
    parser = MkvStreamParser()
    for start in range(0, len(data), 1000):
        parser.feed(data[start : start + 1000])
        assert parser.buffered_bytes <= 1000
    assert len(fragments_of(parser.close())) == 1
    truncated = MkvStreamParser()
    truncated.feed(data[:-10])
    with pytest.raises(MkvTruncatedError) as raised:
        truncated.close()
    assert raised.value.offset == data.index(void)
