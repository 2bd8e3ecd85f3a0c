"""Replacing findings in a text: a tag, a mask, or a keyed hash of the value."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

from redaction.model import NUMBER_KINDS, EntityType, Finding
from redaction.policy import ReplacementStyle
from redaction.spoken import Kind, find_runs, tokenize

_EMAIL_WORDS = {
    "at": "@",
    "dot": ".",
    "period": ".",
    "point": ".",
    "underscore": "_",
    "dash": "-",
    "hyphen": "-",
    "minus": "-",
    "sign": "",
    "symbol": "",
}
_ALNUM = re.compile(r"[^\W_]")
HASH_HEX_CHARS = 10


def _spoken_email(value: str) -> str:
    """ "kevin dot mills at example dot com" -> "kevin.mills@example.com"."""
    tokens = tokenize(value)
    digits_at: dict[int, str] = {}
    covered: set[int] = set()
    for run in find_runs(value, tokens):
        for piece in run.pieces:
            digits_at[piece.first_token] = piece.digits
            covered.update(range(piece.first_token, piece.last_token + 1))
    out = []
    for i, tok in enumerate(tokens):
        if i in digits_at:
            out.append(digits_at[i])
        elif i in covered:
            continue
        elif tok.lower in _EMAIL_WORDS:
            out.append(_EMAIL_WORDS[tok.lower])
        elif tok.kind != Kind.NEWLINE:
            out.append(tok.lower)
    return "".join(out)


def normalized_value(entity: EntityType, value: str) -> str:
    """The value as it would be written, so "four one one one..." and "4111 ..." (or the
    spoken and written forms of one e-mail address) hash alike."""
    if entity in NUMBER_KINDS:
        digits = "".join(run.digits for run in find_runs(value))
        if entity == EntityType.PHONE_NUMBER and len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if digits:
            return digits
    if entity == EntityType.EMAIL_ADDRESS:
        return _spoken_email(value)
    return " ".join(re.findall(r"[^\W_]+", value.lower()))


def value_hash(entity: EntityType, value: str, salt: bytes) -> str:
    digest = hmac.new(salt, normalized_value(entity, value).encode(), hashlib.sha256)
    return digest.hexdigest()[:HASH_HEX_CHARS]


def mask(value: str) -> str:
    """Every letter and digit becomes "*"; spaces and punctuation stay."""
    return _ALNUM.sub("*", value)


def replacement(entity: EntityType, value: str, *, style: ReplacementStyle, salt: bytes) -> str:
    if style == ReplacementStyle.MASK:
        return mask(value)
    if style == ReplacementStyle.HASH:
        return f"[{entity.value}:{value_hash(entity, value, salt)}]"
    return f"[{entity.value}]"


def merge_overlaps(findings: Sequence[Finding]) -> list[Finding]:
    """Findings sorted by start, overlapping ones joined (the first one's type)."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            prev = out[-1]
            out[-1] = Finding(prev.type, prev.start, max(prev.end, f.end), max(prev.score, f.score))
        else:
            out.append(f)
    return out


def anonymize(
    text: str, findings: Sequence[Finding], *, style: ReplacementStyle, salt: bytes = b""
) -> str:
    """`text` with every finding replaced: "[CREDIT_CARD]", "**** ****", or
    "[CREDIT_CARD:<first 10 hex digits of HMAC-SHA256(salt, normalized value)>]"."""
    parts = []
    pos = 0
    for f in merge_overlaps(findings):
        start, end = max(f.start, pos), min(f.end, len(text))
        if start >= end:
            continue
        parts.append(text[pos:start])
        parts.append(replacement(f.type, text[start:end], style=style, salt=salt))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
