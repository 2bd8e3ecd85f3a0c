"""The emulator's HTTP face: the KVS REST-JSON API as botocore calls it, plus `/_emulator`.

Control plane (POST, JSON in and out): /createStream, /describeStream, /listStreams,
/deleteStream, /getDataEndpoint, /tagStream, /untagStream, /listTagsForStream.
Data plane: POST /getMedia streams the MKV payload as a chunked `video/webm` body.
Errors carry `x-amzn-ErrorType` and a `{"__type", "Message"}` body, which botocore turns
into a `ClientError` with that code.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, cast, get_args

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from voice.kvs_emulator.emulator import CallStart, CorruptionKind, KvsEmulator
from voice.kvs_emulator.errors import InvalidArgumentError, KvsApiError, UnknownOperationError
from voice.kvs_emulator.media import MediaSession, StartSelector
from voice.kvs_emulator.store import KvsStream
from voice.mkv_writer import TrackLayout

logger = logging.getLogger(__name__)

_API_NAMES = frozenset(
    {
        "PUT_MEDIA",
        "GET_MEDIA",
        "LIST_FRAGMENTS",
        "GET_MEDIA_FOR_FRAGMENT_LIST",
        "GET_HLS_STREAMING_SESSION_URL",
        "GET_DASH_STREAMING_SESSION_URL",
        "GET_CLIP",
        "GET_IMAGES",
    }
)
_GET_MEDIA_CONTENT_TYPE = "video/webm"

Body = dict[str, Any]
Handler = Callable[[KvsEmulator, Request, Body], Awaitable[Response]]


# --- request and response helpers -------------------------------------------------------


def _request_id_headers() -> dict[str, str]:
    return {"x-amzn-RequestId": str(uuid.uuid4())}


def _ok(payload: Mapping[str, object]) -> JSONResponse:
    return JSONResponse(dict(payload), headers=_request_id_headers())


def _error_response(error: KvsApiError) -> JSONResponse:
    headers = {**_request_id_headers(), "x-amzn-ErrorType": error.code}
    return JSONResponse(
        {"__type": error.code, "Message": error.message}, status_code=error.status, headers=headers
    )


async def _json_body(request: Request) -> Body:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidArgumentError(f"request body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise InvalidArgumentError("request body must be a JSON object")
    return body


def _optional(body: Body, key: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise InvalidArgumentError(f"invalid {key}: {value!r}")
    return value


def _required(body: Body, key: str, kind: type | tuple[type, ...]) -> Any:
    value = _optional(body, key, kind)
    if value is None:
        raise InvalidArgumentError(f"{key} is required")
    return value


def _stream_from(emulator: KvsEmulator, body: Body) -> KvsStream:
    return emulator.get_stream(
        name=_optional(body, "StreamName", str), arn=_optional(body, "StreamARN", str)
    )


def _tag_map(body: Body, key: str) -> dict[str, str]:
    tags = _optional(body, key, dict) or {}
    if not all(isinstance(value, str) for value in tags.values()):
        raise InvalidArgumentError(f"{key} values must be strings")
    return tags


def _stream_info(stream: KvsStream) -> dict[str, object]:
    description = stream.description
    info: dict[str, object] = {
        "StreamName": description.name,
        "StreamARN": description.arn,
        "KmsKeyId": description.kms_key_id,
        "Version": description.version,
        "Status": "ACTIVE",
        "CreationTime": description.creation_time,
        "DataRetentionInHours": description.data_retention_hours,
    }
    if description.media_type is not None:
        info["MediaType"] = description.media_type
    if description.device_name is not None:
        info["DeviceName"] = description.device_name
    return info


# --- control plane ----------------------------------------------------------------------


async def _create_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    arn = emulator.create_stream(
        _required(body, "StreamName", str),
        media_type=_optional(body, "MediaType", str),
        data_retention_hours=_optional(body, "DataRetentionInHours", int) or 0,
        tags=_tag_map(body, "Tags"),
        device_name=_optional(body, "DeviceName", str),
        kms_key_id=_optional(body, "KmsKeyId", str),
    )
    return _ok({"StreamARN": arn})


async def _describe_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    return _ok({"StreamInfo": _stream_info(_stream_from(emulator, body))})


def _decode_next_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(base64.b64decode(token, validate=True).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidArgumentError("invalid NextToken") from error


async def _list_streams(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    max_results = _optional(body, "MaxResults", int) or 10_000
    if not 1 <= max_results <= 10_000:
        raise InvalidArgumentError("MaxResults must be between 1 and 10000")
    condition = _optional(body, "StreamNameCondition", dict) or {}
    prefix = condition.get("ComparisonValue")
    if condition and condition.get("ComparisonOperator") != "BEGINS_WITH":
        raise InvalidArgumentError("ComparisonOperator must be BEGINS_WITH")
    streams = emulator.list_streams(name_prefix=prefix)
    start = _decode_next_token(_optional(body, "NextToken", str))
    page = streams[start : start + max_results]
    payload: dict[str, object] = {"StreamInfoList": [_stream_info(stream) for stream in page]}
    if start + max_results < len(streams):
        payload["NextToken"] = base64.b64encode(str(start + max_results).encode()).decode()
    return _ok(payload)


async def _delete_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    emulator.delete_stream(
        arn=_required(body, "StreamARN", str),
        current_version=_optional(body, "CurrentVersion", str),
    )
    return _ok({})


async def _get_data_endpoint(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    api_name = _required(body, "APIName", str)
    if api_name not in _API_NAMES:
        raise InvalidArgumentError(f"invalid APIName: {api_name}")
    stream = _stream_from(emulator, body)
    emulator.check_get_data_endpoint_rate(stream)
    # The emulator serves the data plane itself; answer with the URL the client used, so
    # it stays right behind port mappings and proxies.
    endpoint = emulator.config.advertised_url or str(request.base_url).rstrip("/")
    return _ok({"DataEndpoint": endpoint})


async def _tag_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    tags = _tag_map(body, "Tags")
    if not tags:
        raise InvalidArgumentError("Tags is required")
    emulator.tag_stream(_stream_from(emulator, body), tags)
    return _ok({})


async def _untag_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    keys = _required(body, "TagKeyList", list)
    emulator.untag_stream(_stream_from(emulator, body), set(keys))
    return _ok({})


async def _list_tags_for_stream(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    return _ok({"Tags": dict(_stream_from(emulator, body).description.tags)})


# --- data plane -------------------------------------------------------------------------


class _GetMediaResponse(Response):
    """Streams a MediaSession; frees its connection slot however the response ends.

    A simulated network drop returns without finishing the chunked body, so the server
    closes the connection and the client sees a truncated response.
    """

    media_type = _GET_MEDIA_CONTENT_TYPE

    def __init__(self, session: MediaSession) -> None:
        self._session = session
        self.status_code = 200
        self.background = None
        self.init_headers(_request_id_headers())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def serve_then_stop() -> None:
                    await self._serve(send)
                    group.cancel_scope.cancel()

                group.start_soon(serve_then_stop)
                await _wait_for_disconnect(receive)
                group.cancel_scope.cancel()
        finally:
            self._session.close()

    async def _serve(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        async for piece in self._session.pieces():
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        if not self._session.aborted:
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _get_media(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    selector = StartSelector.from_json(_required(body, "StartSelector", dict))
    stream = _stream_from(emulator, body)
    return _GetMediaResponse(emulator.open_media_session(stream, selector))


# --- emulator control -------------------------------------------------------------------


def _pcm_from_base64(body: Body, key: str) -> bytes | None:
    encoded = _optional(body, key, str)
    if encoded is None:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise InvalidArgumentError(f"{key} is not base64") from error


def _track_layout(body: Body) -> TrackLayout:
    value = _optional(body, "track_layout", str) or TrackLayout.CONNECT.value
    try:
        return TrackLayout(value)
    except ValueError as error:
        raise InvalidArgumentError(f"invalid track_layout: {value}") from error


def _feed_options(body: Body) -> dict[str, Any]:
    options: dict[str, Any] = {
        "customer_pcm": _pcm_from_base64(body, "customer_pcm_b64"),
        "agent_pcm": _pcm_from_base64(body, "agent_pcm_b64"),
        "customer_wav": _optional(body, "customer_wav", str),
        "agent_wav": _optional(body, "agent_wav", str),
        "contact_id": _optional(body, "contact_id", str),
        "speed": _speed(body),
        "fragment_ms": _optional(body, "fragment_ms", int) or 1000,
        "start_timestamp": _optional(body, "start_timestamp", (int, float)),
        "track_layout": _track_layout(body),
        "corrupt_before_fragments": _optional(body, "corrupt_before_fragments", list) or (),
        "finish": body.get("finish", True) is not False,
    }
    instance_id = _optional(body, "instance_id", str)
    if instance_id is not None:
        options["instance_id"] = instance_id
    return options


def _speed(body: Body) -> float:
    speed = _optional(body, "speed", (int, float))
    return 1.0 if speed is None else float(speed)


def _call_start_payload(start: CallStart, contact_id: str | None) -> dict[str, object]:
    # The shape of Connect's MediaStreams.Customer.Audio, plus the contact id.
    return {
        "ContactId": contact_id,
        "StreamARN": start.stream_arn,
        "StartFragmentNumber": start.start_fragment_number,
        "StartTimestamp": str(start.start_timestamp_ms),
    }


class _BackgroundFeeds:
    """Keeps feed tasks started over HTTP alive until they end."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("feed failed", exc_info=task.exception())


