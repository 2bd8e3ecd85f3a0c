"""Names said with what the person is, right before or after: "hi i'm a new referee
gadzhi alibekov", "hi this struan ogilvie" (the "is" lost), "call Zarmina, my
sister-in-law", "tell wrangler the farrier to close it", "Cactus, one of our trainers,",
"Our installers, Bo and Anselm, can ...", "smokey the head wrangler said". What a person
is said to be makes the word beside it a name, however ordinary a word it is otherwise."""

from __future__ import annotations

from redaction.lexicon import FUNCTION_WORDS, everyday, given_in_records, rare_word
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES, ROLES_AND_PARTIES
from redaction.name_words import (
    GREETINGS,
    KIN,
    NOT_NAMES,
    POSSESSIVES,
    TELLING_VERBS,
    doer_shaped,
    nameable,
    rare_pair,
)
from redaction.spoken import Token
from redaction.tokens import HESITATIONS

# What a caller says they are before saying who ("i'm the new referee ..."), besides roles.
_SELF_ROLES = ROLES_AND_PARTIES | (
    frozenset(
        """referee umpire hire member volunteer employee intern parent guardian owner partner
    patient customer player skater rider""".split()
    )
)
# Words a caller may put before what they are: "i'm a new part time referee".
_DESCRIBING_WORDS = 3
# What a person is, said after their name: "shaggy the caller", "Zarmina, my sister".
_WHAT_PEOPLE_ARE = (
    frozenset(ROLES)
    | KIN
    | frozenset(
        """caller farrier vet pastor minister deacon boss treasurer chair secretary
        referee umpire ref judge""".split()
    )
)
# Said before a person named with what they are: "tell <name> the farrier to ...".
_NAMED_AFTER = frozenset(
    {"tell", "ask", "with", "call", "text", "for", "thank", "thanks", "have", "let"}
)


def _finding(toks: list[Token], first: int, last: int, score: float) -> Finding:
    return Finding(EntityType.PERSON, toks[first].start, toks[last].end, score)


