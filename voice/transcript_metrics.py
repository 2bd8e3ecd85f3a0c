"""Word error rate between a reference script and a transcript."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


def normalize(text: str) -> list[str]:
    """Lower case, no punctuation, numbers as single digits: "four one" and "41" both
    become "4 1", since recognizers write spoken digits either way."""
    words = re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split()
    tokens: list[str] = []
    for word in (_NUMBER_WORDS.get(w, w) for w in words):
        tokens += list(word) if word.isdigit() else [word]
    return tokens


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, hyp_word in enumerate(hyp, 1):
            previous, row[j] = (
                row[j],
                min(row[j] + 1, row[j - 1] + 1, previous + (ref_word != hyp_word)),
            )
    return row[-1] / max(1, len(ref))
