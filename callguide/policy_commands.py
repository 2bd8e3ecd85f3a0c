"""`callguide policies ...`: a tenant's guidance policy (moments, knowledge, model route)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from callguide.policy_file import GUIDANCE, PolicyFileError, policy_yaml
from callguide.tenant_commands import fail, postgres
from guidance.policy import GuidancePolicy
from storage.guidance_policies import GuidancePolicyStore, StoredGuidancePolicy
from storage.tenants import Tenant, TenantStore

policies = typer.Typer(
    help="Tenants' guidance policies: moments, knowledge articles, model route",
    no_args_is_help=True,
)

TenantOption = Annotated[str, typer.Option("--tenant", help="Tenant id, name or host name")]
AsJson = Annotated[bool, typer.Option("--json")]
PolicyFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE.yaml",
        dir_okay=False,
        help="The guidance policy as YAML; see examples/guidance-policy.yaml",
    ),
]


def _load(path: Path) -> GuidancePolicy:
    try:
        return GUIDANCE.load(path)
    except PolicyFileError as exc:
        raise typer.Exit(fail(str(exc))) from exc


def _fields(tenant: Tenant, stored: StoredGuidancePolicy) -> dict[str, object]:
    return {
        "tenant_id": tenant.id,
        "version": stored.version,
        "policy": stored.policy.model_dump(mode="json"),
        "created_at": stored.created_at.isoformat() if stored.created_at else None,
    }


def _with_store(
    tenant_ref: str,
    act: Callable[[Tenant, GuidancePolicyStore], Awaitable[StoredGuidancePolicy | None]],
) -> tuple[Tenant, StoredGuidancePolicy | None]:
    async def run() -> tuple[Tenant, StoredGuidancePolicy | None]:
        async with postgres() as pool:
            found = await TenantStore(pool=pool).get(tenant_ref)
            return found, await act(found, GuidancePolicyStore(pool=pool))

    try:
        return asyncio.run(run())
    except LookupError as exc:
        raise typer.Exit(fail(str(exc))) from exc


def _summary(policy: GuidancePolicy) -> str:
    route = policy.model
    return (
        f"{len(policy.moments)} moments, {len(policy.knowledge.articles)} articles, "
        f"model {route.provider}:{route.model}"
    )


@policies.command("apply")
def policies_apply(policy_file: PolicyFile, tenant: TenantOption, as_json: AsJson = False) -> None:
    """Set a new version of the tenant's guidance policy from a YAML file.

    The file is the whole policy: a field left out takes its default. Every problem is
    named with its path (moments.1.hint.title) and nothing is stored then.
    """
    policy = _load(policy_file)
    found, stored = _with_store(tenant, lambda t, store: store.put(t.id, policy))
    assert stored is not None
    if as_json:
        typer.echo(json.dumps(_fields(found, stored)))
        return
    typer.echo(
        f"tenant {found.id} ({found.name}): guidance policy version {stored.version} "
        f"({_summary(policy)})"
    )


@policies.command("show")
def policies_show(
    tenant: TenantOption,
    version: Annotated[
        int | None, typer.Option(min=0, help="An earlier version (0 is the default)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Print the tenant's guidance policy in force (or --version N), as YAML apply reads."""

    async def act(t: Tenant, store: GuidancePolicyStore) -> StoredGuidancePolicy | None:
        return await store.current(t.id) if version is None else await store.get(t.id, version)

    found, stored = _with_store(tenant, act)
    if stored is None:
        raise typer.Exit(fail(f"tenant {found.id} ({found.name}) has no version {version}"))
    if as_json:
        typer.echo(json.dumps(_fields(found, stored)))
        return
    if stored.is_default:
        typer.echo(f"# tenant {found.id} ({found.name}): no policy set, the default applies")
        typer.echo("# version 0")
    else:
        assert stored.created_at is not None
        typer.echo(f"# tenant {found.id} ({found.name})")
        typer.echo(f"# version {stored.version}, set {stored.created_at.isoformat()}")
    typer.echo(policy_yaml(stored.policy), nl=False)


@policies.command("check")
def policies_check(policy_file: PolicyFile) -> None:
    """Validate a guidance policy file without storing it (needs no database)."""
    policy = _load(policy_file)
    typer.echo(f"{policy_file}: a valid guidance policy ({_summary(policy)})")
