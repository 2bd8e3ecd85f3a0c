"""Numbers as an ASR writes them, turned into digits placed in the text.

A transcript says a number in many ways: "4111 1111", "four one one one", "double five",
"oh four", "nineteen seventy two", "one fifty eight", "4 1 1 1 one one", broken up by
commas, hyphens and fillers ("uh", "sorry", "let me see"). `find_runs` turns each stretch
of such talk into a `DigitRun`: its pieces, each a digit string with the character range
it was spoken in, so a recognizer can count, check and place digits whatever their form.

Numbers that are plainly not identifiers end a run and are left out of it: money
("$49.99", "six dollars"), times ("3:30", "five minutes"), percentages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from redaction.cardinals import read_number_words
from redaction.number_words import (
    NUMBER_WORDS,
    NUMBERED_FILLERS,
    ORDINALS,
    REPEATS,
    TEENS,
    TENS,
    UNITS,
    filler_end,
    numeric_word,
)
from redaction.quantities import harmless
from redaction.tokens import Kind, Token, said_for_digits, tokenize

__all__ = [
    "NUMBER_WORDS",
    "ORDINALS",
    "TENS",
    "UNITS",
    "DigitRun",
    "Gap",
    "Kind",
    "Piece",
    "Token",
    "filler_end",
    "find_runs",
    "spoken_digits",
    "tokenize",
]


_GAP_PUNCT = frozenset(",.…-–—/;()")


class Gap(StrEnum):
    """What separates a piece from the one before it in a run."""

    NONE = ""  # the first piece
    SPACE = "space"  # only whitespace: the same group
    COMPOUND = "compound"  # "twenty-seven"
    HYPHEN = "hyphen"
    SLASH = "slash"
    PUNCT = "punct"  # comma, full stop
    FILLER = "filler"
    LINE = "line"


STRONG_GAPS = frozenset({Gap.HYPHEN, Gap.SLASH, Gap.PUNCT, Gap.FILLER, Gap.LINE})


@dataclass(frozen=True)
class Piece:
    """Digits spoken as one unit ("4111", "seven", "fifty eight", "double five")."""

    digits: str
    start: int
    end: int
    gap: Gap  # what came between the previous piece and this one
    written: bool  # from a digit string rather than words
    first_token: int
    last_token: int


@dataclass(frozen=True)
class DigitRun:
    """A stretch of talk that reads out one number, or several in a row."""

    pieces: tuple[Piece, ...]

    @cached_property
    def digits(self) -> str:
        return "".join(p.digits for p in self.pieces)

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end

    @property
    def first_token(self) -> int:
        return self.pieces[0].first_token

    @property
    def last_token(self) -> int:
        return self.pieces[-1].last_token

    def segments(self) -> list[tuple[int, int]]:
        """Piece index ranges [i, j) split where the speaker paused (punctuation, filler,
        hyphen, line break) or between two written digit strings ("206 555 0198")."""
        return list(self._segments)

    @cached_property
    def _segments(self) -> tuple[tuple[int, int], ...]:
        bounds = [0]
        for k in range(1, len(self.pieces)):
            piece, prev = self.pieces[k], self.pieces[k - 1]
            written_groups = (
                piece.written and prev.written and max(len(piece.digits), len(prev.digits)) > 1
            )
            if piece.gap in STRONG_GAPS or written_groups:
                bounds.append(k)
        bounds.append(len(self.pieces))
        return tuple((bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1))

    def sub(self, i: int, j: int) -> DigitRun:
        return DigitRun(self.pieces[i:j])

    def group_sizes(self) -> list[int]:
        return list(self._group_sizes)

    @cached_property
    def _group_sizes(self) -> tuple[int, ...]:
        return tuple(sum(len(p.digits) for p in self.pieces[i:j]) for i, j in self._segments)


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Only whitespace between the two tokens (no comma, no newline)."""
    between = text[a.end : b.start]
    return between.strip(" \t") == ""


