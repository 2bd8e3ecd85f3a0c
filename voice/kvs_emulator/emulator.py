"""The emulator's state and its Python API: streams, live feeding, faults, GetMedia."""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, Literal, TypeVar

from voice.kvs_emulator.audio import pad_tracks, read_wav_as_pcm, split_fragments
from voice.kvs_emulator.errors import (
    ClientLimitExceededError,
    ConnectionLimitExceededError,
    InvalidArgumentError,
    ResourceInUseError,
    ResourceNotFoundError,
    TagsPerResourceExceededLimitError,
    VersionMismatchError,
)
from voice.kvs_emulator.media import MediaSession, StartSelector, resolve_start_index
from voice.kvs_emulator.store import KvsStream, StoredFragment, StreamDescription, StreamFaults
from voice.mkv_writer import TrackLayout, build_fragment_body

__all__ = [
    "DEFAULT_INSTANCE_ID",
    "CallStart",
    "CorruptionKind",
    "EmulatorConfig",
    "FeedResult",
    "KvsEmulator",
]

DEFAULT_INSTANCE_ID = "00000000-0000-4000-8000-000000000000"
MAX_TAGS_PER_STREAM = 50
_STREAM_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,256}")

CorruptionKind = Literal["truncated", "garbage"]
_T = TypeVar("_T")


@dataclass(frozen=True, kw_only=True)
class EmulatorConfig:
    region: str = "us-east-1"
    # The account of the Connect instance the example events name, as a real contact's
    # stream lives in the instance's account.
    account_id: str = "111122223333"
    #: GetDataEndpoint answers with this URL; by default the URL the request came to.
    advertised_url: str | None = None
    #: KVS refuses a 4th concurrent GetMedia connection on a stream.
    max_get_media_connections: int = 3
    #: Calls per second per stream before ClientLimitExceededException (None: no limit).
    get_media_tps: int | None = 5
    get_data_endpoint_tps: int | None = 5
    #: Defaults for every stream; StreamFaults set on a stream override them.
    session_limit_seconds: float | None = None
    drop_after_bytes: int | None = None
    #: Start FRAGMENT_NUMBER sessions *at* AfterFragmentNumber instead of after it.
    after_fragment_inclusive: bool = False
    #: GetMedia writes each fragment in pieces of this size, like a real byte stream.
    chunk_bytes: int = 8192


@dataclass(frozen=True, kw_only=True)
class CallStart:
    """What Connect reports in ``MediaStreams.Customer.Audio`` once streaming starts."""

    stream_arn: str
    start_fragment_number: str
    start_timestamp_ms: int


@dataclass(kw_only=True)
class FeedResult:
    stream_arn: str
    contact_id: str
    #: Audio fragments in order (corrupt ones are listed separately).
    fragment_numbers: list[str] = field(default_factory=list)
    corrupt_fragment_numbers: list[str] = field(default_factory=list)
    #: True when the feed stopped early because the stream was finished meanwhile.
    hung_up: bool = False

    @property
    def start_fragment_number(self) -> str | None:
        return self.fragment_numbers[0] if self.fragment_numbers else None


@dataclass(frozen=True, kw_only=True)
class _FeedPlan:
    contact_id: str
    instance_id: str
    customer_fragments: list[bytes]
    agent_fragments: list[bytes]
    fragment_seconds: float
    start_timestamp: float
    speed: float
    track_layout: TrackLayout
    corrupt_before: frozenset[int]
    finish: bool


