"""`callguide policies apply/show/check`: guidance policies set from YAML as versions, shown
as YAML apply reads back; a bad file names every bad field and stores nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml

from guidance.policy import DEFAULT_GUIDANCE_POLICY, GuidancePolicy
from tests.callguide.test_tenant_commands import cli_env, new_tenant_by_cli, refused, run
from tests.guidance.test_policy import EXAMPLE_FILE, ISSUE_EXAMPLE

__all__ = ["cli_env"]  # the fixture, imported for the tests here


def shown(tenant: str, *args: str) -> dict:
    code, out = run("policies", "show", "--tenant", tenant, "--json", *args)
    assert code == 0, out
    fields: dict = json.loads(out)
    return fields


def test_policies_are_applied_as_versions_and_shown_as_yaml(cli_env: None, tmp_path: Path) -> None:
    tenant = new_tenant_by_cli()
    assert shown(tenant) == {
        "tenant_id": tenant,
        "version": 0,
        "policy": DEFAULT_GUIDANCE_POLICY.model_dump(mode="json"),
        "created_at": None,
    }
    code, out = run("policies", "show", "--tenant", tenant)
    assert code == 0 and "the default applies" in out and "# version 0" in out, out

    issue = tmp_path / "issue.yaml"
    issue.write_text(ISSUE_EXAMPLE)
    code, out = run("policies", "apply", str(issue), "--tenant", tenant)
    assert code == 0, out
    assert "guidance policy version 1 (3 moments, 1 articles, model local:" in out
    code, out = run("policies", "apply", str(EXAMPLE_FILE), "--tenant", tenant, "--json")
    assert code == 0, out
    assert json.loads(out)["version"] == 2
    expected = GuidancePolicy.model_validate(yaml.safe_load(ISSUE_EXAMPLE))
    assert GuidancePolicy.model_validate(shown(tenant)["policy"]) == expected

    # What show prints is a policy file apply reads back unchanged.
    code, printed = run("policies", "show", "--tenant", tenant)
    assert code == 0 and printed.startswith("# tenant") and "# version 2, set " in printed
    assert GuidancePolicy.model_validate(yaml.safe_load(printed)) == expected
    again = tmp_path / "again.yaml"
    again.write_text(printed)
    code, out = run("policies", "apply", str(again), "--tenant", tenant, "--json")
    assert code == 0 and json.loads(out)["version"] == 3, out
    assert GuidancePolicy.model_validate(json.loads(out)["policy"]) == expected

    # An earlier version, and the default, stay readable; a version never set is refused.
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n")
    assert (
        json.loads(run("policies", "apply", str(empty), "--tenant", tenant, "--json")[1])["version"]
        == 4
    )
    assert shown(tenant)["policy"] == DEFAULT_GUIDANCE_POLICY.model_dump(mode="json")
    assert GuidancePolicy.model_validate(shown(tenant, "--version", "1")["policy"]) == expected
    assert shown(tenant, "--version", "0")["version"] == 0
    assert "has no version 9" in refused("policies", "show", "--tenant", tenant, "--version", "9")


def test_policies_are_each_tenants_own(cli_env: None) -> None:
    acme, other = new_tenant_by_cli(), new_tenant_by_cli()
    code, out = run("policies", "apply", str(EXAMPLE_FILE), "--tenant", acme)
    assert code == 0, out
    assert shown(acme)["version"] == 1 and shown(other)["version"] == 0


BAD_FILE = """\
moments:
  - id: Cancel Intent
    phrases: [cancel my]
    cooldown_s: -5
    hint: {type: reminder, title: Retention offer}
  - id: question
    questions: true
    hint: {type: knowlege}
model: {provider: local, timeout_ms: 800, temprature: 0.2}
deadline_ms: 0
"""


def test_a_bad_file_names_every_bad_field_and_stores_nothing(cli_env: None, tmp_path: Path) -> None:
    tenant = new_tenant_by_cli()
    policy = tmp_path / "policy.yaml"
    policy.write_text(BAD_FILE)
    out = refused("policies", "apply", str(policy), "--tenant", tenant)
    lines = out.strip().splitlines()
    assert all(line.startswith(f"{policy}: ") for line in lines), out
    assert [line.split(": ")[1] for line in lines] == [
        "moments.0.id",
        "moments.0.cooldown_s",
        "moments.0.hint.body",
        "moments.1.hint.type",
        "model.temprature",
        "deadline_ms",
    ]
    assert "must be a slug" in lines[0]
    assert "a reminder hint needs a body" in lines[2]
    assert "not a policy field (the fields are provider, model," in lines[4]
    assert shown(tenant)["version"] == 0

    # Fixed, but for an id used twice: the rules across moments are named too.
    fixed = (
        BAD_FILE.replace("Cancel Intent", "cancel-intent")
        .replace("id: question", "id: cancel-intent")
        .replace("title: Retention offer}", "title: Retention offer, body: Offer the discount.}")
        .replace("-5", "300")
        .replace("knowlege", "knowledge")
        .replace(", temprature: 0.2", "")
        .replace("deadline_ms: 0", "deadline_ms: 1000")
    )
    policy.write_text(fixed)
    out = refused("policies", "apply", str(policy), "--tenant", tenant)
    assert out.strip() == f"{policy}: moments.1.id: id 'cancel-intent' is already used by moments.0"
    assert shown(tenant)["version"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("moments: []\nmoments: []\n", ":2:1: not valid YAML: found the key 'moments'"),
        ("moments: [\n", "not valid YAML"),
        ("- moments\n", "a guidance policy is a mapping of fields (moments, knowledge, ...)"),
        ("# nothing\n", "holds no policy; write its fields (see examples/guidance-policy.yaml)"),
        ("modle: {provider: local}\n", "modle: not a policy field (the fields are moments,"),
    ],
)
def test_a_file_that_is_no_policy_is_refused_with_the_reason(
    cli_env: None, tmp_path: Path, text: str, message: str
) -> None:
    tenant = new_tenant_by_cli()
    policy = tmp_path / "policy.yaml"
    policy.write_text(text)
    out = refused("policies", "apply", str(policy), "--tenant", tenant)
    assert f"{policy}" in out and message in out, out
    assert shown(tenant)["version"] == 0


def test_a_missing_file_or_tenant_is_refused(cli_env: None, tmp_path: Path) -> None:
    tenant = new_tenant_by_cli()
    out = refused("policies", "apply", str(tmp_path / "nope.yaml"), "--tenant", tenant)
    assert "nope.yaml: cannot be read" in out
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    assert "no tenant" in refused("policies", "apply", str(EXAMPLE_FILE), "--tenant", nobody)
    assert "no tenant" in refused("policies", "show", "--tenant", nobody)


def test_check_validates_without_a_database(tmp_path: Path) -> None:
    code, out = run("policies", "check", str(EXAMPLE_FILE))
    assert code == 0 and "a valid guidance policy (3 moments, 1 articles" in out, out
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_FILE)
    assert "moments.1.hint.type" in refused("policies", "check", str(bad))
