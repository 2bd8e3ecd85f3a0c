"""Incremental MKV/EBML parser for Kinesis Video Streams GetMedia output.

GetMedia answers with one endless MKV byte stream: every KVS fragment is an EBML
header followed by a Segment (Info, Tracks, Tags, one Cluster of SimpleBlocks, more
Tags). KVS writes the Segment and Cluster with *unknown* size, so their ends are only
known when an element that cannot be their child shows up.

``MkvStreamParser`` takes the bytes in whatever chunks the network delivers and emits
``TrackAudio`` as soon as each block is complete (latency matters for live assist) and
``FragmentComplete`` once a fragment is known to be over. Bad input raises an
``MkvError`` subclass carrying the absolute stream offset; nothing else escapes.

Amazon Connect specifics: tracks are named AUDIO_FROM_CUSTOMER / AUDIO_TO_CUSTOMER
(older streams: ``Track_audio/L16``), CodecID claims A_AAC but the payload is raw
s16le PCM as announced by the ``MimeType`` tag, so trust the tag.

    parser = MkvStreamParser()
    for chunk in get_media_payload:
        for event in parser.feed(chunk):
            ...  # TrackAudio -> ASR by event.role; FragmentComplete -> checkpoint token
    parser.close()
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final, NamedTuple, TypeAlias

DEFAULT_MAX_ELEMENT_SIZE: Final = 16 * 1024 * 1024
DEFAULT_TIMECODE_SCALE_NS: Final = 1_000_000
# Real Matroska nests a handful of levels; the cap keeps hostile nested SimpleTags cheap.
MAX_NESTING_DEPTH: Final = 32
MAX_TAGS_PER_FRAGMENT: Final = 10_000
MAX_TRACKS_PER_FRAGMENT: Final = 128

TAG_FRAGMENT_NUMBER: Final = "AWS_KINESISVIDEO_FRAGMENT_NUMBER"
TAG_SERVER_TIMESTAMP: Final = "AWS_KINESISVIDEO_SERVER_TIMESTAMP"
TAG_PRODUCER_TIMESTAMP: Final = "AWS_KINESISVIDEO_PRODUCER_TIMESTAMP"
TAG_CONTINUATION_TOKEN: Final = "AWS_KINESISVIDEO_CONTINUATION_TOKEN"
TAG_MILLIS_BEHIND_NOW: Final = "AWS_KINESISVIDEO_MILLIS_BEHIND_NOW"
TAG_CONTACT_ID: Final = "ContactId"
TAG_MIME_TYPE: Final = "MimeType"

CUSTOMER_TRACK_NAMES: Final = frozenset({"AUDIO_FROM_CUSTOMER", "Track_audio/L16"})
AGENT_TRACK_NAMES: Final = frozenset({"AUDIO_TO_CUSTOMER"})


class ElementId:
    """EBML / Matroska element IDs (marker bits included, as the spec writes them)."""

    EBML: Final = 0x1A45DFA3
    VOID: Final = 0xEC
    CRC32: Final = 0xBF
    SEGMENT: Final = 0x18538067
    SEEK_HEAD: Final = 0x114D9B74
    INFO: Final = 0x1549A966
    TIMECODE_SCALE: Final = 0x2AD7B1
    TRACKS: Final = 0x1654AE6B
    TRACK_ENTRY: Final = 0xAE
    TRACK_NUMBER: Final = 0xD7
    NAME: Final = 0x536E
    CODEC_ID: Final = 0x86
    AUDIO: Final = 0xE1
    SAMPLING_FREQUENCY: Final = 0xB5
    CHANNELS: Final = 0x9F
    CUES: Final = 0x1C53BB6B
    ATTACHMENTS: Final = 0x1941A469
    CHAPTERS: Final = 0x1043A770
    TAGS: Final = 0x1254C367
    TAG: Final = 0x7373
    TARGETS: Final = 0x63C0
    SIMPLE_TAG: Final = 0x67C8
    TAG_NAME: Final = 0x45A3
    TAG_STRING: Final = 0x4487
    CLUSTER: Final = 0x1F43B675
    TIMECODE: Final = 0xE7
    SILENT_TRACKS: Final = 0x5854
    POSITION: Final = 0xA7
    PREV_SIZE: Final = 0xAB
    SIMPLE_BLOCK: Final = 0xA3
    BLOCK_GROUP: Final = 0xA0
    BLOCK: Final = 0xA1
    ENCRYPTED_BLOCK: Final = 0xAF


_E = ElementId

_ELEMENT_NAMES: Final = {
    value: name
    for name, value in vars(ElementId).items()
    if isinstance(value, int) and not name.startswith("_")
}

_TOP_LEVEL: Final = frozenset({_E.EBML, _E.SEGMENT, _E.VOID})
_GLOBAL: Final = frozenset({_E.VOID, _E.CRC32})

# Children the parser understands. Segment and Cluster list every legal child because
# that list decides where their unknown-size data ends.
_CHILDREN: Final[dict[int, frozenset[int]]] = {
    _E.SEGMENT: frozenset(
        {
            _E.SEEK_HEAD,
            _E.INFO,
            _E.TRACKS,
            _E.CUES,
            _E.ATTACHMENTS,
            _E.CHAPTERS,
            _E.TAGS,
            _E.CLUSTER,
        }
    ),
    _E.CLUSTER: frozenset(
        {
            _E.TIMECODE,
            _E.SILENT_TRACKS,
            _E.POSITION,
            _E.PREV_SIZE,
            _E.SIMPLE_BLOCK,
            _E.BLOCK_GROUP,
            _E.ENCRYPTED_BLOCK,
        }
    ),
    _E.INFO: frozenset({_E.TIMECODE_SCALE}),
    _E.TRACKS: frozenset({_E.TRACK_ENTRY}),
    _E.TRACK_ENTRY: frozenset({_E.TRACK_NUMBER, _E.NAME, _E.CODEC_ID, _E.AUDIO}),
    _E.AUDIO: frozenset({_E.SAMPLING_FREQUENCY, _E.CHANNELS}),
    _E.TAGS: frozenset({_E.TAG}),
    _E.TAG: frozenset({_E.TARGETS, _E.SIMPLE_TAG}),
    _E.SIMPLE_TAG: frozenset({_E.TAG_NAME, _E.TAG_STRING, _E.SIMPLE_TAG}),
    _E.BLOCK_GROUP: frozenset({_E.BLOCK}),
}
_NO_CHILDREN: Final[frozenset[int]] = frozenset()
_MASTERS: Final = frozenset(_CHILDREN)
_UNKNOWN_SIZE_ALLOWED: Final = frozenset({_E.SEGMENT, _E.CLUSTER})

_LACING_NONE: Final = 0
_LACING_XIPH: Final = 1
_LACING_EBML: Final = 3
_LACING_FIXED: Final = 2

_FLOAT32 = struct.Struct(">f")
_FLOAT64 = struct.Struct(">d")


def _element_name(element_id: int) -> str:
    return _ELEMENT_NAMES.get(element_id, f"element 0x{element_id:X}")


# --------------------------------------------------------------------------- errors


class MkvError(Exception):
    """Malformed or truncated MKV input.

    ``offset`` is the absolute byte offset in the stream fed so far; ``events`` holds
    whatever the failing call had already parsed, so a caller can still use the audio
    that preceded the damage.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at byte offset {offset})")
        self.message = message
        self.offset = offset
        self.events: list[MkvEvent] = []

    def __reduce__(self) -> tuple[type[MkvError], tuple[str, int]]:
        return type(self), (self.message, self.offset)


