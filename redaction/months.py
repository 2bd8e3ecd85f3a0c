"""Month names as said and as recognisers write them ("sept", "febuary"), and the month
each names."""

from __future__ import annotations

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Misspellings are looked for only near a long month name that is no everyday word
# ("match" is one letter from "march").
_FULL_MONTHS = [name for name in MONTHS if len(name) > 4 and name != "march"]


def month_of(word: str) -> int | None:
    """The month a word names, also misspelt as a recogniser or a hand may write it
    ("febuary", "septmber", "agust"): one letter lost, added, changed or swapped."""
    month = MONTHS.get(word)
    if month is not None or len(word) < 5:
        return month
    for name in _FULL_MONTHS:
        if name[0] == word[0] and _one_slip(word, name):
            return MONTHS[name]
    return None


def _one_slip(word: str, name: str) -> bool:
    if abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        diff = [k for k in range(len(word)) if word[k] != name[k]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1
        return len(diff) == 1 or (swapped and word[diff[0]] == name[diff[1]])
    short, long_ = (word, name) if len(word) < len(name) else (name, word)
    if word.startswith(name):
        return False  # a letter added at the end makes another word: "augusta", "aprils"
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))