async def _feed(
    emulator: KvsEmulator, request: Request, body: Body, feeds: _BackgroundFeeds
) -> Response:
    """Start feeding a call; answer once its first fragment is stored, like Connect's
    Lambda event that carries StartFragmentNumber."""
    stream_name = request.path_params["name"]
    options = _feed_options(body)
    loop = asyncio.get_running_loop()
    started: asyncio.Future[CallStart] = loop.create_future()

    def on_start(start: CallStart) -> None:
        if not started.done():
            started.set_result(start)

    task = feeds.start(emulator.feed_call(stream_name, on_start=on_start, **options))
    await asyncio.wait({started, task}, return_when=asyncio.FIRST_COMPLETED)
    if started.done():
        return _ok(_call_start_payload(started.result(), options["contact_id"]))
    result = task.result()  # ended before any fragment: re-raises a feed error
    return _ok(
        {
            "ContactId": result.contact_id,
            "StreamARN": result.stream_arn,
            "StartFragmentNumber": None,
            "StartTimestamp": None,
        }
    )


async def _finish(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    emulator.finish_stream(request.path_params["name"])
    return _ok({"Finished": True})


async def _faults(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    emulator.set_faults(
        request.path_params["name"],
        session_limit_seconds=_optional(body, "session_limit_seconds", (int, float)),
        drop_after_bytes=_optional(body, "drop_after_bytes", int),
    )
    return _ok({})


async def _corrupt(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    kind = _optional(body, "kind", str) or "truncated"
    if kind not in get_args(CorruptionKind):
        raise InvalidArgumentError(f"unknown corruption kind: {kind}")
    number = emulator.inject_corrupt_fragment(
        request.path_params["name"], kind=cast(CorruptionKind, kind)
    )
    return _ok({"FragmentNumber": number})


async def _status(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    return _ok(emulator.stream_status(request.path_params["name"]))


async def _health(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    return _ok({"ok": True})


async def _unknown(emulator: KvsEmulator, request: Request, body: Body) -> Response:
    raise UnknownOperationError(f"no operation at {request.method} {request.url.path}")


# --- assembly ---------------------------------------------------------------------------


def _endpoint(
    emulator: KvsEmulator, handler: Handler, *, reads_json: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            body = await _json_body(request) if reads_json else {}
            return await handler(emulator, request, body)
        except KvsApiError as error:
            return _error_response(error)

    return endpoint


def create_app(emulator: KvsEmulator) -> Starlette:
    """The ASGI app serving `emulator`."""
    feeds = _BackgroundFeeds()

    async def feed(emulator: KvsEmulator, request: Request, body: Body) -> Response:
        return await _feed(emulator, request, body, feeds)

    api: dict[str, Handler] = {
        "/createStream": _create_stream,
        "/describeStream": _describe_stream,
        "/listStreams": _list_streams,
        "/deleteStream": _delete_stream,
        "/getDataEndpoint": _get_data_endpoint,
        "/tagStream": _tag_stream,
        "/untagStream": _untag_stream,
        "/listTagsForStream": _list_tags_for_stream,
        "/getMedia": _get_media,
        "/_emulator/streams/{name}/feed": feed,
        "/_emulator/streams/{name}/finish": _finish,
        "/_emulator/streams/{name}/faults": _faults,
        "/_emulator/streams/{name}/corrupt": _corrupt,
    }
    routes = [
        Route(path, _endpoint(emulator, handler), methods=["POST"]) for path, handler in api.items()
    ]
    routes += [
        Route("/_emulator/health", _endpoint(emulator, _health, reads_json=False)),
        Route("/_emulator/streams/{name}", _endpoint(emulator, _status, reads_json=False)),
        Route(
            "/{path:path}",
            _endpoint(emulator, _unknown, reads_json=False),
            methods=["GET", "POST", "PUT", "DELETE"],
        ),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        emulator.attach_loop(asyncio.get_running_loop())
        try:
            yield
        finally:
            emulator.close()
            emulator.attach_loop(None)

    return Starlette(routes=routes, lifespan=lifespan)
