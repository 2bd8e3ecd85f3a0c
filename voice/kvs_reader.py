"""Read one Amazon Connect call's audio from Kinesis Video Streams (GetMedia).

``KvsCallReader.audio()`` yields one ``CallAudio`` per complete KVS fragment: both
roles' PCM (8 kHz s16le mono, the shorter track zero-padded so they stay aligned) and
``start_ms``, the fragment's position on the call's audio clock counted in samples, so
it stays the same across reconnects, retries and resumes. ``checkpoint`` says where the
reader is after the last fragment it yielded; it is JSON-friendly, for heartbeats.

    reader = KvsCallReader(stream_arn=..., contact_id=..., start_fragment_number=...,
                           start_timestamp_ms=..., checkpoint=last_heartbeat)
    async with contextlib.aclosing(reader.audio()) as audio:
        async for piece in audio:
            ...  # piece.customer_pcm / piece.agent_pcm; heartbeat(reader.checkpoint)

Where reading starts
    GetMedia's FRAGMENT_NUMBER selector starts *after* AfterFragmentNumber, so using it
    with Connect's StartFragmentNumber would lose the call's first fragment. A fresh
    reader instead starts at PRODUCER_TIMESTAMP = StartTimestamp minus a margin (botocore
    sends whole seconds, and clocks differ a little), which lands on or before the first
    fragment, and drops every fragment whose number, compared as an integer, is below
    StartFragmentNumber. Connect reuses streams, so fragments tagged with another
    ContactId are dropped too until ours begins. Without a StartTimestamp the reader
    starts at EARLIEST and skips the same way (by number when StartFragmentNumber is
    known, else by ContactId alone).

Resuming
    From a ``ReaderCheckpoint`` the reader uses CONTINUATION_TOKEN (FRAGMENT_NUMBER after
    the checkpoint's fragment when there is no token): the next fragment, nothing
    repeated, ``start_ms`` continuing from ``next_start_ms``. Internal reconnects resume
    the same way after the last *complete* fragment received (yielded or skipped), and
    any fragment at or below the last one seen is dropped, so there is no overlap.

Reconnecting
    A response that ends while the stream goes on (KVS ends GetMedia sessions after a
    while) or breaks (reset, streaming or read-timeout errors, a cut mid-fragment) is
    retried with the shared jittered exponential backoff (``callguide.backoff``); the
    data endpoint is fetched again after a network failure. Calls to GetMedia and
    GetDataEndpoint are spaced to stay under the 5-per-second-per-stream limit, and
    ClientLimitExceededException backs off and retries. ``max_consecutive_failures``
    failures in a row without a new fragment raise ``KvsReadError``. The boto clients
    come from a ``KvsClientPool`` shared by the worker's calls (``clients=``); without
    one the reader builds its own and closes it when done.

When the call is over
    KVS does not say "producer finished", and a producer may stall for a while. Once the
    reader has been connected without a new fragment for ``end_of_stream_idle_s``
    (responses ending empty, or no bytes at a fragment boundary; time spent failing
    does not count, so an outage is never mistaken for the end) it asks the injected
    ``contact_ended()``: if the contact is over it ends at once (``end_reason``
    CONTACT_ENDED); if not (or without a callback, or when asking fails) it keeps
    waiting and reconnecting from where it is, asking again every
    ``end_of_stream_idle_s``, and gives up only after ``stall_limit_s`` without a new
    fragment (STALLED). It also ends after ``stop_fragment_number`` (inclusive) and at
    the first fragment of another contact once ours has begun (none of it is yielded).

Waiting on the stream
    ``waiting_on_stream`` is True whenever the reader is doing its own (bounded) work:
    a read waiting for bytes, a GetMedia / GetDataEndpoint call, a backoff, the
    contact-ended question; False while a yielded fragment is with the caller. A
    heartbeat uses it to tell a quiet stream from a stuck pipeline.

Corrupt media
    Malformed MKV is in the stored stream, so retrying would only fail again:
    ``KvsCorruptMediaError`` names the byte offset in the response and the last good
    fragment. A response that ends cleanly in the middle of a fragment is retried once;
    the same truncation twice is corrupt media too.

Close the generator (``aclose()`` or ``contextlib.aclosing``) when stopping early: the
open GetMedia connection is closed at once, also on cancellation.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import math
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any, Final

import aioboto3
import aiohttp
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError, IncompleteReadError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from callguide.backoff import Backoff, BackoffExhausted
from voice.kvs_clients import KvsClientPool, Pacer, StreamEndpoint
from voice.mkv import (
    TAG_CONTINUATION_TOKEN,
    Fragment,
    FragmentComplete,
    MkvCorruptError,
    MkvError,
    MkvEvent,
    MkvStreamParser,
    MkvTruncatedError,
    TrackAudio,
)

__all__ = [
    "CallAudio",
    "KvsCallReader",
    "KvsCorruptMediaError",
    "KvsReadError",
    "ReaderCheckpoint",
    "StreamEnd",
]

logger = logging.getLogger(__name__)

DEFAULT_SAMPLE_RATE_HZ: Final = 8000
BYTES_PER_SAMPLE: Final = 2
CUSTOMER: Final = "customer"
AGENT: Final = "agent"

# Never wait less than this for bytes on a fresh connection at a fragment boundary.
_MIN_QUIET_READ_S: Final = 0.05
_RETRYABLE_CODES: Final = frozenset(
    {
        "ClientLimitExceededException",
        "ConnectionLimitExceededException",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "ThrottlingException",
    }
)
# Transport failures: the stream is fine, the connection is not.
_NETWORK_ERRORS: Final = (
    HTTPClientError,  # ResponseStreamingError, ReadTimeoutError, ConnectionClosedError
    BotocoreConnectionError,  # EndpointConnectionError, ConnectTimeoutError
    IncompleteReadError,
    aiohttp.ClientError,  # ClientPayloadError when a chunked body is cut
    OSError,  # ConnectionResetError and friends
)


# --- public types -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallAudio:
    """One KVS fragment of the call: both roles, equally long, on the call's clock."""

    fragment_number: str
    continuation_token: str
    producer_timestamp: float
    #: Offset of this fragment's first sample from the call's first sample.
    start_ms: int
    customer_pcm: bytes = field(repr=False)
    agent_pcm: bytes = field(repr=False)


