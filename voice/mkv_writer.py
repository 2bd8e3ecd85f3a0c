"""Build MKV fragments the way Amazon Connect's media streaming lands in KVS and GetMedia
returns them.

Each fragment is self-contained: an EBML header, then a Segment of unknown size holding
Info, Tracks, the fragment tags KVS adds on ingestion, one Cluster of unknown size with
the audio as SimpleBlocks, the producer's (Connect's) tags, and finally the tags GetMedia
adds on the way out (MILLIS_BEHIND_NOW, CONTINUATION_TOKEN).

The byte layout follows what the Kinesis Video producer SDK writes (and what real
GetMedia dumps show), including its quirks a parser has to cope with: size fields wider
than needed (4- and 8-byte vints), NUL-padded strings, a Position element inside the
cluster, and every producer tag in a Tags element of its own.

The audio is raw PCM even though the CodecID says A_AAC: Connect declares the real
format in the ``MimeType`` tag (``audio/L16;rate=8000;channels=1;``).
"""

from __future__ import annotations

import enum
import hashlib
import struct
from collections.abc import Sequence

__all__ = [
    "AUDIO_FROM_CUSTOMER",
    "AUDIO_TO_CUSTOMER",
    "CONNECT_MIME_TYPE",
    "LEGACY_TRACK_NAME",
    "SAMPLE_RATE_HZ",
    "TrackLayout",
    "build_fragment",
    "build_fragment_body",
    "build_get_media_tags",
    "format_kvs_timestamp",
]

AUDIO_FROM_CUSTOMER = "AUDIO_FROM_CUSTOMER"
AUDIO_TO_CUSTOMER = "AUDIO_TO_CUSTOMER"
LEGACY_TRACK_NAME = "Track_audio/L16"
SAMPLE_RATE_HZ = 8000
CONNECT_MIME_TYPE = f"audio/L16;rate={SAMPLE_RATE_HZ};channels=1;"
DEFAULT_SAMPLES_PER_BLOCK = 250  # 31.25 ms at 8 kHz: 32 blocks per track per second

_BYTES_PER_SAMPLE = 2
_PRODUCER_APP = "Kinesis Video SDK"
_TRACK_TYPE_AUDIO = 2
_KEYFRAME_FLAG = 0x80
# AudioSpecificConfig for AAC-LC, 8 kHz, mono: what a track declaring A_AAC carries.
_AAC_CODEC_PRIVATE = bytes([0x15, 0x88])
# The producer SDK pads these strings with NULs to a fixed length.
_PADDED_STRING_LENGTH = 32


class TrackLayout(enum.Enum):
    """Which tracks a fragment carries."""

    #: Current Connect streams: track 1 = AUDIO_FROM_CUSTOMER, track 2 = AUDIO_TO_CUSTOMER.
    CONNECT = "connect"
    #: Older Connect streams: one track named ``Track_audio/L16`` (the customer).
    LEGACY_SINGLE_TRACK = "legacy_single_track"


# --- EBML element ids -------------------------------------------------------------------

_EBML = 0x1A45DFA3
_EBML_VERSION = 0x4286
_EBML_READ_VERSION = 0x42F7
_EBML_MAX_ID_LENGTH = 0x42F2
_EBML_MAX_SIZE_LENGTH = 0x42F3
_DOC_TYPE = 0x4282
_DOC_TYPE_VERSION = 0x4287
_DOC_TYPE_READ_VERSION = 0x4285
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_SEGMENT_UID = 0x73A4
_TIMECODE_SCALE = 0x2AD7B1
_TITLE = 0x7BA9
_MUXING_APP = 0x4D80
_WRITING_APP = 0x5741
_TRACKS = 0x1654AE6B
_TRACK_ENTRY = 0xAE
_TRACK_NUMBER = 0xD7
_TRACK_UID = 0x73C5
_TRACK_TYPE = 0x83
_NAME = 0x536E
_CODEC_ID = 0x86
_CODEC_PRIVATE = 0x63A2
_AUDIO = 0xE1
_SAMPLING_FREQUENCY = 0xB5
_CHANNELS = 0x9F
_BIT_DEPTH = 0x6264
_TAGS = 0x1254C367
_TAG = 0x7373
_SIMPLE_TAG = 0x67C8
_TAG_NAME = 0x45A3
_TAG_STRING = 0x4487
_CLUSTER = 0x1F43B675
_TIMECODE = 0xE7
_POSITION = 0xA7
_SIMPLE_BLOCK = 0xA3

