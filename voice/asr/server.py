"""`callguide asr-server`: the local whisper engine behind Deepgram's live protocol.

It speaks enough of `wss://api.deepgram.com/v1/listen` (query parameters, token auth,
binary linear16 audio, KeepAlive / Finalize / CloseStream, and Results / SpeechStarted /
UtteranceEnd / Metadata replies in Deepgram's JSON shapes) that the production Deepgram
adapter, unchanged, runs against it in the demo and in tests.

Start it with `python -m voice.asr.server --port 8765 [--api-key KEY]`, or `run()`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import signal
import threading
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from voice.asr.base import AsrError, AsrSpeechStarted, AsrUtteranceEnd
from voice.asr.local_engine import (
    EndpointConfig,
    LocalAsrStream,
    LocalEvent,
    LocalResult,
    WhisperEngine,
)

log = logging.getLogger(__name__)

LISTEN_PATH = "/v1/listen"
API_KEY_ENV = "CALLGUIDE_ASR_API_KEY"
MAX_CHANNELS = 8
MIN_ENDPOINTING_MS = 200  # the VAD works in 32 ms windows; Deepgram's 10 ms default is too short
_MODEL_INFO = {"name": "whisper-base", "version": "faster-whisper", "arch": "whisper"}
_MODEL_UUID = str(uuid.uuid5(uuid.NAMESPACE_URL, "callguide/whisper-base"))
_IDLE_REASON = "NET-0001: no audio or KeepAlive received within the timeout window"


@dataclass(frozen=True, kw_only=True)
class ServerOptions:
    api_key: str | None = None  # None accepts any key (local development only)
    idle_timeout_s: float = 10.0
    # Test hook: close the first `fail_times` connections with `fail_close_code` once
    # this much audio has arrived on them, like a Deepgram node going away mid-call.
    # Code 1006 drops the TCP connection without a close frame.
    fail_after_audio_s: float | None = None
    fail_close_code: int = 1011
    fail_times: int = 1


class BadRequest(ValueError):
    """A query parameter Deepgram would reject with HTTP 400."""


@dataclass(frozen=True, kw_only=True)
class ListenParams:
    sample_rate: int
    channels: int
    multichannel: bool
    interim_results: bool
    endpointing_ms: int | None
    utterance_end_ms: int | None
    vad_events: bool
    punctuate: bool

    @classmethod
    def from_query(cls, query: Mapping[str, list[str]]) -> ListenParams:
        def get(name: str, default: str | None = None) -> str | None:
            values = query.get(name)
            return values[-1] if values else default

        encoding = get("encoding", "linear16")
        if encoding != "linear16":
            raise BadRequest(f"encoding {encoding!r} is not supported here; use linear16")
        language = get("language", "en") or "en"
        if not language.lower().startswith("en"):
            raise BadRequest(f"language {language!r} is not supported by the local model")
        interim = _flag(get("interim_results"), "interim_results")
        utterance_end = _int_or_none(get("utterance_end_ms"), "utterance_end_ms")
        if utterance_end is not None and not interim:
            raise BadRequest("utterance_end_ms requires interim_results=true")
        punctuate = _flag(get("punctuate"), "punctuate") or _flag(
            get("smart_format"), "smart_format"
        )
        sample_rate = _int(get("sample_rate", "16000"), "sample_rate")
        if sample_rate < 8000 or sample_rate * 32 % 1000:
            raise BadRequest(f"sample_rate {sample_rate} is not supported here")
        channels = _int(get("channels", "1"), "channels")
        if channels > MAX_CHANNELS:
            raise BadRequest(f"at most {MAX_CHANNELS} channels are supported")
        return cls(
            sample_rate=sample_rate,
            channels=channels,
            multichannel=_flag(get("multichannel"), "multichannel"),
            interim_results=interim,
            endpointing_ms=_endpointing(get("endpointing", "10")),
            utterance_end_ms=utterance_end,
            vad_events=_flag(get("vad_events"), "vad_events"),
            punctuate=punctuate,
        )

    @property
    def streams(self) -> int:
        """Channels transcribed separately (1 when the channels are mixed)."""
        return self.channels if self.multichannel else 1

    def endpoint_config(self) -> EndpointConfig:
        return EndpointConfig(
            endpointing_ms=self.endpointing_ms,
            utterance_end_ms=self.utterance_end_ms,
            interim_every_s=1.0 if self.interim_results else None,
        )


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.lower() in ("false", "0"):
        return False
    if value.lower() in ("true", "1"):
        return True
    raise BadRequest(f"{name} must be true or false")


def _int(value: str | None, name: str) -> int:
    try:
        number = int(value or "")
    except ValueError:
        raise BadRequest(f"{name} must be an integer") from None
    if number <= 0:
        raise BadRequest(f"{name} must be positive")
    return number


def _int_or_none(value: str | None, name: str) -> int | None:
    return None if value is None else _int(value, name)


def _endpointing(value: str | None) -> int | None:
    if value is None or value.lower() == "false":
        return None
    return max(MIN_ENDPOINTING_MS, _int(value, "endpointing"))


# ---- Deepgram message shapes ------------------------------------------------------------


def results_message(
    result: LocalResult, *, channels: int, punctuate: bool, request_id: str
) -> dict[str, Any]:
    words = [
        {
            "word": _plain(w.word),
            "start": round(w.start_s, 3),
            "end": round(w.end_s, 3),
            "confidence": round(w.confidence, 4),
            **({"punctuated_word": w.word} if punctuate else {}),
        }
        for w in result.words
    ]
    transcript = " ".join(w.word if punctuate else _plain(w.word) for w in result.words)
    return {
        "type": "Results",
        "channel_index": [result.channel, channels],
        "duration": round(result.end_s - result.start_s, 6),
        "start": round(result.start_s, 6),
        "is_final": result.is_final,
        "speech_final": result.speech_final,
        "from_finalize": result.from_finalize,
        "channel": {
            "alternatives": [
                {"transcript": transcript, "confidence": result.confidence, "words": words}
            ]
        },
        "metadata": {
            "request_id": request_id,
            "model_info": _MODEL_INFO,
            "model_uuid": _MODEL_UUID,
        },
    }


def _plain(word: str) -> str:
    """Deepgram's `word`: lower case without surrounding punctuation."""
    return word.strip('.,!?;:"()[]{}“”…-').lower() or word.lower()