def _number_like(token: Token) -> bool:
    w = token.lower
    return (
        token.kind == Kind.DIGITS
        or (w in UNITS and w not in ("oh", "o"))
        or w in TEENS
        or (w in TENS)
    )


def _is_single_digit(token: Token) -> bool:
    return (token.kind == Kind.DIGITS and len(token.text) == 1) or (
        token.lower in UNITS and token.lower not in ("oh", "o")
    )


# How many digits a piece has, said before it: "first three ...", "middle two ...".
_PIECE_PLACES = frozenset({"first", "middle", "next"})
_PIECE_COUNTS = frozenset({"two", "three", "four", "five", "six", "2", "3", "4", "5", "6"})


def _names_a_piece(prev: Token | None, tok: Token, nxt: Token | None) -> bool:
    return (
        prev is not None
        and prev.lower in _PIECE_PLACES
        and tok.lower in _PIECE_COUNTS
        and nxt is not None
        and (nxt.kind == Kind.DIGITS or (nxt.lower in UNITS and nxt.lower not in ("oh", "o")))
    )


def _counts_digits(tokens: list[Token], i: int) -> bool:
    """Token i, a number word, counts the digits of a code named next ("four digit code",
    "six-digit pin"), said in words: a count, no digit of it."""
    if tokens[i].kind == Kind.DIGITS or tokens[i].lower not in NUMBER_WORDS:
        return False
    k = i + 1
    if k < len(tokens) and tokens[k].text == "-":
        k += 1
    return k < len(tokens) and tokens[k].lower in ("digit", "digits")


# Words after which "one" stands for a thing already named ("this one", "the other one").
_ONE_AS_PRONOUN = frozenset({"this", "that", "which", "other", "another", "same", "new", "old"})


def _counts_a_thing(tokens: list[Token], i: int) -> bool:
    """The "one" at token i opens its line after "and", and a word that is no number
    follows it: one more of something ("And one hood, please"), not a number's last digit
    said on from the line before ("One Main Street" may be an address)."""
    if i < 1 or tokens[i - 1].lower != "and":
        return False
    if i >= 2 and tokens[i - 2].kind != Kind.NEWLINE:
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and nxt.kind == Kind.WORD and not said_for_digits(nxt.lower)


def _number_atoms(text: str, tokens: list[Token]) -> list[bool]:
    """Which tokens can be part of a spoken or written number."""
    n = len(tokens)
    flags = [False] * n
    filler = [False] * n  # "one sec": a pause, not a digit
    for i, tok in enumerate(tokens):
        if tok.lower == "one":
            for phrase in NUMBERED_FILLERS:
                if tuple(t.lower for t in tokens[i : i + len(phrase)]) == phrase:
                    filler[i : i + len(phrase)] = [True] * len(phrase)
    for i, tok in enumerate(tokens):
        w = tok.lower
        if filler[i]:
            continue
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < n else None
        if w in ("four", "4", "for") and prev is not None and prev.lower in ("last", "final"):
            continue  # "the last four four four five five": the first four names the rest
        if _names_a_piece(prev, tok, nxt):
            continue  # "first three nine six three, middle two two one": a count, no digit
        if _counts_digits(tokens, i):
            continue  # "... thirty two four digit code oh one eight one": how many digits
        if w in ("one", "won") and prev is not None and prev.lower in _ONE_AS_PRONOUN:
            continue  # "use this won forty seven seventy six ...": the card, not its digit
        if w == "one" and _counts_a_thing(tokens, i):
            continue  # "9 0 7, 2 double 7, 6 2 1." / "And one Shipwright hood.": how many
        if tok.kind == Kind.DIGITS or (numeric_word(w) and w not in ("oh", "o")):
            flags[i] = True
        elif w in ("oh", "o"):
            pass  # decided below, once its neighbours are known
        elif w in REPEATS:
            flags[i] = bool(nxt is not None and (_is_single_digit(nxt) or nxt.lower in ("oh", "o")))
        elif w in ("hundred", "thousand"):
            flags[i] = bool(prev is not None and (_number_like(prev) or prev.lower == "a"))
        elif w == "a":
            flags[i] = bool(nxt is not None and nxt.lower in ("hundred", "thousand"))
    # "oh" is zero only next to another digit ("oh four", "five oh", "double oh seven"),
    # not in "oh, okay"; a chain of them takes its meaning from its ends.
    ohs = [i for i, tok in enumerate(tokens) if tok.lower in ("oh", "o")]
    changed = True
    while changed:
        changed = False
        for i in ohs:
            if flags[i]:
                continue
            prev = tokens[i - 1] if i > 0 else None
            nxt = tokens[i + 1] if i + 1 < n else None
            if (prev is not None and flags[i - 1] and _adjacent(text, prev, tokens[i])) or (
                nxt is not None and flags[i + 1] and _adjacent(text, tokens[i], nxt)
            ):
                flags[i] = changed = True
            elif _hyphened_to_digit(text, tokens, flags, i):
                flags[i] = changed = True  # "oh-four-six": written as one number
            elif _between_listed_digits(tokens, flags, i):
                flags[i] = changed = True  # "four, oh, five, seven": digits read with pauses
    _oh_chains(text, tokens, flags)
    # "and" inside a cardinal: "two hundred and five"
    for i, tok in enumerate(tokens):
        if (
            tok.lower == "and"
            and 0 < i < n - 1
            and tokens[i - 1].lower in ("hundred", "thousand")
            and flags[i + 1]
        ):
            flags[i] = True
    return flags


