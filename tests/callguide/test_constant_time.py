"""Credentials are compared in constant time: no `==` between a token and a secret."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("api", "callguide", "storage")
CREDENTIAL = re.compile(r"token|api_?key|secret|password|passwd|key_hash|credential", re.I)


def _names(node: ast.AST) -> list[str]:
    return [
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Name | ast.Attribute)
    ]


def credential_comparisons(source: str) -> list[int]:
    """Lines comparing two non-literal values with ==/!= where one looks like a credential.

    Comparing with a literal (a tokenizer's b'"', a scheme name) leaks nothing secret.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if not isinstance(op, ast.Eq | ast.NotEq):
                continue
            if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
                continue
            if any(CREDENTIAL.search(name) for name in _names(left) + _names(right)):
                found.append(node.lineno)
    return found


def test_the_check_finds_a_plain_comparison() -> None:
    assert credential_comparisons("ok = token == settings.codec_auth_token") == [1]
    assert credential_comparisons("ok = hmac.compare_digest(token, expected)") == []
    assert credential_comparisons("ok = token == b'\"'") == []


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(ROOT) for d in SCANNED for p in (ROOT / d).rglob("*.py")),
    ids=str,
)
def test_no_credential_is_compared_with_eq(path: Path) -> None:
    lines = credential_comparisons((ROOT / path).read_text())
    assert not lines, f"{path}:{lines}: compare credentials with hmac.compare_digest"
