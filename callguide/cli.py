"""The one command line: `callguide dev|api|worker|tenants|demo|redact-text|...`."""

from __future__ import annotations

import os

from callguide.devstack import single_threaded_blas_env

# Before anything can import NumPy, which reads it once: BLAS on one thread in every
# process this command line runs (api, worker, the dev stack's children, which inherit
# it), unless the operator chose; see single_threaded_blas_env for why.
os.environ.update(single_threaded_blas_env(os.environ))

import asyncio
import contextlib
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import httpx
import typer

from callguide.dev_state import pid_alive, read_dev_state
from callguide.dev_supervisor import ENDPOINT_KEYS, DevPorts
from callguide.ops_commands import ops
from callguide.policy_commands import policies
from callguide.policy_file import PolicyFileError, load_policy_file
from callguide.settings import Settings, get_settings
from callguide.tenant_commands import cli_settings, fail, tenant_store, tenants
from redaction.policy import DEFAULT_POLICY

app = typer.Typer(help="callguide: real-time agent assist for Amazon Connect", no_args_is_help=True)
dev = typer.Typer(help="The embedded local stack", no_args_is_help=True)
app.add_typer(dev, name="dev")
app.add_typer(tenants, name="tenants")
app.add_typer(policies, name="policies")
app.add_typer(ops, name="ops")

DETACH_TIMEOUT_S = 180.0
T = TypeVar("T")


def _running_stack(settings: Settings) -> dict | None:
    state = read_dev_state(settings.state_dir)
    return state if state and pid_alive(state.get("pid")) else None


@dev.command("up")
def dev_up(
    detach: Annotated[bool, typer.Option(help="Return once the stack is healthy")] = False,
    temporal_port: int = 7233,
    temporal_ui_port: int = 8233,
    api_port: int = 8000,
    kvs_port: int = 4567,
    asr_port: int = 8765,
) -> None:
    """Start Temporal (with UI), PostgreSQL, Redis, the KVS emulator, the local ASR, the API
    and the workers (calls, audio and redaction in one process, guidance in another). Parts
    whose endpoint is configured are used instead of started."""
    from callguide.dev_supervisor import DevPorts, print_endpoints, run_dev_stack

    settings = get_settings()
    running = _running_stack(settings)
    if running:
        print_endpoints(running)
        return
    _configure_logging(settings)
    ports = DevPorts(temporal_port, temporal_ui_port, api_port, kvs_port, asr_port)
    if detach:
        _start_detached(settings, ports)
        return
    run_dev_stack(settings, ports)


def _start_detached(settings: Settings, ports: DevPorts) -> None:
    from callguide.dev_supervisor import print_endpoints

    settings.state_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.state_dir / "dev.log"
    args = [sys.executable, "-m", "callguide.cli", "dev", "up", *ports.cli_args()]
    with log_path.open("ab") as log:
        supervisor = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + DETACH_TIMEOUT_S
    while time.monotonic() < deadline:
        state = read_dev_state(settings.state_dir)
        if state and state.get("pid") == supervisor.pid:
            print_endpoints(state)
            print("stop it with: callguide dev down")
            return
        if supervisor.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise typer.Exit(fail(f"the dev stack failed to start:\n{tail}"))
        time.sleep(0.3)
    supervisor.terminate()
    raise typer.Exit(fail(f"the dev stack was not healthy within {DETACH_TIMEOUT_S:.0f}s"))


