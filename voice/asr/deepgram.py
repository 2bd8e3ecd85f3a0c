"""Deepgram live transcription (deepgram-sdk 7.x) as a StreamingAsr, with reconnects.

Both call tracks go over one multichannel connection. The stream keeps every byte of
audio sent since the earliest end of a final result (per channel), so when the
connection drops with a retryable close it reconnects with the shared jittered backoff
(`callguide.backoff`), replays
that audio, and shifts the new connection's timestamps (which restart at 0) by the
replay position. Results of the replay that end before a channel's last final result
are dropped, so across a reconnect no word is lost and none is repeated.

The same code talks to `voice.asr.server` (url "ws://127.0.0.1:PORT") in the demo and
in tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from deepgram import AsyncDeepgramClient, DeepgramClientEnvironment
from deepgram.core.api_error import ApiError
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidMessage

from callguide.backoff import Backoff, BackoffAttempts, BackoffExhausted
from callguide.metrics import ASR_RECONNECTS
from voice.asr.base import (
    AsrAuthError,
    AsrConnectionError,
    AsrError,
    AsrEvent,
    AsrResult,
    AsrUtteranceEnd,
    AsrWord,
)

log = logging.getLogger(__name__)

RETRYABLE_CLOSE_CODES = frozenset({1006, 1011, 1012, 1013})
_RETRYABLE_HTTP = frozenset({408, 429, 500, 502, 503, 504})
_MAX_MEDIA_CHUNK = 16_000  # bytes per websocket frame while catching up (0.5 s at 8 kHz x2)
_EPS = 1e-3


@dataclass(frozen=True, kw_only=True)
class ReconnectPolicy:
    max_attempts: int = 8  # consecutive failures before the stream gives up
    initial_backoff_s: float = 0.25
    max_backoff_s: float = 8.0

    def attempts(self) -> BackoffAttempts:
        """Consecutive failures of one stream, reset whenever a connection answers."""
        backoff = Backoff(initial_s=self.initial_backoff_s, max_s=self.max_backoff_s)
        return backoff.attempts(self.max_attempts)


@dataclass(frozen=True, kw_only=True)
class _Settings:
    model: str
    language: str
    endpointing_ms: int
    utterance_end_ms: int | None
    interim_results: bool
    smart_format: bool
    keepalive_s: float
    close_timeout_s: float
    max_replay_s: float
    reconnect: ReconnectPolicy
    extra_query: Mapping[str, str]


class DeepgramAsr:
    """StreamingAsr over Deepgram's live API (or any server speaking its protocol)."""

    def __init__(
        self,
        *,
        api_key: str,
        url: str | None = None,
        model: str = "nova-3",
        language: str = "en",
        endpointing_ms: int = 300,
        utterance_end_ms: int | None = 1000,
        interim_results: bool = True,
        smart_format: bool = True,
        keepalive_s: float = 4.0,
        close_timeout_s: float = 60.0,
        max_replay_s: float = 120.0,
        reconnect: ReconnectPolicy | None = None,
        extra_query: Mapping[str, str] | None = None,
    ) -> None:
        self._client = AsyncDeepgramClient(api_key=api_key, environment=_environment(url))
        self._settings = _Settings(
            model=model,
            language=language,
            endpointing_ms=endpointing_ms,
            # Deepgram only sends UtteranceEnd alongside interim results.
            utterance_end_ms=utterance_end_ms if interim_results else None,
            interim_results=interim_results,
            smart_format=smart_format,
            keepalive_s=keepalive_s,
            close_timeout_s=close_timeout_s,
            max_replay_s=max_replay_s,
            reconnect=reconnect or ReconnectPolicy(),
            extra_query=dict(extra_query or {}),
        )

    @contextlib.asynccontextmanager
    async def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AsyncIterator[DeepgramStream]:
        stream = DeepgramStream(
            client=self._client,
            settings=self._settings,
            sample_rate=sample_rate,
            channels=channels,
        )
        await stream.open()
        try:
            yield stream
        except BaseException:
            await stream.abort()
            raise
        await stream.close()


