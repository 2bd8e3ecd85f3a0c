"""Word error rate between a reference script and a transcript, and digit checks.

Both sides go through Whisper's English normaliser (`whisper_normalizer`): lower case,
no punctuation, contractions expanded ("it's" -> "it is"), British spellings made
American, fillers ("uh", "hmm") dropped and spoken numbers written as numerals
("nineteen eighty six" -> "1986", "four one one one" -> "4111", "double five" -> "55",
"oh nine" -> "09"). Every digit run is then split into single digits, so "four one"
and "41" and "4-1" all become ["4", "1"]: recognisers write spoken digits either way,
and a digit string counts digit by digit.

Numerals already in the text are kept as they are written: the normaliser would read
"0927" or "09/27" as the numbers 927 and 9 27 (dropping a digit of an expiry date or a
phone number) and a lone "1" as the word "one" (breaking "5, 5, 5, 2, 1, 4" in two).
So digit runs are swapped for letter-only placeholders before normalising and put back
afterwards; only a numeral followed by "dollars", "cents" or "percent" goes through the
normaliser, which writes it as "$42" or "42%" like the spoken form. Symbols are dropped
at the end, so "$42" and "forty two dollars" both give ["4", "2"].
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import jiwer

_DIGIT_RUN = re.compile(r"\d+")
_NUMERAL = re.compile(r"\d+(?:[.,]\d+)*")
# "42 dollars" is left to the normaliser, which makes it "$42" as it does "forty two dollars".
_UNIT_AFTER = re.compile(r"\s*(?:dollars?|cents?|percent)\b", re.IGNORECASE)
# "zqd" + one letter per digit + "qz": a word no English rule of the normaliser touches.
_PLACEHOLDER = re.compile(r"zqd([a-j]+)qz")
_TO_LETTERS = str.maketrans("0123456789", "abcdefghij")
_TO_DIGITS = str.maketrans("abcdefghij", "0123456789")
# After normalising: a single digit, or a run of anything that is neither a digit,
# a space nor a leftover symbol ("$42" -> "$", "4", "2"; "3rd" -> "3", "rd").
_TOKEN = re.compile(r"\d|[^\W\d_]+|'[^\W\d_]+")


@functools.cache
def _english_normalizer() -> Callable[[str], str]:
    from whisper_normalizer.english import EnglishTextNormalizer

    normalizer: Callable[[str], str] = EnglishTextNormalizer()
    return normalizer


def _protect(numeral: re.Match[str]) -> str:
    if _UNIT_AFTER.match(numeral.string, numeral.end()):
        return numeral.group()
    # No spaces around a placeholder: "1st" must stay one word, not become "1 saint".
    return _DIGIT_RUN.sub(lambda m: f"zqd{m.group().translate(_TO_LETTERS)}qz", numeral.group())


def normalize(text: str) -> list[str]:
    """The words of `text` as compared by `word_error_rate`, each digit its own word:
    "It's four one one one." -> ["it", "is", "4", "1", "1", "1"]."""
    protected = _NUMERAL.sub(_protect, text)
    normalized = _english_normalizer()(protected)
    restored = _PLACEHOLDER.sub(lambda m: f" {m.group(1).translate(_TO_DIGITS)} ", normalized)
    return _TOKEN.findall(restored)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after `normalize`.

    An empty reference gives 0.0 for an empty hypothesis, else the number of inserted
    words (as if the reference had one word)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return float(len(hyp))
    return float(jiwer.wer(" ".join(ref), " ".join(hyp)))


def digit_runs(text: str) -> list[str]:
    """The runs of consecutive digits in `text` after `normalize`, as strings: words
    break a run, spaces and punctuation between groups do not.
    "four one one one, 1111 and 7" -> ["41111111", "7"]."""
    runs: list[str] = []
    current = ""
    for token in normalize(text):
        if token.isdigit():
            current += token
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def spoken_digits(text: str) -> str:
    """The digit string read out in a reference turn: its longest digit run
    ("Okay. It's four one one one, one one one one." -> "41111111"; "" if none).
    Shorter runs elsewhere in the turn (a house number, a price) are left out."""
    return max(digit_runs(text), key=len, default="")


def _only_digits(digits: str) -> str:
    return "".join(ch for ch in digits if ch.isdigit())


def digits_in_order(reference_digits: str, hypothesis: str) -> bool:
    """Whether every digit of `reference_digits` (non-digits in it are ignored, so
    "4111 1111" works) appears in order and unbroken inside one digit run of
    `hypothesis`: "4111 1111" and "four one one one, one one one one" pass,
    "4111 and 1111" or "4111 111" do not. An empty reference passes."""
    wanted = _only_digits(reference_digits)
    return not wanted or any(wanted in run for run in digit_runs(hypothesis))


def digits_matched(reference_digits: str, hypothesis: str) -> int:
    """How many digits of `reference_digits` the digits of `hypothesis` reproduce in
    order (longest common subsequence, ignoring the words between them): a measure of
    how close a transcript came when `digits_in_order` fails. Pass only the part of a
    transcript where the number was spoken, since any digit anywhere counts."""
    wanted = _only_digits(reference_digits)
    heard = "".join(digit_runs(hypothesis))
    row = [0] * (len(heard) + 1)
    for ref_digit in wanted:
        diagonal = 0
        for j, hyp_digit in enumerate(heard, 1):
            diagonal, row[j] = (
                row[j],
                diagonal + 1 if ref_digit == hyp_digit else max(row[j], row[j - 1]),
            )
    return row[-1]
