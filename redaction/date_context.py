"""What is said around a date that tells its kind: a card's number right before it (its
expiry), a death word before it (no birth date), an age reached on it (a birthday)."""

from __future__ import annotations

from redaction.checksums import luhn_ok
from redaction.months import month_of
from redaction.number_joins import BETWEEN_EXPIRY_AND_CODE
from redaction.spoken import NUMBER_WORDS, ORDINALS, Kind, Token
from redaction.tokens import homophone_digit
from redaction.transcript import Transcript

# "she turns twelve on August 30th", "he's turning ninety on may 28": an age, then the
# day it is reached, which is a birthday ("will be 40 on" is as often an amount).
_REACHES_AGE = frozenset({"turns", "turning", "turn", "turned"})


def age_reached_on(doc: Transcript, first: int) -> bool:
    """The date beginning at token `first` is the day an age is reached: a birthday."""
    toks = doc.tokens
    k = first - 1
    if k >= 3 and toks[k].lower == "the":
        k -= 1  # "... turns fifteen on the eighth of june"
    if k < 2 or toks[k].lower != "on":
        return False
    j = k - 1
    while j >= 0 and (toks[j].kind == Kind.DIGITS or toks[j].lower in NUMBER_WORDS):
        j -= 1
    return j < k - 1 and j >= 0 and toks[j].lower in _REACHES_AGE


def after_card(doc: Transcript, first: int) -> bool:
    """A whole card number ends right before token `first`: a month said next, with no
    cue, is its expiry ("... oh won sixty six july twenty thirty cvv ...")."""
    k = first - 1
    while k >= 0 and doc.tokens[k].kind == Kind.PUNCT:
        k -= 1
    ending = next((i for i, run in enumerate(doc.runs) if run.last_token == k), None)
    if ending is None:
        return False
    # the card whole in one run, or in two ("discover six five oh fore ..." / "go on" /
    # "six fore won ate ... december twenty six")
    for said in (
        doc.runs[ending].digits,
        "".join(r.digits for r in doc.runs[max(0, ending - 1) : ending + 1]),
    ):
        if 13 <= len(said) <= 19 and luhn_ok(said):
            return True
    return False


def code_follows(doc: Transcript, last: int) -> bool:
    """A card's code (three digits, or an Amex's four) ends the number said right after
    token `last`: a month and number said just before it are the card's expiry ("july
    twenty nine and five oh seven")."""
    k = last + 1
    while k < len(doc.tokens) and (
        doc.tokens[k].kind == Kind.PUNCT or doc.tokens[k].lower in BETWEEN_EXPIRY_AND_CODE
    ):
        k += 1
    # the code may be read as one run with the date's numbers ("twenty nine and five ...")
    run = next((r for r in doc.runs if r.first_token <= k <= r.last_token), None)
    if run is None:
        return False
    code = "".join(p.digits for p in run.pieces if p.first_token >= k)
    return len(code) in (3, 4)


# Said right before the day someone died ("born ... died march third twenty twenty five",
# "passed away on the ninth"): a death date, not the birth date asked for with it.
_DIED = frozenset({"died", "passed", "death", "deceased"})
_DIED_REACH = 8
_DATE_FILLERS = frozenset({"on", "the", "of", "away", "in"})


def death_date(doc: Transcript, first: int) -> bool:
    """The date beginning at token `first` is the day someone died: a death word comes
    before it, past the date's own month and numbers ("died June 30, 2025")."""
    k = first - 1
    while k >= 0 and first - k <= _DIED_REACH and _inside_date(doc.tokens[k]):
        k -= 1
    return k >= 0 and doc.tokens[k].lower in _DIED


def _inside_date(tok: Token) -> bool:
    """A token a date said after a death word may hold: its month, day and year, commas,
    and "on", "the", "of", "away"."""
    if tok.kind in (Kind.DIGITS, Kind.ORDINAL, Kind.PUNCT):
        return True
    word = tok.lower
    return (
        word in _DATE_FILLERS
        or word in NUMBER_WORDS
        or word in ORDINALS
        or month_of(word) is not None
        or homophone_digit(word) is not None
    )
