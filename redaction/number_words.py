"""The words numbers are said with, and the fillers said between a number's groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redaction.tokens import Token

UNITS = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "niner": 9,
}
TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
REPEATS = {"double": 2, "triple": 3, "treble": 3}
# Words an ASR writes for a digit it misheard; digits only between two single digits.
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "forth": 4,  # how a recogniser often writes "fourth" ("april forth")
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS) | {"hundred", "thousand"}

# Said between the groups of a number without ending it.
FILLERS = frozenset(
    {
        "uh",
        "um",
        "uhm",
        "umm",
        "uhh",
        "er",
        "erm",
        "ah",
        "eh",
        "hmm",
        "hm",
        "mm",
        "mhm",
        "sorry",
        "sry",  # as chat spellings write it
        "okay",
        "ok",
        "so",
        "then",
        "wait",
        "yeah",
        "actually",
        "like",  # "acct three seven six fore like six ate five ..."
        "and",
        "dash",
        "hyphen",
        "space",
        "slash",
    }
)
_LET_ME = ("see", "check", "look", "find it", "grab it", "get it", "think")
FILLER_PHRASES = tuple(
    sorted(
        (
            tuple(phrase.split())
            for phrase in (
                # "lemme grab it", as recognisers write "let me"
                *(f"lemme {rest}" for rest in _LET_ME),
                "let me see",
                "let me check",
                "let me look",
                "let me find it",
                "let me grab it",
                "let me get it",
                "let me think",
                "i gotta find it",
                "i have to find it",
                "i need to find it",
                "i gotta look",
                "i have to look",
                "i'm looking",
                "hold on",
                "hold on a sec",
                "hold on a second",
                "hang on",
                "hang on a sec",
                "hang on a second",
                "one sec",
                "one second",
                "one moment",
                "just a sec",
                "just a second",
                "just a moment",
                "give me a sec",
                "give me a second",
                "bear with me",
                "wait a sec",
                "where was i",
                "i think",
                "i mean",
                "you know",
                "and then",
                "that's",
                "it's",
            )
        ),
        key=len,
        reverse=True,
    )
)
# Filler phrases with a number word in them: "one sec" is no digit.
NUMBERED_FILLERS = tuple(p for p in FILLER_PHRASES if "one" in p)
# A number followed by one of these is an amount, a duration or a time, not an identifier.
MEASURE_WORDS = frozenset(
    """dollars dollar bucks buck cents cent percent minutes minute mins min hours hour hrs
    seconds days day weeks week months month years year yrs times o'clock am pm gb gigs gig
    mb megabytes gigabytes tb pounds lbs miles mile feet foot inches meter meters metre metres
    degrees people kids
    points texts mbps mph ounces oz kg km liters gallons gallon pieces payments installments bills
    nights euros euro pesos lines devices users x items orders packages boxes messages
    songs episodes movies photos files apps channels stores locations tickets seats rooms
    calories steps digits digit letters characters kw kilowatt kilowatts watts volts amps
    kwh""".split()
)


def filler_end(tokens: list[Token], i: int) -> int:
    """Index after a filler word or phrase starting at tokens[i], or i if none."""
    w = tokens[i].lower
    for phrase in FILLER_PHRASES:
        if w == phrase[0] and i + len(phrase) <= len(tokens):
            if all(tokens[i + k].lower == phrase[k] for k in range(len(phrase))):
                return i + len(phrase)
    if w in FILLERS:
        return i + 1
    return i


def numeric_word(word: str) -> bool:
    """A number said as one word ("four", "fourteen", "forty")."""
    return word in UNITS or word in TEENS or word in TENS
