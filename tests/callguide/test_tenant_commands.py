"""`callguide tenants` binds Connect instances and sets redaction policies from YAML;
demo and simulate-call leave no live keys."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from callguide import cli
from callguide.connect_events import DEMO_INSTANCE_ARN
from callguide.demo import DEMO_TENANT, demo_api_key
from callguide.resources import Stores
from callguide.settings import get_settings
from redaction.model import EntityType
from redaction.policy import DEFAULT_POLICY, RedactionPolicy, ReplacementStyle
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


# --- redaction policy ----------------------------------------------------------------------

EXAMPLE_POLICY = Path(__file__).parents[2] / "examples" / "redaction-policy.yaml"
CARDS_ONLY = """\
# only card data, masked
entities: [CREDIT_CARD, CVV, EXPIRY]
style: mask
score_threshold: 0.55
"""


def new_tenant_by_cli() -> str:
    code, out = run("tenants", "create", f"policy-{uuid.uuid4().hex[:8]}", "--region", "us-east-1")
    assert code == 0, out
    return out.split()[1]  # "tenant  <id> (...)"


def shown(tenant: str) -> dict:
    code, out = run("tenants", "show-redaction", tenant, "--json")
    assert code == 0, out
    fields: dict = json.loads(out)
    return fields


def refused(*args: str) -> str:
    """The output of a command that must fail with a message, not a traceback."""
    result = runner.invoke(cli.app, list(args))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Traceback" not in result.output
    return result.output


def test_the_example_policy_is_the_default_one() -> None:
    from callguide.policy_file import load_policy_file

    assert load_policy_file(EXAMPLE_POLICY) == DEFAULT_POLICY


def test_policies_are_set_as_versions_and_shown_as_yaml(cli_env: None, tmp_path: Path) -> None:
    tenant = new_tenant_by_cli()
    assert shown(tenant) == {
        "tenant_id": tenant,
        "version": 0,
        "policy": DEFAULT_POLICY.model_dump(mode="json"),
        "created_at": None,
    }
    code, out = run("tenants", "show-redaction", tenant)
    assert code == 0 and "the default applies" in out, out

    cards = tmp_path / "cards.yaml"
    cards.write_text(CARDS_ONLY)
    code, out = run("tenants", "set-redaction", tenant, str(cards))
    assert code == 0, out
    assert "redaction policy version 1" in out
    code, out = run("tenants", "set-redaction", tenant, str(EXAMPLE_POLICY), "--json")
    assert code == 0, out
    assert json.loads(out)["version"] == 2
    assert shown(tenant)["version"] == 2 and shown(tenant)["policy"]["style"] == "tag"

    # What show-redaction prints is a policy file set-redaction reads back unchanged.
    run("tenants", "set-redaction", tenant, str(cards))
    code, printed = run("tenants", "show-redaction", tenant)
    assert code == 0 and printed.startswith("# tenant") and "# version 3" in printed
    expected = RedactionPolicy(
        entities=(EntityType.CREDIT_CARD, EntityType.CVV, EntityType.EXPIRY),
        style=ReplacementStyle.MASK,
        score_threshold=0.55,
    )
    assert RedactionPolicy.model_validate(yaml.safe_load(printed)) == expected
    again = tmp_path / "again.yaml"
    again.write_text(printed)
    code, out = run("tenants", "set-redaction", tenant, str(again), "--json")
    assert code == 0, out
    assert json.loads(out)["version"] == 4
    assert RedactionPolicy.model_validate(json.loads(out)["policy"]) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entites: [CREDIT_CARD]\n", "entites: not a policy field (the fields are entities,"),
        ("entities: [CREDIT_CARD, SHOE_SIZE]\n", "entities.1: Input should be"),
        ("score_threshold: 2\n", "score_threshold: Input should be less than or equal to 1"),
        ("beep_hz: 8000\n", "beep_hz:"),
        ("style: blur\n", "style: Input should be 'tag', 'mask' or 'hash'"),
        ("style: tag\nscore_threshold: 0.5\nstyle: hash\n", ":3:1: not valid YAML: found the key"),
        ("entities: [CREDIT_CARD\n", "not valid YAML"),
        ("- CREDIT_CARD\n", "a policy is a mapping of fields"),
        ("# nothing but a comment\n", "holds no policy"),
    ],
)
def test_an_invalid_policy_file_names_the_problem_and_stores_nothing(
    cli_env: None, tmp_path: Path, text: str, message: str
) -> None:
    tenant = new_tenant_by_cli()
    policy = tmp_path / "policy.yaml"
    policy.write_text(text)
    out = refused("tenants", "set-redaction", tenant, str(policy))
    assert f"{policy}" in out and message in out, out
    assert shown(tenant)["version"] == 0


def test_every_problem_of_a_file_is_named(cli_env: None, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("score_threshold: 2\nbeep_hz: 8000\ncolour: red\n")
    out = refused("tenants", "set-redaction", new_tenant_by_cli(), str(policy))
    assert [line.split(": ")[1] for line in out.strip().splitlines()] == [
        "score_threshold",
        "beep_hz",
        "colour",
    ]


def test_a_missing_file_or_tenant_is_refused(cli_env: None, tmp_path: Path) -> None:
    out = refused("tenants", "set-redaction", new_tenant_by_cli(), str(tmp_path / "nope.yaml"))
    assert "nope.yaml: cannot be read" in out
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    assert "no tenant" in refused("tenants", "set-redaction", nobody, str(EXAMPLE_POLICY))
    assert "no tenant" in refused("tenants", "show-redaction", nobody)
