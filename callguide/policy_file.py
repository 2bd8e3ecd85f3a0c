"""Reads a redaction policy from a YAML file, as a compliance officer writes one.

Every problem is reported with the file and the field or line it is in: a YAML error, a
key written twice (YAML would silently keep the last), an unknown field or a bad value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from redaction.policy import RedactionPolicy

MERGE_TAG = "tag:yaml.org,2002:merge"


class PolicyFileError(ValueError):
    """What is wrong with a policy file, one problem a line, each naming its place."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping key written twice."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[str] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE_TAG:
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {key_node.value!r} a second time",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _mapping_without_duplicates,  # type: ignore[arg-type]
)


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"{path}:{mark.line + 1}:{mark.column + 1}: not valid YAML: {exc.problem}"
    return f"{path}: not valid YAML: {exc}"


def _field(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "(the whole policy)"


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        known = ", ".join(RedactionPolicy.model_fields)
        return f"not a policy field (the fields are {known})"
    return error["msg"]


def parse_policy(text: str | bytes, path: Path) -> RedactionPolicy:
    """The policy the YAML text holds; PolicyFileError naming each problem otherwise."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: builds plain data only
    except yaml.YAMLError as exc:
        raise PolicyFileError(_yaml_problem(path, exc)) from exc
    if data is None:
        raise PolicyFileError(
            f"{path}: the file holds no policy; write its fields (see "
            "examples/redaction-policy.yaml), or {} for the default policy"
        )
    if not isinstance(data, dict):
        raise PolicyFileError(
            f"{path}: a policy is a mapping of fields (entities, style, ...), "
            f"not a {type(data).__name__}"
        )
    try:
        return RedactionPolicy.model_validate(data)
    except ValidationError as exc:
        problems = [f"{path}: {_field(e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise PolicyFileError("\n".join(problems)) from exc


def load_policy_file(path: Path) -> RedactionPolicy:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    return parse_policy(text, path)


def policy_yaml(policy: RedactionPolicy) -> str:
    """The policy as YAML that load_policy_file reads back to the same policy."""
    return yaml.safe_dump(policy.model_dump(mode="json"), sort_keys=False)
