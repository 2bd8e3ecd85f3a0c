"""The Terraform in infra/terraform: it parses, every reference resolves, IAM stays
least-privilege, roots keep data in their region, and checkov finds nothing that is not
skipped with a written reason. The contact flow it installs is checked in
test_contact_flow.py.

`terraform validate` needs providers from the registry, so the checks here work from the
parsed files (python-hcl2) and checkov's offline scan.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "infra" / "terraform"
MODULES = TERRAFORM / "modules"
REGIONS = TERRAFORM / "regions"
CONTACT_FLOW = MODULES / "connect_integration" / "flows" / "callguide_inbound.json"

MODULE_META_ARGUMENTS = {"source", "version", "for_each", "count", "depends_on", "providers"}
RESOURCE_TYPE_PREFIXES = ("aws", "kubernetes", "helm", "random", "tls", "archive")
# Names Terraform itself defines inside expressions; everything else must be declared.
REGION_LITERAL = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?[a-z]+-\d\b")


# ---- Parsing ---------------------------------------------------------------------


def _parse_hcl(text: str) -> dict[str, Any]:
    """Parse with whichever python-hcl2 API is installed (older load(f), or v8's options)."""
    parameters = inspect.signature(hcl2.loads).parameters
    if "serialization_options" in parameters:  # python-hcl2 >= 8
        from hcl2.utils import SerializationOptions

        options = SerializationOptions(strip_string_quotes=True, with_comments=False)
        parsed: dict[str, Any] = hcl2.loads(text, serialization_options=options)  # type: ignore[call-arg]
        return parsed
    return hcl2.loads(text)


def _key(name: str) -> str:
    return name.strip('"')


def _scalar(value: Any) -> Any:
    """Older python-hcl2 wraps every attribute value in a one-element list."""
    if isinstance(value, list) and len(value) == 1:
        return _scalar(value[0])
    if isinstance(value, str):
        return value.strip('"')
    return value


def _blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block as a list of bodies, whichever shape the parser gave it."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def _attributes(body: dict[str, Any]) -> set[str]:
    return {_key(name) for name in body if not name.startswith("__")}


def tf_files() -> list[Path]:
    return sorted(TERRAFORM.rglob("*.tf"))


@cache
def parsed(path: Path) -> dict[str, Any]:
    return _parse_hcl(path.read_text())


def module_dirs() -> list[Path]:
    """Every directory holding .tf files: reusable modules and region roots."""
    return sorted({path.parent for path in tf_files()})


class Module:
    """The declarations of one Terraform module (all .tf files of a directory)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.variables: dict[str, dict[str, Any]] = {}
        self.outputs: set[str] = set()
        self.locals: set[str] = set()
        self.module_calls: dict[str, dict[str, Any]] = {}
        self.resources: set[tuple[str, str]] = set()
        self.data: set[tuple[str, str]] = set()
        self.providers: list[tuple[str, dict[str, Any]]] = []
        for path in sorted(directory.glob("*.tf")):
            document = parsed(path)
            for block in document.get("variable", []):
                for name, body in block.items():
                    self.variables[_key(name)] = body
            for block in document.get("output", []):
                self.outputs.update(_key(name) for name in block)
            for block in document.get("locals", []):
                self.locals.update(_attributes(block))
            for block in document.get("module", []):
                for name, body in block.items():
                    self.module_calls[_key(name)] = body
            for kind, target in (("resource", self.resources), ("data", self.data)):
                for block in document.get(kind, []):
                    for type_name, named in block.items():
                        target.update((_key(type_name), _key(name)) for name in named)
            for block in document.get("provider", []):
                for name, body in block.items():
                    self.providers.append((_key(name), body))

    def source_of(self, call: str) -> Path:
        return (self.directory / _scalar(self.module_calls[call]["source"])).resolve()


@cache
def module_at(directory: Path) -> Module:
    return Module(directory)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _interpolations(text: str) -> Iterator[str]:
    """The expressions inside ${...} (balanced braces): where references live."""
    start = text.find("${")
    while start != -1:
        depth, index = 0, start + 1
        while index < len(text):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        yield text[start + 2 : index]
        start = text.find("${", index)


def expressions(directory: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(directory.glob("*.tf")):
        for text in _strings(parsed(path)):
            found.extend(_interpolations(text))
    return found


def _relative(directory: Path) -> str:
    return str(directory.relative_to(TERRAFORM))


# ---- Every file parses; every module declares its interface -----------------------


def test_terraform_tree_has_modules_and_a_us_and_an_eu_root() -> None:
    modules = {path.name for path in MODULES.iterdir() if path.is_dir()}
    assert {"connect_integration", "lambdas", "storage", "eks", "edge"} <= modules
    regions = [path.name for path in REGIONS.iterdir() if path.is_dir()]
    assert any(region.startswith("us-") for region in regions), regions
    assert any(region.startswith("eu-") for region in regions), regions


@pytest.mark.parametrize("path", tf_files(), ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_every_tf_file_parses(path: Path) -> None:
    with path.open() as handle:
        document = hcl2.load(handle)
    assert isinstance(document, dict)


def test_every_module_has_described_typed_variables_and_described_outputs() -> None:
    for directory in sorted(path for path in MODULES.iterdir() if path.is_dir()):
        module = module_at(directory)
        assert module.variables, f"{_relative(directory)} declares no variables"
        assert module.outputs, f"{_relative(directory)} declares no outputs"
        for name, body in module.variables.items():
            assert "description" in body, f"{_relative(directory)}: variable {name} undescribed"
            assert "type" in body, f"{_relative(directory)}: variable {name} has no type"
        for path in directory.glob("*.tf"):
            for block in parsed(path).get("output", []):
                for name, body in block.items():
                    assert "description" in body, f"{_relative(directory)}: output {name}"


# ---- References resolve ----------------------------------------------------------


def unresolved_references(directory: Path) -> list[str]:
    module = module_at(directory)
    unresolved: list[str] = []
    prefixes = "|".join(RESOURCE_TYPE_PREFIXES)
    for expression in expressions(directory):
        for name in re.findall(r"(?<![\w.])var\.(\w+)", expression):
            if name not in module.variables:
                unresolved.append(f"var.{name}")
        for name in re.findall(r"(?<![\w.])local\.(\w+)", expression):
            if name not in module.locals:
                unresolved.append(f"local.{name}")
        for type_name, name in re.findall(r"(?<![\w.])data\.(\w+)\.(\w+)", expression):
            if (type_name, name) not in module.data:
                unresolved.append(f"data.{type_name}.{name}")
        for type_name, name in re.findall(rf"(?<![\w.])((?:{prefixes})_\w+)\.(\w+)", expression):
            if (type_name, name) not in module.resources:
                unresolved.append(f"{type_name}.{name}")
        module_refs = re.findall(r"(?<![\w.])module\.(\w+)(?:\[[^\]]*\])?(?:\.(\w+))?", expression)
        for call, output in module_refs:
            if call not in module.module_calls:
                unresolved.append(f"module.{call}")
            elif output and output not in module_at(module.source_of(call)).outputs:
                unresolved.append(f"module.{call}.{output}")
    return sorted(set(unresolved))


def module_call_problems(directory: Path) -> list[str]:
    module = module_at(directory)
    problems: list[str] = []
    for call, body in module.module_calls.items():
        target_dir = module.source_of(call)
        if not (target_dir / "variables.tf").is_file():
            problems.append(f"module.{call}: no module at {target_dir}")
            continue
        target = module_at(target_dir)
        arguments = _attributes(body) - MODULE_META_ARGUMENTS
        for name in sorted(arguments - set(target.variables)):
            problems.append(f"module.{call} passes undeclared {name}")
        required = {name for name, decl in target.variables.items() if "default" not in decl}
        for name in sorted(required - arguments):
            problems.append(f"module.{call} misses required {name}")
    return problems


@pytest.mark.parametrize("directory", module_dirs(), ids=_relative)
def test_every_reference_resolves(directory: Path) -> None:
    assert unresolved_references(directory) == []


@pytest.mark.parametrize("directory", module_dirs(), ids=_relative)
def test_module_calls_pass_exactly_the_called_modules_variables(directory: Path) -> None:
    assert module_call_problems(directory) == []


def test_the_checks_report_broken_references_and_module_calls(tmp_path: Path) -> None:
    """The resolvers are not vacuous: typical mistakes in a module are each reported."""
    child = tmp_path / "child"
    child.mkdir()
    (child / "variables.tf").write_text(
        'variable "needed" {\n  type = string\n}\n\nvariable "optional" {\n'
        '  type    = string\n  default = "x"\n}\n'
    )
    (child / "outputs.tf").write_text('output "name" {\n  value = var.needed\n}\n')
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "main.tf").write_text(
        'variable "prefix" {\n  type = string\n}\n\n'
        'locals {\n  known = "a"\n}\n\n'
        'module "child" {\n  source  = "../child"\n  optinal = "typo"\n}\n\n'
        'resource "aws_s3_bucket" "audio" {\n'
        '  bucket = "${var.prefx}-${local.unknown}-${module.child.nmae}-${module.other.x}"\n'
        "  policy = data.aws_iam_policy_document.missing.json\n"
        "  tags   = { a = aws_kms_key.absent.arn, b = local.known, c = var.prefix }\n"
        "}\n"
    )
    assert unresolved_references(parent) == [
        "aws_kms_key.absent",
        "data.aws_iam_policy_document.missing",
        "local.unknown",
        "module.child.nmae",
        "module.other",
        "var.prefx",
    ]
    assert module_call_problems(parent) == [
        "module.child passes undeclared optinal",
        "module.child misses required needed",
    ]


# ---- Data residency ----------------------------------------------------------------


def region_roots() -> list[Path]:
    return sorted(path for path in REGIONS.iterdir() if path.is_dir())


@pytest.mark.parametrize("root", region_roots(), ids=lambda path: path.name)
def test_a_region_root_uses_only_its_own_region(root: Path) -> None:
    module = module_at(root)
    aws_providers = [body for name, body in module.providers if name == "aws"]
    assert len(aws_providers) == 1, "one aws provider, no aliases into other regions"
    assert "alias" not in aws_providers[0]
    assert _scalar(aws_providers[0]["region"]) == root.name
    for path in root.glob("*.tf"):
        regions = set(REGION_LITERAL.findall(path.read_text()))
        assert regions <= {root.name}, f"{path.name} names {regions - {root.name}}"
    calls = {call: module.source_of(call) for call in module.module_calls}
    assert calls, "a root deploys the region module"


def test_modules_never_name_a_region() -> None:
    """Modules take the region from the caller's provider, so an EU root stays in the EU."""
    for path in sorted(MODULES.rglob("*.tf")):
        assert not REGION_LITERAL.findall(path.read_text()), path.relative_to(TERRAFORM)
    assert not REGION_LITERAL.findall(CONTACT_FLOW.read_text())


# ---- IAM ---------------------------------------------------------------------------


def policy_statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every aws_iam_policy_document, with where it is."""
    for path in tf_files():
        for block in parsed(path).get("data", []):
            for name, body in block.get("aws_iam_policy_document", {}).items():
                for documents in _blocks(body):
                    for statement in _blocks(documents.get("statement", [])):
                        yield f"{path.relative_to(TERRAFORM)}:{_key(name)}", statement
                    for dynamic in _blocks(documents.get("dynamic", [])):
                        for content in _blocks(dynamic.get("statement", {})):
                            for statement in _blocks(content.get("content", [])):
                                yield f"{path.relative_to(TERRAFORM)}:{_key(name)}", statement


def _list(statement: dict[str, Any], field: str) -> list[str]:
    value = statement.get(field, [])
    while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    values = value if isinstance(value, list) else [value]
    return [_scalar(item) for item in values]


def test_policy_documents_grant_no_wildcard_action_and_no_service_wide_grant() -> None:
    statements = list(policy_statements())
    assert len(statements) > 20, "the policy documents were found"
    for where, statement in statements:
        if _scalar(statement.get("effect", "Allow")) == "Deny":
            continue
        actions, resources = _list(statement, "actions"), _list(statement, "resources")
        assert "*" not in actions, f"{where}: '*' action"
        assert not (
            "*" in resources and any(a.endswith(":*") for a in actions) and "kms:*" not in actions
        ), where
        for action in actions:
            assert action not in {"s3:*", "kinesisvideo:*", "iam:*", "sts:*"}, f"{where}: {action}"


def test_no_inline_json_policy_grants_wildcards() -> None:
    for path in tf_files():
        text = path.read_text()
        assert not re.search(r'"?Action"?\s*[=:]\s*\[?\s*"\*"', text), path
        for wildcard in ('"s3:*"', '"kinesisvideo:*"'):
            assert wildcard not in text, f"{path}: {wildcard}"


def _statement(document: str, sid: str) -> dict[str, Any]:
    for where, statement in policy_statements():
        if where.endswith(f":{document}") and _scalar(statement.get("sid")) == sid:
            return statement
    raise AssertionError(f"no statement {sid} in {document}")


def test_workers_read_only_the_instances_media_streams_and_their_buckets() -> None:
    kvs = _statement("workers", "ReadConnectMediaStreams")
    assert sorted(_list(kvs, "actions")) == [
        "kinesisvideo:GetDataEndpoint",
        "kinesisvideo:GetMedia",
    ]
    assert _list(kvs, "resources") == ["${var.media_stream_arn_patterns}"]
    objects = _statement("workers", "ReadWriteRedactedAudio")
    assert all('/*"' in resource for resource in _list(objects, "resources"))
    kvs_actions = [
        action
        for where, statement in policy_statements()
        for action in _list(statement, "actions")
        if action.startswith("kinesisvideo:")
    ]
    assert sorted(set(kvs_actions)) == ["kinesisvideo:GetDataEndpoint", "kinesisvideo:GetMedia"]
    patterns = (MODULES / "connect_integration" / "main.tf").read_text()
    assert (
        'stream/${var.kvs_stream_prefix}*connect-${instance.instance_alias}-contact-*/*"'
        in patterns
    )


def test_each_lambda_has_its_own_role_and_only_the_feeder_reads_the_stream() -> None:
    lambdas = module_at(MODULES / "lambdas")
    assert ("aws_iam_role", "this") in lambdas.resources
    main = (MODULES / "lambdas" / "main.tf").read_text()
    assert "role                           = aws_iam_role.this[each.key].arn" in main
    feeder = _statement("function", "OwnLogs")
    assert _list(feeder, "actions") == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert 'for_each = each.key == "ctr_feeder" ? [var.ctr_stream_arn] : []' in main
    handlers = set(re.findall(r'handler = "(\w+)\.handler"', main))
    assert handlers == {"contact_flow", "contact_events", "ctr_feeder"}


# ---- checkov -------------------------------------------------------------------------


def test_every_checkov_skip_has_a_written_reason() -> None:
    skips = 0
    for path in tf_files():
        for line in path.read_text().splitlines():
            if "checkov:skip" not in line:
                continue
            skips += 1
            match = re.search(r"#checkov:skip=(CKV2?_[A-Z0-9]+_\d+):(.+)$", line.strip())
            assert match, f"{path.name}: malformed skip {line.strip()}"
            assert len(match.group(2).split()) >= 6, f"{path.name}: skip without a reason: {line}"
    assert skips


def test_checkov_finds_no_failed_check() -> None:
    checkov = Path(sys.executable).parent / "checkov"
    assert checkov.exists(), "checkov is a dev dependency: run make install"
    completed = subprocess.run(
        [
            str(checkov),
            "-d",
            "infra/terraform",
            "--framework",
            "terraform",
            "--quiet",
            "--compact",
            "-o",
            "json",
            "--download-external-modules",
            "false",
            # No Prisma Cloud look-ups: this machine is offline and the scan needs none.
            "--skip-download",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    assert completed.stdout.strip(), completed.stderr[-2000:]
    reports = json.loads(completed.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    summary = {"passed": 0, "failed": 0, "parsing_errors": 0}
    failed: list[str] = []
    for report in reports:
        for field in summary:
            summary[field] += report.get("summary", {}).get(field, 0)
        for check in report.get("results", {}).get("failed_checks", []):
            failed.append(f"{check['check_id']} {check['resource']} ({check['file_path']})")
    assert summary["parsing_errors"] == 0, completed.stdout[-2000:]
    assert summary["passed"] > 100, summary
    assert not failed, "\n".join(failed)
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_lambdas_are_packaged_from_infra_lambda_with_the_settings_the_handlers_read() -> None:
    region = module_at(MODULES / "region")
    source = _scalar(region.module_calls["lambdas"]["lambda_source_dir"])
    package_dir = (MODULES / "region" / source.replace("${path.module}/", "")).resolve()
    assert package_dir == REPO / "infra" / "lambda"
    handlers = {path.stem for path in package_dir.glob("*.py")}
    assert {"contact_flow", "contact_events", "ctr_feeder"} <= handlers
    read = set()
    for path in package_dir.glob("*.py"):
        read |= set(
            re.findall(r"os\.environ(?:\.get\(|\[)\s*\"(CALLGUIDE_\w+)\"", path.read_text())
        )
    main = (MODULES / "lambdas" / "main.tf").read_text()
    environment = re.search(r"environment \{\s*variables = \{(.*?)\}", main, re.S)
    assert environment
    given = set(re.findall(r"^\s*(CALLGUIDE_\w+)\s*=", environment.group(1), re.M))
    # Optional settings with defaults in the handlers (e.g. a timeout) may stay unset.
    assert {"CALLGUIDE_API_URL", "CALLGUIDE_API_KEY_SECRET_ARN"} <= read & given
    assert given <= read, f"set but never read: {given - read}"