class MkvCorruptError(MkvError):
    """The bytes cannot be valid MKV (bad vint, overrun, unexpected element...)."""


class MkvTruncatedError(MkvError):
    """The stream ended inside an element, so data was lost."""


class _Malformed(Exception):
    """Raised by offset-agnostic helpers; the parser turns it into MkvCorruptError."""


# --------------------------------------------------------------------------- events


class AudioFormat(NamedTuple):
    encoding: str
    sample_rate: int | None
    channels: int


@dataclass(frozen=True, slots=True)
class TrackInfo:
    number: int
    name: str
    codec_id: str
    role: str
    sample_rate: float | None
    channels: int | None


@dataclass(frozen=True, slots=True)
class Fragment:
    """One GetMedia fragment (EBML header + Segment). ``end_offset`` is None while open."""

    index: int
    start_offset: int
    end_offset: int | None
    tags: dict[str, str]
    tag_pairs: tuple[tuple[str, str], ...]
    tracks: dict[int, TrackInfo]
    cluster_count: int
    block_count: int
    tags_element_count: int
    cluster_timecode_ms: int | None
    timecode_scale_ns: int

    @property
    def fragment_number(self) -> str | None:
        return self.tags.get(TAG_FRAGMENT_NUMBER)

    @property
    def server_timestamp(self) -> float | None:
        return _float_or_none(self.tags.get(TAG_SERVER_TIMESTAMP))

    @property
    def producer_timestamp(self) -> float | None:
        return _float_or_none(self.tags.get(TAG_PRODUCER_TIMESTAMP))

    @property
    def continuation_token(self) -> str | None:
        return self.tags.get(TAG_CONTINUATION_TOKEN)

    @property
    def millis_behind_now(self) -> int | None:
        return _int_or_none(self.tags.get(TAG_MILLIS_BEHIND_NOW))

    @property
    def contact_id(self) -> str | None:
        return self.tags.get(TAG_CONTACT_ID)

    @property
    def mime_type(self) -> str | None:
        return self.tags.get(TAG_MIME_TYPE)

    @property
    def audio_format(self) -> AudioFormat | None:
        """Format from the MimeType tag (None if absent or unparsable); beats CodecID."""
        if self.mime_type is None:
            return None
        try:
            return parse_mime_type(self.mime_type)
        except ValueError:
            return None

    def track_for_role(self, role: str) -> TrackInfo | None:
        return next((t for t in self.tracks.values() if t.role == role), None)


