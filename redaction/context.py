"""Context cues: the words around a number that say what it is ("security code", "born").

A cue is a phrase of the lexicon (`redaction.cue_lexicon`) found in the tokens.
`find_cues` finds them; `Transcript.cues_near` (in transcript.py) orders them by distance
from a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from redaction.cue import Cue
from redaction.cue_lexicon import LEXICON
from redaction.spoken import ORDINALS, UNITS, Kind, Token

# phrase (as a tuple of words) -> cue, and the longest phrase length
_PHRASES: dict[tuple[str, ...], Cue] = {}
for _cue, _phrases in LEXICON.items():
    for _phrase in _phrases:
        _PHRASES[tuple(_phrase.split())] = _cue
_MAX_LEN = max(len(p) for p in _PHRASES)
_FIRST_WORDS = frozenset(p[0] for p in _PHRASES)
_PHRASE_WORDS = frozenset(word for p in _PHRASES for word in p)

# Cues that say a number's type; the others only steer.
DIGIT_CUES = frozenset(
    {
        Cue.CARD,
        Cue.CVV,
        Cue.EXPIRY,
        Cue.SSN,
        Cue.LAST_DIGITS,
        Cue.LAST_FOUR,
        Cue.PART,
        Cue.ACCOUNT,
        Cue.ROUTING,
        Cue.PIN,
        Cue.PHONE,
        Cue.NUMBER,
        Cue.CODE,
        Cue.DOB,
        Cue.ADDRESS,
        Cue.ZIP,
        Cue.NEGATIVE,
        Cue.MONEY,
    }
)


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    first: int  # token indices, inclusive
    last: int


# Words of a last-four phrase that name the social it is of ("end of your ssn").
_SOCIAL_WORDS = frozenset({"social", "ssn"})


def find_cues(tokens: list[Token]) -> list[CueMatch]:
    """Lexicon phrases in `tokens`, longest match first, never across a line break.

    Punctuation inside a phrase is skipped ("e-mail", "d.o.b.")."""
    words: list[tuple[str, int]] = []  # (lower word, token index) of the current line
    out: list[CueMatch] = []

    def scan() -> None:
        i = 0
        while i < len(words):
            w = words[i][0]
            if w not in _FIRST_WORDS:
                i += 1
                continue
            for size in range(min(_MAX_LEN, len(words) - i), 0, -1):
                key = tuple(word for word, _ in words[i : i + size])
                cue = _PHRASES.get(key)
                if cue is not None:
                    out.append(CueMatch(cue, words[i][1], words[i + size - 1][1]))
                    named = next((k for k, w in enumerate(key) if w in _SOCIAL_WORDS), None)
                    if cue == Cue.LAST_FOUR and named is not None:
                        # "the end of your social security number": whose last four
                        at = words[i + named][1]
                        out.append(CueMatch(Cue.SSN, at, words[i + size - 1][1]))
                    i += size
                    break
            else:
                i += 1

    for index, tok in enumerate(tokens):
        if tok.kind == Kind.NEWLINE:
            scan()
            words.clear()
        elif tok.kind in (Kind.WORD, Kind.DIGITS):
            word = tok.lower.replace("’", "'")
            if word.endswith("'s") and word not in ("it's", "that's", "what's", "who's"):
                word = word[:-2]  # "my pin's 1234", "the card's number"
            elif (
                word[:-1] in _NOUNS_BEFORE_IS
                and word.endswith("s")
                and _number_next(tokens, index)
                and not (words and words[-1][0] in _PLURAL_BEFORE)
            ):
                word = word[:-1]  # "gate codes six double ate won": "code's" without "'"
            elif word.endswith("in") and word + "g" in _PHRASE_WORDS:
                word += "g"  # "routin", "endin in": the g dropped, as noisy recognisers write
            words.append((word, index))
    scan()
    return [
        m
        for m in out
        if not _birthday_party(tokens, m)
        and not _code_keyed_in(tokens, m)
        and not _text_not_before_number(tokens, m)
    ]


# Words that name a number only right before one: "we'll text nine two eight ..." (not "a
# phone for the receipt text"), "sure discover six five ..." (not "did you discover").
_ONLY_BEFORE_A_NUMBER = frozenset({"text", "discover"})


def _text_not_before_number(tokens: list[Token], match: CueMatch) -> bool:
    """A cue word of `_ONLY_BEFORE_A_NUMBER` said alone, with no number after it."""
    if match.first != match.last or tokens[match.first].lower not in _ONLY_BEFORE_A_NUMBER:
        return False
    return not _number_next(tokens, match.last)


def _code_keyed_in(tokens: list[Token], match: CueMatch) -> bool:
    """ "press 6218, then the bell": a code keyed in, not a menu's option ("press one"),
    when "press" is followed by three digits or more."""
    if match.cue != Cue.NEGATIVE or match.first != match.last:
        return False
    if tokens[match.first].lower != "press":
        return False
    digits = 0
    for tok in tokens[match.last + 1 : match.last + 6]:
        if tok.kind == Kind.DIGITS:
            digits += len(tok.text)
        elif tok.lower in UNITS:
            digits += 1
        else:
            break
    return digits >= 3


# Cue nouns a recogniser may write with the "'s" of "is" as a bare "s" ("gate codes 4 4
# 1 9"), read as the noun when a number comes next.
_NOUNS_BEFORE_IS = frozenset({"code", "pin", "zip", "social", "combo", "passcode", "password"})


# Words before "codes" that make it a plural ("zip codes 53045 and 53046").
_PLURAL_BEFORE = frozenset({"zip", "area", "postal", "promo", "discount", "error"})


def _number_next(tokens: list[Token], index: int) -> bool:
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    return nxt is not None and (nxt.kind == Kind.DIGITS or nxt.lower in _DIGIT_WORDS)


_DIGIT_WORDS = frozenset(
    """zero oh one two three four five six seven eight nine won too to for fore ate
    double triple""".split()
)


# Ordinals past the ones every number reader knows, said before "birthday".
_ROUND_BIRTHDAYS = frozenset(
    "fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth".split()
)


def _birthday_party(tokens: list[Token], match: CueMatch) -> bool:
    """ "my son's 9th birthday on Sunday, February 16th", "her fortieth birthday": a
    birthday to celebrate, whose date is no one's date of birth."""
    if match.cue != Cue.DOB or match.first == 0:
        return False
    before = tokens[match.first - 1]
    return (
        before.kind == Kind.ORDINAL or before.lower in ORDINALS or before.lower in _ROUND_BIRTHDAYS
    )


# Words of cue phrases that say nothing alone and are names too ("the little number",
# but "Deshawn Little").
_ONLY_IN_PHRASES = frozenset({"little", "small"})


def cue_words() -> frozenset[str]:
    """Every word of a cue phrase that says what a number is ("expiry", "routing")."""
    return frozenset(
        word
        for cue, phrases in LEXICON.items()
        if cue in DIGIT_CUES and cue not in (Cue.NEGATIVE, Cue.MONEY)
        for phrase in phrases
        for word in phrase.split()
        if len(word) > 2 and word not in _ONLY_IN_PHRASES
    )
