"""Serving the emulator: blocking for a CLI, or in a background thread for tests."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from voice.kvs_emulator.app import create_app
from voice.kvs_emulator.emulator import EmulatorConfig, KvsEmulator

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4567
_STARTUP_TIMEOUT_SECONDS = 10.0
# Live GetMedia responses never end on their own; after the emulator ended them, give
# the last bytes this long to go out before uvicorn drops the connections.
_GRACEFUL_SHUTDOWN_SECONDS = 2


class _EmulatorServer(uvicorn.Server):
    """A uvicorn server that ends GetMedia sessions before waiting for connections."""

    def __init__(self, *, emulator: KvsEmulator, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._emulator = emulator

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._emulator.close()
        await super().shutdown(sockets)


def _server(emulator: KvsEmulator, *, host: str, port: int, log_level: str) -> _EmulatorServer:
    config = uvicorn.Config(
        create_app(emulator),
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
        access_log=False,
    )
    return _EmulatorServer(emulator=emulator, config=config)


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    config: EmulatorConfig | None = None,
    log_level: str = "info",
) -> None:
    """Serve a fresh emulator until interrupted (Ctrl-C / SIGTERM)."""
    emulator = KvsEmulator(config=config)
    logger.info("KVS emulator on http://%s:%d", host, port)
    _server(emulator, host=host, port=port, log_level=log_level).run()


@dataclass(frozen=True, kw_only=True)
class RunningEmulator:
    """A served emulator: point boto3 at `endpoint_url`, feed calls through `emulator`."""

    endpoint_url: str
    emulator: KvsEmulator


@contextlib.contextmanager
def running_emulator(
    *,
    config: EmulatorConfig | None = None,
    host: str = DEFAULT_HOST,
    port: int = 0,
    log_level: str = "warning",
) -> Iterator[RunningEmulator]:
    """Serve an emulator in a background thread (port 0: any free port) while inside."""
    emulator = KvsEmulator(config=config)
    # Bind before starting so the port is known and already accepting when we return.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    bound_port = listener.getsockname()[1]
    server = _server(emulator, host=host, port=bound_port, log_level=log_level)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="kvs-emulator", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield RunningEmulator(endpoint_url=f"http://{host}:{bound_port}", emulator=emulator)
    finally:
        server.should_exit = True
        thread.join(timeout=_GRACEFUL_SHUTDOWN_SECONDS + 5)
        listener.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the KVS emulator failed to start")
        if time.monotonic() > deadline:
            raise RuntimeError("the KVS emulator did not start in time")
        time.sleep(0.01)
