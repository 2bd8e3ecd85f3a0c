"""The company a call is with, named in a greeting: "skyvista satellite this is grant",
"thanks for calling zipride rider support, my name is ...". Its words name no one where
they are said again in the call."""

from __future__ import annotations

from wordfreq import zipf_frequency

from redaction.greetings import COMPANY_NAME_WORDS
from redaction.lexicon import FIRST_NAMES, FUNCTION_WORDS, recorded_given
from redaction.name_words import DESK_WORDS
from redaction.spoken import Kind
from redaction.transcript import Transcript

# Words before a company's name in a greeting: "thanks for calling Brightwave Internet".
COMPANY_SLOTS = (
    ("for", "calling"),
    ("for", "contacting"),
    ("calling", "from"),
    ("welcome", "to"),
)


# Said before a company's name at the start of a greeting.
_GREETING_WORDS = frozenset("hi hello hey thanks thank you good morning afternoon evening".split())

# Words that end a company's name said in a greeting.
_INTRODUCING = (("this", "is"), ("my", "name"))


def _desk_named(lower: list[str]) -> int | None:
    """Where a greeting that names the company first names the desk or the agent: "Crestline
    Collision, estimates desk.", "tanager zoo memberships what's ...", "Benchmark Land
    Surveying, Otis speaking." The company's name is what comes before."""
    for k in range(1, min(len(lower), COMPANY_NAME_WORDS + 2)):
        if lower[k] in DESK_WORDS:
            return k
        if lower[k] == "," and k + 2 < len(lower) and lower[k + 2] == "speaking":
            return k
    return None


# How common in English a word the records list as a given name may be and still say
# that the greeting is to a person: "zuri" (1.4); not "gorge" (3.4), "quarry" (3.6).
_GIVEN_NOT_WORD_ZIPF = 3.0


def _greets_by_name(word: str) -> bool:
    """ "dave this is sarah": a given name, not a word of a firm's name ("kestrel gorge
    bungee this is ...", "quarry lane banjo works")."""
    if word in FIRST_NAMES:
        return True
    return recorded_given(word) and zipf_frequency(word, "en") < _GIVEN_NOT_WORD_ZIPF


def company_words(doc: Transcript) -> frozenset[str]:
    """The words of the company's name wherever the speaker's lines say it in a greeting:
    "skyvista satellite this is grant", "thanks for calling zipride rider support, my
    name is ...". A call names its company many times and it is nobody's name. But "hi
    dave, this is sarah" greets a person: a line that opens with a greeting names a
    company only after "for calling" and the like, and a given name is never taken for
    one."""
    words: set[str] = set()
    for lo, hi in doc.lines:
        line = [t for t in doc.tokens if lo <= t.start < hi and t.kind != Kind.NEWLINE]
        lower = [t.lower for t in line]
        stop = next(
            (k for k in range(len(lower) - 1) if tuple(lower[k : k + 2]) in _INTRODUCING), None
        )
        if stop is None:
            stop = _desk_named(lower)
        if stop is None:
            continue
        begin = next(
            (k + 2 for k in range(stop - 1) if tuple(lower[k : k + 2]) in COMPANY_SLOTS), None
        )
        if begin is None:
            if not lower or lower[0] in _GREETING_WORDS:
                continue
            begin = 0
        name = [t.lower for t in line[begin:stop] if t.kind == Kind.WORD]
        if not 0 < len(name) <= COMPANY_NAME_WORDS:
            continue
        if any(w in FUNCTION_WORDS or _greets_by_name(w) for w in name):
            continue
        words.update(name)
    return frozenset(words)
