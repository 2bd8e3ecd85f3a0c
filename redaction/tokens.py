"""Transcript tokens with character offsets, and when a homophone is a digit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from redaction.lexicon import US_STATES
from redaction.months import MONTHS
from redaction.number_words import MEASURE_WORDS, NUMBER_WORDS, ORDINALS, TEENS, TENS, UNITS


class Kind(StrEnum):
    WORD = "word"
    DIGITS = "digits"
    ORDINAL = "ordinal"  # "2nd", "14th"
    PUNCT = "punct"
    NEWLINE = "newline"


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: Kind

    @cached_property
    def lower(self) -> str:  # read many times per token by every recogniser
        return with_apostrophe(self.text.lower())

    @property
    def is_word(self) -> bool:
        return self.kind in (Kind.WORD, Kind.DIGITS, Kind.ORDINAL)


# Contractions as recognisers write them without the apostrophe ("im", "whats"), read as
# the contraction; only those that are no other word ("its", "ill", "well" are).
_APOSTROPHE_DROPPED = {
    word.replace("'", ""): word
    for word in """i'm i've you're they're what's that's how's who's where's there's here's
    she's don't doesn't didn't can't isn't wasn't aren't weren't couldn't wouldn't shouldn't
    haven't hasn't you've we've they've you'll they'll""".split()
}


def with_apostrophe(word: str) -> str:
    """A lower-case word, as its contraction when the recogniser dropped the apostrophe."""
    return _APOSTROPHE_DROPPED.get(word, word)


_TOKEN = re.compile(
    r"(?P<ord>\d+(?:st|nd|rd|th)(?![^\W\d_]))"
    r"|(?P<digits>\d+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<newline>\n)"
    r"|(?P<punct>[^\s\w]|_)"
)