@dev.command("down")
def dev_down() -> None:
    """Stop a stack started with `dev up --detach`."""
    settings = get_settings()
    state = _running_stack(settings)
    if state is None:
        typer.echo("no dev stack is running")
        return
    os.kill(state["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 60
    while pid_alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    typer.echo("dev stack stopped" if not pid_alive(state["pid"]) else "dev stack still stopping")


@dev.command("status")
def dev_status() -> None:
    """Show what the dev stack runs and whether it is healthy."""
    settings = get_settings()
    state = _running_stack(settings)
    if state is None:
        typer.echo("no dev stack is running (start one with `callguide dev up --detach`)")
        raise typer.Exit(1)
    typer.echo(f"supervisor pid {state['pid']}")
    try:
        ready = httpx.get(f"{state['api_url']}/readyz", timeout=5).json()
    except httpx.HTTPError as exc:
        ready = {"status": f"API unreachable: {exc}", "checks": {}}
    typer.echo(f"readiness: {ready['status']}")
    for name, check in ready.get("checks", {}).items():
        typer.echo(f"  {name:<10} {check}")
    for key in ENDPOINT_KEYS:
        typer.echo(f"  {key:<18} {state.get(key)}")


@app.command("api")
def api(host: str | None = None, port: int | None = None) -> None:
    """Run the HTTP API against the configured endpoints."""
    import uvicorn

    from api.app import create_app

    settings = cli_settings()
    _configure_logging(settings)
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
        log_config=None,  # uvicorn's records go through our handler (JSON, no queries)
    )


@app.command("worker")
def worker(
    queues: Annotated[str, typer.Option(help="Comma-separated task queues")] = (
        "calls,audio,ml,redaction"
    ),
) -> None:
    """Run a Temporal worker for the given task queues."""
    from workers.main import run_workers

    settings = cli_settings()
    _configure_logging(settings)
    names = [q.strip() for q in queues.split(",") if q.strip()]
    asyncio.run(run_workers(settings, names))


def _configure_logging(settings: Settings) -> None:
    """JSON lines with tenant and call ids (CALLGUIDE_LOG_FORMAT=text for people)."""
    from callguide.logging import configure_logging

    configure_logging(settings.log_format)


@app.command("ctr-consumer")
def ctr_consumer(
    stream: Annotated[
        str | None,
        typer.Option(help="The Kinesis Data Stream Connect exports contact records to"),
    ] = None,
) -> None:
    """Store Connect's contact records (agent, queue, durations) from their Kinesis stream."""
    from ctr.consumer import run_consumer

    settings = cli_settings()
    _configure_logging(settings)
    stream_name = stream or settings.ctr_stream_name
    if not stream_name:
        raise typer.Exit(fail("name the stream: --stream NAME or CALLGUIDE_CTR_STREAM_NAME"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            run_consumer(
                database_url=settings.require_database_url(),
                stream_name=stream_name,
                endpoint_url=settings.ctr_kinesis_endpoint_url,
                region=settings.ctr_region,
            )
        )


@app.command("kvs-emulator")
def kvs_emulator(host: str = "127.0.0.1", port: int = 4567) -> None:
    """Serve the local KVS emulator (CreateStream, GetDataEndpoint, GetMedia, live feeds)."""
    from voice.kvs_emulator import run

    logging.basicConfig(level=logging.INFO)
    run(host, port)


@app.command("asr-server")
def asr_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    api_key: Annotated[str | None, typer.Option(envvar="CALLGUIDE_ASR_API_KEY")] = None,
    max_parallel: Annotated[
        int | None,
        typer.Option(help="Concurrent model decodes, one thread each (default: one per core)"),
    ] = None,
) -> None:
    """Serve the local faster-whisper engine behind Deepgram's live protocol."""
    from voice.asr.server import run

    logging.basicConfig(level=logging.INFO)
    run(host, port, api_key=api_key, max_parallel=max_parallel)


@app.command("simulate-call")
def simulate_call_command(
    tenant: Annotated[str, typer.Option(help="Tenant id, name or host name")],
    customer: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Customer WAV")],
    agent: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Agent WAV")],
    speed: Annotated[float, typer.Option(help="1 is real time")] = 1.0,
    api_key: Annotated[str | None, typer.Option(envvar="CALLGUIDE_API_KEY")] = None,
) -> None:
    """Feed a call into the KVS emulator and run it through callguide as Connect would."""
    from callguide.live_view import LiveTranscriptView
    from callguide.simulate import SimulatedCall, simulate_call

    settings = cli_settings()
    state = _running_stack(settings) or {}
    kvs_url = os.environ.get("AWS_ENDPOINT_URL_KINESIS_VIDEO") or state.get("kvs_endpoint_url")
    if not kvs_url or not state.get("api_url"):
        raise typer.Exit(fail("simulate-call needs a running dev stack (callguide dev up)"))
    kvs: str = kvs_url
    view = LiveTranscriptView()

    async def run(key: str) -> SimulatedCall:
        return await simulate_call(
            api_url=state["api_url"],
            api_key=key,
            kvs_url=kvs,
            customer_wav=customer.resolve(),
            agent_wav=agent.resolve(),
            speed=speed,
            on_event=view,
        )

    try:
        call = asyncio.run(run(api_key) if api_key else _with_run_key(tenant, run))
    except LookupError as exc:
        raise typer.Exit(fail(str(exc))) from exc
    typer.echo(f"call {call.call_id}: {view.utterances} utterances ({call.workflow_id})")


async def _with_run_key(tenant: str, run: Callable[[str], Awaitable[T]]) -> T:
    """Runs with a key of the tenant's own for this run only, revoked however the run ends,
    so repeated runs leave no live keys behind and the tenant's other keys stay valid."""
    async with tenant_store() as store, store.temporary_key(tenant) as issued:
        return await run(issued.api_key)


@app.command("redact-text")
def redact_text(
    policy_file: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            metavar="FILE.yaml",
            dir_okay=False,
            help="Redaction policy as for `tenants set-redaction`; the default policy otherwise",
        ),
    ] = None,
    per_line: Annotated[
        bool, typer.Option("--per-line", help="Redact each line on its own")
    ] = False,
    salt: Annotated[
        str,
        typer.Option(
            envvar="CALLGUIDE_REDACTION_SALT",
            show_default=False,
            help="Secret salt of the hash style's tags (better set through the environment)",
        ),
    ] = "",
) -> None:
    """Redact PII in JSON lines read on stdin and write them as JSON lines on stdout."""
    try:
        policy = load_policy_file(policy_file) if policy_file else DEFAULT_POLICY
    except PolicyFileError as exc:
        raise typer.Exit(fail(str(exc))) from exc
    # Imported here: detection loads Presidio and spaCy, which every other command can skip.
    from redaction.detector import PiiDetector
    from redaction.jsonl import redact_jsonl

    lines = redact_jsonl(
        sys.stdin,
        detector=PiiDetector(),
        policy=policy,
        per_line=per_line,
        salt=salt.encode(),
    )
    try:
        for line in lines:
            typer.echo(line.rstrip("\n"))
    except ValueError as exc:
        raise typer.Exit(fail(f"stdin: {exc}")) from exc


@app.command("demo")
def demo(
    call: Annotated[str, typer.Option(help="Sample call under examples/calls")] = (
        "cancel_subscription"
    ),
    speed: Annotated[float, typer.Option(help="Replay speed; 1 is real time")] = 1.0,
) -> None:
    """Start the stack if needed and run a whole sample call, showing it live."""
    from callguide.demo import run_demo

    settings = get_settings()
    if _running_stack(settings) is None:
        _start_detached(settings, DevPorts())
    asyncio.run(run_demo(cli_settings(), call=call, speed=speed))


if __name__ == "__main__":
    app()