@dataclass(slots=True)
class ReaderCheckpoint:
    """Where a reader is after the last fragment it yielded (plain, JSON-friendly)."""

    last_fragment_number: str
    continuation_token: str
    next_start_ms: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReaderCheckpoint:
        """Rebuild from ``to_dict()`` output, e.g. heartbeat details decoded as a dict."""
        return cls(
            last_fragment_number=str(data["last_fragment_number"]),
            continuation_token=str(data.get("continuation_token") or ""),
            next_start_ms=int(data["next_start_ms"]),
        )


class StreamEnd(enum.Enum):
    """Why the reader stopped yielding."""

    STOP_FRAGMENT = "stop_fragment"  # Connect's StopFragmentNumber was reached
    NEXT_CONTACT = "next_contact"  # the stream moved on to another contact
    CONTACT_ENDED = "contact_ended"  # quiet, and the contact is over
    STALLED = "stalled"  # no new fragment for stall_limit_s, contact not known to be over


class KvsReadError(Exception):
    """The call's audio cannot be read (any more)."""


class KvsStreamRejectedError(KvsReadError):
    """KVS refused the stream for good (not found, not authorized, bad argument)."""


class KvsBadSelectorError(KvsReadError):
    """The call's media selector (fragment number, timestamp) is malformed, or KVS refused
    it as an invalid argument: the same request would fail on every retry."""


class KvsCorruptMediaError(KvsReadError):
    """The stored media is malformed; reading it again would fail the same way."""

    def __init__(self, fragment_number_context: str | None, offset: int, reason: str) -> None:
        after = (
            f"after fragment {fragment_number_context}"
            if fragment_number_context
            else "before any complete fragment"
        )
        super().__init__(
            f"corrupt MKV at byte offset {offset} of the GetMedia response, {after}: {reason}"
        )
        self.fragment_number_context = fragment_number_context
        self.offset = offset
        self.reason = reason

    def __reduce__(self) -> tuple[type[KvsCorruptMediaError], tuple[str | None, int, str]]:
        return type(self), (self.fragment_number_context, self.offset, self.reason)