def self_described(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """ "hi i'm a new referee gadzhi alibekov", "im the volunteer coordinator nazira
    bekova": a caller saying what they are, then who, in two words English hardly uses;
    or who, after a greeting's "this" ("hi this struan ogilvie")."""
    found = []
    for k in range(first, stop - 2):
        said = toks[k].lower.replace("’", "'")
        greeted = k > first and toks[k - 1].lower in GREETINGS
        if said == "this" and greeted and rare_pair(toks, k + 1, stop):
            # "hi this sholban ondar property manager ...": "is" lost by the recogniser
            found.append(_finding(toks, k + 1, k + 2, 0.7))
            continue
        if said not in ("i'm", "im") or toks[k + 1].lower not in ("a", "an", "the"):
            continue
        for j in range(k + 3, min(k + 3 + _DESCRIBING_WORDS, stop)):
            if toks[j - 1].lower in _SELF_ROLES and rare_pair(toks, j, stop):
                found.append(_finding(toks, j, j + 1, 0.7))
                break
    return found


def _name_word(tok: Token, k: int, first: int) -> bool:
    """The token can be a name with what the person is said beside it: a word the records
    list as a given name, one English hardly uses, or one written with a capital inside
    a sentence."""
    if not nameable(tok) or tok.lower in NOT_NAMES:
        return False
    capitalised = tok.text[:1].isupper() and k > first
    return capitalised or given_in_records(tok.lower) or rare_word(tok.lower)


# Said of a person before their name between commas: "call our maintenance guy, Scrappy,
# at ...".
_WHO_BEFORE = _WHAT_PEOPLE_ARE | frozenset({"guy", "gal", "man", "woman", "lady", "fella"})


def named_after_what_they_are(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """ "call our maintenance guy, Scrappy, at (912) 555-0104": what a person is, then
    their name set off by commas."""
    found = []
    for k in range(first + 2, stop):
        if toks[k - 1].text != ",":
            continue
        who = toks[k - 2].lower
        several = who.removesuffix("s") in _WHO_BEFORE and who != who.removesuffix("s")
        if who not in _WHO_BEFORE and not several:
            continue
        closed = k + 1 >= stop or toks[k + 1].text in (",", ".", "!", "?")
        if closed and _name_word(toks[k], k, first):
            found.append(_finding(toks, k, k, 0.7))
        # "Our installers, Bo and Anselm, can be there": two of them, by name
        pair = k + 3 < stop and toks[k + 1].lower in ("and", "&") and toks[k + 3].text == ","
        if (
            several
            and pair
            and _name_word(toks[k], k, first)
            and _name_word(toks[k + 2], k + 2, first)
        ):
            found += [_finding(toks, k, k, 0.7), _finding(toks, k + 2, k + 2, 0.7)]
    return found


def named_with_what_they_are(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """ "or call Zarmina, my sister-in-law, if ...", "tell wrangler the farrier to close
    it", "the workshop with shaggy the caller": a word said where a person is named, then
    what that person is."""
    found = []
    for k in range(first, stop - 2):
        if not _name_word(toks[k], k, first):
            continue
        j = k + 1
        one_of = [t.lower for t in toks[j + 1 : j + 4]]
        if toks[j].text == "," and one_of[:2] == ["one", "of"] and one_of[2:] in (["our"], ["my"]):
            # "Great. Cactus, one of our trainers, will call": after a sentence's start too
            opens = k == first or not toks[k - 1].is_word
            role = toks[j + 4].lower if j + 4 < stop else ""
            if opens or toks[k - 1].lower in _NAMED_AFTER:
                if {role, role.removesuffix("s"), role.removesuffix("es")} & _WHAT_PEOPLE_ARE:
                    found.append(_finding(toks, k, k, 0.7))
            continue
        if k == first or toks[k - 1].lower not in _NAMED_AFTER:
            continue
        if toks[j].text == "," and j + 2 < stop and toks[j + 1].lower in POSSESSIVES:
            j += 2  # "Zarmina, my sister-in-law"
        elif toks[j].lower in ("our", "my") and j + 1 < stop:
            j += 1  # "ill have glimmer our designer email u"
        elif toks[j].lower == "the":
            j += 1  # "wrangler the farrier"
        else:
            continue
        if j < stop and toks[j].lower in _WHAT_PEOPLE_ARE:
            found.append(_finding(toks, k, k, 0.7))
    return found


# Words between "the" and the word for what someone is: "the new tail guide".
_ROLE_WORDS = 3


def named_beside_a_role(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """A word said with what the person is, where only a person can be: "smokey the head
    wrangler said to call you", "its tofu the new tail guide uh", "the new rider
    ravioli said u need my tax stuff"."""
    found = []
    for k in range(first, stop - 2):
        if not _name_word(toks[k], k, first) or toks[k].lower in _WHAT_PEOPLE_ARE:
            continue
        if everyday(toks[k].lower) and not (k > first and toks[k].text[:1].isupper()):
            continue  # "the waiver page wants ...": a thing, in lower case
        if k > first and toks[k - 1].lower in _PLACED:
            continue  # "at rosewood the manager said": where, not who
        after = toks[k + 1].lower
        if after == "the" and _role_then_act(toks, k + 2, stop):
            found.append(_finding(toks, k, k, 0.7))
        elif after in TELLING_VERBS and not doer_shaped(toks[k].lower):
            if _role_before(toks, k, first):
                found.append(_finding(toks, k, k, 0.7))
    return found


# Said before a place: "at rosewood the manager said".
_PLACED = frozenset({"at", "in", "on", "near", "from", "to", "into", "by", "of"})


def _role_then_act(toks: list[Token], k: int, stop: int) -> bool:
    """From token k, a few words for what someone is, then what only a person does, or a
    role known as one ending the clause."""
    for j in range(k + 1, min(k + 1 + _ROLE_WORDS, stop + 1)):
        said = [t.lower for t in toks[k:j]]
        if not all(t.is_word and t.lower not in FUNCTION_WORDS for t in toks[k:j]):
            return False
        nxt = toks[j] if j < stop else None
        if nxt is not None and nxt.lower in TELLING_VERBS:
            return True
        ends = nxt is None or not nxt.is_word or nxt.lower in HESITATIONS
        if ends and said[-1] in _WHAT_PEOPLE_ARE:
            return True
    return False


def _role_before(toks: list[Token], k: int, first: int) -> bool:
    """Before token k, "the" and a few words for what someone is, the last a word for a
    doer or a role: "the new rider"."""
    role = toks[k - 1].lower
    if not (role in _WHAT_PEOPLE_ARE or doer_shaped(role)):
        return False
    for i in range(k - 2, max(first, k - 2 - _ROLE_WORDS) - 1, -1):
        if toks[i].lower == "the":
            return all(t.is_word and t.lower not in FUNCTION_WORDS for t in toks[i + 1 : k])
    return False
