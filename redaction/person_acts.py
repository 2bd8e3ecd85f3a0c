"""Words that stand where only a person can: told something ("tell gravy his forklift is
fixed", "ask bean to call me"), telling it ("and bean told me to call you", "diesel said
he'd be late"), answering the phone ("Agate Alley Lapidary, Dart here.") or named as
what someone calls the speaker ("Dandelion, that's what she calls me"). What is done to
or by the word makes it a name, however ordinary a word it is otherwise ("gravy",
"bean", "diesel" are nicknames as often as things)."""

from __future__ import annotations

from redaction.lexicon import FUNCTION_WORDS, everyday, given_in_records
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES_AND_PARTIES
from redaction.name_words import (
    CARD_BRANDS,
    CUE_WORDS,
    DEPARTMENTS,
    KIN,
    NOT_NAMES,
    SELF_WORDS,
    TELLING_VERBS,
    doer_shaped,
)
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import HOMOPHONE_DIGITS

# What is said to a person: "tell gravy ...", "ask bean ...", "remind diesel ...".
_TOLD = frozenset({"tell", "ask", "remind", "thank", "let"})
# What someone is had do: "have diesel call me", "have bean send it".
_HAD_DO = frozenset({"call", "text", "email", "send", "give", "bring", "check"})
# What follows a person told something: whose it is, what, or what to do.
_AFTER_TOLD = frozenset(
    """his her he she he's she's hes shes that to about when if i we you u ur your our
    know the its it's""".split()
)
# Where the person who told is, said between them and the telling: "amber in the office
# said to call", "mint in the brewhouse said ...".
_WHERE = frozenset({"in", "at", "from", "on"})
_WHERE_WORDS = 3
# To whom, or what, after a telling verb.
_AFTERTELLING_VERBS = frozenset(
    """me us you u i we that he she he'd she'd hed shed it to the our my you'd youd
    ur your i'd id we'd""".split()
)
# Where a clause starts, before its subject: the line's start, "and", "but", "so".
_CLAUSE_OPENERS = frozenset(
    """and n but so because cuz cause well oh yeah yea ya yep yup um uh ok okay k then
    plus also""".split()
)
_NOT_PEOPLE = (
    FUNCTION_WORDS
    | NOT_NAMES
    | CUE_WORDS
    | DEPARTMENTS
    | KIN
    | ROLES_AND_PARTIES
    | CARD_BRANDS
    | NUMBER_WORDS
    | HOMOPHONE_DIGITS
    | frozenset(
        """goodness god heavens them em 'em everyone everybody someone somebody anyone
        anybody nobody whoever dispatch office front desk store shop system website site
        app portal computer machine email mail phone card bank around later again back
        soon first instead time today tonight tomorrow anyway away everything nothing
        something more once twice ahead""".split()
    )
)


def _who(tok: Token) -> bool:
    """The token may be a person's name: a word of letters that names no kind of thing
    this module knows of."""
    w = tok.lower.replace("’", "'")
    if tok.kind != Kind.WORD or not w.isalpha() or len(w) < 2 or w in _NOT_PEOPLE:
        return False
    if len(tok.text) > 1 and tok.text.isupper():
        return False  # "CBP wants the invoice": an agency, said by its letters
    if w.endswith("ed") and everyday(w):
        return False  # "whoever answered said ...": a deed, no one's name
    return not (w.endswith("s") and w[:-1] in _NOT_PEOPLE)  # "ask drivers to ..."