def metadata_message(*, request_id: str, audio_sha256: str, duration_s: float, channels: int):
    return {
        "type": "Metadata",
        "transaction_key": "deprecated",
        "request_id": request_id,
        "sha256": audio_sha256,
        "created": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "duration": round(duration_s, 6),
        "channels": channels,
        "models": [_MODEL_UUID],
        "model_info": {_MODEL_UUID: _MODEL_INFO},
    }


def _event_message(event: LocalEvent, params: ListenParams, request_id: str) -> dict | None:
    if isinstance(event, AsrSpeechStarted):
        if not params.vad_events:
            return None
        return {
            "type": "SpeechStarted",
            "channel": [event.channel, params.streams],
            "timestamp": round(event.timestamp_s, 6),
        }
    if isinstance(event, AsrUtteranceEnd):
        return {
            "type": "UtteranceEnd",
            "channel": [event.channel, params.streams],
            "last_word_end": round(event.last_word_end_s, 3),
        }
    if not event.is_final and (not params.interim_results or not event.words):
        return None
    return results_message(
        event, channels=params.streams, punctuate=params.punctuate, request_id=request_id
    )


# ---- one connection -----------------------------------------------------------------------


class _Closed(Exception):
    """The session must end with this close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class _FaultPlan:
    def __init__(self, options: ServerOptions) -> None:
        self.after_s = options.fail_after_audio_s
        self.code = options.fail_close_code
        self.remaining = options.fail_times if options.fail_after_audio_s is not None else 0
        self.fired = 0


class _Session:
    """Pumps one websocket into a LocalAsrStream and the stream's events back out."""

    def __init__(
        self,
        ws: ServerConnection,
        params: ListenParams,
        stream: LocalAsrStream,
        options: ServerOptions,
        faults: _FaultPlan,
    ) -> None:
        self._ws, self._params, self._stream = ws, params, stream
        self._options, self._faults = options, faults
        self._request_id = str(uuid.uuid4())
        self._sha = hashlib.sha256()
        self._bytes = 0
        self._remainder = b""  # a partial sample frame when channels are mixed
        self._will_fail = faults.remaining > 0
        if self._will_fail:
            faults.remaining -= 1

    async def run(self) -> None:
        writer = asyncio.create_task(self._write_events())
        try:
            await self._read_until_close_stream()
            await self._stream.close()
            await writer
            await self._send(self._metadata())
            await self._ws.close(1000, "")
        except _Closed as closed:
            if closed.code == 1006:
                # 1006 is never sent: it means the TCP connection died without a close frame.
                self._ws.transport.abort()
            else:
                await self._ws.close(closed.code, closed.reason)
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            await self._stream.abort()

    async def _read_until_close_stream(self) -> None:
        while True:
            try:
                message = await asyncio.wait_for(self._ws.recv(), self._options.idle_timeout_s)
            except TimeoutError:
                raise _Closed(1011, _IDLE_REASON) from None
            if isinstance(message, bytes):
                await self._on_audio(message)
            elif await self._on_control(message):
                return

    async def _on_audio(self, data: bytes) -> None:
        self._sha.update(data)
        self._bytes += len(data)
        await self._stream.send_audio(self._downmix(data))
        if self._will_fail and self._audio_seconds() >= (self._faults.after_s or 0.0):
            self._faults.fired += 1
            raise _Closed(self._faults.code, "injected fault")

    async def _on_control(self, text: str) -> bool:
        """Handle a text message; True means CloseStream."""
        try:
            kind = json.loads(text).get("type")
        except (ValueError, AttributeError):
            kind = None
        if kind == "CloseStream":
            return True
        if kind == "Finalize":
            await self._stream.finalize()
        elif kind != "KeepAlive":
            await self._send(
                {
                    "type": "Error",
                    "variant": "SchemaError",
                    "description": "unrecognised client message",
                    "message": text[:200],
                }
            )
        return False

    def _downmix(self, data: bytes) -> bytes:
        """Without multichannel=true Deepgram transcribes the channels mixed together."""
        if self._params.streams == self._params.channels:
            return data
        data = self._remainder + data
        frame = 2 * self._params.channels
        usable = len(data) - len(data) % frame
        self._remainder = data[usable:]
        samples = np.frombuffer(data[:usable], dtype="<i2").reshape(-1, self._params.channels)
        return samples.mean(axis=1).astype("<i2").tobytes()

    async def _write_events(self) -> None:
        try:
            async for event in self._stream.all_events():
                message = _event_message(event, self._params, self._request_id)
                if message is not None:
                    await self._send(message)
        except AsrError as exc:
            # Like Deepgram: an internal failure ends the connection with 1011, which
            # clients treat as retryable.
            log.error("ASR session failed: %s", exc)
            await self._ws.close(1011, "internal error")

    async def _send(self, message: dict) -> None:
        await self._ws.send(json.dumps(message))

    def _audio_seconds(self) -> float:
        return self._bytes / (2 * self._params.channels * self._params.sample_rate)

    def _metadata(self) -> dict:
        return metadata_message(
            request_id=self._request_id,
            audio_sha256=self._sha.hexdigest(),
            duration_s=self._audio_seconds(),
            channels=self._params.channels,
        )


