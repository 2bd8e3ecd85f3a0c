"""What a word found as a name cannot be, whatever phrase found it: a pronoun ("nobody
will be there its us n our dog"), a verb's "-ing" form after a spelled surname ("w a b a
u n s e e paying dues"), a number said as a group ("coach the under twelves"), a title,
a relative, a role or a desk said alone ("Thank you, Father.", "this is dispatch"); and
what follows a name and is no part of it: a role ("ruth nokan treasurer at saint
thomas") or the card paid with ("Parish Visa.")."""

from __future__ import annotations

import re

from redaction.lexicon import dropped_g, everyday
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES, ROLES_AND_PARTIES
from redaction.name_spans import TITLES_SPOKEN
from redaction.name_words import CARD_BRANDS, DEPARTMENTS, KIN, given_name
from redaction.number_words import ORDINALS
from redaction.spoken import NUMBER_WORDS
from redaction.tokens import MONTH_NAMES

# Pronouns, whatever the tagger made of them in lower-case text ("its us n our dog").
_PRONOUNS = frozenset("i me we us you him her it they them myself ourselves yourself".split())
# Said as a title, a relative or a trade alone ("Yes, Chef, the standing order"), they are
# how one is addressed, not a name.
_ADDRESSED = (
    TITLES_SPOKEN
    | KIN
    | frozenset(
        """father sister brother pastor reverend chef captain coach officer sergeant sarge
        doc nurse professor judge""".split()
    )
)
# What a person does, or the desk that answers, said alone: no one's name.
_ROLES_ALONE = (
    ROLES_AND_PARTIES
    | DEPARTMENTS
    | frozenset("chaperone farrier salesperson guy gal lady fella folks".split())
)
# What a person does, said after their name: "ruth nokan treasurer", "dana lee dispatcher".
_ROLES_AFTER = frozenset(ROLES) | frozenset(
    """treasurer secretary president chair chairman chairwoman captain director owner
    organist pastor deacon minister""".split()
)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[^\W\d_]+", text)]


def _number_said_as_group(word: str) -> bool:
    """ "twelves", "twenties", "sixes": a number named as a group or an age band."""
    for stem in (word.removesuffix("es"), word.removesuffix("s"), word.removesuffix("ies") + "y"):
        if stem != word and stem in NUMBER_WORDS:
            return True
    return False


def _verb_form(word: str) -> bool:
    """ "paying", "taking", "running": a verb and "-ing"; not "pudding", "sterling"."""
    if not word.endswith("ing") or not everyday(word):
        return False
    stem = word[:-3]
    if len(stem) < 3:
        return False  # "king", "sing"
    doubled = len(stem) > 2 and stem[-1] == stem[-2]
    return any(everyday(s) for s in (stem, stem + "e", stem[:-1] if doubled else ""))


def _month_dated(text: str, finding: Finding) -> bool:
    """ "its july twenty nine and five oh seven": a month with its day or year said after
    it, whatever phrase took it for a name."""
    if text[finding.start : finding.end].lower() not in MONTH_NAMES:
        return False
    following = re.match(r"[\s,]*([^\W_]+)", text[finding.end :])
    if following is None:
        return False
    word = following.group(1).lower()
    return word.isdigit() or word in NUMBER_WORDS or word in ORDINALS or _ordinal_digits(word)


def _ordinal_digits(word: str) -> bool:
    return word[:-2].isdigit() and word[-2:] in ("st", "nd", "rd", "th")


def _no_name(said: str) -> bool:
    word = said.lower()
    if word in _PRONOUNS or word in _ADDRESSED or _number_said_as_group(word):
        return True
    stems = (word, word.removesuffix("s"), word.removesuffix("es"))
    if any(w in _ROLES_ALONE for w in stems) and not given_name(word):
        return True  # "eight chaperones", "this is dispatch", "anvil n rasp farriers"
    if not said.islower():
        return False  # "Mr. Manning", "Thank you, Sterling": written as a name
    # "paying", "checkin": a verb's "-ing" form as said; not Manning nor Tamsin, which no
    # verb makes (the tagger's parts of speech for a lower-case name are no guide)
    if _verb_form(word) and not given_name(word):
        return True
    return dropped_g(word) and not given_name(word)


def shaped_like_names(text: str, findings: list[Finding]) -> list[Finding]:
    """The PERSON findings, with those of one word that cannot be a name dropped and a
    role said after a name of two words or more cut off."""
    out: list[Finding] = []
    for finding in findings:
        if finding.type != EntityType.PERSON:
            out.append(finding)
            continue
        words = _words(text[finding.start : finding.end])
        if words and words[-1][2] in CARD_BRANDS:
            continue  # "Parish Visa. 4786 ...": the card paid with
        if len(words) == 1:
            start, end, _ = words[0]
            if _no_name(text[finding.start + start : finding.start + end]):
                continue
            if _month_dated(text, finding):
                continue
        elif len(words) >= 3 and words[-1][2] in _ROLES_AFTER:
            end = finding.start + words[-2][1]
            finding = Finding(finding.type, finding.start, end, finding.score)
        out.append(finding)
    return out