def tokenize(text: str) -> list[Token]:
    """Words, digit strings, ordinals ("2nd") and single punctuation marks; a newline is a
    token of its own (it separates lines of a conversation)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        group = m.lastgroup
        kind = {
            "ord": Kind.ORDINAL,
            "digits": Kind.DIGITS,
            "word": Kind.WORD,
            "newline": Kind.NEWLINE,
        }.get(group or "", Kind.PUNCT)
        tokens.append(Token(m.group(), m.start(), m.end(), kind))
    return _homophone_digits(tokens)


# Words a recogniser writes for a digit it heard ("five five won four", "for seven won
# nine", "eight oh to five"), and the digit word they stand for.
_HOMOPHONES = {
    "won": "one",
    "to": "two",
    "too": "two",
    "for": "four",
    "fore": "four",
    "ate": "eight",
    "tree": "three",
}
HOMOPHONE_DIGITS = frozenset(_HOMOPHONES)


def homophone_digit(word: str) -> str | None:
    """The digit a homophone stands for ("ate": "8"), or None for any other word."""
    said = _HOMOPHONES.get(word)
    return None if said is None else str(UNITS[said])


def repeats_digits(word: str) -> bool:
    """ "double", "triple": a word saying the digit after it comes more than once."""
    return word in _REPEATS


def said_for_digits(word: str) -> bool:
    """A word said for digits: "seven", "twenty", "too" (a homophone), "triple"."""
    return word in NUMBER_WORDS or word in _REPEATS or homophone_digit(word) is not None


# "One" as said and as heard: "one tree" is a tree unless more digits came before.
_ONE = frozenset({"one", "won", "1"})
# Homophones that are everyday words next to numbers ("5 to 6", "for 30 days"): a digit
# only among other digits.
_EVERYDAY = frozenset({"to", "too", "for"})
# Sounds a speaker makes inside a number without ending it ("nine won to uh for for"): a
# homophone's neighbours are judged past them.
HESITATIONS = frozenset("uh um uhm umm uhh er erm ah eh hmm hm mm".split())
# "double five", "triple seven": say that digits follow.
_REPEATS = frozenset({"double", "triple"})
_ZEROS = frozenset({"oh", "o", "zero"})
# Words that make the number words after them part of an amount ("two thousand twenty").
_SCALES = frozenset({"hundred", "thousand", "million"})
# After these an answer begins: "the code is to ate six", "security code for nine one",
# "pin for for won three" (a homophone opening the number, as at the start of a line).
# After a cue noun, "to" stays the preposition ("reset the pin to 9 7 3 ..."), and before
# one a number ends ("... seven oh to zip is ...").
_VERB_STARTS = frozenset("is its it's was use still".split())
_CUE_NOUNS = frozenset(
    """code pin passcode number zip expires expiry exp cvv routing account social ssn phone
    cell card""".split()
)
MONTH_NAMES = frozenset(
    """january february march april may june july august september october november
    december""".split()
)
# Said to take back digits just said: "... won for no wait ...".
TAKEN_BACK = frozenset("no wait sorry actually oops".split())
# Keys said before a code typed on a keypad.
_KEYPAD_KEYS = frozenset({"star", "pound", "hash"})
# "and" as recognisers write it, "an" when the "d" is swallowed ("six to an you ...").
_AND = frozenset({"and", "an", "n"})


def _homophone_digits(tokens: list[Token]) -> list[Token]:
    """The tokens, with a homophone standing among spoken digits read as that digit. Its
    offsets stay, so findings still point at what was written."""
    if not any(t.lower in _HOMOPHONES for t in tokens):
        return tokens
    out = list(tokens)
    changed = True
    while changed:
        changed = False
        for i, tok in enumerate(out):
            word = tok.lower
            if word in _HOMOPHONES and _reads_as_digit(out, i):
                out[i] = Token(_HOMOPHONES[word], tok.start, tok.end, tok.kind)
                changed = True
    return out


def _number_word(tok: Token | None) -> bool:
    return tok is not None and (
        _digit(tok, homophone=True) or tok.lower in TEENS or tok.lower in TENS
    )


def _digit(tok: Token | None, *, homophone: bool = False) -> bool:
    if tok is None:
        return False
    if tok.kind == Kind.DIGITS:
        return len(tok.text) == 1
    return tok.lower in UNITS or (homophone and tok.lower in _HOMOPHONES)


# Words after which a number is said, so that "too" then opens it: "birthday too ...",
# "the code is too ...", "zip too ...", "call me at too ...", "lockbox too ...".
_ASKS_DIGITS = frozenset(
    """is at birthday born dob code pin passcode zip zipcode social ssn number cvv expiration
    exp expires routing account lockbox keypad combo locker""".split()
)


def _asks_digits(word: str) -> bool:
    """A word after which a number is said, its g perhaps dropped ("routin too ...")."""
    return word in _ASKS_DIGITS or (word.endswith("in") and word + "g" in _ASKS_DIGITS)


# Digits after "too" that make it the first digit of a number: a date said digit by digit
# ("trent saudale too seven oh fore"), a phone number's rest.
_TOO_OPENS = 3
# The same for "for", a word far more often: only a phone number's nine digits after it.
_FOR_OPENS = 9


def _amount_follows(at: Callable[[int], Token | None], i: int) -> bool:
    """Number words after token i end in a measure ("for ninety nine cents", "for six
    hundred forty dollars") or say a scale ("for six hundred"): an amount, which no
    digit read out one at a time runs into."""
    n = i + 1
    following = at(n)
    scaled = False
    while following is not None and (
        _number_word(following) or following.lower in ("hundred", "thousand")
    ):
        scaled = scaled or following.lower in ("hundred", "thousand")
        n += 1
        following = at(n)
    if n == i + 1:
        return False
    return scaled or (following is not None and following.lower in MEASURE_WORDS)


def _digits_follow(at: Callable[[int], Token | None], i: int) -> int:
    """How many digit words come right after token i ("double" and "triple" counted as
    the digits they repeat)."""
    count, n = 0, i + 1
    while True:
        tok = at(n)
        if tok is not None and tok.lower in _REPEATS and _digit(at(n + 1), homophone=True):
            count += 2 if tok.lower == "double" else 3
            n += 2
        elif _digit(tok, homophone=True):
            count += 1
            n += 1
        else:
            return count


def _digits_before(at: Callable[[int], Token | None], i: int) -> int:
    """How many digits are said one by one right before token i (none if a longer number
    word, a teen or a tens word, is among or just before them)."""
    count = 0
    while _digit(at(i - 1 - count), homophone=True):
        count += 1
    return 0 if _number_word(at(i - 1 - count)) else count


def _long_run_before(at: Callable[[int], Token | None], i: int) -> bool:
    """Seven digits or more said right before token i ("double" and "triple" counted as the
    digits they repeat, a teen or a tens word as two, a tens word and its unit as two): a
    routing or account number, a social, or a card's group."""
    count, n = 0, i - 1
    while (word := at(n)) is not None and _number_word(word):
        if word.lower in TEENS or word.lower in TENS:
            count += 2
        elif (tens := at(n - 1)) is not None and tens.lower in TENS and word.lower not in _ZEROS:
            count += 2  # "twenty seven": one pair
            n -= 1
        else:
            count += 1
        repeat = at(n - 1)
        if repeat is not None and repeat.lower in _REPEATS:
            count += 1 if repeat.lower == "double" else 2
            n -= 1
        n -= 1
    scale = at(n)
    return count >= _LONG_RUN and (scale is None or scale.lower not in _SCALES)


def _number_words_before(at: Callable[[int], Token | None], i: int) -> int:
    """How many number words (digits, teens, tens) are said right before token i."""
    count = 0
    while _number_word(at(i - 1 - count)):
        count += 1
    return count


# Number words before a tens word after which "too" is the pair's unit, not "as well":
# three pairs read before it ("sixty fore thirty six ninety fore ninety too").
_PAIRED_RUN = 4


# Digits said one by one after which "too" ends the number rather than the sentence
# ("routin too fore seven won too too five nine too acct ..."): none of the numbers said
# this way is shorter, and "too" meaning "as well" seldom follows one.
_LONG_RUN = 7


def _restarted_after(at: Callable[[int], Token | None], i: int) -> bool:
    """Token i is followed by words taking it back ("no sorry", "no wait") and then the
    number said again."""
    n = i + 1
    while (word := at(n)) is not None and word.lower in TAKEN_BACK:
        n += 1
    return n > i + 1 and _number_word(at(n))


def _reads_as_digit(tokens: list[Token], i: int) -> bool:
    """Whether the homophone at i stands for a digit, judged by its neighbours (past
    hesitations: "to uh for" are neighbours)."""
    heard = [k for k, t in enumerate(tokens) if k == i or t.lower not in HESITATIONS]
    here = heard.index(i)

    def at(k: int) -> Token | None:
        # k is relative to i as written: i - 1 is the previous token heard, and so on
        n = here + k - i
        return tokens[heard[n]] if 0 <= n < len(heard) else None

    prev, nxt = at(i - 1), at(i + 1)
    if prev is not None and nxt is not None and nxt.lower in ("hundred", "thousand"):
        if prev.lower in TENS or prev.lower in TEENS or _digit(prev):
            return True  # "fifty for hundred": a house number, 5400
    if prev is not None and prev.lower in US_STATES:
        ahead = [at(i + n) for n in range(1, 5)]
        if all(_digit(t, homophone=True) for t in ahead) and any(_digit(t) for t in ahead):
            return True  # "maryland to oh nine oh won": the ZIP code after the state
    if prev is not None and prev.lower in _REPEATS and _digit(at(i - 2), homophone=True):
        return True  # "won double for": the digit said twice
    if prev is not None and prev.lower in _REPEATS and _number_word(nxt):
        return True  # "triple for won six": the digit said three times, more digits after
    if nxt is not None and nxt.lower in _REPEATS and _digit(prev, homophone=True):
        nxt = at(i + 2)  # "ate to triple three": the digit repeated is the neighbour
    if tokens[i].lower == "tree" and not _number_word(nxt) and prev is not None:
        if prev.lower in _ONE and _digits_before(at, i) < 2:
            return False  # "we lost one tree", but "oh won won tree": a phone's last digit
    if tokens[i].lower not in _EVERYDAY:
        if prev is not None and prev.lower in _REPEATS:
            return True  # "double ate double won": only a digit is said twice
        # "won", "ate": a digit beside any spoken number ("ate too six", "thousand won")
        after_scale = prev is not None and prev.lower in ("thousand", "hundred")
        scaled = nxt is not None and nxt.lower in ("thousand", "hundred")  # "fore hundred"
        # "won double six": a digit, then another said twice
        repeated = nxt is not None and nxt.lower in _REPEATS and _number_word(at(i + 2))
        return _number_word(prev) or _number_word(nxt) or after_scale or scaled or repeated
    if nxt is not None and nxt.lower in _REPEATS and _digit(at(i + 2), homophone=True):
        # "cvv too triple ate": a digit, then one said three times; but "text the waiver
        # to double ate too five ...": "to" after an everyday word says where it goes
        sent = (
            tokens[i].lower == "to"
            and prev is not None
            and prev.kind == Kind.WORD
            and prev.lower not in _CUE_NOUNS | _VERB_STARTS
            and not _number_word(prev)
        )
        if not sent:
            return True
    if tokens[i].lower == "too" and _number_word(prev) and _number_word(nxt):
        return True  # "ten too nineteen ninety nine": "too" is no word between numbers
    ends = nxt is None or nxt.kind in (Kind.PUNCT, Kind.NEWLINE)
    before_prev = at(i - 2)
    counted = before_prev is not None and before_prev.lower in _REPEATS  # "triple three too"
    if (
        tokens[i].lower == "too"
        and ends
        and _number_word(prev)
        and (_number_word(before_prev) or counted)
    ):
        return True  # "combo is thirty won fourteen too": the code's last digit
    dated = before_prev is not None and (
        before_prev.lower in ORDINALS or before_prev.kind == Kind.ORDINAL
    )
    if tokens[i].lower == "too" and ends and prev is not None and prev.lower in ("oh", "o"):
        if dated:
            return True  # "feb twenty seventh oh too": the year, 2002
    paused = i + 1 < len(tokens) and tokens[i + 1].lower in HESITATIONS
    if tokens[i].lower == "too" and paused and _digits_before(at, i) >= 3:
        return True  # "... three nine won too uh hang on": the digits broken off for a while
    if tokens[i].lower == "too" and not _number_word(nxt) and _digits_before(at, i) in (3, 4):
        # "i reset it to ate oh ate too try that": digits said one by one come in fours
        # (a code, a year, the last four) or fives (a ZIP), seldom in threes or fours
        return True
    if tokens[i].lower == "too" and not _number_word(nxt) and _long_run_before(at, i):
        return True  # "... double won too acct ...": a long number's last digit
    if tokens[i].lower == "too" and prev is not None and prev.lower in TENS:
        if _number_words_before(at, i - 1) >= _PAIRED_RUN:
            return True  # "... thirty six ninety fore ninety too may ...": a pair's unit
        hundreds = at(i - 2)
        if hundreds is not None and (hundreds.lower in MONTHS or _digit(hundreds, homophone=True)):
            # "good thru aug thirty too": a year's unit after its month; "box fore forty
            # too grinnell": a number's last digit after its hundreds
            return True
    opens_line = prev is None or prev.kind == Kind.NEWLINE
    if tokens[i].lower == "too" and opens_line and nxt is not None and nxt.lower in TEENS | TENS:
        if _number_word(at(i + 2)):
            return True  # "too fourteen eighty ate" opening an answer: a month, day, year
    if tokens[i].lower == "too" and prev is not None and _asks_digits(prev.lower):
        if _number_word(nxt):
            return True  # "n birthday too fourteen seventy won": what was asked for begins
    if tokens[i].lower != "to" and _digit(prev) and _restarted_after(at, i):
        return True  # "seven double oh for no sorry seven ...": the last digit of a slip
    if tokens[i].lower == "too" and _digits_follow(at, i) >= _TOO_OPENS:
        return True  # "hes at too oh seven triple five ...": "too" opens a long number
    if tokens[i].lower == "for" and _digits_follow(at, i) >= _FOR_OPENS:
        return True  # "hes at for won nine five five five oh won ate six": a phone number
    year_next = nxt is not None and nxt.lower in ("nineteen", "twenty") and _number_word(at(i + 2))
    if tokens[i].lower != "for" and prev is not None and prev.lower in MONTH_NAMES and year_next:
        return True  # "june to nineteen seventy nine": the day, then the year
    if tokens[i].lower == "for" and _amount_follows(at, i):
        # "... three oh for six hundred forty dollars": what the number was read back for
        return False
    if _digit(prev) and _digit(at(i - 2), homophone=True) and _number_word(nxt):
        # inside a run of digits: "nine six for uh eighty ate", but "... oh five for
        # ninety nine cents" buys something
        return True
    beside = _digit(prev, homophone=True) and _digit(nxt, homophone=True)
    # a pair's unit between two pairs: "sixty to fifty ate" is 62 58
    paired = prev is not None and prev.lower in TENS and _number_word(nxt)
    if (beside and (_digit(prev) or _digit(nxt))) or paired:
        # "eight oh to five", "oh for too seven"; "5 to 6" alone is a range
        ranged = tokens[i].lower == "to" and not (_number_word(at(i - 2)) or _digit(at(i + 2)))
        if not ranged:
            return True
    slashed = nxt is not None and (nxt.lower == "slash" or nxt.text == "/")
    if slashed and _number_word(prev) and _number_word(at(i + 2)):
        return True  # "oh for slash thirty won": a month, then a year
    if prev is not None and prev.lower in ("oh", "o", "zero"):
        if nxt is not None and nxt.lower in TENS:
            return True  # "oh to twenty seven": a month and year
        before = at(i - 2)
        if before is not None and (before.lower in TEENS or before.lower in TENS):
            return True  # "seventeen oh for": a number read in pairs
    # a new number starts: at the line's start, after a pause, or after "and" that ends a
    # number ("eleven twenty seven and to oh nine")
    listed = prev is not None and prev.lower in _AND and _number_word(at(i - 2))
    chosen = (  # "make it for too ate won": a new code chosen ("change it to ..." is no digit)
        prev is not None
        and prev.lower == "it"
        and before_prev is not None
        and before_prev.lower in ("make", "set")
        and tokens[i].lower != "to"
    )
    answered = prev is not None and (
        prev.lower.replace("’", "'") in _VERB_STARTS
        or (prev.lower in _CUE_NOUNS and tokens[i].lower != "to")
        or chosen
    )
    # "... ate ate no for ate ate too": digits taken back, and the number said again
    # (or, after a line break, "... six seven five nine / uh sorry for nine won ...")
    # (or after more than one such word: "... for won ate no wait for won nine six")
    back = i - 2
    while (word_back := at(back)) is not None and word_back.lower in TAKEN_BACK:
        back -= 1
    taken_back_from = at(back)
    if taken_back_from is not None and taken_back_from.kind == Kind.NEWLINE:
        taken_back_from = at(back - 1)
    restarted = prev is not None and prev.lower in TAKEN_BACK and _number_word(taken_back_from)
    keyed = prev is not None and prev.lower in _KEYPAD_KEYS  # "star too ate ate six"
    starts = (
        prev is None
        or prev.kind in (Kind.NEWLINE, Kind.PUNCT)
        or listed
        or answered
        or restarted
        or keyed
    )
    after = at(i + 2)
    if after is not None and after.lower in _REPEATS:
        after = at(i + 3)  # "for nine triple seven": the digit repeated
    opening = _digit(nxt, homophone=True) and _digit(after, homophone=True)
    if starts and opening and (_digit(nxt) or _digit(after)):
        return True  # a line opening with digits: "for seven won nine", "to nine to nine"
    if answered and nxt is not None and after is not None and opening:
        if not {nxt.lower, after.lower} <= _EVERYDAY:
            return True  # "its for ate ate": an answer in homophones only, one no everyday word
    if starts and nxt is not None and nxt.lower in TENS and _digit(after, homophone=True):
        return True  # an answer opening with a month and year: "to twenty ate"
    if nxt is not None and nxt.lower == "thousand":
        if starts or _number_word(prev) or (prev is not None and prev.lower in ORDINALS):
            return True  # a year: "to thousand ate", "june third too thousand won"
    # the clause ends: "... sixty for." ("for $1,299" is the preposition), or the number
    # does, where a preposition cannot stand: "... won for and the pin is ..."
    ends = (
        nxt is None
        or nxt.kind == Kind.NEWLINE
        or nxt.text in (".", ",", "?", "!", ";")
        or nxt.lower in _AND
        or nxt.lower in _CUE_NOUNS
        or nxt.lower in TAKEN_BACK
        or nxt.lower == "at"  # "... seventy for at gmail dot com": a mailbox's digits end
        or nxt.lower == "then"  # "ate for ate for then enter": a keypad code, then a key
    )
    if not ends or prev is None:
        return False
    if prev.lower in TENS or (_digit(prev) and _digit(at(i - 2))):
        return True
    # "ate won won for": three digits heard before it, one of them no everyday word
    said_before = [at(i - 1), at(i - 2), at(i - 3)]
    return all(_digit(t, homophone=True) for t in said_before) and any(
        t is not None and t.lower not in _EVERYDAY for t in said_before
    )
