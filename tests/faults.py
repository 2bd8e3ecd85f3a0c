"""Fault injection for drills: take a store or the Temporal server down mid-call.

`FaultProxy` sits between the code under test and a real Redis or PostgreSQL, so an
outage hits only the clients pointed at the proxy while the suite's shared servers keep
serving every other test. `RestartableTemporal` is a Temporal dev server of the drill's
own that can be stopped and started again with its state kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import struct
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from callguide.devstack import StackError, TemporalDevServer, stop_process

PIPE_CHUNK_BYTES = 64 * 1024
READY_TIMEOUT_S = 30.0


def _reset(writer: asyncio.StreamWriter) -> None:
    """Drops a connection with a TCP RST, as the kernel does for a process that died."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _bound_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Proxied connections leave TIME_WAIT entries on this port; they must not block rebinding.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


class FaultProxy:
    """A TCP proxy to host:port that can fail like a crashed server and come back.

    While down, the proxy's port stays bound but does not listen, so new connections
    are refused (ECONNREFUSED) and no other process can take the port; every connection
    that was open is reset. After `restore()` the same port accepts and forwards again.

    It forwards on the event loop that entered it, so a drill must await (asyncio.sleep,
    asyncio.to_thread) rather than block, or the traffic it proxies stalls with it.
    """

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.target_host, self.target_port, self.host = target_host, target_port, host
        self._socket: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self.accepted = 0
        # Added before every chunk sent to the target: a slow server, not a dead one.
        self.latency_s = 0.0

    @classmethod
    def for_url(cls, url: str) -> FaultProxy:
        """A proxy in front of the server a redis:// or postgresql:// URL names."""
        parts = urlsplit(url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"{url!r} names no host and port")
        return cls(parts.hostname, parts.port)

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the proxy is not started")
        return int(self._socket.getsockname()[1])

    @property
    def is_down(self) -> bool:
        return self._server is None

    @property
    def open_connections(self) -> int:
        return len(self._links)

    def url_for(self, original_url: str) -> str:
        """original_url with its host:port replaced by the proxy's; user, path, query kept."""
        parts = urlsplit(original_url)
        userinfo, at, _ = parts.netloc.rpartition("@")
        return urlunsplit(parts._replace(netloc=f"{userinfo}{at}{self.host}:{self.port}"))

    async def __aenter__(self) -> FaultProxy:
        self._socket = _bound_socket(self.host, 0)
        await self.restore()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.outage()
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    async def outage(self) -> None:
        """Refuse new connections and reset the open ones. Idempotent."""
        listening = self._server
        if listening is not None:
            port = self.port
            listening.close()  # closes the listening socket at once
            self._server = None
        for client, upstream in list(self._links):
            _reset(client)
            _reset(upstream)
        self._links.clear()
        if listening is not None:
            # A bound socket that never listens answers SYNs with RST: a refused connection,
            # and it keeps the port from being handed to anyone else until restore().
            self._socket = _bound_socket(self.host, port)
        # Handlers still dialling the target see the outage and give up; wait for them all
        # so nothing reaches the target after this returns.
        if self._handlers:
            await asyncio.wait(self._handlers)

    async def restore(self) -> None:
        """Accept and forward connections again, on the same port. Idempotent."""
        if self._server is not None:
            return
        if self._socket is None:
            raise RuntimeError("the proxy is not started")
        self._socket.listen(128)
        self._server = await asyncio.start_server(self._handle, sock=self._socket)

    @contextlib.asynccontextmanager
    async def down(self) -> AsyncIterator[None]:
        """`async with proxy.down(): await asyncio.sleep(20)` — an outage for the block."""
        await self.outage()
        try:
            yield
        finally:
            await self.restore()

    async def _handle(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.accepted += 1
        try:
            await self._forward(client_reader, client)
        finally:
            self._handlers.discard(task)

    async def _forward(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        server = self._server
        try:
            upstream_reader, upstream = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            _reset(client)  # the target itself is down: fail the way it would
            return
        if self._server is not server or server is None:
            _reset(client)  # an outage began while this connection was being dialled
            _reset(upstream)
            return
        link = (client, upstream)
        self._links.add(link)
        try:
            pipes = [
                asyncio.create_task(self._pipe(client_reader, upstream, slowed=True)),
                asyncio.create_task(self._pipe(upstream_reader, client, slowed=False)),
            ]
            # Either side closing ends the connection: neither protocol half-closes.
            _, pending = await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            for pipe in pending:
                pipe.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        finally:
            if link in self._links:  # not cut by an outage: close cleanly, flushing
                self._links.discard(link)
                for writer in link:
                    writer.close()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, slowed: bool
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(PIPE_CHUNK_BYTES):
                if slowed and self.latency_s:
                    await asyncio.sleep(self.latency_s)
                writer.write(data)
                await writer.drain()


class RestartableTemporal:
    """A Temporal dev server with its state in db_file, restartable on the same port.

    `restart()` runs the blocking stop and start in a thread, so whatever else runs on
    the test's event loop (workers, a FaultProxy) keeps going through the downtime.
    """

    def __init__(
        self, db_file: Path, *, log_file: Path | None = None, namespace: str = "default"
    ) -> None:
        self.server = TemporalDevServer(db_file=db_file, log_file=log_file)
        self.namespace = namespace
        self.restarts = 0

    @property
    def address(self) -> str:
        return self.server.address

    async def __aenter__(self) -> RestartableTemporal:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.server.stop)

    async def start(self) -> None:
        await asyncio.to_thread(self.server.start)
        await self.wait_serving()

    async def stop(self, *, crash: bool = True) -> None:
        """SIGKILL (crash=True, the harsher drill) or SIGTERM, and wait for the exit."""
        process = self.server.process
        if process is None or process.poll() is not None:
            return
        if crash:
            process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(process.wait)
        else:
            await asyncio.to_thread(stop_process, process)

    async def restart(self, downtime_s: float, *, crash: bool = True) -> None:
        """Stops the server, keeps it down for downtime_s, starts it on the same port."""
        await self.stop(crash=crash)
        await asyncio.sleep(downtime_s)
        await self.start()
        self.restarts += 1

    async def wait_serving(self) -> None:
        """Waits until the namespace answers, not just until the port is open."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            try:
                probe = await Client.connect(self.address)
                await probe.workflow_service.describe_namespace(
                    DescribeNamespaceRequest(namespace=self.namespace), timeout=timedelta(seconds=2)
                )
                return
            except Exception as error:  # any RPC failure while it is coming up
                if time.monotonic() > deadline:
                    raise StackError(f"Temporal at {self.address} is not serving") from error
                await asyncio.sleep(0.2)