def _environment(url: str | None) -> DeepgramClientEnvironment:
    if url is None:
        return DeepgramClientEnvironment.PRODUCTION
    ws_url = url.rstrip("/").removesuffix("/v1/listen")
    http_url = ws_url.replace("wss://", "https://", 1).replace("ws://", "http://", 1)
    return DeepgramClientEnvironment(
        base=http_url, production=ws_url, agent=ws_url, agent_rest=http_url
    )


class _AudioLog:
    """The audio sent on the stream, from the earliest point a reconnect may replay."""

    def __init__(self) -> None:
        self.start = 0  # absolute byte offset of _data[0]
        self._data = bytearray()

    @property
    def end(self) -> int:
        return self.start + len(self._data)

    def append(self, pcm: bytes) -> None:
        self._data += pcm

    def read(self, begin: int, end: int) -> bytes:
        return bytes(self._data[begin - self.start : end - self.start])

    def trim(self, before: int) -> None:
        before = min(max(before, self.start), self.end)
        del self._data[: before - self.start]
        self.start = before


class _Retry(Exception):
    """The connection failed in a way worth another attempt."""


class _End:
    pass


_END = _End()


class DeepgramStream:
    """One call's transcription; survives reconnects. Create it via DeepgramAsr.stream()."""

    def __init__(
        self,
        *,
        client: AsyncDeepgramClient,
        settings: _Settings,
        sample_rate: int,
        channels: int,
    ) -> None:
        self._client, self._settings = client, settings
        self._rate, self._channels = sample_rate, channels
        self._frame_bytes = 2 * channels
        self._log = _AudioLog()
        self._committed = [0.0] * channels  # end of each channel's last final result
        self._turn_open = [False] * channels  # final words emitted since the last UtteranceEnd
        self._conn_base = 0  # absolute byte where the current connection's audio starts
        self._send_pos = 0
        self._finalize_at: list[int] = []  # byte positions of requested Finalize messages
        self._close_at: int | None = None
        self._wake = asyncio.Event()
        self._events: asyncio.Queue[AsrEvent | _End | BaseException] = asyncio.Queue()
        self._failure: AsrError | None = None
        self._connected: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._attempts = settings.reconnect.attempts()
        self._runner: asyncio.Task[None] | None = None
        self.connections = 0  # how many connections this stream opened (observability)

    # ---- the AsrStream interface ----

    async def send_audio(self, pcm: bytes) -> None:
        self._raise_if_failed()
        if self._close_at is not None:
            raise AsrError("stream is closing")
        self._log.append(pcm)
        self._trim()
        self._wake.set()

    async def finalize(self) -> None:
        self._raise_if_failed()
        self._finalize_at.append(self._log.end)
        self._wake.set()

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        return self._iter_events()

    # ---- lifecycle ----

    async def open(self) -> None:
        """Connect; raises AsrAuthError / AsrConnectionError if the first connect fails."""
        self._runner = asyncio.create_task(self._run(), name="deepgram-stream")
        try:
            await self._connected
        except BaseException:
            await self.abort()  # also when the opener is cancelled: no orphan reconnect loop
            raise

    async def close(self) -> None:
        """Send CloseStream after the remaining audio and wait for the last results."""
        if self._runner is None or self._runner.done():
            return
        self._close_at = self._log.end
        self._wake.set()
        try:
            async with asyncio.timeout(self._settings.close_timeout_s):
                await asyncio.shield(self._runner)  # a cancelled close must not be lost
        except TimeoutError:
            self._events.put_nowait(AsrConnectionError("timed out waiting for final results"))
            await self.abort()
        except asyncio.CancelledError:
            await self.abort()
            raise

    async def abort(self) -> None:
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        self._events.put_nowait(_END)

    async def _iter_events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        while True:
            item = await self._events.get()
            if isinstance(item, _End):
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            raise self._failure

    # ---- connection management ----

    async def _run(self) -> None:
        while True:
            try:
                if await self._connection():
                    break
                reason = "the server closed the connection early"
            except _Retry as exc:
                reason = str(exc)
            except AsrError as exc:
                self._fail(exc)
                return
            except Exception as exc:  # a bug or an odd message: end the stream, not hang it
                # The type only: the message of a failure on a results message can quote
                # what was said.
                log.error("ASR stream failed (%s)", type(exc).__name__)
                self._fail(AsrError(f"ASR stream failed: {exc!r}"))
                return
            try:
                delay = self._attempts.failed()
            except BackoffExhausted:
                retries = self._settings.reconnect.max_attempts
                self._fail(AsrConnectionError(f"giving up after {retries} retries: {reason}"))
                return
            ASR_RECONNECTS.inc()
            log.warning("ASR connection lost (%s); reconnecting in %.2f s", reason, delay)
            await asyncio.sleep(delay)
        self._events.put_nowait(_END)

    def _fail(self, error: AsrError) -> None:
        self._failure = error
        if not self._connected.done():
            self._connected.set_exception(error)
            self._connected.exception()  # the opener re-raises it; mark it retrieved
        self._events.put_nowait(error)

    async def _connection(self) -> bool:
        """One connection's life; True when it ended because we closed the stream."""
        replay_from = self._replay_start()
        try:
            async with self._client.listen.v1.connect(**self._query()) as conn:
                self._on_connected(replay_from)
                return await self._pump(conn)
        except ApiError as exc:
            raise _api_error(exc) from exc
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else 1006
            if code in RETRYABLE_CLOSE_CODES:
                raise _Retry(f"closed with code {code}") from exc
            reason = exc.rcvd.reason if exc.rcvd is not None else ""
            raise AsrConnectionError(f"ASR connection closed with code {code} {reason}") from exc
        except (OSError, TimeoutError, InvalidHandshake, InvalidMessage) as exc:
            raise _Retry(f"{type(exc).__name__}: {exc}") from exc

    def _query(self) -> dict[str, Any]:
        s = self._settings
        query: dict[str, Any] = {
            "model": s.model,
            "language": s.language,
            "encoding": "linear16",
            "sample_rate": self._rate,
            "channels": self._channels,
            "multichannel": _bool(self._channels > 1),
            "interim_results": _bool(s.interim_results),
            "endpointing": s.endpointing_ms,
            "smart_format": _bool(s.smart_format),
        }
        if s.utterance_end_ms is not None:
            query["utterance_end_ms"] = s.utterance_end_ms
        extra = dict(s.extra_query)
        if extra:
            query["request_options"] = {"additional_query_parameters": extra}
        return query

    def _on_connected(self, replay_from: int) -> None:
        self.connections += 1
        self._conn_base = self._send_pos = replay_from
        # A Finalize before the replay point has been answered on every channel already.
        self._finalize_at = [p for p in self._finalize_at if p > replay_from]
        if not self._connected.done():
            self._connected.set_result(None)

    def _replay_start(self) -> int:
        earliest = min(self._committed)
        offset = round(earliest * self._rate) * self._frame_bytes
        return min(max(offset, self._log.start), self._log.end)

    async def _pump(self, conn: Any) -> bool:
        receiver = asyncio.create_task(self._receive(conn))
        sender = asyncio.create_task(self._send(conn))
        try:
            done, _ = await asyncio.wait({receiver, sender}, return_when=asyncio.FIRST_COMPLETED)
            if sender in done and sender.exception() is not None:
                raise sender.exception()  # type: ignore[misc]
            await receiver
        finally:
            for task in (receiver, sender):
                task.cancel()
            await asyncio.gather(receiver, sender, return_exceptions=True)
        return self._close_at is not None and self._send_pos >= self._close_at

    async def _send(self, conn: Any) -> None:
        """Send audio in order, Finalize/CloseStream at their positions, KeepAlive when idle."""
        loop = asyncio.get_running_loop()
        last_sent = loop.time()
        next_finalize = 0
        while True:
            self._wake.clear()
            pending = self._finalize_at[next_finalize:]
            stop = min([*pending, self._log.end])
            if self._send_pos < stop:
                end = min(stop, self._send_pos + _MAX_MEDIA_CHUNK)
                await conn.send_media(self._log.read(self._send_pos, end))
                self._send_pos = end
            elif pending and pending[0] <= self._send_pos:
                await conn.send_finalize()
                next_finalize += 1
            elif self._close_at is not None and self._send_pos >= self._close_at:
                await conn.send_close_stream()
                return
            else:
                idle = loop.time() - last_sent
                if idle >= self._settings.keepalive_s:
                    await conn.send_keep_alive()
                else:
                    # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a
                    # cancellation that arrives just as the wait ends (audio woke it), and
                    # the sender then outlives abort() (see test_deepgram_adapter).
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._settings.keepalive_s - idle):
                            await self._wake.wait()
                    continue
            last_sent = loop.time()

    async def _receive(self, conn: Any) -> None:
        async for message in conn:
            # Only a connection that answers counts as recovered; one that is accepted
            # and dropped at once keeps counting towards giving up.
            self._attempts.reset()
            kind = getattr(message, "type", None)
            if kind == "Results":
                self._on_results(message)
            elif kind == "UtteranceEnd":
                self._on_turn_end(message)
            elif kind == "Error":
                log.warning("ASR server error: %s", getattr(message, "description", message))

    # ---- results ----

    def _on_results(self, message: Any) -> None:
        channel = int(message.channel_index[0])
        if not 0 <= channel < self._channels:
            return
        base = self._conn_base / (self._frame_bytes * self._rate)
        start = base + float(message.start)
        end = start + float(message.duration)
        alternatives = message.channel.alternatives
        alt = alternatives[0] if alternatives else None
        words = [_word(w, base) for w in alt.words] if alt is not None else []
        committed = self._committed[channel]
        # Words before the channel's last final were delivered before the reconnect.
        fresh = [w for w in words if w.start_s >= committed - _EPS]
        if message.is_final:
            self._committed[channel] = max(committed, end)
            self._trim()
        if not fresh or alt is None:
            return
        if message.is_final:
            self._turn_open[channel] = True
        text = alt.transcript if len(fresh) == len(words) else " ".join(w.word for w in fresh)
        self._events.put_nowait(
            AsrResult(
                channel=channel,
                is_final=bool(message.is_final),
                speech_final=bool(message.speech_final),
                text=text,
                words=fresh,
                start_s=max(start, committed),
                end_s=end,
                confidence=float(alt.confidence),
            )
        )

    def _on_turn_end(self, message: Any) -> None:
        channel = int(message.channel[0])
        if not 0 <= channel < self._channels:
            return
        # A replay can repeat the UtteranceEnd of a turn that was already closed.
        if not self._turn_open[channel]:
            return
        self._turn_open[channel] = False
        base = self._conn_base / (self._frame_bytes * self._rate)
        self._events.put_nowait(AsrUtteranceEnd(channel, base + float(message.last_word_end)))

    def _trim(self) -> None:
        """Forget audio every channel has final results for: it will never be replayed.

        The replay history is also capped, in case a channel gets no final result for a
        long time; audio not yet sent is always kept.
        """
        cap = self._log.end - int(self._settings.max_replay_s * self._rate) * self._frame_bytes
        self._log.trim(min(max(self._replay_start(), cap), self._send_pos))


def _word(word: Any, base: float) -> AsrWord:
    text = getattr(word, "punctuated_word", None) or word.word
    return AsrWord(text, base + float(word.start), base + float(word.end), float(word.confidence))


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _api_error(exc: ApiError) -> AsrError | _Retry:
    status = exc.status_code or 0
    if status in (401, 403):
        return AsrAuthError(
            f"the ASR service rejected the API key (HTTP {status}); "
            "check the configured Deepgram key"
        )
    if status in _RETRYABLE_HTTP:
        return _Retry(f"HTTP {status} on connect")
    return AsrError(f"the ASR service refused the connection (HTTP {status}): {exc.body}")
