"""What kind of word a name may be where the line says a person stands: a word the
records list as a given name, one shaped like a name (no function, number or chat word),
one English hardly uses, a surname the census lists. `everyday_names` reads where such
words stand."""

from __future__ import annotations

from redaction.lexicon import (
    FUNCTION_WORDS,
    census_surname,
    dropped_g,
    everyday,
    given_in_records,
    rare_word,
    unheard,
)
from redaction.mentions import coined
from redaction.name_words import AMBIGUOUS_GIVEN, CUE_WORDS, NOT_NAMES, nameable
from redaction.spoken import NUMBER_WORDS, ORDINALS, Kind, Token

# Said after thanks in place of a name: "thanks again", "thx man".
THANKED_NO_ONE = frozenset(
    """again so much a lot all everyone everybody guys man dude bud buddy bro sir maam ma'am
    mate hon honey dear team folks anyway though tho then now bye babe love boss chief pal
    friend doc both you u ya y'all yall goodness god gosh heavens heaven lord""".split()
)

# Places called after saints, and other first words of a place's name: "san isidro".
_PLACE_STARTS = frozenset("san santa santo sao st saint fort port mount mt lake".split())


def word_name(tok: Token) -> bool:
    w = tok.lower
    return (
        tok.kind == Kind.WORD
        and nameable(tok)
        and w not in CUE_WORDS
        and w not in _PLACE_STARTS
        and (given_in_records(w) or w in AMBIGUOUS_GIVEN)
    )


def name_shaped(tok: Token) -> bool:
    """A word that may be a name: no function, number or chat word, no ordinal, no -ing
    word with its g dropped."""
    w = tok.lower
    return (
        tok.kind == Kind.WORD
        and nameable(tok)
        and w not in NOT_NAMES
        and w not in ORDINALS  # "april twelfth"
        and not ing_dropped(w)
    )


def addressed(tok: Token) -> bool:
    """A word that may be whom thanks or a greeting are said to: no function or number
    word, and none said in a name's place ("thanks again", "thx man")."""
    w = tok.lower
    return (
        name_shaped(tok)
        and w not in THANKED_NO_ONE
        and w not in FUNCTION_WORDS
        and w not in NUMBER_WORDS
    )


def plain_word(tok: Token) -> bool:
    """A word that may be a name, and no compound of everyday words ("huckleberries")."""
    return name_shaped(tok) and not coined(tok.lower)


def unheard_surname(tok: Token) -> bool:
    """A word English has hardly a trace of, as a surname from another language is
    ("mabini", "kairatova")."""
    return plain_word(tok) and unheard(tok.lower)


def ing_dropped(word: str) -> bool:
    """ "callin", "bookin": an -ing word as recognisers write it, even where the records
    list the word as a name too."""
    return dropped_g(word) or (word.endswith("in") and everyday(word + "g"))


def rare_given(tok: Token) -> bool:
    """A word English hardly uses, said where a given name is ("nhung", "pemba")."""
    return plain_word(tok) and tok.lower not in CUE_WORDS and rare_word(tok.lower)


def rare_surname(tok: Token) -> bool:
    """A surname the census lists, or any word English hardly uses ("thapa", "vo")."""
    return listed_surname(tok) or rare_given(tok)


def listed_surname(tok: Token) -> bool:
    """A surname the census lists that English hardly uses otherwise ("dvorak", "haddad",
    "bello"), though things are called so too ("oyster")."""
    w = tok.lower
    return (
        name_shaped(tok) and census_surname(w) and (rare_word(w) or len(w) == 2)  # "vo", "ng"
    )
