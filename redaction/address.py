"""Street addresses and post office boxes, with their unit, city, state and ZIP code.

A street address is a house number (written or spoken: "1600", "one fifty eight"), one
to three words of street name and a suffix (Street, Ave, Road...); it goes on with an
apartment or unit, a city, a state and a ZIP code when they follow.
"""

from __future__ import annotations

from redaction.lexicon import (
    COMMON_WORDS,
    DIRECTIONS,
    FUNCTION_WORDS,
    LOWER_STATE_CODES,
    STATE_CODES,
    STREET_SUFFIXES,
    UNIT_WORDS,
    US_STATES,
    US_STATES_TWO_WORDS,
)
from redaction.model import EntityType, Finding
from redaction.spoken import NUMBER_WORDS, ORDINALS, TENS, DigitRun, Kind
from redaction.tokens import MEASURE_WORDS
from redaction.transcript import Transcript

MAX_NAME_WORDS = 3


class _Addresses:
    def __init__(self, doc: Transcript):
        self.doc = doc
        self.toks = doc.tokens
        self.run_ending = doc.run_ending
        self.run_starting = doc.run_starting

    def _word(self, k: int) -> str:
        return self.toks[k].lower if 0 <= k < len(self.toks) else ""

    def _name_word(self, k: int) -> bool:
        tok = self.toks[k]
        w = tok.lower
        if tok.kind == Kind.ORDINAL or w in ORDINALS or w in DIRECTIONS:
            return True
        if tok.kind != Kind.WORD or w in NUMBER_WORDS or w in STREET_SUFFIXES:
            return False
        return w not in FUNCTION_WORDS and w not in MEASURE_WORDS

    def _house_number(self, k: int) -> int | None:
        """Start of the house number that ends at token k, if one does."""
        run = self.run_ending.get(k)
        if run is None:
            return None
        i, j = run.segments()[-1]
        house = DigitRun(run.pieces[i:j])
        if not 1 <= len(house.digits) <= 6:
            return None
        return house.start

    def street(self, s: int) -> Finding | None:
        """The address whose street suffix is token s."""
        k = s - 1
        names = 0
        while k >= 0 and names < MAX_NAME_WORDS and self._name_word(k):
            names += 1
            k -= 1
            if k >= 0 and self.toks[k].text in ("-", "."):  # "twenty-third", "W. 42nd"
                k -= 1
        # "twenty third street": the tens word is part of the name, not the number
        if k >= 0 and self._word(k) in TENS and names and self._word(k + 1) in ORDINALS:
            k -= 1
        if names == 0:
            return None
        start = self._house_number(k)
        if start is None:
            return None
        end, extra = self._tail(s + 1)
        return Finding(EntityType.ADDRESS, start, end, 0.9 if extra else 0.85)

    def po_box(self, b: int) -> Finding | None:
        """ "P.O. box 123", "po box", "p o box", "post office box"; token b is "box"."""
        k = b - 1
        while k >= 0 and self.toks[k].text == ".":
            k -= 1
        words: list[str] = []
        while k >= 0 and len(words) < 2 and self._word(k) in ("p", "o", "po", "post", "office"):
            words.insert(0, self._word(k))
            first = k
            k -= 1
            while k >= 0 and self.toks[k].text == ".":
                k -= 1
        if "".join(words) not in ("po", "postoffice"):
            return None
        run = self.run_starting.get(b + 1)
        if run is None:
            return None
        end, _ = self._tail(run.last_token + 1, after_unit=True)
        return Finding(EntityType.ADDRESS, self.toks[first].start, max(end, run.end), 0.9)

    def _skip_commas(self, k: int) -> int:
        while k < len(self.toks) and self.toks[k].text in (",", "."):
            k += 1
        return k

    def _tail(self, k: int, *, after_unit: bool = False) -> tuple[int, bool]:
        """End offset of what follows a street: direction, unit, city, state, ZIP."""
        toks = self.toks
        end = toks[k - 1].end
        extra = False
        if k < len(toks) and toks[k].text == "." and toks[k].start == toks[k - 1].end:
            k += 1  # "St."
        if k < len(toks) and self._word(k) in DIRECTIONS and toks[k].kind == Kind.WORD:
            end = toks[k].end
            k += 1
        # apartment / unit
        j = self._skip_commas(k)
        if not after_unit and j < len(toks) and self._word(j) in UNIT_WORDS:
            j += 1
            if self._word(j) in ("number", "no") or (toks[j : j + 1] and toks[j].text == "#"):
                j += 1
            run = self.run_starting.get(j)
            if run is not None:
                end, j = run.end, run.last_token + 1
                extra = True
            elif j < len(toks) and toks[j].kind == Kind.WORD and len(toks[j].text) <= 2:
                end, j = toks[j].end, j + 1
                extra = True
            if extra and j < len(toks) and toks[j].kind == Kind.WORD and len(toks[j].text) == 1:
                if toks[j].start == toks[j - 1].end or self._word(j) not in ("a", "i"):
                    end, j = toks[j].end, j + 1  # "4B", "two b"
            k = j
        # city, state and ZIP code
        j = self._skip_commas(k)
        city = 0
        while j < len(toks) and city < 3:
            if self._state_end(j) is not None:
                break
            tok = toks[j]
            if tok.kind != Kind.WORD or (tok.lower in COMMON_WORDS and tok.lower != "in"):
                break
            city += 1
            j = self._skip_commas(j + 1)
        state_end = self._state_end(j)
        if state_end is not None:
            j = self._skip_commas(state_end + 1)
            again = self._state_end(j)  # "Washington, DC": the first was the city
            if again is not None:
                state_end, j = again, self._skip_commas(again + 1)
            end, extra = toks[state_end].end, True
            zip_run = self.run_starting.get(j)
            if zip_run is not None and len(zip_run.digits) in (5, 9):
                end = zip_run.end
        else:
            zip_run = self.run_starting.get(j)
            if zip_run is not None and len(zip_run.digits) in (5, 9):
                end, extra = zip_run.end, True
        return end, extra

    def _state_end(self, j: int) -> int | None:
        if j >= len(self.toks) or self.toks[j].kind != Kind.WORD:
            return None
        w = self._word(j)
        if w in US_STATES:
            return j
        if (w, self._word(j + 1)) in US_STATES_TWO_WORDS:
            return j + 2 if w == "district" else j + 1
        if self.toks[j].text in STATE_CODES or w in LOWER_STATE_CODES:
            return j
        return None


def find_addresses(doc: Transcript) -> list[Finding]:
    finder = _Addresses(doc)
    found: list[Finding] = []
    lo, hi = doc.target_span
    for k, tok in enumerate(doc.tokens):
        if tok.kind != Kind.WORD or tok.end < lo - 80 or tok.start > hi + 80:
            continue
        w = tok.lower
        finding = None
        if w in STREET_SUFFIXES:
            finding = finder.street(k)
        elif w == "box":
            finding = finder.po_box(k)
        if finding is not None and doc.overlaps_target(finding.start, finding.end):
            found.append(finding)
    return found
