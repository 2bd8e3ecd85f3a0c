"""The Connect-style MKV writer, checked with a small EBML walker written here from the
Matroska spec (independent of the writer and of voice.mkv)."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

import pytest

from voice.mkv_writer import (
    CONNECT_MIME_TYPE,
    TrackLayout,
    build_fragment,
    build_fragment_body,
    build_get_media_tags,
)

# --- an independent EBML walker ---------------------------------------------------------

EBML, SEGMENT, INFO, TRACKS, TAGS, CLUSTER = (
    0x1A45DFA3,
    0x18538067,
    0x1549A966,
    0x1654AE6B,
    0x1254C367,
    0x1F43B675,
)
_CLUSTER_CHILDREN = {0xE7, 0xA7, 0xA3}  # Timecode, Position, SimpleBlock


class Truncated(Exception):
    pass


@dataclass
class WalkedFragment:
    segment_children: list[int] = field(default_factory=list)
    doc_type: str = ""
    timecode_scale: int | None = None
    muxing_app: str = ""
    tracks: dict[int, dict[str, object]] = field(default_factory=dict)
    tags: list[tuple[str, str]] = field(default_factory=list)
    cluster_timecode: int | None = None
    blocks: list[tuple[int, int, int, bytes]] = field(default_factory=list)

    def tag(self, name: str) -> str | None:
        return next((value for key, value in self.tags if key == name), None)

    def track_pcm(self, track_number: int) -> bytes:
        return b"".join(payload for track, _, _, payload in self.blocks if track == track_number)


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, is_unknown_size) of the vint at `pos`."""
    if pos >= len(data):
        raise Truncated
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    assert length <= 8, f"bad vint at {pos}"
    if pos + length > len(data):
        raise Truncated
    value = int.from_bytes(data[pos : pos + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    unknown = value == (1 << (7 * length)) - 1
    return value, length, unknown


def _header(data: bytes, pos: int) -> tuple[int, int | None, int]:
    element_id, id_length, _ = _vint(data, pos, keep_marker=True)
    size, size_length, unknown = _vint(data, pos + id_length, keep_marker=False)
    return element_id, None if unknown else size, pos + id_length + size_length


def _children(data: bytes) -> list[tuple[int, bytes]]:
    pos, children = 0, []
    while pos < len(data):
        element_id, size, start = _header(data, pos)
        assert size is not None, "unknown size inside a sized master"
        children.append((element_id, data[start : start + size]))
        pos = start + size
    return children


def _text(payload: bytes) -> str:
    return payload.rstrip(b"\x00").decode()


def _walk_info(payload: bytes, fragment: WalkedFragment) -> None:
    for element_id, child in _children(payload):
        if element_id == 0x2AD7B1:
            fragment.timecode_scale = int.from_bytes(child, "big")
        elif element_id == 0x4D80:
            fragment.muxing_app = _text(child)


def _walk_tracks(payload: bytes, fragment: WalkedFragment) -> None:
    for entry_id, entry in _children(payload):
        assert entry_id == 0xAE
        fields = dict(_children(entry))
        audio = dict(_children(fields[0xE1]))
        fragment.tracks[int.from_bytes(fields[0xD7], "big")] = {
            "name": _text(fields[0x536E]),
            "codec": _text(fields[0x86]),
            "type": int.from_bytes(fields[0x83], "big"),
            "rate": struct.unpack(">d", audio[0xB5])[0],
            "channels": int.from_bytes(audio[0x9F], "big"),
        }


def _walk_tags(payload: bytes, fragment: WalkedFragment) -> None:
    for tag_id, tag in _children(payload):
        assert tag_id == 0x7373
        for simple_id, simple in _children(tag):
            if simple_id == 0x67C8:
                fields = dict(_children(simple))
                fragment.tags.append((_text(fields[0x45A3]), _text(fields[0x4487])))


def _walk_cluster(data: bytes, pos: int, size: int | None, fragment: WalkedFragment) -> int:
    end = len(data) if size is None else pos + size
    while pos < end:
        element_id, child_size, start = _header(data, pos)
        if size is None and element_id not in _CLUSTER_CHILDREN:
            return pos  # an unknown-size cluster ends where a non-child begins
        assert child_size is not None
        if start + child_size > len(data):
            raise Truncated
        child = data[start : start + child_size]
        if element_id == 0xE7:
            fragment.cluster_timecode = int.from_bytes(child, "big")
        elif element_id == 0xA3:
            track, track_length, _ = _vint(child, 0, keep_marker=False)
            relative, flags = struct.unpack(">hB", child[track_length : track_length + 3])
            fragment.blocks.append((track, relative, flags, child[track_length + 3 :]))
        pos = start + child_size
    return pos


def _walk_segment(data: bytes, pos: int, fragment: WalkedFragment) -> int:
    walkers = {INFO: _walk_info, TRACKS: _walk_tracks, TAGS: _walk_tags}
    while pos < len(data):
        element_id, size, start = _header(data, pos)
        if element_id == EBML:
            return pos
        fragment.segment_children.append(element_id)
        if element_id == CLUSTER:
            pos = _walk_cluster(data, start, size, fragment)
            continue
        assert size is not None
        if start + size > len(data):
            raise Truncated
        if element_id in walkers:
            walkers[element_id](data[start : start + size], fragment)
        pos = start + size
    return pos


def walk_fragments(data: bytes, *, allow_truncated_tail: bool = False) -> list[WalkedFragment]:
    """Every fragment (EBML header + unknown-size Segment) in `data`.

    With `allow_truncated_tail`, a fragment cut off by the end of `data` is left out
    (a fragment counts as whole only once GetMedia's continuation token arrived)."""
    fragments: list[WalkedFragment] = []
    pos = 0
    while pos < len(data):
        fragment = WalkedFragment()
        try:
            element_id, size, start = _header(data, pos)
            assert element_id == EBML and size is not None
            if start + size > len(data):
                raise Truncated
            fragment.doc_type = _text(dict(_children(data[start : start + size]))[0x4282])
            element_id, size, start = _header(data, start + size)
            assert element_id == SEGMENT and size is None, "Segment must have unknown size"
            pos = _walk_segment(data, start, fragment)
        except Truncated:
            if allow_truncated_tail:
                return fragments
            raise
        if allow_truncated_tail and pos == len(data) and fragment.tag(CONTINUATION) is None:
            return fragments
        fragments.append(fragment)
    return fragments


CONTINUATION = "AWS_KINESISVIDEO_CONTINUATION_TOKEN"

# --- tests ------------------------------------------------------------------------------

FRAGMENT_NUMBER = "91343852333181432392682062622220590765191907586"
PRODUCER_TS = 1_700_000_000.5
SERVER_TS = 1_700_000_001.25


def _fragment(**overrides: object) -> bytes:
    options: dict[str, object] = {
        "fragment_number": FRAGMENT_NUMBER,
        "producer_timestamp": PRODUCER_TS,
        "server_timestamp": SERVER_TS,
        "contact_id": "contact-1",
        "instance_id": "instance-1",
        "customer_pcm": os.urandom(16000),
        "agent_pcm": os.urandom(16000),
        "millis_behind_now": 42,
        "continuation_token": FRAGMENT_NUMBER,
    }
    options.update(overrides)
    return build_fragment(**options)  # type: ignore[arg-type]


def test_fragment_layout_matches_connect_getmedia() -> None:
    [fragment] = walk_fragments(_fragment())

    assert fragment.doc_type == "matroska"
    assert fragment.segment_children == [INFO, TRACKS, TAGS, CLUSTER] + [TAGS] * 6
    assert fragment.timecode_scale == 1_000_000
    assert fragment.muxing_app == "Kinesis Video SDK"
    assert fragment.tags == [
        ("AWS_KINESISVIDEO_FRAGMENT_NUMBER", FRAGMENT_NUMBER),
        ("AWS_KINESISVIDEO_SERVER_TIMESTAMP", "1700000001.250"),
        ("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP", "1700000000.500"),
        ("ContactId", "contact-1"),
        ("InstanceId", "instance-1"),
        ("MimeType", CONNECT_MIME_TYPE),
        ("AUDIO_FROM_CUSTOMER", "1"),
        ("AUDIO_TO_CUSTOMER", "2"),
        ("AWS_KINESISVIDEO_MILLIS_BEHIND_NOW", "42"),
        (CONTINUATION, FRAGMENT_NUMBER),
    ]


def test_tracks_declare_aac_at_8khz_mono() -> None:
    [fragment] = walk_fragments(_fragment())

    assert fragment.tracks == {
        1: {
            "name": "AUDIO_FROM_CUSTOMER",
            "codec": "A_AAC",
            "type": 2,
            "rate": 8000.0,
            "channels": 1,
        },
        2: {
            "name": "AUDIO_TO_CUSTOMER",
            "codec": "A_AAC",
            "type": 2,
            "rate": 8000.0,
            "channels": 1,
        },
    }


def test_cluster_holds_alternating_pcm_blocks_timed_from_producer_timestamp() -> None:
    customer, agent = os.urandom(16000), os.urandom(16000)
    [fragment] = walk_fragments(_fragment(customer_pcm=customer, agent_pcm=agent))

    assert fragment.cluster_timecode == 1_700_000_000_500
    assert [track for track, *_ in fragment.blocks] == [1, 2] * 32
    assert {flags for _, _, flags, _ in fragment.blocks} == {0x80}
    customer_times = [relative for track, relative, _, _ in fragment.blocks if track == 1]
    assert customer_times == [k * 1000 * 250 // 8000 for k in range(32)]
    assert fragment.track_pcm(1) == customer
    assert fragment.track_pcm(2) == agent


def test_tracks_of_different_length_keep_their_own_audio() -> None:
    customer, agent = os.urandom(16000), os.urandom(3000)
    [fragment] = walk_fragments(_fragment(customer_pcm=customer, agent_pcm=agent))

    assert fragment.track_pcm(1) == customer
    assert fragment.track_pcm(2) == agent


def test_legacy_single_track_layout() -> None:
    customer = os.urandom(8000)
    data = _fragment(
        customer_pcm=customer, agent_pcm=b"", track_layout=TrackLayout.LEGACY_SINGLE_TRACK
    )
    [fragment] = walk_fragments(data)

    assert [track["name"] for track in fragment.tracks.values()] == ["Track_audio/L16"]
    assert fragment.tag("AUDIO_FROM_CUSTOMER") is None
    assert fragment.tag("MimeType") == CONNECT_MIME_TYPE
    assert fragment.track_pcm(1) == customer
    with pytest.raises(ValueError, match="customer audio only"):
        _fragment(track_layout=TrackLayout.LEGACY_SINGLE_TRACK)


def test_fragment_is_stored_body_plus_get_media_tags() -> None:
    pcm = os.urandom(1600)
    common: dict[str, object] = {
        "fragment_number": "7",
        "producer_timestamp": PRODUCER_TS,
        "server_timestamp": SERVER_TS,
        "contact_id": "c",
        "instance_id": "i",
        "customer_pcm": pcm,
        "agent_pcm": pcm,
    }
    body = build_fragment_body(**common)  # type: ignore[arg-type]
    trailer = build_get_media_tags(millis_behind_now=5, continuation_token="7")

    assert build_fragment(**common, millis_behind_now=5, continuation_token="7") == body + trailer  # type: ignore[arg-type]
    assert build_fragment(**common) == body  # type: ignore[arg-type]
    assert build_get_media_tags(millis_behind_now=None, continuation_token=None) == b""


def test_rejects_partial_samples() -> None:
    with pytest.raises(ValueError, match="whole 16-bit samples"):
        _fragment(customer_pcm=b"\x00\x01\x02")


def test_known_size_cluster_option() -> None:
    customer = os.urandom(4000)
    data = _fragment(customer_pcm=customer, agent_pcm=customer, unknown_cluster_size=False)
    [fragment] = walk_fragments(data)

    assert fragment.track_pcm(1) == customer
    assert fragment.tag(CONTINUATION) == FRAGMENT_NUMBER


def test_truncated_tail_is_left_out() -> None:
    whole = _fragment()
    fragments = walk_fragments(whole + whole[: len(whole) // 2], allow_truncated_tail=True)

    assert len(fragments) == 1


def test_round_trip_through_stream_parser() -> None:
    mkv = pytest.importorskip("voice.mkv")
    customers = [os.urandom(16000) for _ in range(3)]
    agents = [os.urandom(16000) for _ in range(3)]
    data = b"".join(
        _fragment(
            fragment_number=str(1000 + index),
            producer_timestamp=PRODUCER_TS + index,
            continuation_token=str(1000 + index),
            customer_pcm=customer,
            agent_pcm=agent,
        )
        for index, (customer, agent) in enumerate(zip(customers, agents, strict=True))
    )

    parser = mkv.MkvStreamParser()
    events = []
    for offset in range(0, len(data), 997):  # odd chunk size: elements straddle chunks
        events += parser.feed(data[offset : offset + 997])
    events += parser.close()

    audio: dict[str, bytearray] = {}
    for event in events:
        if isinstance(event, mkv.TrackAudio):
            audio.setdefault(event.role, bytearray()).extend(event.payload)
    completed = [event.fragment for event in events if isinstance(event, mkv.FragmentComplete)]
    assert bytes(audio["customer"]) == b"".join(customers)
    assert bytes(audio["agent"]) == b"".join(agents)
    assert [fragment.tags[CONTINUATION] for fragment in completed] == ["1000", "1001", "1002"]
    assert {fragment.tags["ContactId"] for fragment in completed} == {"contact-1"}
