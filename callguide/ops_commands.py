"""`callguide ops ...`: the operator's view of failed, stuck and active calls, and their
retry and cancel (the same as /v1/ops, across every tenant)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from callguide.ops import CallOps
from callguide.ops_status import OpsCall, OpsError, OpsOutcome, OpsStatus
from callguide.tenant_commands import cli_settings, fail

ops = typer.Typer(help="Find failed and stuck calls; retry or cancel them", no_args_is_help=True)
T = TypeVar("T")

TenantArg = Annotated[str, typer.Argument(help="Tenant id, name or host name")]
CallArg = Annotated[str, typer.Argument(help="The call's id (its Connect ContactId)")]
AsJson = Annotated[bool, typer.Option("--json")]


@contextlib.asynccontextmanager
async def call_ops() -> AsyncIterator[tuple[CallOps, Callable[[str], Awaitable[str]]]]:
    """The ops service over the configured (or running dev) stack, and a tenant resolver."""
    from callguide.resources import open_stores
    from callguide.temporal_client import connect_temporal

    settings = cli_settings()
    client = await connect_temporal(settings)
    async with open_stores(settings) as stores:

        async def tenant_id(ref: str) -> str:
            return (await stores.tenants.get(ref)).id

        yield CallOps(client=client, stores=stores, settings=settings), tenant_id


def _run(action: Callable[[CallOps, Callable[[str], Awaitable[str]]], Awaitable[T]]) -> T:
    async def run() -> T:
        async with call_ops() as (service, resolve):
            return await action(service, resolve)

    try:
        return asyncio.run(run())
    except OpsError as exc:
        raise typer.Exit(fail(exc.message)) from exc
    except LookupError as exc:
        raise typer.Exit(fail(str(exc))) from exc


def _call_fields(call: OpsCall) -> dict[str, object]:
    fields = dict(call.__dict__)
    fields["started_at"] = call.started_at.isoformat() if call.started_at else None
    return fields


@ops.command("calls")
def ops_calls(
    status: Annotated[OpsStatus, typer.Option(help="failed, stuck or active")] = OpsStatus.FAILED,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's calls")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 100,
    as_json: AsJson = False,
) -> None:
    """List failed, stuck or active calls, with what failed and why."""

    async def find(service: CallOps, resolve: Callable[[str], Awaitable[str]]) -> list[OpsCall]:
        tenant_id = await resolve(tenant) if tenant else None
        return await service.find(status, tenant_id, limit)

    found = _run(find)
    if as_json:
        typer.echo(json.dumps([_call_fields(c) for c in found], indent=2))
        return
    if not found:
        typer.echo(f"no {status.value} calls")
    for call in found:
        started = call.started_at.isoformat(timespec="seconds") if call.started_at else "-"
        typer.echo(f"{call.tenant_id}  {call.call_id}  {call.stage.value:<9} {started}")
        if call.reason:
            typer.echo(f"    {call.reason}")


def _print_outcome(outcome: OpsOutcome, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(outcome.__dict__))
        return
    typer.echo(f"{outcome.call_id}: {outcome.action} ({outcome.detail})")


@ops.command("retry")
def ops_retry(tenant: TenantArg, call_id: CallArg, as_json: AsJson = False) -> None:
    """Restart what failed: the audio stream, the call, or its post-call redaction."""

    async def retry(service: CallOps, resolve: Callable[[str], Awaitable[str]]) -> OpsOutcome:
        return await service.retry(await resolve(tenant), call_id)

    _print_outcome(_run(retry), as_json)


@ops.command("cancel")
def ops_cancel(tenant: TenantArg, call_id: CallArg, as_json: AsJson = False) -> None:
    """End a running call cleanly, or cancel its running post-call redaction."""

    async def cancel(service: CallOps, resolve: Callable[[str], Awaitable[str]]) -> OpsOutcome:
        return await service.cancel(await resolve(tenant), call_id)

    _print_outcome(_run(cancel), as_json)