def _between_listed_digits(tokens: list[Token], flags: list[bool], i: int) -> bool:
    """Token i stands between two digits with only a comma on either side, as a number
    read out digit by digit with pauses is written ("four, oh, five, seven")."""
    if not 2 <= i < len(tokens) - 2:
        return False
    return all(tokens[k].text == "," for k in (i - 1, i + 1)) and flags[i - 2] and flags[i + 2]


def _hyphened_to_digit(text: str, tokens: list[Token], flags: list[bool], i: int) -> bool:
    """Token i is joined by a hyphen, with no space, to a digit said on either side."""
    for hyphen, digit in ((i + 1, i + 2), (i - 1, i - 2)):
        if not (0 <= digit < len(tokens)) or tokens[hyphen].text != "-" or not flags[digit]:
            continue
        a, b = sorted((i, digit))
        if tokens[a].end == tokens[hyphen].start and tokens[hyphen].end == tokens[b].start:
            return True
    return False


def _separated_number(tokens: list[Token], flags: list[bool], k: int, step: int) -> bool:
    """A number token is reached from token k going by `step`, over pauses only (commas,
    hyphens, fillers such as "um" or "sorry")."""
    for _ in range(4):
        if not 0 <= k < len(tokens):
            return False
        if flags[k]:
            return True
        tok = tokens[k]
        pause = tok.kind == Kind.PUNCT and tok.text in _GAP_PUNCT
        if not pause and filler_end(tokens, k) != k + 1:
            return False
        k += step
    return False


def _oh_chains(text: str, tokens: list[Token], flags: list[bool]) -> None:
    """ "oh oh oh oh" between pauses is a group of zeros ("five one nine two, oh oh oh oh,
    oh oh oh four"): a chain of three or more, or of two with a number a pause away."""
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i].lower not in ("oh", "o") or flags[i]:
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and tokens[j + 1].lower in ("oh", "o")
            and _adjacent(text, tokens[j], tokens[j + 1])
        ):
            j += 1
        size = j - i + 1
        near = _separated_number(tokens, flags, i - 1, -1) or _separated_number(
            tokens, flags, j + 1, 1
        )
        if size >= 3 or (size == 2 and near):
            flags[i : j + 1] = [True] * size
        i = j + 1


