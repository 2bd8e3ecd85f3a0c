"""GetMedia: where a session starts, and the byte stream it serves from there."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from voice.kvs_emulator.errors import InvalidArgumentError
from voice.kvs_emulator.store import KvsStream, StoredFragment
from voice.mkv_writer import build_get_media_tags

logger = logging.getLogger(__name__)

SELECTOR_TYPES = frozenset(
    {
        "NOW",
        "EARLIEST",
        "FRAGMENT_NUMBER",
        "PRODUCER_TIMESTAMP",
        "SERVER_TIMESTAMP",
        "CONTINUATION_TOKEN",
    }
)


@dataclass(frozen=True, kw_only=True)
class StartSelector:
    """GetMedia's StartSelector, validated."""

    selector_type: str
    after_fragment_number: str | None = None
    start_timestamp: float | None = None
    continuation_token: str | None = None

    @classmethod
    def from_json(cls, raw: object) -> StartSelector:
        if not isinstance(raw, Mapping):
            raise InvalidArgumentError("StartSelector is required")
        selector_type = raw.get("StartSelectorType")
        if selector_type not in SELECTOR_TYPES:
            raise InvalidArgumentError(f"invalid StartSelectorType: {selector_type!r}")
        selector = cls(
            selector_type=selector_type,
            after_fragment_number=_optional_digits(raw, "AfterFragmentNumber"),
            start_timestamp=_optional_timestamp(raw, "StartTimestamp"),
            continuation_token=_optional_digits(raw, "ContinuationToken"),
        )
        selector._check_required_member()
        return selector

    def _check_required_member(self) -> None:
        required = {
            "FRAGMENT_NUMBER": ("AfterFragmentNumber", self.after_fragment_number),
            "PRODUCER_TIMESTAMP": ("StartTimestamp", self.start_timestamp),
            "SERVER_TIMESTAMP": ("StartTimestamp", self.start_timestamp),
            "CONTINUATION_TOKEN": ("ContinuationToken", self.continuation_token),
        }.get(self.selector_type)
        if required is not None and required[1] is None:
            raise InvalidArgumentError(f"{self.selector_type} needs {required[0]}")


def _optional_digits(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    # The emulator's fragment numbers and continuation tokens are both decimal strings.
    if not isinstance(value, str) or not value.isdigit():
        raise InvalidArgumentError(f"invalid {key}: {value!r}")
    return value


def _optional_timestamp(raw: Mapping[str, object], key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    # botocore sends epoch seconds; accept ISO 8601 too for hand-written requests.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    raise InvalidArgumentError(f"invalid {key}: {value!r}")


def resolve_start_index(
    stream: KvsStream, selector: StartSelector, *, after_fragment_inclusive: bool
) -> int:
    """Index of the first fragment the session serves (may equal the count: live only).

    - NOW: the next fragment stored after the request (fragments are atomic here, so the
      one "being written" when KVS would start is the next one to land).
    - EARLIEST: the first stored fragment.
    - FRAGMENT_NUMBER: the fragment *after* AfterFragmentNumber, as the KVS API reference
      states; `after_fragment_inclusive` starts at that fragment instead.
    - PRODUCER_TIMESTAMP / SERVER_TIMESTAMP: the first fragment whose timestamp is at or
      after StartTimestamp.
    - CONTINUATION_TOKEN: the fragment after the one the token names (tokens are the
      fragment number of the last fragment served, as in real KVS).
    """
    kind = selector.selector_type
    if kind == "NOW":
        return stream.fragment_count()
    if kind == "EARLIEST":
        return 0
    if kind == "FRAGMENT_NUMBER":
        assert selector.after_fragment_number is not None
        index = _existing_index(stream, selector.after_fragment_number, "AfterFragmentNumber")
        return index if after_fragment_inclusive else index + 1
    if kind == "CONTINUATION_TOKEN":
        assert selector.continuation_token is not None
        return _existing_index(stream, selector.continuation_token, "ContinuationToken") + 1
    assert selector.start_timestamp is not None
    return stream.first_index_at_or_after(
        selector.start_timestamp, producer=kind == "PRODUCER_TIMESTAMP"
    )


def _existing_index(stream: KvsStream, fragment_number: str, member: str) -> int:
    index = stream.index_of_number(fragment_number)
    if index is None:
        raise InvalidArgumentError(f"{member} {fragment_number} is not a fragment of the stream")
    return index


def serve_fragment(fragment: StoredFragment) -> bytes:
    """A stored fragment plus the tags GetMedia adds as it serves it."""
    if fragment.corrupt:
        return fragment.data
    millis_behind_now = max(0, round((time.time() - fragment.server_timestamp) * 1000))
    return fragment.data + build_get_media_tags(
        millis_behind_now=millis_behind_now, continuation_token=fragment.fragment_number
    )


class MediaSession:
    """One GetMedia response: serves fragments from a start index, tailing live ones."""

    def __init__(
        self,
        *,
        stream: KvsStream,
        start_index: int,
        session_limit_seconds: float | None,
        drop_after_bytes: int | None,
        chunk_bytes: int,
    ) -> None:
        self._stream = stream
        self._next_index = start_index
        self._session_limit_seconds = session_limit_seconds
        self._drop_after_bytes = drop_after_bytes
        self._chunk_bytes = chunk_bytes
        self._bytes_sent = 0
        self._closed = False
        #: True when the session ended by simulating a network drop mid-response.
        self.aborted = False

    async def pieces(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        deadline = (
            None
            if self._session_limit_seconds is None
            else loop.time() + self._session_limit_seconds
        )
        while True:
            view = self._stream.view(self._next_index)
            if view.gone:
                return
            if view.fragment is None:
                if view.finished:
                    return
                timeout = None if deadline is None else deadline - loop.time()
                if timeout is not None and timeout <= 0:
                    return
                await self._stream.wait_for_change(view.version, max_wait=timeout)
                continue
            async for piece in self._fragment_pieces(serve_fragment(view.fragment)):
                yield piece
            if self.aborted:
                return
            self._next_index += 1
            if deadline is not None and loop.time() >= deadline:
                return

    async def _fragment_pieces(self, data: bytes) -> AsyncIterator[bytes]:
        for offset in range(0, len(data), self._chunk_bytes):
            piece = data[offset : offset + self._chunk_bytes]
            cut = self._drop_cut(len(piece))
            if cut is not None:
                logger.warning(
                    "simulating a network drop on %s after %d bytes",
                    self._stream.name,
                    self._bytes_sent + cut,
                )
                self.aborted = True
                if cut:
                    yield piece[:cut]
                return
            self._bytes_sent += len(piece)
            yield piece

    def _drop_cut(self, piece_length: int) -> int | None:
        """How much of the next piece to send before dropping, or None to send it all."""
        limit = self._drop_after_bytes
        if limit is None or self._bytes_sent + piece_length <= limit:
            return None
        if not self._stream.consume_drop():
            self._drop_after_bytes = None  # another session already took the one drop
            return None
        return max(0, limit - self._bytes_sent)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._stream.close_session()
