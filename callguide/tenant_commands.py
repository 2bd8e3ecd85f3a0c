"""`callguide tenants ...`: tenants, their Connect instances, API keys and redaction policy."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated

import asyncpg
import typer

from callguide.dev_state import settings_with_dev_stack
from callguide.policy_file import PolicyFileError, load_policy_file, policy_yaml
from callguide.settings import Settings, get_settings
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from storage.redactions import RedactionPolicyStore, StoredPolicy
from storage.tenants import InvalidTenantError, IssuedKey, Tenant, TenantExistsError, TenantStore

tenants = typer.Typer(help="Tenants, their API keys and redaction policy", no_args_is_help=True)


def cli_settings() -> Settings:
    """The configured settings, with the endpoints of a running dev stack filled in."""
    return settings_with_dev_stack(get_settings())


def fail(message: str) -> int:
    typer.echo(message, err=True)
    return 1


@contextlib.asynccontextmanager
async def postgres() -> AsyncIterator[asyncpg.Pool]:
    from storage.postgres import connect_and_migrate

    pool = await connect_and_migrate(cli_settings().require_database_url(), max_size=2)
    try:
        yield pool
    finally:
        await pool.close()


@contextlib.asynccontextmanager
async def tenant_store() -> AsyncIterator[TenantStore]:
    async with postgres() as pool:
        yield TenantStore(pool=pool)


TenantRef = Annotated[str, typer.Argument(help="Tenant id, name or host name")]
AsJson = Annotated[bool, typer.Option("--json")]
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
    as_json: AsJson = False,
) -> None:
    """Create a tenant and print its id, host name and a new API key (shown once)."""
    _issue_and_print(lambda store: store.create(name, region, connect_instance), as_json)


MaxConcurrentCalls = Annotated[
    int | None,
    typer.Option(
        "--max-concurrent-calls",
        min=0,
        help="How many of the tenant's calls may run at once; a call over it is refused "
        "(429 to the contact-flow Lambda). 0 lifts the cap.",
    ),
]


@tenants.command("update")
def tenants_update(
    tenant: TenantRef,
    connect_instance: ConnectInstances = [],  # noqa: B006 - typer reads, never mutates, it
    max_concurrent_calls: MaxConcurrentCalls = None,
    as_json: AsJson = False,
) -> None:
    """Replace the Connect instances bound to the tenant (repeat --connect-instance),
    and/or cap its concurrent calls (--max-concurrent-calls)."""
    if not connect_instance and max_concurrent_calls is None:
        raise typer.Exit(
            fail("nothing to update: give --connect-instance or --max-concurrent-calls")
        )

    async def run() -> Tenant:
        async with tenant_store() as store:
            updated = await store.get(tenant)
            if connect_instance:
                updated = await store.set_connect_instances(tenant, connect_instance)
            if max_concurrent_calls is not None:
                updated = await store.set_max_concurrent_calls(tenant, max_concurrent_calls or None)
            return updated

    try:
        updated = asyncio.run(run())
    except (InvalidTenantError, LookupError) as exc:
        raise typer.Exit(fail(str(exc))) from exc
    if as_json:
        typer.echo(json.dumps(_tenant_fields(updated)))
        return
    typer.echo(f"tenant  {updated.id} ({updated.name}, {updated.region})")
    for arn in updated.connect_instances:
        typer.echo(f"  instance {arn}")
    cap = updated.max_concurrent_calls
    typer.echo(f"  max concurrent calls {cap if cap is not None else 'no cap'}")


@tenants.command("list")
def tenants_list(as_json: AsJson = False) -> None:
    """List the tenants with their host names, regions and Connect instances."""

    async def show() -> None:
        async with tenant_store() as store:
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
        "max_concurrent_calls": tenant.max_concurrent_calls,
    }


@tenants.command("rotate-key")
def tenants_rotate_key(tenant: TenantRef, as_json: AsJson = False) -> None:
    """Revoke the tenant's keys and print a new one."""
    _issue_and_print(lambda store: store.rotate_key(tenant), as_json)


def _issue_and_print(issue: Callable[[TenantStore], Awaitable[IssuedKey]], as_json: bool) -> None:
    async def run() -> IssuedKey:
        async with tenant_store() as store:
            return await issue(store)

    try:
        issued = asyncio.run(run())
    except (TenantExistsError, InvalidTenantError, LookupError) as exc:
        raise typer.Exit(fail(str(exc))) from exc
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


# --- redaction policy --------------------------------------------------------------------


def _policy_fields(tenant: Tenant, stored: StoredPolicy | None) -> dict[str, object]:
    policy = stored.policy if stored else DEFAULT_POLICY
    return {
        "tenant_id": tenant.id,
        "version": stored.version if stored else 0,
        "policy": policy.model_dump(mode="json"),
        "created_at": stored.created_at.isoformat() if stored else None,
    }


def _with_policies(
    tenant_ref: str, act: Callable[[Tenant, RedactionPolicyStore], Awaitable[StoredPolicy | None]]
) -> tuple[Tenant, StoredPolicy | None]:
    async def run() -> tuple[Tenant, StoredPolicy | None]:
        async with postgres() as pool:
            found = await TenantStore(pool=pool).get(tenant_ref)
            return found, await act(found, RedactionPolicyStore(pool=pool))

    try:
        return asyncio.run(run())
    except LookupError as exc:
        raise typer.Exit(fail(str(exc))) from exc


@tenants.command("set-redaction")
def tenants_set_redaction(
    tenant: TenantRef,
    policy_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.yaml",
            dir_okay=False,
            help="The policy as YAML; see examples/redaction-policy.yaml",
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Set a new version of the tenant's redaction policy from a YAML file.

    The file is the whole policy: a field left out takes its default. An unknown field or
    a bad value is refused naming it, and nothing is stored.
    """
    try:
        policy: RedactionPolicy = load_policy_file(policy_file)
    except PolicyFileError as exc:
        raise typer.Exit(fail(str(exc))) from exc
    found, stored = _with_policies(tenant, lambda t, store: store.put(t.id, policy))
    assert stored is not None
    if as_json:
        typer.echo(json.dumps(_policy_fields(found, stored)))
        return
    typer.echo(f"tenant {found.id} ({found.name}): redaction policy version {stored.version}")


@tenants.command("show-redaction")
def tenants_show_redaction(tenant: TenantRef, as_json: AsJson = False) -> None:
    """Print the tenant's redaction policy in force, as YAML set-redaction reads back."""
    found, stored = _with_policies(tenant, lambda t, store: store.current(t.id))
    if as_json:
        typer.echo(json.dumps(_policy_fields(found, stored)))
        return
    if stored is None:
        typer.echo(f"# tenant {found.id} ({found.name}): no policy set, the default applies")
        typer.echo("# version 0")
    else:
        typer.echo(f"# tenant {found.id} ({found.name})")
        typer.echo(f"# version {stored.version}, set {stored.created_at.isoformat()}")
    typer.echo(policy_yaml(stored.policy if stored else DEFAULT_POLICY), nl=False)