def _gap_between(text: str, tokens: list[Token], a: int, b: int) -> Gap:
    """How the number tokens a and b (a < b) are separated."""
    between = tokens[a + 1 : b]
    if not between:
        if tokens[a].end == tokens[b].start and tokens[a].kind == Kind.DIGITS:
            return Gap.SPACE  # cannot happen for two digit strings; kept for safety
        return Gap.SPACE
    kinds = set()
    for tok in between:
        if tok.kind == Kind.NEWLINE:
            kinds.add(Gap.LINE)
        elif tok.text in ("-", "–", "—") or tok.lower in ("dash", "hyphen"):
            kinds.add(Gap.HYPHEN)
        elif tok.text == "/" or tok.lower == "slash":
            kinds.add(Gap.SLASH)
        elif tok.kind == Kind.PUNCT:
            kinds.add(Gap.PUNCT)
        else:
            kinds.add(Gap.FILLER)
    if kinds == {Gap.HYPHEN} and len(between) == 1:
        left, right = tokens[a], tokens[b]
        if (
            left.kind == Kind.WORD
            and right.kind == Kind.WORD
            and left.end == between[0].start
            and between[0].end == right.start
        ):
            return Gap.COMPOUND
    for gap in (Gap.LINE, Gap.SLASH, Gap.PUNCT, Gap.HYPHEN, Gap.FILLER):
        if gap in kinds:
            return gap
    return Gap.SPACE


def find_runs(text: str, tokens: list[Token] | None = None) -> list[DigitRun]:
    """Every stretch of `text` that reads out digits, in order."""
    if tokens is None:
        tokens = tokenize(text)
    flags = _number_atoms(text, tokens)
    runs: list[DigitRun] = []
    # Collect runs of number tokens joined by separators, as token index lists.
    i, n = 0, len(tokens)
    current: list[int] = []

    def close() -> None:
        if current:
            run = _build_run(text, tokens, current)
            if run is not None:
                runs.extend(run)
        current.clear()

    while i < n:
        if flags[i]:
            current.append(i)
            i += 1
            continue
        if current:
            # a separator may continue the run if a number token follows it
            j = i
            while j < n and not flags[j]:
                t = tokens[j]
                if t.kind == Kind.NEWLINE or (t.kind == Kind.PUNCT and t.text in _GAP_PUNCT):
                    j += 1
                    continue
                k = filler_end(tokens, j)
                if k > j:
                    j = k
                    continue
                break
            if j < n and flags[j] and j > i:
                i = j
                continue
        close()
        i += 1
    close()
    return runs


def _build_run(text: str, tokens: list[Token], indices: list[int]) -> list[DigitRun]:
    """Pieces of one run; harmless chunks (amounts, times) split it and are dropped."""
    # chunks: number tokens separated by whitespace (or a compound hyphen) only
    chunks: list[list[int]] = []
    gaps: list[Gap] = []
    for idx in indices:
        if chunks:
            gap = _gap_between(text, tokens, chunks[-1][-1], idx)
            if gap in (Gap.SPACE, Gap.COMPOUND):
                chunks[-1].append(idx)
                continue
            gaps.append(gap)
        else:
            gaps.append(Gap.NONE)
        chunks.append([idx])
    out: list[DigitRun] = []
    pieces: list[Piece] = []
    for chunk, chunk_gap in zip(chunks, gaps, strict=True):
        if harmless(text, tokens, chunk[0], chunk[-1]):
            if pieces:
                out.append(DigitRun(tuple(pieces)))
            pieces = []
            continue
        for k, (digits, a, b) in enumerate(read_number_words([tokens[idx] for idx in chunk])):
            first, last = chunk[a], chunk[b]
            if not pieces:
                gap = Gap.NONE
            elif k == 0:
                gap = chunk_gap
            else:
                gap = Gap.SPACE
            pieces.append(
                Piece(
                    digits=digits,
                    start=tokens[first].start,
                    end=tokens[last].end,
                    gap=gap,
                    written=tokens[first].kind == Kind.DIGITS and first == last,
                    first_token=first,
                    last_token=last,
                )
            )
    if pieces:
        out.append(DigitRun(tuple(pieces)))
    return out


def spoken_digits(text: str) -> str:
    """All digits said in `text`, in order, whatever their form."""
    return "".join(run.digits for run in find_runs(text))