@dataclass(frozen=True, slots=True)
class TrackAudio:
    """One block's payload. Laced frames are concatenated, which is what PCM wants."""

    fragment_index: int
    track_number: int
    track_name: str
    role: str
    timecode_ms: int
    payload: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class FragmentComplete:
    fragment: Fragment


MkvEvent: TypeAlias = TrackAudio | FragmentComplete


# --------------------------------------------------------------------------- helpers


def role_for_track_name(name: str) -> str:
    if name in CUSTOMER_TRACK_NAMES:
        return "customer"
    if name in AGENT_TRACK_NAMES:
        return "agent"
    return name


def parse_mime_type(mime_type: str) -> AudioFormat:
    """Parse e.g. ``audio/L16;rate=8000;channels=1;`` into (encoding, rate, channels).

    Channels default to 1 (RFC 3551 for L16); a missing rate gives None. Raises
    ValueError on malformed text.
    """
    encoding, *parameters = (part.strip() for part in mime_type.split(";"))
    if "/" not in encoding:
        raise ValueError(f"not a media type: {mime_type!r}")
    values: dict[str, str] = {}
    for parameter in parameters:
        if not parameter:
            continue
        key, separator, value = parameter.partition("=")
        if not separator:
            raise ValueError(f"parameter without value in {mime_type!r}: {parameter!r}")
        values[key.strip().lower()] = value.strip()
    rate = _positive_int(values["rate"], "rate") if "rate" in values else None
    channels = _positive_int(values["channels"], "channels") if "channels" in values else 1
    return AudioFormat(encoding, rate, channels)