# --- fragments out of one GetMedia response ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _ReceivedFragment:
    fragment_number: str
    continuation_token: str
    contact_id: str | None
    producer_timestamp: float
    sample_rate: int
    customer_pcm: bytes
    agent_pcm: bytes

    @property
    def number(self) -> int:
        return int(self.fragment_number)


class _FragmentAssembler:
    """Turns one response's bytes into complete fragments with both roles' PCM.

    A fragment is complete when GetMedia's CONTINUATION_TOKEN tag (the last thing it
    writes per fragment) has arrived, or failing that when the next fragment begins, so
    live audio is not held back until the following fragment shows up.
    """

    def __init__(self) -> None:
        self._parser = MkvStreamParser()
        self._pcm: dict[int, dict[str, bytearray]] = {}
        self._last_completed_index = -1
        self._ready: list[_ReceivedFragment] = []

    @property
    def mid_fragment(self) -> bool:
        """True while bytes of a fragment not yet complete have been received."""
        if self._parser.buffered_bytes:
            return True
        current = self._parser.current_fragment
        return current is not None and current.index > self._last_completed_index

    def feed(self, chunk: bytes) -> MkvError | None:
        """Parse a chunk; fragments completed before any error stay in ``take_ready``."""
        try:
            self._absorb(self._parser.feed(chunk))
            current = self._parser.current_fragment
            if current is not None and TAG_CONTINUATION_TOKEN in current.tags:
                self._complete(current)
        except MkvError as error:
            self._absorb(error.events, quietly=True)
            return error
        return None

    def finish(self) -> MkvError | None:
        """The response ended cleanly: flush the parser."""
        try:
            self._absorb(self._parser.close())
        except MkvError as error:
            self._absorb(error.events, quietly=True)
            return error
        return None

    def take_ready(self) -> list[_ReceivedFragment]:
        ready, self._ready = self._ready, []
        return ready

    def _absorb(self, events: list[MkvEvent], *, quietly: bool = False) -> None:
        for event in events:
            if isinstance(event, TrackAudio):
                if event.role in (CUSTOMER, AGENT):
                    tracks = self._pcm.setdefault(event.fragment_index, {})
                    tracks.setdefault(event.role, bytearray()).extend(event.payload)
            elif isinstance(event, FragmentComplete):
                if quietly:  # already failing: keep what is good, report the first error
                    with contextlib.suppress(MkvError):
                        self._complete(event.fragment)
                else:
                    self._complete(event.fragment)

    def _complete(self, fragment: Fragment) -> None:
        if fragment.index <= self._last_completed_index:
            return
        self._last_completed_index = fragment.index
        number = fragment.fragment_number
        if number is None or not number.isdigit():
            raise MkvCorruptError(
                "fragment without a valid AWS_KINESISVIDEO_FRAGMENT_NUMBER tag",
                fragment.start_offset,
            )
        tracks = self._pcm.pop(fragment.index, {})
        customer, agent = _aligned(bytes(tracks.get(CUSTOMER, b"")), bytes(tracks.get(AGENT, b"")))
        audio_format = fragment.audio_format
        self._ready.append(
            _ReceivedFragment(
                fragment_number=number,
                continuation_token=fragment.continuation_token or "",
                contact_id=fragment.contact_id,
                producer_timestamp=fragment.producer_timestamp or 0.0,
                sample_rate=(audio_format.sample_rate if audio_format else None)
                or DEFAULT_SAMPLE_RATE_HZ,
                customer_pcm=customer,
                agent_pcm=agent,
            )
        )


def _aligned(customer: bytes, agent: bytes) -> tuple[bytes, bytes]:
    """Zero-pad the shorter track so both roles cover the same span of the call."""
    length = max(len(customer), len(agent))
    return customer.ljust(length, b"\x00"), agent.ljust(length, b"\x00")


class _Outcome(enum.Enum):
    ENDED = "ended"  # the response ended cleanly
    STALLED = "stalled"  # no bytes for a while, between fragments
    FAILED = "failed"  # error or cut: retry with backoff


