"""Words English has no trace of, said where nothing else explains them: names.

Callers name people from every culture, often with no phrase before the name that says
one follows ("its me lisin kacaw bumble hehanussa n jelly matulessy"). A word of
letters that no English text uses is such a name, unless it is two English words run
together (firms coin those: "ledgerline", "tonerpoint"), a verb as recognisers write it
("appraisin", "restriping"), a prefixed word ("reglaze"), the plural of a word English
knows ("robustos"), or a thing by what is said beside it (after "the", "a" or "an"; with
its trade or model: "nordvik log homes", "Audeo Lumity 90"). The word before it belongs
to the name too when it is a name's kind of word ("bumble hehanussa", "muffin
buenaflor"): not a word every sentence uses, a cue for a number, a role or a relative,
nor a verb's form.

Emails, addresses and the company's own name, which hold such words too, are found by
their own finders and win where they overlap (`redaction.detector.resolve`, the
company filter)."""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

from redaction.lexicon import CHAT_WORDS, FUNCTION_WORDS, dropped_g, everyday
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES_AND_PARTIES
from redaction.name_words import CUE_WORDS, KIN, NOT_NAMES, SELF_WORDS, given_name
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import HOMOPHONE_DIGITS

# How common each part of a word must be for the word to be two English words run
# together, as firms name themselves: "ledger" + "line", "rotor" + "view".
_PART_ZIPF = 3.0
_MIN_PART = 3
# The shortest word a prefix is taken off to leave: "reglaze", not "subira".
_MIN_STEM = 4
# How common a word before the name may be and still be part of it: "bumble" (2.6),
# "muffin" (3.3), "jelly" (3.6); not "called" (5.1), "tell" (5.6).
_GIVEN_ZIPF = 4.2
# How rare a word must be to be no English word at all: "hehanussa" (0), "akihary" (0);
# not "ekwueme" (1.3), a name too, as a trade's own words are as rare ("methimazole" 1.4,
# "bonspiel" 1.2).
_UNKNOWN_ZIPF = 1.0
# How common a word must be for English to have a trace of it: "robusto" (1.6).
_TRACE_ZIPF = 1.5
_SCORE = 0.6
# Said after one's own name: "hakurate speaking", "hakurate callin".
_SELF_WORDS = SELF_WORDS | {"callin"}


@lru_cache(maxsize=65536)
def unknown_word(word: str) -> bool:
    """A word English has no trace of, and no coinage of English words: a name."""
    if len(word) < 4 or not word.isalpha() or zipf_frequency(word, "en") > _UNKNOWN_ZIPF:
        return False
    if word in CHAT_WORDS or word in CUE_WORDS or dropped_g(word):
        return False
    if word.endswith("s") and (_heard_of(word[:-1]) or _heard_of(word[:-2])):
        return False  # "robustos", "mandolines", "luges": more than one of a thing
    stems = [word] + [word[len(p) :] for p in _PREFIXES if word.startswith(p)]
    stems = [stem for stem in stems if len(stem) >= _MIN_STEM]
    return not any(_said_as_word(stem) for stem in stems)


# Said before a word to make another: "reglaze", "prepayin", "unbox", "cosign".
_PREFIXES = ("re", "pre", "un", "co", "over", "out", "mis", "sub", "de")


def _said_as_word(stem: str) -> bool:
    """The stem is a word as said ("glaze"), a verb's form ("restriping", "payin") or two
    words run together ("ledgerline")."""
    if stem.endswith("ing") or _heard_of(stem):
        return True
    if stem.endswith("in") and _heard_of(stem + "g"):
        return True  # "cosignin", "pannin": the g dropped
    return _run_together(stem)


def _heard_of(word: str) -> bool:
    """English has a trace of the word: "panning", "glaze", "mandoline"."""
    return zipf_frequency(word, "en") >= _TRACE_ZIPF


def _run_together(word: str) -> bool:
    """Two English words written as one: "ledgerline", "bytesalvage", "willowmere"."""
    return any(
        zipf_frequency(word[:cut], "en") >= _PART_ZIPF
        and zipf_frequency(word[cut:], "en") >= _PART_ZIPF
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1)
    )


def _name_word(tok: Token) -> bool:
    """A word that may stand in a name before a surname: "bumble", "muffin", "lisin"."""
    w = tok.lower
    if tok.kind != Kind.WORD or not w.isalpha() or len(w) < 2:
        return False
    if w in FUNCTION_WORDS or w in NOT_NAMES or w in CUE_WORDS or w in CHAT_WORDS:
        return False
    if w in KIN or w in ROLES_AND_PARTIES:
        return False  # "grandson ezinne", "the driver oyelaran": who, not the name
    if w.endswith(("ing", "ed")) or dropped_g(w):
        return False
    return given_name(w) or zipf_frequency(w, "en") < _GIVEN_ZIPF


def _names_a_thing(toks: list[Token], k: int, end: int, first: int, stop: int) -> bool:
    """The unknown words k..end name a firm or a product, by what is said beside them: a
    firm answering or named with its trade ("nordvik log homes good mornin", "from urgessa
    lawn care"), or a make with its model ("the Oticon Intent", "Audeo Lumity 90")."""
    if k > first and toks[k - 1].lower in ("the", "a", "an"):
        return True  # "the vaxchora", "a heriz runner": a thing, which names take no article
    nxt = toks[end + 1] if end + 1 < stop else None
    capitalised = toks[end].text[:1].isupper()
    if nxt is None or nxt.kind != Kind.WORD:
        # "Audeo Lumity 90": a model's number written after it; not "buenaflor seven
        # fifty too daffodil drive", a name and then an address
        return nxt is not None and nxt.kind == Kind.DIGITS and capitalised
    w = nxt.lower
    if w in FUNCTION_WORDS or w in CHAT_WORDS or w in _SELF_WORDS or not everyday(w):
        return False
    if w in NUMBER_WORDS or w in HOMOPHONE_DIGITS:
        return False  # "bwalya mulenga three too double won maple ave": the address next
    if nxt.text[:1].isupper() and capitalised:
        return True  # "the Oticon Intent", "Veltrix Digital": a make, a firm
    before = toks[k - 1].lower if k > first else ""
    # "cragline lost and found this is ...", "from stenomark reporting"
    return before in ("", "from", "at")


def unknown_names(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """Names made of words English has no trace of, in tokens first..stop (the line
    being checked)."""
    found: list[Finding] = []
    k = first
    while k < stop:
        tok = toks[k]
        if tok.kind != Kind.WORD or tok.text.isupper() or not unknown_word(tok.lower):
            k += 1
            continue
        start = k
        if k - 1 >= first and _name_word(toks[k - 1]):
            start = k - 1
        end = k
        while (
            end + 1 < stop and toks[end + 1].kind == Kind.WORD and unknown_word(toks[end + 1].lower)
        ):
            end += 1  # "Ambrosius Akihary", "kolas foting"
        if _names_a_thing(toks, start, end, first, stop):
            k = end + 1
            continue
        found.append(Finding(EntityType.PERSON, toks[start].start, toks[end].end, _SCORE))
        k = end + 1
    return found