def person_acts(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """Single words in tokens first..stop that something is said to or by."""
    found = []
    for k in range(first, stop):
        tok = toks[k]
        after = toks[k + 1].lower.replace("’", "'") if k + 1 < stop else ""
        if not _who(tok):
            continue
        before = toks[k - 1].lower if k > first else ""
        if before == "have":
            told = after in _HAD_DO  # "have diesel call me", not "have time to ..."
        else:
            # "n tell frost": who is told, the line ending there
            told = before in _TOLD and (after in _AFTER_TOLD or _ends_clause(toks, k + 1))
        opens = k == first or before in _CLAUSE_OPENERS or toks[k - 1].kind == Kind.PUNCT
        # "the new weekend instructor memphis said u need ...": a doer named before
        after_doer = k > first and _doer(toks[k - 1].lower) and not _how_often(tok.lower)
        tells_at = _telling_at(toks, k + 1, stop)
        telling = (
            (opens or after_doer)
            and tells_at is not None
            and tells_at + 1 < stop
            and toks[tells_at + 1].lower.replace("’", "'") in _AFTERTELLING_VERBS
        )
        # "Agate Alley Lapidary Supply, Dart here.", and a name English hardly uses as a
        # word going on with what the caller wants: "yup brisket here the car pass is ..."
        answering = after in SELF_WORDS and (
            (before in ("", ",") and _ends_clause(toks, k + 2))
            or (
                opens
                and not everyday(tok.lower)
                and (_ends_clause(toks, k + 2) or (k + 2 < stop and toks[k + 2].lower in _GOES_ON))
            )
        )
        # "can i get a volume fill with bluebell shes the best": whom a pronoun goes on about
        spoken_of = before in _WITH_WHOM and after in _SHE_OR_HE
        nicknamed = before not in ("the", "a", "an") and _nicknamed(toks, k + 1, stop)
        # "yup clay n his crew can come thurs": one whose crew or family comes with them
        with_theirs = (
            after in _AND
            and k + 3 < stop
            and toks[k + 2].lower in ("his", "her")
            and toks[k + 3].lower in _THEIR_PEOPLE
            and (given_in_records(tok.lower) or not everyday(tok.lower))
            and before not in _WHERE_OR_WHAT  # "Nita Osceola on mellophone and her brother"
        )
        addressed = _addressed(toks, k, first, stop)
        if told or telling or answering or spoken_of or nicknamed or with_theirs or addressed:
            found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
    return found


# What a caller says next after "<name> here": "yup brisket here the car pass is ...".
_GOES_ON = frozenset("the i im i'm we my our its it's just and n about calling".split())
# Said before whom a caller wants served by, and the pronoun that goes on about them.
_WITH_WHOM = frozenset({"with", "for", "ask", "prefer", "request", "want"})
_SHE_OR_HE = frozenset({"she", "he", "she's", "he's", "shes", "hes"})


def _ends_clause(toks: list[Token], k: int) -> bool:
    return k >= len(toks) or toks[k].kind in (Kind.PUNCT, Kind.NEWLINE)


def _nicknamed(toks: list[Token], k: int, stop: int) -> bool:
    """Tokens from k say the word before them is what someone calls the speaker:
    "Dandelion, that's what she calls me", "whiskey thats what they call me"."""
    # what the speaker is called is said within a dozen tokens, commas among them
    said = [t.lower.replace("’", "'") for t in toks[k : min(stop, k + 14)] if t.text != ","]
    said = said[:10]
    # "pogo like the stick it's what everybody calls me": what it is like between
    for i in range(min(4, len(said))):
        if i and said[0] != "like":
            break
        if said[i : i + 2] not in ([w, "what"] for w in _THAT_IS):
            continue
        # who calls the speaker so: "she", "they", "my niece", "the guys"
        calls = [j for j in (i + 3, i + 4) if said[j : j + 1] and said[j] in _CALLS]
        if calls and said[calls[0] + 1 : calls[0] + 2] == ["me"]:
            return True
    return False


_THAT_IS = ("that's", "thats", "it's", "its")
_CALLS = frozenset({"call", "calls", "called"})


def _telling_at(toks: list[Token], k: int, stop: int) -> int | None:
    """Where the telling verb stands from token k: right there, or after where the
    person is ("in the office said ...")."""
    if k < stop and toks[k].lower in TELLING_VERBS:
        return k
    if k < stop and toks[k].lower in _WHERE:
        for j in range(k + 1, min(stop, k + 1 + _WHERE_WORDS)):
            if toks[j].lower in TELLING_VERBS:
                return j if j > k + 1 else None
            if not toks[j].is_word:
                return None
    return None


def _doer(word: str) -> bool:
    """A word for someone by what they do: "instructor", "rider", "trainer"."""
    return word in ROLES_AND_PARTIES or (doer_shaped(word) and word not in FUNCTION_WORDS)


# Said between a doer and what they said: "my contractor always said ...".
_HOW_OFTEN = frozenset(
    """always never just also still even already actually really then once usually often
    sometimes recently finally first last literally basically""".split()
)


def _how_often(word: str) -> bool:
    return word in _HOW_OFTEN or word.endswith("ly")


_AND = frozenset({"and", "n", "&"})
# Said before what or where, not who: "on mellophone and her brother".
_WHERE_OR_WHAT = frozenset({"on", "in", "at", "into", "by", "of"})
# Given names that open a question as its verb: "great will that be ...".
_MODALS = frozenset("will can may might must shall would could should did does".split())
# Whom a person brings or sends: "clay n his crew", "wolf and his guys".
_THEIR_PEOPLE = frozenset(
    """crew team guys boys girls wife husband kids son daughter family partner brother
    sister dad mom helper helpers""".split()
)
# What a line opens with before the person spoken to: "ok destiny one thing ...".
_ACKNOWLEDGED = frozenset("ok okay k kk thanks thx great perfect alright awesome sure".split())
# What is said to the person after their name: "ok destiny one thing", "thanks rocky its ...".
_SAID_TO = frozenset(
    """one its it's i im i'm ill i'll we we'll your ur you u lets let's go got that so
    just""".split()
)
# Words callers and agents call anyone by: no one's name.
_ENDEARMENTS = frozenset(
    """honey hon hun sweetie sweetheart dear darling babe love buddy bud pal man sir maam
    ma'am friend boss chief guys folks everyone everybody""".split()
)


def _addressed(toks: list[Token], k: int, first: int, stop: int) -> bool:
    """Token k is who a line opening with an acknowledgement speaks to, a given name the
    records list: "ok destiny one thing the cap and gown ...", "thanks rocky its ..."."""
    if k != first + 1 or toks[first].lower not in _ACKNOWLEDGED or k + 1 >= stop:
        return False
    w = toks[k].lower
    if w in _ENDEARMENTS or w in _MODALS or not given_in_records(w):
        return False  # "great will that be at the house": asked, of no one
    return toks[k + 1].lower.replace("’", "'") in _SAID_TO
