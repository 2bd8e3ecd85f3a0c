"""A name said with no cue around it, as the subject of what someone will do, in text
written with capitals: "Sorin can cover this week.", "Should Sorin text you when
they're back?", "Wojciech usually walks our lab at noon". The tagger misses such names
when it has never seen them; what marks them is a capitalised word that English text
uses, but rarely (names from every culture appear in wordfreq's figures), standing
where a sentence's subject stands, before a verb."""

from __future__ import annotations

from wordfreq import zipf_frequency

from redaction.model import EntityType, Finding
from redaction.name_spans import NOT_IN_NAMES
from redaction.name_words import nameable
from redaction.spoken import Kind, Token

# How often English text must use a word for its capital and place to make it a name:
# names of every culture are in wordfreq's figures ("sorin" 2.2, "wojciech" 2.6,
# "tuomas" 1.7), while firms' coined words are not ("crestmark", "lumenpath" 0); words
# English uses every day are not names by their capital (`lexicon.rare_word`).
_SEEN_ZIPF = 1.0
# ... and how rarely: "Invoices will go to ..." (3.1), "Proofs usually take ..." (3.4)
# are the subjects, not names.
_NAME_ZIPF = 3.0
# What follows a subject: a modal, or an adverb of habit before the verb.
_AFTER_SUBJECT = frozenset(
    """will would can could should might must usually always often never just already
    still also""".split()
)
# What a person named as a sentence's subject does: "Tadej was born ...", "Ilkka said".
_SAID_BY_SUBJECT = frozenset("said says told asked called texted emailed wants needs".split())
# Said at the start of a clause before its subject: "If Sjoerd gets lost".
_CLAUSE_OPENERS = frozenset({"if", "when", "once", "until", "unless"})
# What the subject then does, said of one person.
_DOES = frozenset("gets calls comes shows arrives needs wants has is runs".split())
# Said at the start of a question before its subject: "Should Sorin text you?".
_QUESTION_OPENERS = frozenset(
    "should can could will would did does do has is was may might".split()
)
_SENTENCE_ENDS = frozenset(".?!")


def named_as_subject(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """Capitalised words English rarely uses that open a sentence before a modal or an
    adverb of habit, or follow a question's opening verb before a verb of their own."""
    found = []
    for k in range(first, stop):
        tok = toks[k]
        nxt = toks[k + 1] if k + 1 < stop else None
        if nxt is None or nxt.kind != Kind.WORD or not nxt.text.islower():
            continue
        start = _sentence_start(toks, first, k)
        # no firm is born, or gets turned around after "if": a word English never uses
        # may be the name then ("Tadej was born ...", "If Sjoerd gets turned around, ...")
        born = nxt.lower in ("was", "is") and k + 2 < stop and toks[k + 2].lower == "born"
        clause = start == k - 1 and toks[k - 1].lower in _CLAUSE_OPENERS
        does = clause and nxt.lower in _DOES
        if not _unknown_capitalised(tok, seen=0.0 if born or does else _SEEN_ZIPF):
            continue
        opens = (start == k or clause) and (
            nxt.lower in _AFTER_SUBJECT or nxt.lower in _SAID_BY_SUBJECT or born or does
        )
        asked = start == k - 1 and toks[k - 1].lower in _QUESTION_OPENERS
        if opens or asked:
            found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.6))
    return found


def _unknown_capitalised(tok: Token, seen: float = _SEEN_ZIPF) -> bool:
    text = tok.text
    if tok.kind != Kind.WORD or len(text) < 3 or not text[0].isupper() or not text[1:].islower():
        return False
    w = tok.lower
    if not nameable(tok) or w in NOT_IN_NAMES:
        return False  # "Autopay will start with the March bill"
    return seen <= zipf_frequency(w, "en") < _NAME_ZIPF


def _sentence_start(toks: list[Token], first: int, k: int) -> int:
    """The first token of the sentence that token k is in."""
    j = k
    while j > first and toks[j - 1].text not in _SENTENCE_ENDS:
        j -= 1
    return j
