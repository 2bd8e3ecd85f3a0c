"""`callguide tenants` binds Connect instances; demo and simulate-call leave no live keys."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callguide import cli
from callguide.connect_events import DEMO_INSTANCE_ARN
from callguide.demo import DEMO_TENANT, demo_api_key
from callguide.resources import Stores
from callguide.settings import get_settings
from tests.conftest import Stack, make_settings

runner = CliRunner()


def instance() -> str:
    return f"arn:aws:connect:us-east-1:111122223333:instance/{uuid.uuid4()}"


@pytest.fixture
def cli_env(stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands read their settings from the environment, as on an operator's shell."""
    monkeypatch.setenv("CALLGUIDE_DATABASE_URL", stack.database_url)
    monkeypatch.setenv("CALLGUIDE_STATE_DIR", str(tmp_path / "state"))  # no dev stack here
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.output


def test_tenants_are_created_bound_and_rebound(cli_env: None) -> None:
    name, first, second = f"probe-{uuid.uuid4().hex[:8]}", instance(), instance()
    code, out = run(
        "tenants", "create", name, "--region", "us-east-1", "--connect-instance", first, "--json"
    )
    assert code == 0, out
    created = json.loads(out)
    assert created["slug"] == name and created["connect_instances"] == [first]
    assert created["api_key"].startswith("cgk_")

    code, out = run(
        "tenants", "update", name, "--connect-instance", first, "--connect-instance", second,
        "--json",
    )  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["connect_instances"] == [first, second]
    code, out = run("tenants", "list", "--json")
    listed = {t["slug"]: t for t in json.loads(out)}
    assert listed[name]["connect_instances"] == [first, second]
    assert "api_key" not in listed[name]


def test_names_that_collide_on_their_host_are_refused(cli_env: None) -> None:
    base = f"probe-a-{uuid.uuid4().hex[:8]}"
    assert run("tenants", "create", base, "--region", "us-east-1")[0] == 0
    for collision in (
        base.replace("-", "_"),
        base.replace("-", " ").title(),
        base.upper(),
        f"{base}.",
    ):
        code, out = run("tenants", "create", collision, "--region", "us-east-1")
        assert code == 1 and f"host name {base!r} already exists" in out, (collision, out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--connect-instance", "arn:aws:connect:us-east-1:1:instance/x"], "not a Connect"),
        (["--connect-instance", instance().replace("us-east-1", "eu-west-1")], "eu-west-1"),
    ],
)
def test_bad_instances_are_refused_with_a_reason(
    cli_env: None, args: list[str], message: str
) -> None:
    name = f"probe-{uuid.uuid4().hex[:8]}"
    code, out = run("tenants", "create", name, "--region", "us-east-1", *args)
    assert code == 1 and message in out, out
    code, out = run("tenants", "update", "nobody-" + name, "--connect-instance", instance())
    assert code == 1 and "no tenant" in out, out


async def _live_keys(stores: Stores, tenant_ref: str) -> int:
    count = await stores.pool.fetchval(
        "SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
        " WHERE (t.name = $1 OR t.id = $1) AND k.revoked_at IS NULL",
        tenant_ref,
    )
    return int(count)


async def test_simulate_call_revokes_its_key_however_the_run_ends(
    cli_env: None, stores: Stores
) -> None:
    issued = await stores.tenants.create(f"sim-{uuid.uuid4().hex[:8]}", "us-east-1")
    seen: list[str] = []

    async def call(key: str) -> str:
        assert await stores.tenants.by_api_key(key) is not None
        seen.append(key)
        return "done"

    async def failing_call(key: str) -> str:
        seen.append(key)
        raise RuntimeError("the simulated call failed")

    for _ in range(3):
        assert await cli._with_run_key(issued.tenant.name, call) == "done"
    with pytest.raises(RuntimeError):
        await cli._with_run_key(issued.tenant.id, failing_call)
    assert len(set(seen)) == 4
    assert [await stores.tenants.by_api_key(k) for k in seen] == [None] * 4
    assert await _live_keys(stores, issued.tenant.id) == 1  # only the tenant's own key


async def test_demo_reuses_one_bound_tenant_and_leaves_no_live_key(
    stack: Stack, stores: Stores
) -> None:
    settings = make_settings(stack)
    keys = []
    for _ in range(2):
        async with demo_api_key(settings) as key:
            tenant = await stores.tenants.by_api_key(key)
            assert tenant is not None and DEMO_INSTANCE_ARN in tenant.connect_instances
            keys.append((key, tenant.id))
    assert keys[0][1] == keys[1][1]
    assert await _live_keys(stores, DEMO_TENANT) == 0
    with pytest.raises(RuntimeError):
        async with demo_api_key(settings):
            raise RuntimeError("the demo call failed")
    assert await _live_keys(stores, DEMO_TENANT) == 0