# ---- the server ---------------------------------------------------------------------------


class AsrServer:
    """Accepts Deepgram-protocol connections; all share one whisper engine."""

    def __init__(self, *, engine: WhisperEngine, options: ServerOptions | None = None) -> None:
        self._engine = engine
        self.options = options or ServerOptions()
        self.faults = _FaultPlan(self.options)
        self.connections = 0

    def serve(self, host: str, port: int) -> Any:
        """An async context manager (websockets' `serve`) listening on host:port."""
        return serve(
            self._handle,
            host,
            port,
            process_request=self._check_request,
            max_size=2**22,
            compression=None,
        )

    def _check_request(self, ws: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if url.path.rstrip("/") != LISTEN_PATH:
            return _json_response(ws, HTTPStatus.NOT_FOUND, "NOT_FOUND", "unknown path")
        if not self._authorized(request):
            return _json_response(
                ws, HTTPStatus.UNAUTHORIZED, "INVALID_AUTH", "Invalid credentials."
            )
        try:
            ListenParams.from_query(parse_qs(url.query))
        except BadRequest as exc:
            return _json_response(ws, HTTPStatus.BAD_REQUEST, "Bad Request", str(exc))
        return None

    def _authorized(self, request: Request) -> bool:
        if self.options.api_key is None:
            return True
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() not in ("token", "bearer"):
            # Browsers cannot set headers; Deepgram also accepts the key as a subprotocol.
            protocols = request.headers.get("Sec-WebSocket-Protocol", "").split(",")
            parts = [p.strip() for p in protocols]
            key = parts[1] if len(parts) == 2 and parts[0].lower() == "token" else ""
        return hmac.compare_digest(key.strip().encode(), self.options.api_key.encode())

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        assert ws.request is not None
        params = ListenParams.from_query(parse_qs(urlsplit(ws.request.path).query))
        stream = LocalAsrStream(
            engine=self._engine,
            config=params.endpoint_config(),
            sample_rate=params.sample_rate,
            channels=params.streams,
        )
        await _Session(ws, params, stream, self.options, self.faults).run()


def _json_response(ws: ServerConnection, status: HTTPStatus, code: str, message: str) -> Response:
    body = {"err_code": code, "err_msg": message, "request_id": str(uuid.uuid4())}
    response = ws.respond(status, json.dumps(body))
    response.headers["Content-Type"] = "application/json"
    return response


def run(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    api_key: str | None = None,
    idle_timeout_s: float = 10.0,
    max_parallel: int | None = None,
    model_dir: Path | None = None,
) -> None:
    """Serve until interrupted (blocking). api_key None accepts any key; max_parallel
    None runs one single-threaded decode per core."""
    options = ServerOptions(api_key=api_key, idle_timeout_s=idle_timeout_s)
    engine = WhisperEngine.shared(model_dir=model_dir, max_parallel=max_parallel)
    asyncio.run(_serve_forever(AsrServer(engine=engine, options=options), host, port))


async def _serve_forever(server: AsrServer, host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Leaving the `serve` block closes open sessions with 1001 (going away).
        loop.add_signal_handler(signum, stop.set)
    async with server.serve(host, port):
        log.info("ASR server listening on ws://%s:%d%s", host, port, LISTEN_PATH)
        await stop.wait()
    log.info("ASR server stopped")


@dataclass
class RunningServer:
    """A server running on its own thread and event loop (tests, demo)."""

    url: str
    port: int
    server: AsrServer
    _loop: asyncio.AbstractEventLoop
    _stop: asyncio.Event
    _thread: threading.Thread

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)


@contextlib.contextmanager
def running_server(
    *, host: str = "127.0.0.1", engine: WhisperEngine | None = None, **options: Any
) -> Iterator[RunningServer]:
    """Run a server on a free port in a background thread for the duration of the block."""
    asr = AsrServer(engine=engine or WhisperEngine.shared(), options=ServerOptions(**options))
    ready: dict[str, Any] = {}
    started = threading.Event()

    async def main() -> None:
        ready["loop"], ready["stop"] = asyncio.get_running_loop(), asyncio.Event()
        try:
            async with asr.serve(host, 0) as ws_server:
                ready["port"] = _bound_port(ws_server)
                started.set()
                await ready["stop"].wait()
        finally:
            started.set()

    thread = threading.Thread(target=asyncio.run, args=(main(),), name="asr-server", daemon=True)
    thread.start()
    started.wait(timeout=30)
    if "port" not in ready:
        raise RuntimeError("ASR server did not start")
    handle = RunningServer(
        f"ws://{host}:{ready['port']}", ready["port"], asr, ready["loop"], ready["stop"], thread
    )
    try:
        yield handle
    finally:
        handle.stop()


def _bound_port(ws_server: Server) -> int:
    return int(next(iter(ws_server.sockets)).getsockname()[1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default=os.environ.get(API_KEY_ENV))
    parser.add_argument("--idle-timeout", type=float, default=10.0)
    parser.add_argument(
        "--max-parallel", type=int, default=None, help="concurrent decodes (default: one per core)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run(
        args.host,
        args.port,
        api_key=args.api_key,
        idle_timeout_s=args.idle_timeout,
        max_parallel=args.max_parallel,
    )


if __name__ == "__main__":
    main()
