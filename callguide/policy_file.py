"""Reads a policy (redaction, guidance) from a YAML file, as a person writes one.

Every problem is reported with the file and the field or line it is in: a YAML error, a
key written twice (YAML would silently keep the last), an unknown field or a bad value,
all of a file's problems at once, each on its own line.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from guidance.policy import GuidancePolicy
from redaction.policy import RedactionPolicy

M = TypeVar("M", bound=BaseModel)

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


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds (through Optional, tuples, lists and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is None:
        return []
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        args = args[:1]
    elif origin not in (tuple, list, typing.Union, types.UnionType):
        return []
    return [model for arg in args for model in _models_in(arg)]


def _model_at(model: type[BaseModel], location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model whose field sits at location (list indexes skipped)."""
    for part in location:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        found = _models_in(field.annotation) if field is not None else []
        if not found:
            return None
        model = found[0]
    return model


@dataclass(frozen=True)
class PolicyKind(Generic[M]):
    """A kind of policy file: its model, what a person calls it and its commented example."""

    model: type[M]
    noun: str
    example: str

    def parse(self, text: str | bytes, path: Path) -> M:
        """The policy the YAML text holds; PolicyFileError naming each problem otherwise."""
        try:
            data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: plain data only
        except yaml.YAMLError as exc:
            raise PolicyFileError(_yaml_problem(path, exc)) from exc
        if data is None:
            raise PolicyFileError(
                f"{path}: the file holds no policy; write its fields (see "
                f"{self.example}), or {{}} for the default policy"
            )
        if not isinstance(data, dict):
            some = ", ".join(list(self.model.model_fields)[:2])
            raise PolicyFileError(
                f"{path}: a {self.noun} is a mapping of fields ({some}, ...), "
                f"not a {type(data).__name__}"
            )
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            problems = [f"{path}: {_field(e['loc'])}: {self._message(e)}" for e in exc.errors()]
            raise PolicyFileError("\n".join(problems)) from exc

    def load(self, path: Path) -> M:
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise PolicyFileError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        return self.parse(text, path)

    def _message(self, error: ErrorDetails) -> str:
        if error["type"] == "extra_forbidden":
            owner = _model_at(self.model, tuple(error["loc"])[:-1])
            if owner is not None:
                known = ", ".join(owner.model_fields)
                return f"not a policy field (the fields are {known})"
            return "not a policy field"
        return error["msg"]


REDACTION = PolicyKind(RedactionPolicy, "policy", "examples/redaction-policy.yaml")
GUIDANCE = PolicyKind(GuidancePolicy, "guidance policy", "examples/guidance-policy.yaml")


def parse_policy(text: str | bytes, path: Path) -> RedactionPolicy:
    """The redaction policy the YAML text holds; PolicyFileError naming each problem."""
    return REDACTION.parse(text, path)


def load_policy_file(path: Path) -> RedactionPolicy:
    """The redaction policy in the file; PolicyFileError naming each problem."""
    return REDACTION.load(path)


def policy_yaml(policy: BaseModel) -> str:
    """The policy as YAML that load_policy_file reads back to the same policy."""
    return yaml.safe_dump(policy.model_dump(mode="json"), sort_keys=False)