_UNKNOWN_SIZE_8 = b"\x01\xff\xff\xff\xff\xff\xff\xff"
_UNKNOWN_SIZE_1 = b"\xff"


# --- EBML encoding ----------------------------------------------------------------------


def _encode_id(element_id: int) -> bytes:
    # Element ids carry their own length marker, so they are written as-is.
    length = (element_id.bit_length() + 7) // 8
    return element_id.to_bytes(length, "big")


def _encode_size(size: int, width: int | None) -> bytes:
    """Encode a data size as an EBML vint, `width` bytes wide (shortest when None)."""
    if width is None:
        width = 1
        while size >= (1 << (7 * width)) - 1:
            width += 1
    if size >= (1 << (7 * width)) - 1:
        raise ValueError(f"size {size} does not fit a {width}-byte vint")
    marker = 1 << (7 * width)
    return (marker | size).to_bytes(width, "big")


def _element(element_id: int, payload: bytes, *, size_width: int | None = None) -> bytes:
    return _encode_id(element_id) + _encode_size(len(payload), size_width) + payload


def _uint(element_id: int, value: int, *, width: int | None = None) -> bytes:
    length = width or max(1, (value.bit_length() + 7) // 8)
    return _element(element_id, value.to_bytes(length, "big"))


def _float64(element_id: int, value: float) -> bytes:
    return _element(element_id, struct.pack(">d", value))


def _string(element_id: int, text: str, *, size_width: int | None = None) -> bytes:
    return _element(element_id, text.encode("utf-8"), size_width=size_width)


def _padded_string(element_id: int, text: str, *, length: int) -> bytes:
    encoded = text.encode("utf-8")
    if len(encoded) > length:
        raise ValueError(f"{text!r} is longer than {length} bytes")
    return _element(element_id, encoded.ljust(length, b"\x00"))


def _encode_track_number(track_number: int) -> bytes:
    return _encode_size(track_number, None)


# --- fragment parts ---------------------------------------------------------------------


def format_kvs_timestamp(epoch_seconds: float) -> str:
    """Timestamps in KVS tags are epoch seconds as text with millisecond precision."""
    return f"{epoch_seconds:.3f}"


def _ebml_header() -> bytes:
    return _element(
        _EBML,
        _uint(_EBML_VERSION, 1)
        + _uint(_EBML_READ_VERSION, 1)
        + _uint(_EBML_MAX_ID_LENGTH, 4)
        + _uint(_EBML_MAX_SIZE_LENGTH, 8)
        + _element(_DOC_TYPE, b"matroska\x00")
        + _uint(_DOC_TYPE_VERSION, 2)
        + _uint(_DOC_TYPE_READ_VERSION, 2),
    )


def _segment_info(segment_uid: bytes) -> bytes:
    app_name = _PRODUCER_APP.encode() + b"\x00"
    return _element(
        _INFO,
        _element(_SEGMENT_UID, segment_uid)
        + _uint(_TIMECODE_SCALE, 1_000_000, width=8)
        + _element(_TITLE, app_name)
        + _element(_MUXING_APP, app_name)
        + _element(_WRITING_APP, app_name),
    )


def _track_entry(*, track_number: int, name: str, track_uid: int) -> bytes:
    audio = _element(
        _AUDIO,
        _float64(_SAMPLING_FREQUENCY, float(SAMPLE_RATE_HZ))
        + _uint(_CHANNELS, 1)
        + _uint(_BIT_DEPTH, 16),
        size_width=4,
    )
    return _element(
        _TRACK_ENTRY,
        _uint(_TRACK_NUMBER, track_number)
        + _uint(_TRACK_UID, track_uid, width=8)
        + _uint(_TRACK_TYPE, _TRACK_TYPE_AUDIO)
        + _padded_string(_NAME, name, length=_PADDED_STRING_LENGTH)
        + _padded_string(_CODEC_ID, "A_AAC", length=_PADDED_STRING_LENGTH)
        + _element(_CODEC_PRIVATE, _AAC_CODEC_PRIVATE)
        + audio,
        size_width=4,
    )


def _track_names(layout: TrackLayout) -> list[str]:
    if layout is TrackLayout.CONNECT:
        return [AUDIO_FROM_CUSTOMER, AUDIO_TO_CUSTOMER]
    return [LEGACY_TRACK_NAME]


def _tracks(layout: TrackLayout, uid_seed: bytes) -> bytes:
    entries = b"".join(
        _track_entry(
            track_number=number,
            name=name,
            track_uid=int.from_bytes(hashlib.sha256(uid_seed + name.encode()).digest()[:8]),
        )
        for number, name in enumerate(_track_names(layout), start=1)
    )
    return _element(_TRACKS, entries, size_width=4)


def _simple_tag(name: str, value: str, *, size_width: int) -> bytes:
    return _element(
        _SIMPLE_TAG,
        _string(_TAG_NAME, name, size_width=size_width)
        + _string(_TAG_STRING, value, size_width=size_width),
        size_width=size_width,
    )


def _tags(pairs: Sequence[tuple[str, str]], *, size_width: int) -> bytes:
    """One Tags element holding one Tag with a SimpleTag per pair."""
    simple_tags = b"".join(_simple_tag(name, value, size_width=size_width) for name, value in pairs)
    return _element(
        _TAGS, _element(_TAG, simple_tags, size_width=size_width), size_width=size_width
    )


def _server_tags(pairs: Sequence[tuple[str, str]]) -> bytes:
    # Tags KVS itself adds are grouped and use 4-byte sizes.
    return _tags(pairs, size_width=4)


def _producer_tags(pairs: Sequence[tuple[str, str]]) -> bytes:
    # The producer SDK emits every fragment metadata item as its own Tags element with
    # 8-byte sizes.
    return b"".join(_tags([pair], size_width=8) for pair in pairs)


def _split_blocks(pcm: bytes, samples_per_block: int) -> list[tuple[int, bytes]]:
    """Cut one track's PCM into (relative timecode in ms, payload) pieces."""
    block_bytes = samples_per_block * _BYTES_PER_SAMPLE
    blocks = []
    for offset in range(0, len(pcm), block_bytes):
        sample_offset = offset // _BYTES_PER_SAMPLE
        relative_ms = sample_offset * 1000 // SAMPLE_RATE_HZ
        blocks.append((relative_ms, pcm[offset : offset + block_bytes]))
    return blocks


def _simple_block(track_number: int, relative_ms: int, payload: bytes) -> bytes:
    header = _encode_track_number(track_number) + struct.pack(">hB", relative_ms, _KEYFRAME_FLAG)
    return _element(_SIMPLE_BLOCK, header + payload, size_width=8)


def _interleave(tracks: Sequence[list[tuple[int, bytes]]]) -> list[tuple[int, int, bytes]]:
    """Alternate blocks of the tracks (track 1, track 2, track 1, ...) as Connect does."""
    interleaved = []
    for index in range(max((len(blocks) for blocks in tracks), default=0)):
        for track_number, blocks in enumerate(tracks, start=1):
            if index < len(blocks):
                relative_ms, payload = blocks[index]
                interleaved.append((track_number, relative_ms, payload))
    return interleaved


def _cluster(
    *, timecode_ms: int, track_pcm: Sequence[bytes], samples_per_block: int, unknown_size: bool
) -> bytes:
    blocks = _interleave([_split_blocks(pcm, samples_per_block) for pcm in track_pcm])
    content = (
        _uint(_TIMECODE, timecode_ms, width=8)
        + _uint(_POSITION, 0)
        + b"".join(
            _simple_block(track, relative_ms, payload) for track, relative_ms, payload in blocks
        )
    )
    if unknown_size:
        return _encode_id(_CLUSTER) + _UNKNOWN_SIZE_1 + content
    return _element(_CLUSTER, content)


def _check_pcm(name: str, pcm: bytes) -> None:
    if len(pcm) % _BYTES_PER_SAMPLE:
        raise ValueError(f"{name} must be whole 16-bit samples, got {len(pcm)} bytes")


def _track_pcm(layout: TrackLayout, customer_pcm: bytes, agent_pcm: bytes) -> list[bytes]:
    _check_pcm("customer_pcm", customer_pcm)
    _check_pcm("agent_pcm", agent_pcm)
    if layout is TrackLayout.CONNECT:
        return [customer_pcm, agent_pcm]
    if agent_pcm:
        raise ValueError("the legacy single-track layout carries customer audio only")
    return [customer_pcm]


def _contact_tags(layout: TrackLayout, contact_id: str, instance_id: str) -> list[tuple[str, str]]:
    pairs = [
        ("ContactId", contact_id),
        ("InstanceId", instance_id),
        ("MimeType", CONNECT_MIME_TYPE),
    ]
    if layout is TrackLayout.CONNECT:
        pairs += [(AUDIO_FROM_CUSTOMER, "1"), (AUDIO_TO_CUSTOMER, "2")]
    return pairs


# --- public API -------------------------------------------------------------------------


def build_fragment_body(
    *,
    fragment_number: str,
    producer_timestamp: float,
    server_timestamp: float,
    contact_id: str,
    instance_id: str,
    customer_pcm: bytes,
    agent_pcm: bytes = b"",
    track_layout: TrackLayout = TrackLayout.CONNECT,
    samples_per_block: int = DEFAULT_SAMPLES_PER_BLOCK,
    unknown_cluster_size: bool = True,
) -> bytes:
    """One fragment as KVS stores it: everything but the tags GetMedia adds when serving.

    `customer_pcm` / `agent_pcm` are s16le 8 kHz mono; the cluster timecode is the producer
    timestamp in milliseconds (KVS producers use absolute fragment times).
    """
    if samples_per_block <= 0:
        raise ValueError("samples_per_block must be positive")
    track_pcm = _track_pcm(track_layout, customer_pcm, agent_pcm)
    uid_seed = f"{contact_id}/{fragment_number}".encode()
    segment_content = (
        _segment_info(hashlib.sha256(uid_seed).digest()[:16])
        + _tracks(track_layout, contact_id.encode())
        + _server_tags(
            [
                ("AWS_KINESISVIDEO_FRAGMENT_NUMBER", fragment_number),
                ("AWS_KINESISVIDEO_SERVER_TIMESTAMP", format_kvs_timestamp(server_timestamp)),
                ("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP", format_kvs_timestamp(producer_timestamp)),
            ]
        )
        + _cluster(
            timecode_ms=round(producer_timestamp * 1000),
            track_pcm=track_pcm,
            samples_per_block=samples_per_block,
            unknown_size=unknown_cluster_size,
        )
        + _producer_tags(_contact_tags(track_layout, contact_id, instance_id))
    )
    return _ebml_header() + _encode_id(_SEGMENT) + _UNKNOWN_SIZE_8 + segment_content


def build_get_media_tags(*, millis_behind_now: int | None, continuation_token: str | None) -> bytes:
    """The Tags element GetMedia appends to each fragment it serves (empty if neither set)."""
    pairs = []
    if millis_behind_now is not None:
        pairs.append(("AWS_KINESISVIDEO_MILLIS_BEHIND_NOW", str(millis_behind_now)))
    if continuation_token is not None:
        pairs.append(("AWS_KINESISVIDEO_CONTINUATION_TOKEN", continuation_token))
    return _server_tags(pairs) if pairs else b""


def build_fragment(
    *,
    fragment_number: str,
    producer_timestamp: float,
    server_timestamp: float,
    contact_id: str,
    instance_id: str,
    customer_pcm: bytes,
    agent_pcm: bytes = b"",
    millis_behind_now: int | None = None,
    continuation_token: str | None = None,
    track_layout: TrackLayout = TrackLayout.CONNECT,
    samples_per_block: int = DEFAULT_SAMPLES_PER_BLOCK,
    unknown_cluster_size: bool = True,
) -> bytes:
    """One fragment exactly as a GetMedia response carries it."""
    body = build_fragment_body(
        fragment_number=fragment_number,
        producer_timestamp=producer_timestamp,
        server_timestamp=server_timestamp,
        contact_id=contact_id,
        instance_id=instance_id,
        customer_pcm=customer_pcm,
        agent_pcm=agent_pcm,
        track_layout=track_layout,
        samples_per_block=samples_per_block,
        unknown_cluster_size=unknown_cluster_size,
    )
    trailer = build_get_media_tags(
        millis_behind_now=millis_behind_now, continuation_token=continuation_token
    )
    return body + trailer