@dataclass(slots=True)
class _Attempt:
    """What one GetMedia response brought and how it ended."""

    outcome: _Outcome = _Outcome.ENDED
    new_fragments: int = 0
    error: BaseException | None = None
    refresh_endpoint: bool = False

    def fail(self, error: BaseException, *, refresh_endpoint: bool) -> None:
        self.outcome = _Outcome.FAILED
        self.error = error
        self.refresh_endpoint = refresh_endpoint


class _Verdict(enum.Enum):
    SKIP = "skip"  # before our call: another contact or before StartFragmentNumber
    YIELD = "yield"
    YIELD_LAST = "yield_last"  # the stop fragment
    STOP = "stop"  # past the stop fragment, or the next contact


@dataclass(frozen=True, slots=True)
class _ResumePoint:
    fragment_number: str
    continuation_token: str

    def selector(self) -> dict[str, Any]:
        if self.continuation_token:
            return {
                "StartSelectorType": "CONTINUATION_TOKEN",
                "ContinuationToken": self.continuation_token,
            }
        return {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": self.fragment_number}


# --- the reader -------------------------------------------------------------------------


class KvsCallReader:
    """Reads one call's audio from its KVS stream; see the module docstring."""

    def __init__(
        self,
        *,
        stream_arn: str,
        contact_id: str,
        start_fragment_number: str | None = None,
        start_timestamp_ms: int | None = None,
        stop_fragment_number: str | None = None,
        checkpoint: ReaderCheckpoint | None = None,
        region: str | None = None,
        clients: KvsClientPool | None = None,
        session: aioboto3.Session | None = None,
        client_config: Config | None = None,
        end_of_stream_idle_s: float = 5.0,
        stall_limit_s: float = 30.0,
        contact_ended: Callable[[], Awaitable[bool]] | None = None,
        max_consecutive_failures: int = 8,
        backoff_base_s: float = 0.25,
        backoff_max_s: float = 8.0,
        start_timestamp_margin_s: float = 3.0,
        read_chunk_bytes: int = 16_384,
    ) -> None:
        if end_of_stream_idle_s <= 0:
            raise ValueError("end_of_stream_idle_s must be positive")
        if stall_limit_s <= 0:
            raise ValueError("stall_limit_s must be positive")
        if max_consecutive_failures < 0:
            raise ValueError("max_consecutive_failures must not be negative")
        self._stream_arn = stream_arn
        self._contact_id = contact_id
        self._start_number = _fragment_int(start_fragment_number, "start_fragment_number")
        self._start_timestamp_ms = _start_ms(start_timestamp_ms)
        self._stop_number = _fragment_int(stop_fragment_number, "stop_fragment_number")
        self._region = region or _region_from_arn(stream_arn)
        self._clients = clients
        self._session = session
        self._client_config = client_config
        self._idle_s = end_of_stream_idle_s
        self._stall_limit_s = stall_limit_s
        self._contact_ended = contact_ended
        self._attempts = Backoff(backoff_base_s, backoff_max_s).attempts(max_consecutive_failures)
        self._margin_s = start_timestamp_margin_s
        self._chunk_bytes = read_chunk_bytes
        self._get_media_pacer = Pacer()

        self._checkpoint = checkpoint
        self._elapsed_s = Fraction(checkpoint.next_start_ms, 1000) if checkpoint else Fraction(0)
        self._resume: _ResumePoint | None = None
        self._last_seen: int | None = None
        self._ours_started = checkpoint is not None
        self._done = False
        self._end_reason: StreamEnd | None = None
        self._waiting = False
        self._quiet_since: float | None = None
        self._last_fragment_at = time.monotonic()
        self._asked_at = -math.inf  # when contact_ended() was last asked in this quiet spell
        self._last_truncation: tuple[int | None, str] | None = None
        self._get_media_calls = 0
        if checkpoint is not None:
            self._resume = _ResumePoint(
                checkpoint.last_fragment_number, checkpoint.continuation_token
            )
            last = _fragment_int(checkpoint.last_fragment_number, "checkpoint")
            self._last_seen = last
            if self._stop_number is not None and last is not None and last >= self._stop_number:
                self._finish(StreamEnd.STOP_FRAGMENT)

    @property
    def checkpoint(self) -> ReaderCheckpoint | None:
        """Position after the last fragment yielded (the resume checkpoint if none yet)."""
        return self._checkpoint

    @property
    def end_reason(self) -> StreamEnd | None:
        """Why the reader ended (None while it has not)."""
        return self._end_reason

    @property
    def waiting_on_stream(self) -> bool:
        """True while the reader works on its own: reading, connecting, backing off."""
        return self._waiting

    @property
    def get_media_calls(self) -> int:
        """GetMedia responses opened so far (1 + reconnects)."""
        return self._get_media_calls

    async def audio(self) -> AsyncGenerator[CallAudio, None]:
        """Yield the call's fragments until it ends; iterate once, close when stopping early."""
        if self._done:
            return
        self._last_fragment_at = time.monotonic()
        async with contextlib.AsyncExitStack() as stack:
            pool = self._clients
            if pool is None:  # on its own: clients of its own, closed when done
                pool = KvsClientPool(session=self._session, client_config=self._client_config)
                stack.push_async_callback(pool.aclose)
            endpoint = StreamEndpoint(pool, region=self._region, stream_arn=self._stream_arn)
            self._waiting = True
            try:
                while not self._done:
                    attempt = _Attempt()
                    payload = await self._open_payload(endpoint, attempt)
                    if payload is not None:
                        try:
                            async with contextlib.aclosing(self._read(payload, attempt)) as pieces:
                                async for piece in pieces:
                                    self._waiting = False
                                    yield piece
                                    self._waiting = True
                        finally:
                            # Closing (not releasing) the response drops the connection at
                            # once, which frees the stream's GetMedia connection slot.
                            payload.close()
                    if not self._done:
                        await self._settle(attempt, endpoint)
            finally:
                self._waiting = False

    # --- one GetMedia response ----------------------------------------------------------

    async def _open_payload(self, endpoint: StreamEndpoint, attempt: _Attempt) -> Any | None:
        try:
            media = await endpoint.media()
            await self._get_media_pacer.wait()
            self._get_media_calls += 1
            response = await media.get_media(
                StreamARN=self._stream_arn, StartSelector=self._selector()
            )
        except ClientError as error:
            if _error_code(error) == "InvalidArgumentException":
                raise KvsBadSelectorError(
                    f"KVS refused the start selector {self._selector()} of "
                    f"{self._stream_arn}: {error}"
                ) from error
            if _error_code(error) not in _RETRYABLE_CODES and _http_status(error) < 500:
                raise KvsStreamRejectedError(f"cannot read {self._stream_arn}: {error}") from error
            attempt.fail(error, refresh_endpoint=False)
            return None
        except _NETWORK_ERRORS as error:
            attempt.fail(error, refresh_endpoint=True)
            return None
        if self._quiet_since is None:
            self._quiet_since = time.monotonic()
        return response["Payload"]

    def _selector(self) -> dict[str, Any]:
        if self._resume is not None:
            return self._resume.selector()
        if self._start_timestamp_ms is not None:
            seconds = math.floor(self._start_timestamp_ms / 1000 - self._margin_s)
            return {
                "StartSelectorType": "PRODUCER_TIMESTAMP",
                "StartTimestamp": datetime.fromtimestamp(max(seconds, 0), UTC),
            }
        return {"StartSelectorType": "EARLIEST"}

    async def _read(self, payload: Any, attempt: _Attempt) -> AsyncGenerator[CallAudio, None]:
        assembler = _FragmentAssembler()
        while not self._done:
            try:
                async with asyncio.timeout(self._read_timeout(assembler.mid_fragment)):
                    chunk: bytes = await payload.read(self._chunk_bytes)
            except TimeoutError as error:  # ours, or botocore's read timeout
                if assembler.mid_fragment:
                    attempt.fail(error, refresh_endpoint=True)
                else:
                    attempt.outcome = _Outcome.STALLED
                return
            except _NETWORK_ERRORS as error:
                attempt.fail(error, refresh_endpoint=True)
                return
            media_error = assembler.feed(chunk) if chunk else assembler.finish()
            for fragment in assembler.take_ready():
                piece = self._accept(fragment, attempt)
                if piece is not None:
                    yield piece
                if self._done:
                    return
            if media_error is not None:
                self._on_media_error(media_error, attempt, clean_end=not chunk)
                return
            if not chunk:
                return  # ended cleanly at a fragment boundary

    def _read_timeout(self, mid_fragment: bool) -> float:
        if mid_fragment:  # bytes stopped inside a fragment: the connection is stuck
            return self._idle_s
        # Between fragments, waiting is how the end of the stream looks: wait for bytes
        # until it is time to ask whether the contact is over.
        remaining = self._next_question_at() - time.monotonic()
        return max(remaining, _MIN_QUIET_READ_S)

    def _next_question_at(self) -> float:
        assert self._quiet_since is not None
        return max(self._quiet_since, self._asked_at) + self._idle_s

    def _on_media_error(self, error: MkvError, attempt: _Attempt, *, clean_end: bool) -> None:
        last_good = self._resume.fragment_number if self._resume else None
        if clean_end and isinstance(error, MkvTruncatedError):
            # A clean end inside a fragment is odd but could be the path, not the data:
            # retry once, and call it corrupt only if it ends the same way again.
            truncation = (self._last_seen, error.message)
            if truncation != self._last_truncation:
                self._last_truncation = truncation
                attempt.fail(error, refresh_endpoint=False)
                return
        raise KvsCorruptMediaError(last_good, error.offset, error.message) from error

    # --- fragments ----------------------------------------------------------------------

    def _accept(self, fragment: _ReceivedFragment, attempt: _Attempt) -> CallAudio | None:
        number = fragment.number
        if self._last_seen is not None and number <= self._last_seen:
            return None  # already had it: no overlap, whatever the server resends
        self._last_seen = number
        self._resume = _ResumePoint(fragment.fragment_number, fragment.continuation_token)
        self._quiet_since = self._last_fragment_at = time.monotonic()
        self._asked_at = -math.inf
        attempt.new_fragments += 1
        verdict = self._judge(number, fragment.contact_id)
        if verdict in (_Verdict.STOP, _Verdict.YIELD_LAST):
            past_stop = self._stop_number is not None and number >= self._stop_number
            self._finish(StreamEnd.STOP_FRAGMENT if past_stop else StreamEnd.NEXT_CONTACT)
        if verdict in (_Verdict.YIELD, _Verdict.YIELD_LAST):
            return self._emit(fragment)
        return None

    def _judge(self, number: int, contact_id: str | None) -> _Verdict:
        if self._stop_number is not None and number > self._stop_number:
            return _Verdict.STOP
        # A fragment without the tag cannot be told apart, so it counts as ours.
        ours = contact_id is None or contact_id == self._contact_id
        if not self._ours_started:
            if not ours or (self._start_number is not None and number < self._start_number):
                return _Verdict.SKIP
            self._ours_started = True
        elif not ours:
            logger.info("contact %s ended: next contact on the stream", self._contact_id)
            return _Verdict.STOP
        return _Verdict.YIELD_LAST if number == self._stop_number else _Verdict.YIELD

    def _emit(self, fragment: _ReceivedFragment) -> CallAudio:
        start_ms = math.floor(self._elapsed_s * 1000)
        samples = len(fragment.customer_pcm) // BYTES_PER_SAMPLE
        self._elapsed_s += Fraction(samples, fragment.sample_rate)
        self._checkpoint = ReaderCheckpoint(
            last_fragment_number=fragment.fragment_number,
            continuation_token=fragment.continuation_token,
            next_start_ms=math.floor(self._elapsed_s * 1000),
        )
        return CallAudio(
            fragment_number=fragment.fragment_number,
            continuation_token=fragment.continuation_token,
            producer_timestamp=fragment.producer_timestamp,
            start_ms=start_ms,
            customer_pcm=fragment.customer_pcm,
            agent_pcm=fragment.agent_pcm,
        )

    # --- between responses --------------------------------------------------------------

    async def _settle(self, attempt: _Attempt, endpoint: StreamEndpoint) -> None:
        """Decide after a response: reconnect now, back off, finish, or give up."""
        if attempt.new_fragments:
            self._attempts.reset()
        if attempt.outcome is _Outcome.FAILED:
            await self._back_off(attempt, endpoint)
        elif attempt.outcome is _Outcome.STALLED or not attempt.new_fragments:
            await self._wait_or_finish()
        # A response that brought fragments and ended cleanly hit the session limit:
        # reconnect straight away (the pacer keeps it under the TPS limit).

    async def _back_off(self, attempt: _Attempt, endpoint: StreamEndpoint) -> None:
        # Time spent failing is not quiet time: only a working connection can show that
        # the producer stopped.
        self._quiet_since = None
        try:
            delay = self._attempts.failed()
        except BackoffExhausted as exhausted:
            raise KvsReadError(
                f"giving up on {self._stream_arn} after {exhausted.failures} consecutive "
                f"failures without progress; last: {attempt.error!r}"
            ) from attempt.error
        if attempt.refresh_endpoint:
            endpoint.mark_stale()
        logger.warning(
            "reading %s failed (%d in a row): %r; retrying in %.2fs",
            self._stream_arn,
            self._attempts.failures,
            attempt.error,
            delay,
        )
        await asyncio.sleep(delay)

    async def _wait_or_finish(self) -> None:
        now = time.monotonic()
        due = self._next_question_at()
        if now < due:
            # Poll again soon; the pacer spaces GetMedia calls anyway.
            await asyncio.sleep(min(due - now, self._idle_s / 4))
            return
        self._asked_at = now
        if await self._contact_has_ended():
            logger.info("no new audio on %s and the contact has ended", self._stream_arn)
            self._finish(StreamEnd.CONTACT_ENDED)
            return
        stalled_for = now - self._last_fragment_at
        if stalled_for >= self._stall_limit_s:
            logger.warning(
                "no new audio on %s for %.1fs while the contact goes on: giving up",
                self._stream_arn,
                stalled_for,
            )
            self._finish(StreamEnd.STALLED)
            return
        logger.info(
            "no new audio on %s for %.1fs; the contact goes on, waiting for the stream",
            self._stream_arn,
            stalled_for,
        )
        # Reconnect from where we are; the next read waits for bytes until the next question.

    async def _contact_has_ended(self) -> bool:
        if self._contact_ended is None:
            return False
        try:
            return bool(await self._contact_ended())
        except Exception as error:  # not knowing is not an end: keep waiting
            logger.warning("cannot tell whether contact %s ended: %r", self._contact_id, error)
            return False

    def _finish(self, reason: StreamEnd) -> None:
        self._done = True
        self._end_reason = reason


# --- helpers ----------------------------------------------------------------------------


# KVS fragment numbers have about 47 digits; int() refuses more than 4,300.
MAX_FRAGMENT_DIGITS = 64
# datetime cannot hold a time past the year 9999, so a later selector could never be sent.
MAX_START_TIMESTAMP_MS = 253_402_300_799_999


def _fragment_int(fragment_number: str | None, what: str) -> int | None:
    if fragment_number is None:
        return None
    # isdigit() alone admits "²" and other Unicode digits that int() refuses.
    if not (
        fragment_number.isascii()
        and fragment_number.isdigit()
        and len(fragment_number) <= MAX_FRAGMENT_DIGITS
    ):
        raise KvsBadSelectorError(
            f"{what} must be a decimal fragment number of at most {MAX_FRAGMENT_DIGITS} "
            f"digits, got {fragment_number[:80]!r}"
            + (f" ({len(fragment_number)} characters)" if len(fragment_number) > 80 else "")
        )
    return int(fragment_number)


def _start_ms(start_timestamp_ms: int | None) -> int | None:
    if start_timestamp_ms is not None and not 0 <= start_timestamp_ms <= MAX_START_TIMESTAMP_MS:
        shown = str(start_timestamp_ms) if abs(start_timestamp_ms) < 10**30 else "a huge number"
        raise KvsBadSelectorError(
            f"start_timestamp_ms must be epoch milliseconds before the year 10000, got {shown}"
        )
    return start_timestamp_ms


def _region_from_arn(arn: str) -> str | None:
    """arn:aws:kinesisvideo:REGION:ACCOUNT:stream/...; None lets the session decide."""
    parts = arn.split(":")
    if len(parts) > 3 and parts[0] == "arn" and parts[3]:
        return parts[3]
    return None


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _http_status(error: ClientError) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
