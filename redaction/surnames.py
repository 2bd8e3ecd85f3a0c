"""A name found in part, widened. A surname said after a given name that was found
alone: "our guest is ruthanne kealoha so ...", "its my moms card eulalia ferncastle shes
right here"; written with its capital too, where the tagger missed it ("it's Coach
Lindiwe, Lindiwe Dlamini"). And the first part of a hyphenated name ("hye-jin"), a given
name English has no trace of said before a name found alone ("bakhit idris"), and the
first of a couple who share a surname ("Oksana and Wendell Yazzie")."""

from __future__ import annotations

from redaction.lexicon import (
    CHAT_WORDS,
    FUNCTION_WORDS,
    census_surname,
    dropped_g,
    rare_word,
    unheard,
)
from redaction.mentions import coined
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES
from redaction.name_spans import NOT_NAME_WORDS
from redaction.name_words import CLAUSE_STARTS, CUE_WORDS, given_name, hyphenated, nameable
from redaction.number_words import UNITS
from redaction.spoken import Kind, Token
from redaction.tokens import HOMOPHONE_DIGITS
from redaction.transcript import Transcript


def with_hyphenated_start(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The PERSON findings, each widened back over the part of a hyphenated name before
    it: "hye-jin speakin" where only "jin" was found."""
    toks = doc.tokens
    out = []
    for finding in found:
        k = doc.token_from(finding.start)
        if finding.type == EntityType.PERSON and k is not None and toks[k].start == finding.start:
            while (
                k >= 2
                and toks[k - 1].text == "-"
                and toks[k - 2].end == toks[k - 1].start
                and toks[k - 1].end == toks[k].start
                and toks[k - 2].kind == Kind.WORD
            ):
                k -= 2
            finding = Finding(finding.type, toks[k].start, finding.end, finding.score)
        out.append(finding)
    return out


# Said before a thing, not a person: "the bakhit rug".
_ARTICLES = frozenset({"the", "a", "an"})


def with_given_name_before(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The PERSON findings of one word, each widened back over a given name said right
    before it that English has hardly a trace of ("its in bakhit idris name", where only
    "idris" was found): no word of a firm, a thing or a cue."""
    toks = doc.tokens
    out = []
    for finding in found:
        k = doc.token_from(finding.start)
        one_word = k is not None and toks[k].start == finding.start and toks[k].end == finding.end
        if finding.type == EntityType.PERSON and one_word and k is not None and k >= 1:
            before = toks[k - 1]
            if (
                before.kind == Kind.WORD
                and before.end + 1 == finding.start
                and before.text.islower() == toks[k].text.islower()
                and unheard(before.lower)
                and before.lower not in CUE_WORDS
                and before.lower not in CHAT_WORDS
                and not dropped_g(before.lower)
                and not (k >= 2 and toks[k - 2].lower in _ARTICLES)
            ):
                finding = Finding(finding.type, before.start, finding.end, finding.score)
        out.append(finding)
    return out


def with_initials_before(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The PERSON findings widened back over two initials said right before them ("i'm on
    the roster as n r tafoya", "thank u mister o t sapiel"), where only the surname was
    found: one initial alone may be a word ("a", "n" for "and")."""
    toks = doc.tokens
    out = []
    for finding in found:
        k = doc.token_from(finding.start)
        if finding.type == EntityType.PERSON and k is not None and toks[k].start == finding.start:
            j = k
            while j >= 1 and _initial(toks[j - 1]) and toks[j - 1].end + 1 == toks[j].start:
                j -= 1
            # not after a number: "... fore nine k n bertram" is "okay and", said on
            after_number = j >= 1 and (
                toks[j - 1].kind == Kind.DIGITS
                or toks[j - 1].lower in HOMOPHONE_DIGITS
                or toks[j - 1].lower in UNITS
            )
            if k - j >= 2 and not after_number:
                finding = Finding(finding.type, toks[j].start, finding.end, finding.score)
        out.append(finding)
    return out


def _initial(tok: Token) -> bool:
    return tok.kind == Kind.WORD and len(tok.text) == 1 and tok.text.isalpha() and tok.lower != "i"


_AND = frozenset({"and", "&", "n"})


def partners_named_first(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """A given name said before "and" and another's whole name, the couple sharing the
    surname: "Oksana and Wendell Yazzie", "ruth n amos begay"."""
    toks = doc.tokens
    out = []
    for finding in found:
        k = doc.token_from(finding.start)
        if finding.type != EntityType.PERSON or k is None or k < 2:
            continue
        words = doc.text[finding.start : finding.end].lower().split()
        if toks[k].start != finding.start or len(words) < 2:
            continue
        if not (census_surname(words[-1]) or unheard(words[-1])):
            continue  # "Pruitt and Vance Surveying": a firm's partners, not a couple
        joined, partner = toks[k - 1], toks[k - 2]
        if joined.lower not in _AND or partner.kind != Kind.WORD:
            continue
        if partner.text.islower() != toks[k].text.islower() or not nameable(partner):
            continue
        w = partner.lower
        if w in FUNCTION_WORDS or w in CUE_WORDS or w in CHAT_WORDS or w in ROLES:
            continue
        cased = partner.text[:1].isupper() and not toks[k].text.islower()
        if given_name(w) or unheard(w) or (cased and k >= 3 and toks[k - 3].is_word):
            out.append(Finding(EntityType.PERSON, partner.start, partner.end, finding.score))
    return out


def with_surnames(doc: Transcript, found: list[Finding]) -> list[Finding]:
    """The PERSON findings, each widened over a surname said right after it: a lower-case
    word English hardly uses, not made of everyday words, that ends the clause."""
    toks = doc.tokens
    out = []
    for finding in found:
        if finding.type != EntityType.PERSON:
            out.append(finding)
            continue
        k = doc.token_from(finding.end)
        if k is None or toks[k].start != finding.end + 1:
            out.append(finding)
            continue
        if not (
            _surname(doc, k)
            or _everyday_surname_introduced(doc, finding, k)
            or _surname_of_given(doc, finding, k)
        ):
            out.append(finding)
            continue
        last = hyphenated(toks, k, len(toks))
        nxt = toks[last + 1] if last + 1 < len(toks) else None
        ends = (
            nxt is None
            or nxt.kind in (Kind.PUNCT, Kind.NEWLINE)
            or nxt.lower in CLAUSE_STARTS
            or nxt.lower in FUNCTION_WORDS
            or nxt.lower in CUE_WORDS  # "k i got tunde olanian date a birth"
            or nxt.lower in _AFTER_A_NAME  # "names r delphine ezenwa n ikenna ezenwa"
            # a surname the census lists ends the name whatever follows it: "hey this
            # genaro castellanos truck sixty ate"
            or census_surname(toks[k].lower)
        )
        if ends:
            finding = Finding(finding.type, finding.start, toks[last].end, finding.score)
        out.append(finding)
    return out


# Said after a name in noisy text: "and" as "n", a chat word ("ikaika bajwa ull get a
# email"), a tag question ("k name bilal anand right").
_AFTER_A_NAME = CHAT_WORDS | {"n", "right", "correct"}


# Said right before a name that introduces it: "this is", "my name is", "i'm", "it's".
_INTRODUCING = frozenset({"is", "im", "i'm", "its", "it's", "name's"})
_ADDRESSED = frozenset({"you", "you're", "youre", "your", "u", "ur", "y'all", "yall", "all"})


def _everyday_surname_introduced(doc: Transcript, finding: Finding, k: int) -> bool:
    """Token k, after a name its speaker introduced ("oh ya this is quentin sharp whats
    up"), is a surname the census lists, though also an everyday word."""
    first = doc.token_from(finding.start)
    if first is None or first == 0 or doc.tokens[first - 1].lower not in _INTRODUCING:
        return False
    if len(doc.text[finding.start : finding.end].split()) != 1:
        return False  # a given name and a surname said already
    tok = doc.tokens[k]
    if k + 1 < len(doc.tokens) and doc.tokens[k + 1].lower in _ADDRESSED:
        return False  # "this is dave hope you're well": a verb, said to the listener
    return (
        census_surname(tok.lower)
        and not dropped_g(tok.lower)  # "this is bellamy callin for ..."
        and nameable(tok)
        and tok.lower not in NOT_NAME_WORDS
        and tok.lower not in CUE_WORDS
        and (tok.text.islower() or tok.text.istitle())
    )


def _surname_of_given(doc: Transcript, finding: Finding, k: int) -> bool:
    """Token k, after a given name found alone, is a surname the census lists that is
    short ("under quang vo") or said before the person's role ("tenzin nash is ur
    installer"): a surname, though also a word or too short to look rare."""
    tok = doc.tokens[k]
    w = tok.lower
    said = doc.text[finding.start : finding.end]
    if len(said.split()) != 1 or not given_name(said.lower()) or not tok.text.islower():
        return False
    if not census_surname(w) or w in FUNCTION_WORDS or w in NOT_NAME_WORDS or w in CUE_WORDS:
        return False
    after = [t.lower for t in doc.tokens[k + 1 : k + 4]]
    role = after[:1] == ["is"] and len(after) == 3 and after[1] in _ADDRESSED_OWN
    return len(w) == 2 or (role and after[2] in ROLES)


# Whose the role is: "is ur installer", "is your driver", "is the tech".
_ADDRESSED_OWN = frozenset({"your", "ur", "the", "our"})


def _surname(doc: Transcript, k: int) -> bool:
    tok = doc.tokens[k]
    w = tok.lower
    # lower case as recognisers write names, or with its capital like the name before it
    # ("Lindiwe Dlamini"), not in capitals ("Ana PTO")
    cased = tok.text.islower() or (tok.text[:1].isupper() and tok.text[1:].islower())
    if not cased or not nameable(tok) or len(w) < 3 or w in CHAT_WORDS:
        return False
    return rare_word(w) and not coined(w) and not dropped_g(w)
