"""Where a boat, a plane or a stand is kept, given as its address: "Slip D-23, Haddock
Point Marina", "pelican point marina slip fifty tree", "hangar 12 at Lakeview Airpark".

A boat owner's slip at a marina, a pilot's hangar at an airfield or a vendor's stall at a
fairground is where the caller is found, as a house number is; a service sent there is
sent to it. The site word and its number, with the facility's name said right before or
after it, are one address; a street address said with them is found on its own.
"""

from __future__ import annotations

from redaction.address_parts import LETTERS_HEARD, address_context, in_its_line, numbered_at
from redaction.lexicon import COMMON_WORDS, FUNCTION_WORDS
from redaction.model import EntityType, Finding
from redaction.spoken import Kind
from redaction.transcript import Transcript

# Numbered places inside a facility where something is kept.
SITE_WORDS = frozenset({"slip", "berth", "mooring", "hangar", "stall", "booth", "pavilion"})
# The last word of a facility's name: "Haddock Point Marina", "Lakeview Airpark".
FACILITIES = frozenset(
    """marina marinas harbor harbour boatyard yacht airport airfield airpark aerodrome
    fairgrounds fairground showgrounds expo""".split()
)
# Words of a facility's name before its last word.
_MAX_NAME_WORDS = 3
# Words the facility's name may be said after the site's number with.
_AT = frozenset({"at", "in", "of", ","})
_SITE_DIGITS = 4


def _name_word(doc: Transcript, k: int) -> bool:
    tok = doc.tokens[k]
    if tok.kind != Kind.WORD:
        return False
    return tok.lower not in FUNCTION_WORDS and (
        tok.text[:1].isupper() or tok.lower not in COMMON_WORDS or tok.lower in FACILITIES
    )


def _facility_ending_at(doc: Transcript, k: int) -> int | None:
    """First token of a facility's name ending at token k ("pelican point marina")."""
    if not (0 <= k < len(doc.tokens)) or doc.tokens[k].lower not in FACILITIES:
        return None
    first = k
    while first - 1 >= 0 and k - (first - 1) <= _MAX_NAME_WORDS and _name_word(doc, first - 1):
        first -= 1
    return first


def _facility_starting_at(doc: Transcript, k: int) -> int | None:
    """Last token of a facility's name said from token k on ("Haddock Point Marina")."""
    for last in range(k, min(k + _MAX_NAME_WORDS + 1, len(doc.tokens))):
        if not _name_word(doc, last):
            return None
        if doc.tokens[last].lower in FACILITIES:
            return last
    return None


def _site_number_end(doc: Transcript, k: int) -> int | None:
    """Last token of the site's number said from token k: "12", "fifty three c", "D-23",
    "d twenty three", "number 4"."""
    toks = doc.tokens
    if numbered_at(toks, k):
        k += 1
    if k >= len(toks):
        return None
    letter_first = toks[k].kind == Kind.WORD and len(toks[k].text) == 1
    if letter_first:
        k += 1
        if k < len(toks) and toks[k].text == "-":
            k += 1  # "D-23"
    run = doc.run_starting.get(k)
    if run is None:
        return None
    run = in_its_line(run)
    if not 1 <= len(run.digits) <= _SITE_DIGITS:
        return None
    last = run.last_token
    nxt = toks[last + 1] if last + 1 < len(toks) else None
    if nxt is not None and not letter_first and nxt.kind == Kind.WORD:
        if (len(nxt.text) == 1 and nxt.lower not in ("a", "i")) or nxt.lower in LETTERS_HEARD:
            last += 1  # "fifty three c", "12B" written apart
    return last


def find_sites(doc: Transcript) -> list[Finding]:
    """Slips, berths, hangars and stalls given with their facility, or when an address is
    asked for."""
    toks = doc.tokens
    found: list[Finding] = []
    for k, tok in enumerate(toks):
        if tok.kind != Kind.WORD or tok.lower not in SITE_WORDS:
            continue
        last = _site_number_end(doc, k + 1)
        if last is None:
            continue
        first = k
        before = _facility_ending_at(doc, k - 1)
        if before is not None:
            first = before
        after_at = last + 1
        if after_at < len(toks) and toks[after_at].lower in _AT:
            after_at += 1
        after = _facility_starting_at(doc, after_at) if after_at < len(toks) else None
        if after is not None:
            last = after
        if before is None and after is None and not address_context(doc, k, k):
            continue  # "booth 12 at the show", "stall four": a place, no one's address
        start, end = toks[first].start, toks[last].end
        if doc.overlaps_target(start, end):
            found.append(Finding(EntityType.ADDRESS, start, end, 0.85))
    return found
