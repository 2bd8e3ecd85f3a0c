"""The one command line: `callguide dev|api|worker|tenants|demo`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import httpx
import typer

from callguide.dev_state import pid_alive, read_dev_state, settings_with_dev_stack
from callguide.dev_supervisor import ENDPOINT_KEYS, DevPorts
from callguide.settings import Settings, get_settings
from storage.tenants import InvalidTenantError, IssuedKey, Tenant, TenantExistsError, TenantStore

app = typer.Typer(help="callguide: real-time agent assist for Amazon Connect", no_args_is_help=True)
dev = typer.Typer(help="The embedded local stack", no_args_is_help=True)
tenants = typer.Typer(help="Tenants and their API keys", no_args_is_help=True)
app.add_typer(dev, name="dev")
app.add_typer(tenants, name="tenants")

DETACH_TIMEOUT_S = 180.0
T = TypeVar("T")


def _settings() -> Settings:
    return settings_with_dev_stack(get_settings())


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
    and a worker. Parts whose endpoint is configured are used instead of started."""
    from callguide.dev_supervisor import DevPorts, print_endpoints, run_dev_stack

    settings = get_settings()
    running = _running_stack(settings)
    if running:
        print_endpoints(running)
        return
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
            raise typer.Exit(_fail(f"the dev stack failed to start:\n{tail}"))
        time.sleep(0.3)
    supervisor.terminate()
    raise typer.Exit(_fail(f"the dev stack was not healthy within {DETACH_TIMEOUT_S:.0f}s"))


def _fail(message: str) -> int:
    typer.echo(message, err=True)
    return 1


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

    settings = _settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
    )


@app.command("worker")
def worker(
    queues: Annotated[str, typer.Option(help="Comma-separated task queues")] = (
        "calls,audio,ml,redaction"
    ),
) -> None:
    """Run a Temporal worker for the given task queues."""
    from workers.main import run_workers

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    names = [q.strip() for q in queues.split(",") if q.strip()]
    asyncio.run(run_workers(_settings(), names))


ConnectInstances = Annotated[
    list[str],
    typer.Option(
        "--connect-instance",
        help="ARN of an Amazon Connect instance whose calls this tenant may start (repeatable)",
    ),
]


@tenants.command("create")
def tenants_create(
    name: str,
    region: Annotated[str, typer.Option(help="AWS region the tenant's data stays in")],
    connect_instance: ConnectInstances = [],  # noqa: B006 - typer reads, never mutates, it
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a tenant and print its id, host name and a new API key (shown once)."""
    _issue_and_print(lambda store: store.create(name, region, connect_instance), as_json)


@tenants.command("update")
def tenants_update(
    tenant: Annotated[str, typer.Argument(help="Tenant id, name or host name")],
    connect_instance: ConnectInstances,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Replace the Connect instances bound to the tenant (repeat --connect-instance)."""

    async def run() -> Tenant:
        async with _tenant_store() as store:
            return await store.set_connect_instances(tenant, connect_instance)

    try:
        updated = asyncio.run(run())
    except (InvalidTenantError, LookupError) as exc:
        raise typer.Exit(_fail(str(exc))) from exc
    if as_json:
        typer.echo(json.dumps(_tenant_fields(updated)))
        return
    typer.echo(f"tenant  {updated.id} ({updated.name}, {updated.region})")
    for arn in updated.connect_instances:
        typer.echo(f"  instance {arn}")


@tenants.command("list")
def tenants_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    async def show() -> None:
        async with _tenant_store() as store:
            found = await store.all()
        if as_json:
            typer.echo(json.dumps([_tenant_fields(t) for t in found], indent=2))
            return
        for t in found:
            instances = ", ".join(t.connect_instances) or "(no Connect instance bound)"
            typer.echo(f"{t.id}  {t.slug:<24} {t.region:<14} {instances}")

    asyncio.run(show())


def _tenant_fields(tenant: Tenant) -> dict[str, object]:
    return {
        "id": tenant.id,
        "name": tenant.name,
        "slug": tenant.slug,
        "region": tenant.region,
        "connect_instances": list(tenant.connect_instances),
    }


@tenants.command("rotate-key")
def tenants_rotate_key(
    tenant: Annotated[str, typer.Argument(help="Tenant id, name or host name")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Revoke the tenant's keys and print a new one."""
    _issue_and_print(lambda store: store.rotate_key(tenant), as_json)


def _issue_and_print(issue: Callable[[TenantStore], Awaitable[IssuedKey]], as_json: bool) -> None:
    async def run() -> IssuedKey:
        async with _tenant_store() as store:
            return await issue(store)

    try:
        issued = asyncio.run(run())
    except (TenantExistsError, InvalidTenantError, LookupError) as exc:
        raise typer.Exit(_fail(str(exc))) from exc
    _print_key(issued, as_json)


def _print_key(issued: IssuedKey, as_json: bool) -> None:
    tenant = issued.tenant
    if as_json:
        typer.echo(json.dumps(_tenant_fields(tenant) | {"api_key": issued.api_key}))
        return
    typer.echo(f"tenant  {tenant.id} ({tenant.name}, {tenant.region}, host name {tenant.slug})")
    if not tenant.connect_instances:
        typer.echo("no Connect instance bound yet: callguide tenants update --connect-instance")
    typer.echo(f"api key {issued.api_key}")
    typer.echo("the key is shown only now; store it safely")


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
    max_parallel: Annotated[int, typer.Option(help="Concurrent model decodes")] = 1,
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

    settings = _settings()
    state = _running_stack(settings) or {}
    kvs_url = os.environ.get("AWS_ENDPOINT_URL_KINESIS_VIDEO") or state.get("kvs_endpoint_url")
    if not kvs_url or not state.get("api_url"):
        raise typer.Exit(_fail("simulate-call needs a running dev stack (callguide dev up)"))
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
        raise typer.Exit(_fail(str(exc))) from exc
    typer.echo(f"call {call.call_id}: {view.utterances} utterances ({call.workflow_id})")


async def _with_run_key(tenant: str, run: Callable[[str], Awaitable[T]]) -> T:
    """Runs with a key of the tenant's own for this run only, revoked however the run ends,
    so repeated runs leave no live keys behind and the tenant's other keys stay valid."""
    async with _tenant_store() as store, store.temporary_key(tenant) as issued:
        return await run(issued.api_key)


@contextlib.asynccontextmanager
async def _tenant_store() -> AsyncIterator[TenantStore]:
    from storage.postgres import connect_and_migrate

    pool = await connect_and_migrate(_settings().require_database_url(), max_size=2)
    try:
        yield TenantStore(pool=pool)
    finally:
        await pool.close()


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
    asyncio.run(run_demo(_settings(), call=call, speed=speed))


if __name__ == "__main__":
    app()
