"""The agent's own name said after the firm's desk, with no "this is" before it.

Noisy recognisers drop the words that introduce a name, so an agent's greeting comes
out as the firm, its desk and the agent's name run together: "tethered leap adventures
claims desk jellybean", "tidewrack kelp co wholesale kipper akol". What follows the
last desk word of the agent's opening line, up to the line's end or what a greeting
goes on with ("how can i help", "speaking"), is a name when its words are names'
words: no everyday English word but a given name, nor a word that asks or greets. After
"this", whose "is" the recogniser lost ("lottery claims this rio"), any word is, but
one of time ("this month") or a function, cue or chat word."""

from __future__ import annotations

import itertools

from wordfreq import zipf_frequency

from redaction.lexicon import CHAT_WORDS, FUNCTION_WORDS, dropped_g
from redaction.model import EntityType, Finding
from redaction.name_words import CUE_WORDS, DESK_WORDS, OPENERS, given_name
from redaction.spoken import Kind
from redaction.transcript import Transcript

# What a greeting goes on with after the agent's name.
_GREETING_GOES_ON = frozenset(
    """how what whats what's can may speaking speakin here good thanks thank hi hello
    you u""".split()
)
_MAX_NAME_WORDS = 2
_SCORE = 0.6


def named_after_desk(doc: Transcript) -> list[Finding]:
    """The agent's name ending the opening greeting after the firm's desk."""
    if doc.speaker != "agent" or doc.target != 0:
        return []
    lo, hi = doc.lines[doc.target]
    line = [t for t in doc.tokens if lo <= t.start < hi and t.kind != Kind.NEWLINE]
    desk = max((k for k, t in enumerate(line) if t.lower in DESK_WORDS), default=0)
    if desk == 0:
        return []  # no desk, or nothing of the firm's name before it
    rest = line[desk + 1 :]
    introduced = bool(rest) and rest[0].lower == "this"
    if introduced:
        # "lottery claims this rio": "is" lost by the recogniser, who speaks said after
        rest = rest[2:] if len(rest) > 1 and rest[1].lower == "is" else rest[1:]
    name = list(
        itertools.takewhile(
            lambda t: t.kind == Kind.WORD and t.lower not in _GREETING_GOES_ON, rest
        )
    )
    after = rest[len(name) :]
    if not 1 <= len(name) <= _MAX_NAME_WORDS:
        return []
    if after and after[0].kind == Kind.WORD and after[0].lower not in _GREETING_GOES_ON:
        return []
    if not all(_name_word(t.lower) or (introduced and _said_after_this(t.lower)) for t in name):
        return []
    return [Finding(EntityType.PERSON, name[0].start, name[-1].end, _SCORE)]


# What "this" says of the desk other than who speaks: "billing this month is busy".
_THIS_WHEN = frozenset(
    """morning afternoon evening week weekend month year time one call line number is""".split()
)


def _said_after_this(word: str) -> bool:
    """A word said after "this" at the desk that is who speaks: a word of letters, no
    time, function, cue or chat word."""
    if word in _THIS_WHEN or word in FUNCTION_WORDS or word in CUE_WORDS or word in CHAT_WORDS:
        return False
    return word.isalpha() and not dropped_g(word) and not word.endswith("ing")


# How common a word may be in English and still be taken for a name here: "kipper" (2.3),
# "jellybean" (2.3); not the desk's own words ("payable" 3.1, "grooming" 3.4).
_NAME_ZIPF = 2.8


def _name_word(word: str) -> bool:
    if word in FUNCTION_WORDS or word in OPENERS or word in CHAT_WORDS or word in CUE_WORDS:
        return False
    if word.endswith(("ing", "able", "ible")) or dropped_g(word):
        return False  # "mobile sharpening", "accounts receivable": what the desk does
    return given_name(word) or zipf_frequency(word, "en") < _NAME_ZIPF
