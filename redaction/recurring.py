"""PII said again later in a call. Once a caller has said "my daughter abena", the
agent's "ok abena, tuesdays at four thirty" names her too, with no cue around it; once a
caller's "It's 6093 now" was a gate code, the agent's "Got it, 6093." reads it back."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from redaction.checksums import aba_ok, luhn_ok
from redaction.lexicon import FIRST_NAMES, FUNCTION_WORDS, rare_word
from redaction.model import NUMBER_KINDS, EntityType, Finding
from redaction.months import MONTHS
from redaction.name_words import AMBIGUOUS_GIVEN
from redaction.spoken import Kind, Token, find_runs
from redaction.tokens import homophone_digit, tokenize

REPEAT_SCORE = 0.6
# Numbers worth looking for again, by kind: a date or a three-digit code said again is as
# likely a price or a time.
_REPEATED_NUMBERS = frozenset(
    {
        EntityType.CREDIT_CARD,
        EntityType.US_SSN,
        EntityType.BANK_ACCOUNT,
        EntityType.BANK_ROUTING,
        EntityType.PIN,
        EntityType.PHONE_NUMBER,
    }
)
MIN_REPEATED_DIGITS = 4


def name_words(text: str, findings: Iterable[Finding]) -> set[str]:
    """Words of the PERSON findings in `text` that are safe to look for again: a known
    given name or a word English hardly uses otherwise, never an everyday word a wrong
    finding could spread ("lesson", "texas")."""
    words = set()
    for finding in findings:
        if finding.type != EntityType.PERSON:
            continue
        for tok in tokenize(text[finding.start : finding.end]):
            w = tok.lower
            if tok.kind != Kind.WORD or len(w) < 3 or w in FUNCTION_WORDS:
                continue
            if w in AMBIGUOUS_GIVEN:
                continue  # "may", "june", "bill": a word as often as a name
            if w in FIRST_NAMES or rare_word(w):
                words.add(w)
    return words


def said_again(text: str, names: set[str], found: Sequence[Finding]) -> list[Finding]:
    """Words of `text` that are names said earlier in the call, where no finding is."""
    if not names:
        return []
    taken = [(f.start, f.end) for f in found]
    repeats = []
    for tok in tokenize(text):
        if tok.kind != Kind.WORD or tok.lower not in names:
            continue
        if any(start < tok.end and tok.start < end for start, end in taken):
            continue
        repeats.append(Finding(EntityType.PERSON, tok.start, tok.end, REPEAT_SCORE))
    return repeats


@dataclass
class CallNames:
    """The names said so far in a call. A known given name or a word English hardly uses
    ("abena") counts wherever it is said again (`name_words`); an everyday word said
    surely as a name ("this is sage", "rich temple here") only where it is addressed
    again ("hi sage my vet ..."), never where a wrong finding could spread it."""

    anywhere: set[str] = field(default_factory=set)
    addressed: set[str] = field(default_factory=set)

    def add(self, text: str, findings: Iterable[Finding]) -> None:
        self.anywhere |= name_words(text, findings)
        for finding in findings:
            if finding.type != EntityType.PERSON or finding.score < _SURELY_NAMED:
                continue
            for tok in tokenize(text[finding.start : finding.end]):
                w = tok.lower
                if tok.kind == Kind.WORD and len(w) >= 3 and w not in FUNCTION_WORDS:
                    self.addressed.add(w)

    def said_again(self, text: str, found: Sequence[Finding]) -> list[Finding]:
        """Words of `text` that are names said earlier in the call, where no finding is."""
        repeats = said_again(text, self.anywhere, found)
        if not self.addressed:
            return repeats
        taken = [(f.start, f.end) for f in [*found, *repeats]]
        toks = tokenize(text)
        for k, tok in enumerate(toks):
            if tok.kind != Kind.WORD or tok.lower not in self.addressed or not _addressed(toks, k):
                continue
            if not any(start < tok.end and tok.start < end for start, end in taken):
                repeats.append(Finding(EntityType.PERSON, tok.start, tok.end, REPEAT_SCORE))
        return repeats


# How sure a finding must be for an everyday word in it to be looked for again where
# addressed: a self-introduction or a name asked for, not a name guessed in passing.
_SURELY_NAMED = 0.7
# Said before a name addressed at the start of a line: "hi sage", "thanks rich".
_ADDRESSING = frozenset(
    """hi hey hello thanks thank you thx ty ok okay k alright yes yeah sure great perfect
    morning afternoon evening bye""".split()
)


def _addressed(toks: Sequence[Token], k: int) -> bool:
    """Token k is addressed at the start of the line, after a greeting or thanks."""
    return k > 0 and all(t.lower in _ADDRESSING or t.text == "," for t in toks[:k])


def number_digits(text: str, findings: Iterable[Finding]) -> dict[str, EntityType]:
    """The digits of the numbers found in `text` that are worth looking for again, with
    their kind."""
    numbers = {}
    for finding in findings:
        if finding.type not in _REPEATED_NUMBERS:
            continue
        digits = "".join(run.digits for run in find_runs(text[finding.start : finding.end]))
        if len(digits) >= MIN_REPEATED_DIGITS:
            numbers[digits] = finding.type
        if finding.type == EntityType.US_SSN and len(digits) == _SSN_DIGITS:
            # "last four six oh eight seven got it": a social's last four, read back alone,
            # still verify its holder (a card's identify no one)
            numbers.setdefault(digits[-4:], EntityType.US_SSN)
    return numbers


_SSN_DIGITS = 9


def numbers_said_again(
    text: str, numbers: dict[str, EntityType], found: Sequence[Finding]
) -> list[Finding]:
    """Numbers in `text` whose digits are a number found earlier in the call (a read-back,
    a repeat), where no finding is: the longest stretch of each run between pauses."""
    if not numbers:
        return []
    taken = [(f.start, f.end) for f in found]
    repeats = []
    toks = tokenize(text)
    for run in find_runs(text, toks):
        segments = run.segments()
        best: Finding | None = None
        for a in range(len(segments)):
            for b in range(a, len(segments)):
                sub = run.sub(segments[a][0], segments[b][1])
                kind = numbers.get(sub.digits)
                if kind is None or (best and best.end - best.start >= sub.end - sub.start):
                    continue
                best = Finding(kind, sub.start, sub.end, REPEAT_SCORE)
        after = toks[run.last_token + 1] if run.last_token + 1 < len(toks) else None
        last_digit = homophone_digit(after.lower) if after is not None else None
        if best is None and after is not None and last_digit is not None:
            # "so thats six ate ate too on the lockbox": read back, the last digit a word
            # of its own that only the number said before makes a digit
            kind = numbers.get(run.digits + last_digit)
            if kind is not None:
                best = Finding(kind, run.start, after.end, REPEAT_SCORE)
        # a read-back whose last digit only the call's number makes one may widen what
        # was found inside it ("six three three" of "six three three for")
        if best and not any(
            s < best.end and best.start < e and not _inside(s, e, best) for s, e in taken
        ):
            repeats.append(best)
    return repeats


def _inside(start: int, end: int, wider: Finding) -> bool:
    """The span start..end lies inside `wider` and is shorter."""
    return wider.start <= start and end <= wider.end and end - start < wider.end - wider.start


# Findings that are no number said, whatever digits they hold.
_NOT_NUMBERS = frozenset({EntityType.PERSON, EntityType.EMAIL_ADDRESS, EntityType.ADDRESS})
# Readings a repeat does not undo: a number named as an account right before it ("Reading
# back, account 768 263 1328?"), or one its checksum vouches for.
_CHECKED = frozenset({EntityType.BANK_ACCOUNT, EntityType.BANK_ROUTING, EntityType.CREDIT_CARD})
# A finding scored below this is a weak reading (a cue a few lines back) that a number
# said before in the call outranks.
_WEAK_READING = 0.8


# An account named right before its number ("Reading back, account 768 263 1328?"), and
# how far back in the line that may be said.
_ACCOUNT_BEFORE = re.compile(r"\b(?:account|acct|checking|savings)\b[^0-9]*$", re.IGNORECASE)
_NAMED_REACH = 30


def whole_by_checksum(kind: EntityType, digits: str) -> bool:
    """The digits are a whole number of the kind by its checksum; an account, named so
    right before it, has none and counts as whole."""
    if kind == EntityType.CREDIT_CARD:
        return 13 <= len(digits) <= 19 and luhn_ok(digits)
    if kind == EntityType.BANK_ROUTING:
        return aba_ok(digits)
    return True


def as_said_before(
    text: str,
    numbers: dict[str, EntityType],
    found: Sequence[Finding],
    *,
    just_said: bool = False,
) -> list[Finding]:
    """The findings, each weakly read number (scored below `_WEAK_READING`) whose digits
    were found earlier in the call typed as it was then: "ate won won won" read back after "its ate
    triple won" is that code again, not the birth date asked for two lines before.

    `just_said`: the numbers are those the other party surely said in the line just before,
    repeated however surely the cues read them otherwise, even as a ZIP code ("the code is
    seven one four four two" / "seven one four four two got it")."""
    out = []
    for finding in found:
        earlier = None
        said = find_runs(text[finding.start : finding.end])
        digits = "".join(run.digits for run in said)
        # a card or a routing number that its own digits do not make (a run read on from
        # the line before: "... oh one eight two" / "six five oh oh oh okay")
        checked = finding.type in _CHECKED and whole_by_checksum(finding.type, digits)
        if finding.type == EntityType.BANK_ACCOUNT and not _ACCOUNT_BEFORE.search(
            text[max(0, finding.start - _NAMED_REACH) : finding.start]
        ):
            # "nine oh three ... won n for direct deposit the routin n acct": the account
            # asked for after the number, not named before it, vouches for nothing
            checked = False
        weak = finding.score < _WEAK_READING or (just_said and not checked)
        retypable = finding.type not in _NOT_NUMBERS or (
            just_said and finding.type == EntityType.ADDRESS
        )
        if weak and retypable:
            earlier = numbers.get(digits)
        if earlier is None and just_said and finding.type in _REPEATED_NUMBERS:
            earlier = _misread_back(digits, numbers)
        out.append(
            finding
            if earlier is None
            else Finding(earlier, finding.start, finding.end, finding.score)
        )
    return out


# How long a number must be for a read-back one digit off to be that number read back
# wrong rather than another number: a code or a last four could be either.
_MISREAD_DIGITS = 7


def _misread_back(digits: str, just_said: dict[str, EntityType]) -> EntityType | None:
    """The kind of the number the other party just said that `digits` read back wrong: one
    digit changed, or two neighbours swapped ("... seven three oh double six" / "thats ...
    seven ate oh six six")."""
    if len(digits) < _MISREAD_DIGITS:
        return None
    for said, kind in just_said.items():
        if len(said) != len(digits):
            continue
        off = [k for k in range(len(said)) if said[k] != digits[k]]
        swapped = (
            len(off) == 2
            and off[1] == off[0] + 1
            and said[off[0]] == digits[off[1]]
            and said[off[1]] == digits[off[0]]
        )
        if len(off) == 1 or swapped:
            return kind
    return None


def misread_in_pieces(
    text: str, just_said: dict[str, EntityType], found: Sequence[Finding]
) -> list[Finding]:
    """The findings, where a run of digits read back one digit off the number the other
    party just said was found in pieces ("Let me confirm: 4237 2494 2395 3707?" after a
    card "4237 2499 ..." reads as four codes): one finding of that number's kind instead."""
    out = list(found)
    for run in find_runs(text):
        kind = _misread_back(run.digits, just_said)
        inside = [f for f in out if f.start < run.end and run.start < f.end]
        if kind is None or len(inside) < 2:
            continue
        if any(
            f.type not in NUMBER_KINDS or f.start < run.start or f.end > run.end for f in inside
        ):
            continue
        out = [f for f in out if f not in inside]
        out.append(Finding(kind, run.start, run.end, max(f.score for f in inside)))
    return out


def expiries_said(text: str, findings: Iterable[Finding]) -> set[str]:
    """The expiries found in `text` said with their month's name ("march twenty nine"), as
    lower-case words: a read-back of one says the same words."""
    said = set()
    for finding in findings:
        if finding.type != EntityType.EXPIRY:
            continue
        words = [t.lower for t in tokenize(text[finding.start : finding.end]) if t.is_word]
        if len(words) >= 2 and words[0] in MONTHS:
            said.add(" ".join(words))
    return said


def expiries_read_back(text: str, said: set[str], found: Sequence[Finding]) -> list[Finding]:
    """Expiries said earlier in the call said again in `text` ("march twenty nine code seven
    won oh" / "k march twenty nine right"), where no finding is."""
    repeats: list[Finding] = []
    for words in said:
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in words.split()) + r"\b"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            if not any(f.start < m.end() and m.start() < f.end for f in [*found, *repeats]):
                repeats.append(Finding(EntityType.EXPIRY, m.start(), m.end(), REPEAT_SCORE))
    return repeats
