"""`callguide dev up`: runs the embedded stack in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from callguide.dev_state import dev_codec_keys, write_dev_state
from callguide.devstack import (
    DEV_CTR_STREAM,
    StackError,
    TemporalDevServer,
    ensure_kinesis_stream,
    free_port,
    llm_server,
    port_open,
    postgres_url,
    redis_server,
    s3_server,
    single_threaded_blas_env,
    stop_process,
)
from callguide.settings import Settings

READY_TIMEOUT_S = 180.0
ENDPOINT_KEYS = (
    "api_url",
    "temporal_address",
    "temporal_ui_url",
    "database_url",
    "redis_url",
    "s3_endpoint_url",
    "kvs_endpoint_url",
    "asr_url",
    "llm_url",
    "ctr_stream",
)
CALL_QUEUES = "calls,audio,redaction"


@dataclass(frozen=True)
class DevPorts:
    temporal: int = 7233
    temporal_ui: int = 8233
    api: int = 8000
    kvs: int = 4567
    asr: int = 8765

    @classmethod
    def free(cls) -> DevPorts:
        """Unused ports for every part, so a second stack can run beside the first."""
        return cls(*(free_port() for _ in dataclasses.fields(cls)))

    def cli_args(self) -> list[str]:
        """The `callguide dev up` options that select these ports."""
        args = []
        for name, port in dataclasses.asdict(self).items():
            args += [f"--{name.replace('_', '-')}-port", str(port)]
        return args


class Supervised(Protocol):
    """A part of the stack the supervisor brings back when it dies."""

    def restart_if_dead(self) -> None: ...


class ChildProcess:
    """A stack process that is restarted if it dies, as a process manager would."""

    def __init__(self, *, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self._args, self._env, self._log = name, args, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        out = self._log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "callguide.cli", *self._args],
            env=self._env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def restart_if_dead(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            print(f"{self.name} exited with {self.process.returncode}; restarting", flush=True)
            self.start()

    def stop(self) -> None:
        stop_process(self.process)


def _wait_ready(api_url: str, children: list[ChildProcess], ports: list[int]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if not all(port_open("127.0.0.1", p) for p in ports):
            time.sleep(0.3)
            continue
        for child in children:
            if child.process is not None and child.process.poll() is not None:
                raise StackError(f"{child.name} exited while starting; see its log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise StackError(f"the API at {api_url} was not ready within {READY_TIMEOUT_S:.0f}s")


def print_endpoints(state: dict[str, Any]) -> None:
    print("callguide dev stack is up:")
    for key in ENDPOINT_KEYS:
        print(f"  {key:<18} {state.get(key)}")
    print(f"  Temporal UI: {state['temporal_ui_url']}/namespaces/default/workflows")
    print("where to look:")
    print(f"  API metrics        {state['api_url']}/metrics")
    if state.get("worker_metrics_url"):
        print(f"  worker metrics     {state['worker_metrics_url']}")
    if state.get("guidance_worker_metrics_url"):
        print(f"  guidance metrics   {state['guidance_worker_metrics_url']}")
    if state.get("logs"):
        logs = Path(state["logs"])
        kind = "JSON lines" if state.get("log_format", "json") == "json" else "text"
        workers = f"{logs / 'worker.log'}, {logs / 'guidance-worker.log'}"
        print(f"  logs ({kind:<10})  {logs / 'api.log'}, {workers} (all in {logs})")
    tracing = state.get("otlp_endpoint")
    print(f"  tracing            {f'on, OTLP to {tracing}' if tracing else 'off'}")
    sys.stdout.flush()


# The KVS emulator and the embedded S3 accept any credentials, but boto3 insists on some.
DEV_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "callguide-dev",
    "AWS_SECRET_ACCESS_KEY": "callguide-dev",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _child(command: str, args: list[str], env: dict[str, str], logs: Path) -> ChildProcess:
    return ChildProcess(name=command, args=[command, *args], env=env, log=logs / f"{command}.log")


def dev_ctr_stream(
    settings: Settings, embedded_kinesis: str | None
) -> tuple[str, str | None] | None:
    """The contact-record stream the stack consumes and its Kinesis endpoint (None: AWS).

    The configured stream if any; else, with the embedded S3 server (moto serves Kinesis
    too) and no Kinesis endpoint of the user's, a stream created there. None: no consumer.
    """
    endpoint = settings.ctr_kinesis_endpoint_url or embedded_kinesis
    name = settings.ctr_stream_name
    if name is None and embedded_kinesis and endpoint == embedded_kinesis:
        name = DEV_CTR_STREAM
    if name is None:
        return None
    if embedded_kinesis and endpoint == embedded_kinesis:
        ensure_kinesis_stream(embedded_kinesis, name)
    return name, endpoint


def run_dev_stack(settings: Settings, ports: DevPorts) -> None:
    state_dir = settings.state_dir.resolve()
    logs = state_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    api_url = f"http://127.0.0.1:{ports.api}"
    temporal = TemporalDevServer(
        db_file=state_dir / "temporal.db",
        port=ports.temporal,
        ui_port=ports.temporal_ui,
        codec_endpoint=f"{api_url}/codec",
        log_file=logs / "temporal.log",
    )
    with contextlib.ExitStack() as stack:
        temporal.start()
        stack.callback(temporal.stop)
        database = stack.enter_context(postgres_url(settings.database_url, state_dir / "pgdata"))
        redis, embedded_redis = stack.enter_context(
            redis_server(
                settings.redis_url, data_dir=state_dir / "redis", log_file=logs / "redis.log"
            )
        )
        s3, embedded_s3 = stack.enter_context(
            s3_server(settings.s3_endpoint_url, log_file=logs / "s3.log")
        )
        # On a free port rather than a --*-port option: nothing outside the stack needs to
        # know it in advance, every process is given the URL.
        llm, embedded_llm = stack.enter_context(
            llm_server(settings.llm_url, log_file=logs / "llm.log")
        )
        env = {
            **os.environ,
            # The API and the worker embed text with NumPy: one BLAS thread each.
            **single_threaded_blas_env(os.environ),
            "CALLGUIDE_STATE_DIR": str(state_dir),
            "CALLGUIDE_TEMPORAL_ADDRESS": temporal.address,
            "CALLGUIDE_TEMPORAL_UI_URL": temporal.ui_url or "",
            "CALLGUIDE_API_PORT": str(ports.api),
            "CALLGUIDE_DEV_MODE": "true",
            "CALLGUIDE_CODEC_KEYS": settings.codec_keys.get_secret_value()
            or dev_codec_keys(state_dir),
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "CALLGUIDE_S3_ENDPOINT_URL": s3,
            "CALLGUIDE_LLM_URL": llm,
        }
        if embedded_s3 is not None:
            for key, value in DEV_AWS_ENV.items():
                env.setdefault(key, value)
        children, waited_ports = [], []
        kvs_url = os.environ.get("AWS_ENDPOINT_URL_KINESIS_VIDEO")
        if not kvs_url:
            kvs_url = f"http://127.0.0.1:{ports.kvs}"
            children.append(_child("kvs-emulator", ["--port", str(ports.kvs)], env, logs))
            waited_ports.append(ports.kvs)
            for key, value in DEV_AWS_ENV.items():
                env.setdefault(key, value)
        env["AWS_ENDPOINT_URL_KINESIS_VIDEO"] = kvs_url
        asr_url = settings.asr_url or ("" if settings.deepgram_api_key.get_secret_value() else None)
        if asr_url is None:
            asr_url = f"ws://127.0.0.1:{ports.asr}"
            children.append(_child("asr-server", ["--port", str(ports.asr)], env, logs))
            waited_ports.append(ports.asr)
        env["CALLGUIDE_ASR_URL"] = asr_url
        ctr = dev_ctr_stream(settings, s3 if embedded_s3 is not None else None)
        if ctr is not None:
            env["CALLGUIDE_CTR_STREAM_NAME"] = ctr[0]
            if ctr[1]:
                env["CALLGUIDE_CTR_KINESIS_ENDPOINT_URL"] = ctr[1]
            children.append(_child("ctr-consumer", ["--stream", ctr[0]], env, logs))
        worker_metrics_port = settings.metrics_port or free_port()
        guidance_metrics_port = free_port()
        children += [
            ChildProcess(name="api", args=["api"], env=env, log=logs / "api.log"),
            ChildProcess(
                name="worker",
                args=["worker", "--queues", CALL_QUEUES],
                env={**env, "CALLGUIDE_METRICS_PORT": str(worker_metrics_port)},
                log=logs / "worker.log",
            ),
            # Guidance in a process of its own, as deployments run it: its workflow tasks
            # do not queue behind every call's on one event loop.
            ChildProcess(
                name="guidance-worker",
                args=["worker", "--queues", "ml"],
                env={**env, "CALLGUIDE_METRICS_PORT": str(guidance_metrics_port)},
                log=logs / "guidance-worker.log",
            ),
        ]
        for child in children:
            child.start()
            stack.callback(child.stop)
        _wait_ready(api_url, children, waited_ports)
        supervised: list[Supervised] = [*children]
        pids = {c.name: c.process.pid for c in children if c.process}
        for server in (embedded_redis, embedded_s3, embedded_llm):
            if server is not None and server.process is not None:
                supervised.append(server)
                pids[server.name] = server.process.pid
        state = {
            "pid": os.getpid(),
            "api_url": api_url,
            "temporal_address": temporal.address,
            "temporal_ui_url": temporal.ui_url,
            "database_url": database,
            "redis_url": redis,
            "s3_endpoint_url": s3,
            "kvs_endpoint_url": kvs_url,
            "asr_url": asr_url or "Deepgram",
            "llm_url": llm,
            "ctr_stream": ctr[0] if ctr else None,
            "logs": str(logs),
            "worker_metrics_url": f"http://127.0.0.1:{worker_metrics_port}/metrics",
            "guidance_worker_metrics_url": f"http://127.0.0.1:{guidance_metrics_port}/metrics",
            "otlp_endpoint": settings.otlp_endpoint,
            "log_format": settings.log_format,
            "children": pids,
        }
        write_dev_state(state_dir, state)
        stack.callback(lambda: (state_dir / "dev.json").unlink(missing_ok=True))
        print_endpoints(state)
        while not stop.wait(0.5):
            for part in supervised:
                part.restart_if_dead()
        print("stopping the dev stack", flush=True)
