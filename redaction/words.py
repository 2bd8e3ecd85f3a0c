"""Carrying findings from an utterance's text to its words and audio times.

The text and the words need not tokenise alike: punctuation sticks to words in the
text, "206-555-0198" may be one word or three, Deepgram's words are lower case. Text
tokens are aligned to words with difflib on normalised forms; where the two disagree,
by position inside the disagreeing stretch. A finding that cannot be placed still has its
text redacted, and its audio span covers the whole utterance: beep more, never less.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence

from callguide.model import PiiSpan, Utterance, Word
from redaction.anonymize import anonymize, mask, replacement
from redaction.model import Finding
from redaction.policy import ReplacementStyle

_TOKEN = re.compile(r"\S+")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _text_tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _norm(m.group())) for m in _TOKEN.finditer(text)]


def align(text: str, words: Sequence[Word]) -> list[list[int] | None]:
    """For each whitespace-separated token of `text`, the indices of the words it was
    spoken as; None where no word can be found for it."""
    tokens = _text_tokens(text)
    if not words:
        return [None] * len(tokens)
    a = [t[2] for t in tokens]
    b = [_norm(w.word) for w in words]
    out: list[list[int] | None] = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                out[i1 + k] = [j1 + k]
        elif op == "replace":
            n, m = i2 - i1, j2 - j1
            for k in range(n):
                lo = j1 + (k * m) // n
                hi = j1 + -(-((k + 1) * m) // n)
                out[i1 + k] = list(range(lo, max(hi, lo + 1)))
        elif op == "delete":
            # text with no word of its own: punctuation belongs to no sound; a real
            # token is unplaced
            for k in range(i1, i2):
                out[k] = [] if a[k] == "" else None
    return out


def _merge_spans(spans: list[PiiSpan]) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (s.type, s.start_ms, s.end_ms)):
        if out and out[-1].type == span.type and span.start_ms <= out[-1].end_ms:
            prev = out[-1]
            out[-1] = PiiSpan(prev.type, prev.start_ms, max(prev.end_ms, span.end_ms))
        else:
            out.append(span)
    return sorted(out, key=lambda s: (s.start_ms, s.end_ms, s.type))


def redact_utterance(
    utterance: Utterance,
    findings: Sequence[Finding],
    *,
    style: ReplacementStyle,
    salt: bytes = b"",
) -> Utterance:
    """A copy of `utterance` with its text anonymized, every word that overlaps a
    finding replaced (timings kept), and one PII time span per finding (same-type spans
    that touch merged). Spans are not padded: audio redaction pads them."""
    if not findings:
        return utterance
    text = utterance.text
    tokens = _text_tokens(text)
    mapping = align(text, utterance.words)
    words = list(utterance.words)
    replaced: dict[int, str] = {}
    spans: list[PiiSpan] = list(utterance.pii)
    for finding in findings:
        value = text[finding.start : finding.end]
        hit = [k for k, (s, e, _) in enumerate(tokens) if s < finding.end and e > finding.start]
        indices: set[int] = set()
        placed = bool(hit)
        for k in hit:
            mapped = mapping[k]
            if mapped is None:
                placed = False
            else:
                indices.update(mapped)
        if not placed:
            # fail safe: also every word that reads like a token of the finding
            norms = {_norm(part) for part in value.split()} - {""}
            indices.update(i for i, w in enumerate(words) if _norm(w.word) in norms)
        for i in indices:
            if i in replaced:
                continue
            if style == ReplacementStyle.MASK:
                replaced[i] = mask(words[i].word)
            else:
                replaced[i] = replacement(finding.type, value, style=style, salt=salt)
        if placed and indices:
            start = min(words[i].start_ms for i in indices)
            end = max(words[i].end_ms for i in indices)
        else:
            start, end = utterance.start_ms, utterance.end_ms
        spans.append(PiiSpan(type=finding.type.value, start_ms=start, end_ms=end))
    for i, new in replaced.items():
        words[i] = dataclasses.replace(words[i], word=new)
    return dataclasses.replace(
        utterance,
        text=anonymize(text, findings, style=style, salt=salt),
        words=words,
        pii=_merge_spans(spans),
    )