class _FeedStopper:
    """Lets finish_stream (any thread) stop the feeds running on a stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    def register(self, stream_name: str) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._events.setdefault(stream_name, set()).add(entry)
        return entry

    def unregister(
        self, stream_name: str, entry: tuple[asyncio.AbstractEventLoop, asyncio.Event]
    ) -> None:
        with self._lock:
            self._events.get(stream_name, set()).discard(entry)

    def stop(self, stream_name: str) -> None:
        with self._lock:
            entries = list(self._events.get(stream_name, ()))
        for loop, event in entries:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # the feed's loop is gone, and the feed with it
                pass


class KvsEmulator:
    """Streams, fragments and the GetMedia rules; the HTTP layer is in `app.py`.

    Thread-safe: feeds may run on any thread's event loop while the server runs on its own.
    """

    def __init__(self, *, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self._lock = threading.Lock()
        self._streams: dict[str, KvsStream] = {}
        self._feeds = _FeedStopper()
        self._pauses: dict[str, float] = {}  # stream name -> seconds its feed is to hold
        self._server_loop: asyncio.AbstractEventLoop | None = None

    # --- control plane ------------------------------------------------------------------

    def create_stream(
        self,
        stream_name: str,
        *,
        media_type: str | None = None,
        data_retention_hours: int = 0,
        tags: Mapping[str, str] | None = None,
        device_name: str | None = None,
        kms_key_id: str | None = None,
    ) -> str:
        """Create a stream and return its ARN."""
        _check_stream_name(stream_name)
        _check_tags(tags or {})
        if data_retention_hours < 0:
            raise InvalidArgumentError("DataRetentionInHours must not be negative")
        with self._lock:
            if stream_name in self._streams:
                raise ResourceInUseError(f"stream {stream_name} already exists")
            stream = self._new_stream(
                stream_name,
                media_type=media_type,
                data_retention_hours=data_retention_hours,
                tags=dict(tags or {}),
                device_name=device_name,
                kms_key_id=kms_key_id,
            )
            self._streams[stream_name] = stream
        return stream.arn

    def _new_stream(
        self,
        stream_name: str,
        *,
        media_type: str | None,
        data_retention_hours: int,
        tags: dict[str, str],
        device_name: str | None,
        kms_key_id: str | None,
    ) -> KvsStream:
        config = self.config
        creation_time = round(time.time(), 3)
        description = StreamDescription(
            name=stream_name,
            arn=(
                f"arn:aws:kinesisvideo:{config.region}:{config.account_id}:stream/"
                f"{stream_name}/{round(creation_time * 1000)}"
            ),
            creation_time=creation_time,
            version=uuid.uuid4().hex[:20],
            media_type=media_type,
            data_retention_hours=data_retention_hours,
            device_name=device_name,
            kms_key_id=kms_key_id
            or f"arn:aws:kms:{config.region}:{config.account_id}:alias/aws/kinesisvideo",
            tags=tags,
        )
        stream = KvsStream(
            description=description,
            get_media_tps=config.get_media_tps,
            get_data_endpoint_tps=config.get_data_endpoint_tps,
        )
        if config.drop_after_bytes is not None:
            stream.arm_default_drop()
        return stream

    def get_stream(self, *, name: str | None = None, arn: str | None = None) -> KvsStream:
        """Find a stream by name and/or ARN (both must agree when both are given)."""
        if name is None and arn is None:
            raise InvalidArgumentError("StreamName or StreamARN is required")
        with self._lock:
            stream = self._streams.get(name) if name is not None else self._find_by_arn(arn)
        if stream is None or (arn is not None and stream.arn != arn):
            raise ResourceNotFoundError(f"stream {name or arn} not found")
        return stream

    def _find_by_arn(self, arn: str | None) -> KvsStream | None:
        return next((stream for stream in self._streams.values() if stream.arn == arn), None)

    def list_streams(self, *, name_prefix: str | None = None) -> list[KvsStream]:
        with self._lock:
            streams = sorted(self._streams.values(), key=lambda stream: stream.name)
        return [s for s in streams if name_prefix is None or s.name.startswith(name_prefix)]

    def delete_stream(self, *, arn: str, current_version: str | None = None) -> None:
        stream = self.get_stream(arn=arn)
        if current_version is not None and current_version != stream.description.version:
            raise VersionMismatchError("CurrentVersion does not match the stream's version")
        with self._lock:
            self._streams.pop(stream.name, None)
        self._feeds.stop(stream.name)
        stream.mark_gone()

    def tag_stream(self, stream: KvsStream, tags: Mapping[str, str]) -> None:
        merged = {**stream.description.tags, **tags}
        _check_tags(merged)
        stream.description.tags = merged

    def untag_stream(self, stream: KvsStream, keys: Collection[str]) -> None:
        stream.description.tags = {
            key: value for key, value in stream.description.tags.items() if key not in keys
        }

    def check_get_data_endpoint_rate(self, stream: KvsStream) -> None:
        if not stream.get_data_endpoint_limiter.try_acquire():
            raise ClientLimitExceededError("GetDataEndpoint rate exceeded for the stream")

    # --- data plane ---------------------------------------------------------------------

    def open_media_session(self, stream: KvsStream, selector: StartSelector) -> MediaSession:
        """Admit a GetMedia call (rate and connection limits) and position it."""
        if not stream.get_media_limiter.try_acquire():
            raise ClientLimitExceededError("GetMedia rate exceeded for the stream")
        start_index = resolve_start_index(
            stream, selector, after_fragment_inclusive=self.config.after_fragment_inclusive
        )
        if not stream.try_open_session(self.config.max_get_media_connections):
            raise ConnectionLimitExceededError(
                f"at most {self.config.max_get_media_connections} concurrent GetMedia "
                "connections per stream"
            )
        faults = stream.faults
        drop_after_bytes = _first_set(faults.drop_after_bytes, self.config.drop_after_bytes)
        return MediaSession(
            stream=stream,
            start_index=start_index,
            session_limit_seconds=_first_set(
                faults.session_limit_seconds, self.config.session_limit_seconds
            ),
            drop_after_bytes=drop_after_bytes if stream.drop_armed() else None,
            chunk_bytes=self.config.chunk_bytes,
        )

    # --- faults -------------------------------------------------------------------------

    def set_faults(
        self,
        stream_name: str,
        *,
        session_limit_seconds: float | None = None,
        drop_after_bytes: int | None = None,
    ) -> None:
        """Replace the stream's fault settings; a drop set here fires once."""
        if session_limit_seconds is not None and session_limit_seconds <= 0:
            raise InvalidArgumentError("session_limit_seconds must be positive")
        if drop_after_bytes is not None and drop_after_bytes < 0:
            raise InvalidArgumentError("drop_after_bytes must not be negative")
        self.get_stream(name=stream_name).set_faults(
            StreamFaults(
                session_limit_seconds=session_limit_seconds, drop_after_bytes=drop_after_bytes
            )
        )

    def inject_corrupt_fragment(
        self, stream_name: str, *, kind: CorruptionKind = "truncated"
    ) -> str:
        """Append a corrupt fragment and return its fragment number.

        "truncated": a real fragment cut off inside a SimpleBlock, as a producer crash
        leaves it; "garbage": random bytes. Either is served without GetMedia's tags.
        """
        return self._append_corrupt(self.get_stream(name=stream_name), kind=kind)

    def _append_corrupt(
        self, stream: KvsStream, *, kind: CorruptionKind, producer_timestamp: float | None = None
    ) -> str:
        if kind not in ("truncated", "garbage"):
            raise InvalidArgumentError(f"unknown corruption kind: {kind!r}")
        stamp = time.time() if producer_timestamp is None else producer_timestamp

        def build(fragment_number: str, server_timestamp: float) -> StoredFragment:
            return StoredFragment(
                fragment_number=fragment_number,
                producer_timestamp=stamp,
                server_timestamp=server_timestamp,
                data=_corrupt_bytes(kind, fragment_number, stamp, server_timestamp),
                corrupt=True,
            )

        return stream.append(build).fragment_number

    # --- feeding ------------------------------------------------------------------------

    async def feed_call(
        self,
        stream_name: str,
        *,
        customer_pcm: bytes | None = None,
        agent_pcm: bytes | None = None,
        customer_wav: str | PathLike[str] | None = None,
        agent_wav: str | PathLike[str] | None = None,
        contact_id: str | None = None,
        instance_id: str = DEFAULT_INSTANCE_ID,
        speed: float = 1.0,
        fragment_ms: int = 1000,
        start_timestamp: float | None = None,
        track_layout: TrackLayout = TrackLayout.CONNECT,
        corrupt_before_fragments: Collection[int] = (),
        finish: bool = True,
        on_start: Callable[[CallStart], object] | None = None,
    ) -> FeedResult:
        """Stream a call into `stream_name` (created if missing) the way Connect does.

        Each track comes from PCM (8 kHz mono s16le) or a WAV file (converted); the shorter
        track is padded with silence. Fragment k is stored once its audio has "happened":
        `(k + 1) * fragment_ms / speed` after the start (speed 0: no waiting). Producer
        timestamps follow the audio clock from `start_timestamp` (default: now). A corrupt
        fragment is inserted before each audio fragment index in
        `corrupt_before_fragments`. `on_start` gets Connect's start info once the first
        fragment is stored. With `finish`, the stream is marked finished at the end, which
        ends GetMedia responses after the last fragment. `finish_stream` stops the feed
        early (the caller hung up).
        """
        plan = _make_plan(
            customer=_load_track(customer_pcm, customer_wav, "customer"),
            agent=_load_track(agent_pcm, agent_wav, "agent"),
            contact_id=contact_id or str(uuid.uuid4()),
            instance_id=instance_id,
            speed=speed,
            fragment_ms=fragment_ms,
            start_timestamp=time.time() if start_timestamp is None else start_timestamp,
            track_layout=track_layout,
            corrupt_before=frozenset(corrupt_before_fragments),
            finish=finish,
        )
        stream = self._stream_for_feed(stream_name)
        stream.reopen()
        stopper = self._feeds.register(stream_name)
        try:
            return await self._run_feed(stream, plan, stop=stopper[1], on_start=on_start)
        finally:
            self._feeds.unregister(stream_name, stopper)

    def start_feed(
        self, stream_name: str, **feed_options: Any
    ) -> concurrent.futures.Future[FeedResult]:
        """Run `feed_call` on the server's event loop; for callers on other threads."""
        loop = self._server_loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the emulator is not being served")
        coroutine = self.feed_call(stream_name, **feed_options)
        return asyncio.run_coroutine_threadsafe(coroutine, loop)

    def finish_stream(self, stream_name: str) -> None:
        """The call ended: stop its feeds; GetMedia responses end after the last fragment."""
        stream = self.get_stream(name=stream_name)
        self._feeds.stop(stream_name)
        stream.finish()

    def pause_feed(self, stream_name: str, seconds: float) -> None:
        """The producer stalls: the stream's live feed stores nothing for `seconds`, then
        goes on where it was (later fragments are as late; their timestamps are not)."""
        if not seconds > 0:
            raise InvalidArgumentError("a pause must be positive")
        self.get_stream(name=stream_name)
        with self._lock:
            self._pauses[stream_name] = self._pauses.get(stream_name, 0.0) + seconds

    def _take_pause(self, stream_name: str) -> float:
        with self._lock:
            return self._pauses.pop(stream_name, 0.0)

    def _stream_for_feed(self, stream_name: str) -> KvsStream:
        try:
            return self.get_stream(name=stream_name)
        except ResourceNotFoundError:
            pass
        try:
            self.create_stream(stream_name, media_type="audio/x-matroska")
        except ResourceInUseError:  # created concurrently by another feed: use that one
            pass
        return self.get_stream(name=stream_name)

    async def _run_feed(
        self,
        stream: KvsStream,
        plan: _FeedPlan,
        *,
        stop: asyncio.Event,
        on_start: Callable[[CallStart], object] | None,
    ) -> FeedResult:
        result = FeedResult(stream_arn=stream.arn, contact_id=plan.contact_id)
        loop = asyncio.get_running_loop()
        started_at = loop.time()
        for index, (customer, agent) in enumerate(
            zip(plan.customer_fragments, plan.agent_fragments, strict=True)
        ):
            due = (
                started_at + (index + 1) * plan.fragment_seconds / plan.speed
                if plan.speed
                else None
            )
            if await _stopped_before(stop, due, loop):
                result.hung_up = True
                return result
            while (pause := self._take_pause(stream.name)) > 0:
                if await _stopped_before(stop, loop.time() + pause, loop):
                    result.hung_up = True
                    return result
                started_at += pause
            producer_timestamp = plan.start_timestamp + index * plan.fragment_seconds
            if index in plan.corrupt_before:
                result.corrupt_fragment_numbers.append(
                    self._append_corrupt(
                        stream, kind="truncated", producer_timestamp=producer_timestamp
                    )
                )
            fragment = stream.append(
                _audio_fragment_builder(plan, producer_timestamp, customer, agent)
            )
            result.fragment_numbers.append(fragment.fragment_number)
            if index == 0 and on_start is not None:
                on_start(
                    CallStart(
                        stream_arn=stream.arn,
                        start_fragment_number=fragment.fragment_number,
                        start_timestamp_ms=round(producer_timestamp * 1000),
                    )
                )
        if plan.finish:
            stream.finish()
        return result

    # --- lifecycle and status -----------------------------------------------------------

    def attach_loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Called by the server so `start_feed` knows where to run."""
        self._server_loop = loop

    def close(self) -> None:
        """End every GetMedia session and feed, e.g. before the server stops."""
        for stream in self.list_streams():
            self._feeds.stop(stream.name)
            stream.mark_gone()

    def stream_status(self, stream_name: str) -> dict[str, object]:
        stream = self.get_stream(name=stream_name)
        fragments = stream.fragments()
        return {
            "StreamName": stream.name,
            "StreamARN": stream.arn,
            "Finished": stream.finished,
            "ActiveGetMediaSessions": stream.active_sessions,
            "Fragments": [
                {
                    "FragmentNumber": fragment.fragment_number,
                    "ProducerTimestamp": fragment.producer_timestamp,
                    "ServerTimestamp": fragment.server_timestamp,
                    "ContactId": fragment.contact_id,
                    "Corrupt": fragment.corrupt,
                    "SizeInBytes": len(fragment.data),
                }
                for fragment in fragments
            ],
        }


# --- helpers ----------------------------------------------------------------------------


def _first_set(*values: _T | None) -> _T | None:
    return next((value for value in values if value is not None), None)


def _check_stream_name(name: str) -> None:
    if not isinstance(name, str) or not _STREAM_NAME.fullmatch(name):
        raise InvalidArgumentError(f"invalid stream name: {name!r}")


def _check_tags(tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_TAGS_PER_STREAM:
        raise TagsPerResourceExceededLimitError(f"at most {MAX_TAGS_PER_STREAM} tags per stream")
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128:
            raise InvalidArgumentError(f"invalid tag key: {key!r}")
        if not isinstance(value, str) or len(value) > 256:
            raise InvalidArgumentError(f"invalid tag value for {key!r}")


def _load_track(pcm: bytes | None, wav_path: str | PathLike[str] | None, role: str) -> bytes:
    if pcm is not None and wav_path is not None:
        raise InvalidArgumentError(f"give {role} audio as PCM or as a WAV path, not both")
    if wav_path is not None:
        try:
            return read_wav_as_pcm(wav_path)
        except (OSError, EOFError, ValueError) as error:  # wave raises wave.Error(ValueError)
            raise InvalidArgumentError(f"cannot read {role} WAV {wav_path}: {error}") from error
    return pcm or b""


def _make_plan(
    *,
    customer: bytes,
    agent: bytes,
    contact_id: str,
    instance_id: str,
    speed: float,
    fragment_ms: int,
    start_timestamp: float,
    track_layout: TrackLayout,
    corrupt_before: frozenset[int],
    finish: bool,
) -> _FeedPlan:
    if speed < 0 or math.isnan(speed):
        raise InvalidArgumentError("speed must be >= 0 (0: as fast as possible)")
    # The SimpleBlock timecode is a signed 16-bit offset in ms from the cluster start.
    if not 20 <= fragment_ms <= 30_000:
        raise InvalidArgumentError("fragment_ms must be between 20 and 30000")
    if track_layout is TrackLayout.LEGACY_SINGLE_TRACK:
        if agent:
            raise InvalidArgumentError("the legacy single-track layout has no agent track")
    else:
        try:
            customer, agent = pad_tracks(customer, agent)
        except ValueError as error:
            raise InvalidArgumentError(str(error)) from error
    if len(customer) % 2:
        raise InvalidArgumentError("customer PCM must be whole 16-bit samples")
    customer_fragments = split_fragments(customer, fragment_ms=fragment_ms)
    return _FeedPlan(
        contact_id=contact_id,
        instance_id=instance_id,
        customer_fragments=customer_fragments,
        agent_fragments=(
            split_fragments(agent, fragment_ms=fragment_ms)
            if track_layout is TrackLayout.CONNECT
            else [b""] * len(customer_fragments)
        ),
        fragment_seconds=fragment_ms / 1000,
        start_timestamp=start_timestamp,
        speed=speed,
        track_layout=track_layout,
        corrupt_before=corrupt_before,
        finish=finish,
    )


async def _stopped_before(
    stop: asyncio.Event, due: float | None, loop: asyncio.AbstractEventLoop
) -> bool:
    """Wait until `due` (loop time; None: just yield); True if stopped meanwhile."""
    if stop.is_set():
        return True
    if due is None:
        await asyncio.sleep(0)  # let readers run between fragments even at full speed
        return stop.is_set()
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, due - loop.time()))
    except TimeoutError:
        return False
    return True


def _audio_fragment_builder(
    plan: _FeedPlan, producer_timestamp: float, customer: bytes, agent: bytes
) -> Callable[[str, float], StoredFragment]:
    def build(fragment_number: str, server_timestamp: float) -> StoredFragment:
        return StoredFragment(
            fragment_number=fragment_number,
            producer_timestamp=producer_timestamp,
            server_timestamp=server_timestamp,
            contact_id=plan.contact_id,
            data=build_fragment_body(
                fragment_number=fragment_number,
                producer_timestamp=producer_timestamp,
                server_timestamp=server_timestamp,
                contact_id=plan.contact_id,
                instance_id=plan.instance_id,
                customer_pcm=customer,
                agent_pcm=agent,
                track_layout=plan.track_layout,
            ),
        )

    return build


def _corrupt_bytes(
    kind: CorruptionKind, fragment_number: str, producer_timestamp: float, server_timestamp: float
) -> bytes:
    rng = random.Random(fragment_number)
    if kind == "garbage":
        return rng.randbytes(4096)
    whole = build_fragment_body(
        fragment_number=fragment_number,
        producer_timestamp=producer_timestamp,
        server_timestamp=server_timestamp,
        contact_id="corrupt",
        instance_id=DEFAULT_INSTANCE_ID,
        customer_pcm=bytes(16000),
        agent_pcm=bytes(16000),
    )
    # Cut inside the cluster's audio (well past the headers, inside some SimpleBlock).
    return whole[: len(whole) // 2 + 7]