def _positive_int(text: str, what: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise ValueError(f"{what} must be a positive integer, got {text!r}")
    return int(text)


def _float_or_none(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _decode_string(data: memoryview) -> str:
    # EBML strings may be NUL-padded; everything from the first NUL on is padding.
    return bytes(data).split(b"\0", 1)[0].decode("utf-8", "replace")


def _decode_uint(data: memoryview) -> int:
    if len(data) > 8:
        raise _Malformed(f"unsigned integer of {len(data)} bytes (max 8)")
    return int.from_bytes(data, "big")


def _decode_float(data: memoryview) -> float:
    if len(data) == 4:
        return float(_FLOAT32.unpack(data)[0])
    if len(data) == 8:
        return float(_FLOAT64.unpack(data)[0])
    if len(data) == 0:
        return 0.0
    raise _Malformed(f"float of {len(data)} bytes (must be 0, 4 or 8)")


def _read_vint(data: memoryview | bytearray, pos: int) -> tuple[int, int]:
    """Return (value, length) of the unsigned vint at ``pos``; the buffer must hold it."""
    if pos >= len(data):
        raise _Malformed("vint runs past the end of its element")
    first = data[pos]
    if first == 0:
        raise _Malformed("invalid vint (leading zero byte)")
    length = 9 - first.bit_length()
    if pos + length > len(data):
        raise _Malformed("vint runs past the end of its element")
    value = first & (0xFF >> length)
    for index in range(pos + 1, pos + length):
        value = (value << 8) | data[index]
    return value, length


def _lace_header_end(block: memoryview, pos: int, lacing: int) -> int:
    """Validate a lacing header starting at ``pos``; return where the frame data begins.

    Laced frames sit back to back after the header, so for PCM the payload is simply
    everything after it; the sizes only need to be consistent.
    """
    if pos >= len(block):
        raise _Malformed("laced block without frame count")
    frame_count = block[pos] + 1
    pos += 1
    if lacing == _LACING_FIXED:
        if (len(block) - pos) % frame_count:
            raise _Malformed("fixed-size lacing does not divide the block evenly")
        return pos
    if lacing == _LACING_XIPH:
        pos, declared = _xiph_lace_sizes(block, pos, frame_count)
    else:
        pos, declared = _ebml_lace_sizes(block, pos, frame_count)
    if declared > len(block) - pos:
        raise _Malformed("lace sizes exceed the block")
    return pos


def _xiph_lace_sizes(block: memoryview, pos: int, frame_count: int) -> tuple[int, int]:
    total = 0
    for _ in range(frame_count - 1):
        while True:
            if pos >= len(block):
                raise _Malformed("xiph lace sizes run past the block")
            byte = block[pos]
            pos += 1
            total += byte
            if byte != 0xFF:
                break
    return pos, total


def _ebml_lace_sizes(block: memoryview, pos: int, frame_count: int) -> tuple[int, int]:
    if frame_count == 1:
        return pos, 0
    size, length = _read_vint(block, pos)
    pos += length
    total = size
    for _ in range(frame_count - 2):
        raw, length = _read_vint(block, pos)
        pos += length
        size += raw - ((1 << (7 * length - 1)) - 1)
        if size < 0:
            raise _Malformed("negative EBML lace size")
        total += size
    return pos, total


def _parse_block(block: memoryview) -> tuple[int, int, int]:
    """Return (track_number, relative_timecode, payload_start) of a (Simple)Block."""
    if block and block[0] & 0x80:  # one-byte track number: the overwhelmingly common case
        track_number, length = block[0] & 0x7F, 1
    else:
        track_number, length = _read_vint(block, 0)
    if len(block) < length + 3:
        raise _Malformed("block shorter than its header")
    relative_timecode = int.from_bytes(block[length : length + 2], "big", signed=True)
    lacing = (block[length + 2] >> 1) & 0x03
    payload_start = length + 3
    if lacing != _LACING_NONE:
        payload_start = _lace_header_end(block, payload_start, lacing)
    return track_number, relative_timecode, payload_start


# --------------------------------------------------------------------------- state


class _OpenElement:
    """A master element being walked. ``bound`` is where its data must end at the
    latest: its own end, or the nearest known end above it when its size is unknown."""

    __slots__ = ("bound", "element_id", "end", "start")

    def __init__(self, element_id: int, start: int, end: int | None, bound: int | None):
        self.element_id = element_id
        self.start = start
        self.end = end
        self.bound = bound


class _PendingLeaf:
    __slots__ = ("data_start", "element_id", "end", "start")

    def __init__(self, element_id: int, start: int, data_start: int, end: int):
        self.element_id = element_id
        self.start = start
        self.data_start = data_start
        self.end = end


class _TrackBuilder:
    __slots__ = ("channels", "codec_id", "name", "number", "sample_rate")

    def __init__(self) -> None:
        self.number = 0
        self.name = ""
        self.codec_id = ""
        self.sample_rate: float | None = None
        self.channels: int | None = None

    def build(self) -> TrackInfo:
        return TrackInfo(
            self.number,
            self.name,
            self.codec_id,
            role_for_track_name(self.name),
            self.sample_rate,
            self.channels,
        )


class _FragmentBuilder:
    __slots__ = (
        "block_count",
        "cluster_count",
        "cluster_timecode_ms",
        "has_segment",
        "index",
        "start_offset",
        "tag_pairs",
        "tags_element_count",
        "timecode_scale_ns",
        "tracks",
    )

    def __init__(self, index: int, start_offset: int) -> None:
        self.index = index
        self.start_offset = start_offset
        self.tag_pairs: list[tuple[str, str]] = []
        self.tracks: dict[int, TrackInfo] = {}
        self.cluster_count = 0
        self.block_count = 0
        self.tags_element_count = 0
        self.cluster_timecode_ms: int | None = None
        self.timecode_scale_ns = DEFAULT_TIMECODE_SCALE_NS
        self.has_segment = False

    def snapshot(self, end_offset: int | None) -> Fragment:
        return Fragment(
            index=self.index,
            start_offset=self.start_offset,
            end_offset=end_offset,
            tags=dict(self.tag_pairs),
            tag_pairs=tuple(self.tag_pairs),
            tracks=dict(self.tracks),
            cluster_count=self.cluster_count,
            block_count=self.block_count,
            tags_element_count=self.tags_element_count,
            cluster_timecode_ms=self.cluster_timecode_ms,
            timecode_scale_ns=self.timecode_scale_ns,
        )


# --------------------------------------------------------------------------- parser


class MkvStreamParser:
    """Push parser: ``feed()`` chunks of any size, then ``close()``.

    Memory stays bounded: only elements the parser interprets are buffered (each at
    most ``max_element_size`` bytes), everything else is skipped as it streams past.
    After an error every further call raises that error again.
    """

    def __init__(self, *, max_element_size: int = DEFAULT_MAX_ELEMENT_SIZE) -> None:
        if max_element_size <= 0:
            raise ValueError("max_element_size must be positive")
        self.max_element_size = max_element_size
        self._buf = bytearray()
        self._base = 0  # absolute stream offset of _buf[0]
        self._pos = 0  # parse position inside _buf
        self._need = 0  # _buf length needed before parsing can progress
        self._skip_remaining = 0  # bytes of a skipped element not yet received
        self._skip_start = 0  # where that skipped element began, for error messages
        self._pending: _PendingLeaf | None = None
        self._stack: list[_OpenElement] = []
        self._events: list[MkvEvent] = []
        self._error: MkvError | None = None
        self._closed = False
        self._fragment: _FragmentBuilder | None = None
        self._fragment_count = 0
        # Blocks are labelled from the latest Tracks seen, so a fragment that omits its
        # Tracks still gets track names; Fragment.tracks only lists what it declared.
        self._track_table: dict[int, TrackInfo] = {}
        self._track: _TrackBuilder | None = None
        self._simple_tags: list[list[str | None]] = []
        self._timecode_scale_ns = DEFAULT_TIMECODE_SCALE_NS
        self._cluster_timecode = 0
        self._leaf_handlers: dict[int, Callable[[memoryview], None]] = {
            _E.TIMECODE_SCALE: self._on_timecode_scale,
            _E.TRACK_NUMBER: self._on_track_number,
            _E.NAME: self._on_track_name,
            _E.CODEC_ID: self._on_codec_id,
            _E.SAMPLING_FREQUENCY: self._on_sampling_frequency,
            _E.CHANNELS: self._on_channels,
            _E.TAG_NAME: self._on_tag_name,
            _E.TAG_STRING: self._on_tag_string,
            _E.TIMECODE: self._on_cluster_timecode,
            _E.SIMPLE_BLOCK: self._on_block,
            _E.BLOCK: self._on_block,
        }
        self._open_handlers: dict[int, Callable[[int], None]] = {
            _E.SEGMENT: self._open_segment,
            _E.TRACKS: self._open_tracks,
            _E.TRACK_ENTRY: self._open_track_entry,
            _E.TAGS: self._open_tags,
            _E.SIMPLE_TAG: self._open_simple_tag,
            _E.CLUSTER: self._open_cluster,
        }
        self._close_handlers: dict[int, Callable[[], None]] = {
            _E.TRACK_ENTRY: self._close_track_entry,
            _E.SIMPLE_TAG: self._close_simple_tag,
        }

    # ------------------------------------------------------------------ public API

    @property
    def offset(self) -> int:
        """Absolute offset of the first byte not yet parsed."""
        return self._base + self._pos

    @property
    def buffered_bytes(self) -> int:
        return len(self._buf)

    @property
    def current_fragment(self) -> Fragment | None:
        """The fragment being parsed, with what is known so far (end_offset None)."""
        return self._fragment.snapshot(None) if self._fragment is not None else None

    def feed(self, data: bytes | bytearray | memoryview) -> list[MkvEvent]:
        self._check_usable()
        size = len(data)
        if size == 0:
            return []
        if self._skip_remaining:
            if size < self._skip_remaining:
                self._skip_remaining -= size
                self._base += size
                return []
            data = memoryview(data)[self._skip_remaining :]
            self._base += self._skip_remaining
            self._skip_remaining = 0
        self._buf += data
        if len(self._buf) < self._need:
            return []
        return self._guarded(self._parse_buffer)

    def close(self) -> list[MkvEvent]:
        """Flush: ends open unknown-size elements and completes the last fragment."""
        if self._error is not None:
            raise self._error
        if self._closed:
            return []
        self._closed = True
        return self._guarded(self._finish_stream)

    # ------------------------------------------------------------------ plumbing

    def _check_usable(self) -> None:
        if self._error is not None:
            raise self._error
        if self._closed:
            raise MkvError("feed() after close()", self.offset)

    def _guarded(self, step: Callable[[], None]) -> list[MkvEvent]:
        events: list[MkvEvent] = []
        self._events = events
        try:
            step()
        except MkvError as error:
            self._fail(error, events)
        except Exception as error:  # a bug must still surface as the documented type
            self._fail(MkvCorruptError(f"internal parser error: {error!r}", self.offset), events)
        return events

    def _fail(self, error: MkvError, events: list[MkvEvent]) -> None:
        error.events = events
        self._error = error
        self._buf = bytearray()
        raise error

    def _compact(self) -> None:
        consumed = self._pos
        if consumed:
            del self._buf[:consumed]
            self._base += consumed
            self._need -= consumed
            self._pos = 0

    def _parse_buffer(self) -> None:
        with memoryview(self._buf) as view:
            while self._step(view):
                pass
        self._compact()

    def _step(self, view: memoryview) -> bool:
        """Advance by one element header or one buffered leaf; False when starved."""
        if self._pending is not None:
            return self._finish_pending(view)
        stack = self._stack
        position = self._base + self._pos
        while stack and stack[-1].bound == position:
            self._close_top()
        header = self._read_header(view)
        if header is None:
            self._need = len(view) + 1
            return False
        element_id, size, header_length = header
        return self._dispatch(view, element_id, size, header_length)

    def _finish_pending(self, view: memoryview) -> bool:
        pending = self._pending
        assert pending is not None
        end = pending.end - self._base
        if end > len(view):
            self._need = end
            return False
        start = pending.data_start - self._base
        self._pending = None
        try:
            self._leaf_handlers[pending.element_id](view[start:end])
        except _Malformed as problem:
            name = _element_name(pending.element_id)
            raise MkvCorruptError(f"bad {name}: {problem}", pending.start) from None
        self._pos = end
        return True

    def _read_header(self, view: memoryview) -> tuple[int, int | None, int] | None:
        """Return (id, size or None if unknown, header length), None if incomplete."""
        pos = self._pos
        available = len(view) - pos
        if available < 1:
            return None
        first = view[pos]
        if first < 0x10:
            raise MkvCorruptError(f"invalid element ID byte 0x{first:02X}", self._base + pos)
        id_length = 9 - first.bit_length()
        if available < id_length + 1:
            return None
        size_first = view[pos + id_length]
        if size_first == 0:
            raise MkvCorruptError(
                "invalid element size (leading zero byte)", self._base + pos + id_length
            )
        size_length = 9 - size_first.bit_length()
        if available < id_length + size_length:
            return None
        header_end = pos + id_length + size_length
        element_id = int.from_bytes(view[pos : pos + id_length], "big")
        all_ones = (1 << (7 * size_length)) - 1
        size = int.from_bytes(view[pos + id_length : header_end], "big") & all_ones
        return element_id, None if size == all_ones else size, id_length + size_length

    def _dispatch(
        self, view: memoryview, element_id: int, size: int | None, header_length: int
    ) -> bool:
        start = self._base + self._pos
        self._end_unknown_size_parents(element_id, start)
        parent = self._stack[-1] if self._stack else None
        allowed = _CHILDREN[parent.element_id] if parent is not None else _TOP_LEVEL
        if parent is None and element_id not in _TOP_LEVEL:
            raise MkvCorruptError(f"unexpected {_element_name(element_id)} at top level", start)
        end = self._check_size(element_id, start, header_length, size, parent)
        self._pos += header_length
        if element_id in allowed and element_id in _MASTERS:
            self._open_master(element_id, start, end, parent)
            return True
        if end is None:
            raise MkvCorruptError(
                f"{_element_name(element_id)} has unknown size but cannot have one", start
            )
        if element_id in allowed and element_id in self._leaf_handlers:
            self._pending = _PendingLeaf(element_id, start, start + header_length, end)
            return self._finish_pending(view)
        if element_id == _E.EBML and parent is None:
            self._begin_fragment(start)
        return self._skip_to(len(view), start, end)

    def _end_unknown_size_parents(self, element_id: int, start: int) -> None:
        """An unknown-size element ends where an element that can't be its child starts."""
        stack = self._stack
        while stack and stack[-1].end is None:
            top = stack[-1]
            if element_id in _CHILDREN[top.element_id] or element_id in _GLOBAL:
                return
            if not self._allowed_above(element_id):
                raise MkvCorruptError(
                    f"unexpected {_element_name(element_id)} inside unknown-size "
                    f"{_element_name(top.element_id)}",
                    start,
                )
            self._close_top()

    def _allowed_above(self, element_id: int) -> bool:
        if element_id in _TOP_LEVEL:
            return True
        return any(element_id in _CHILDREN[open_.element_id] for open_ in self._stack[:-1])

    def _check_size(
        self,
        element_id: int,
        start: int,
        header_length: int,
        size: int | None,
        parent: _OpenElement | None,
    ) -> int | None:
        """Return the element's absolute end (None if unknown) after sanity checks."""
        if size is not None and size > self.max_element_size:
            name = _element_name(element_id)
            limit = self.max_element_size
            raise MkvCorruptError(f"{name} declares {size} bytes, above the {limit} limit", start)
        end = None if size is None else start + header_length + size
        if parent is not None and parent.bound is not None:
            reach = end if end is not None else start + header_length
            if reach > parent.bound:
                name, parent_name = _element_name(element_id), _element_name(parent.element_id)
                raise MkvCorruptError(
                    f"{name} overruns its parent {parent_name}"
                    f" (ends at {reach}, parent ends at {parent.bound})",
                    start,
                )
        return end

    def _skip_to(self, buffer_length: int, start: int, end: int) -> bool:
        """Step over an element without buffering it, even if it is still arriving."""
        relative_end = end - self._base
        if relative_end <= buffer_length:
            self._pos = relative_end
            return True
        self._skip_start = start
        self._skip_remaining = relative_end - buffer_length
        self._pos = buffer_length
        self._need = 0
        return False

    def _open_master(
        self, element_id: int, start: int, end: int | None, parent: _OpenElement | None
    ) -> None:
        if len(self._stack) >= MAX_NESTING_DEPTH:
            raise MkvCorruptError("elements nested too deeply", start)
        if end is None and element_id not in _UNKNOWN_SIZE_ALLOWED:
            raise MkvCorruptError(f"{_element_name(element_id)} cannot have unknown size", start)
        bound = end if end is not None else (parent.bound if parent is not None else None)
        self._stack.append(_OpenElement(element_id, start, end, bound))
        handler = self._open_handlers.get(element_id)
        if handler is not None:
            handler(start)

    def _close_top(self) -> None:
        closed = self._stack.pop()
        handler = self._close_handlers.get(closed.element_id)
        if handler is not None:
            handler()

    def _finish_stream(self) -> None:
        end = self._base + len(self._buf)
        self._raise_if_mid_element(end)
        while self._stack:
            top = self._stack[-1]
            if top.end is not None and top.end > end:
                raise MkvTruncatedError(
                    f"stream ended {top.end - end} bytes before the end of "
                    f"{_element_name(top.element_id)}",
                    top.start,
                )
            self._close_top()
        self._complete_fragment(end)

    def _raise_if_mid_element(self, end: int) -> None:
        if self._pending is not None:
            missing = self._pending.end - end
            name = _element_name(self._pending.element_id)
            raise MkvTruncatedError(
                f"stream ended {missing} bytes before the end of {name}", self._pending.start
            )
        if self._skip_remaining:
            raise MkvTruncatedError(
                f"stream ended {self._skip_remaining} bytes before the end of an element",
                self._skip_start,
            )
        if self._pos < len(self._buf):
            raise MkvTruncatedError("stream ended inside an element header", self.offset)

    # ------------------------------------------------------------------ fragments

    def _open_fragment(self, offset: int) -> _FragmentBuilder:
        if self._fragment is None:
            raise MkvCorruptError("element outside any fragment", offset)
        return self._fragment

    def _begin_fragment(self, start: int) -> None:
        self._complete_fragment(start)
        self._fragment = _FragmentBuilder(self._fragment_count, start)
        self._fragment_count += 1

    def _complete_fragment(self, end: int) -> None:
        if self._fragment is not None:
            self._events.append(FragmentComplete(self._fragment.snapshot(end)))
            self._fragment = None

    def _open_segment(self, start: int) -> None:
        # A Segment without its own EBML header still starts a new fragment.
        if self._fragment is None or self._fragment.has_segment:
            self._begin_fragment(start)
        self._open_fragment(start).has_segment = True
        self._timecode_scale_ns = DEFAULT_TIMECODE_SCALE_NS

    def _open_tracks(self, start: int) -> None:
        self._track_table = {}
        self._open_fragment(start).tracks = {}

    def _open_track_entry(self, start: int) -> None:
        self._track = _TrackBuilder()

    def _close_track_entry(self) -> None:
        track, self._track = self._track, None
        fragment = self._fragment
        if track is None or track.number == 0 or fragment is None:
            return
        if len(self._track_table) >= MAX_TRACKS_PER_FRAGMENT:
            raise MkvCorruptError("too many tracks in one fragment", self.offset)
        info = track.build()
        self._track_table[info.number] = info
        fragment.tracks[info.number] = info

    def _open_tags(self, start: int) -> None:
        self._open_fragment(start).tags_element_count += 1

    def _open_simple_tag(self, start: int) -> None:
        self._simple_tags.append([None, None])

    def _close_simple_tag(self) -> None:
        name, value = self._simple_tags.pop()
        fragment = self._fragment
        if name is None or value is None or fragment is None:
            return
        if len(fragment.tag_pairs) >= MAX_TAGS_PER_FRAGMENT:
            raise MkvCorruptError("too many tags in one fragment", self.offset)
        fragment.tag_pairs.append((name, value))

    def _open_cluster(self, start: int) -> None:
        self._open_fragment(start).cluster_count += 1
        self._cluster_timecode = 0

    # ------------------------------------------------------------------ leaves

    def _on_timecode_scale(self, data: memoryview) -> None:
        scale = _decode_uint(data)
        if scale == 0:
            raise _Malformed("TimecodeScale of 0")
        self._timecode_scale_ns = scale
        if self._fragment is not None:
            self._fragment.timecode_scale_ns = scale

    def _on_track_number(self, data: memoryview) -> None:
        if self._track is not None:
            self._track.number = _decode_uint(data)

    def _on_track_name(self, data: memoryview) -> None:
        if self._track is not None:
            self._track.name = _decode_string(data)

    def _on_codec_id(self, data: memoryview) -> None:
        if self._track is not None:
            self._track.codec_id = _decode_string(data)

    def _on_sampling_frequency(self, data: memoryview) -> None:
        if self._track is not None:
            self._track.sample_rate = _decode_float(data)

    def _on_channels(self, data: memoryview) -> None:
        if self._track is not None:
            self._track.channels = _decode_uint(data)

    def _on_tag_name(self, data: memoryview) -> None:
        if self._simple_tags:
            self._simple_tags[-1][0] = _decode_string(data)

    def _on_tag_string(self, data: memoryview) -> None:
        if self._simple_tags:
            self._simple_tags[-1][1] = _decode_string(data)

    def _on_cluster_timecode(self, data: memoryview) -> None:
        self._cluster_timecode = _decode_uint(data)
        fragment = self._fragment
        if fragment is not None and fragment.cluster_timecode_ms is None:
            fragment.cluster_timecode_ms = self._ticks_to_ms(self._cluster_timecode)

    def _ticks_to_ms(self, ticks: int) -> int:
        return ticks * self._timecode_scale_ns // 1_000_000

    def _on_block(self, data: memoryview) -> None:
        fragment = self._open_fragment(self.offset)
        track_number, relative_timecode, payload_start = _parse_block(data)
        fragment.block_count += 1
        track = self._track_table.get(track_number)
        name = track.name if track is not None else ""
        self._events.append(
            TrackAudio(
                fragment_index=fragment.index,
                track_number=track_number,
                track_name=name,
                role=track.role if track is not None else role_for_track_name(name),
                timecode_ms=self._ticks_to_ms(self._cluster_timecode + relative_timecode),
                payload=bytes(data[payload_start:]),
            )
        )


def parse_chunks(chunks: Iterable[bytes], **options: int) -> list[MkvEvent]:
    """Parse a whole stream given as chunks; convenience for tools and tests."""
    parser = MkvStreamParser(**options)
    events: list[MkvEvent] = []
    for chunk in chunks:
        events.extend(parser.feed(chunk))
    events.extend(parser.close())
    return events
