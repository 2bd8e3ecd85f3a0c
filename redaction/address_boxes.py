"""Addresses a house number and street do not make: post office boxes, rural route boxes
and military post offices; and the numbers said after a road's type or "box", which
street addresses read too."""

from __future__ import annotations

from redaction.address_parts import AddressParts
from redaction.model import EntityType, Finding
from redaction.number_words import NUMBER_WORDS
from redaction.spoken import DigitRun, Kind
from redaction.tokens import HOMOPHONE_DIGITS

# Military post offices, their regions, and the unit codes said before a box number.
MILITARY_OFFICES = frozenset({"apo", "fpo", "dpo"})
_MILITARY_REGIONS = frozenset({"ae", "ap", "aa"})
_UNIT_CODES = frozenset({"psc", "cmr", "unit"})


class BoxAddresses(AddressParts):
    def _digit_word(self, k: int) -> bool:
        """Token k is a number word or a word an ASR writes for a digit ("ate", "won")."""
        return self._word(k) in HOMOPHONE_DIGITS or self._word(k) in NUMBER_WORDS

    def _road_number(self, p: int) -> DigitRun | None:
        """The number said after token p, a road's type or "box", its first digit perhaps
        misheard ("loop too eighty ate": 288, "county road too fifteen", "box too ninety
        won")."""
        number = self.run_starting.get(p + 1)
        if number is None and self._word(p + 1) in HOMOPHONE_DIGITS:
            number = self.run_starting.get(p + 2)
        return number

    def rural_box(self, b: int) -> Finding | None:
        """ "Rural Route 2 Box 118", "RR 1 Box 27A", "HC 2 Box 408"; token b is "box"."""
        toks = self.toks
        last = b - 2 if b >= 2 and toks[b - 1].text == "," else b - 1
        route = self.run_ending.get(last)  # "Rural Route 3, Box 212" has its comma
        if route is not None:
            k = route.first_token - 1
        elif last >= 0 and self._word(last) in HOMOPHONE_DIGITS:
            k = last - 1  # "rural route fore box ...": the route's one digit misheard
        else:
            return None
        if k >= 0 and self._word(k) in ("rr", "hc"):
            first = k  # a rural route, or a highway contract route ("HC 2 Box 408")
        elif k >= 1 and self._word(k) == "route" and self._word(k - 1) in ("rural", "star"):
            first = k - 1
        elif k >= 1 and self._word(k) == "c" and self._word(k - 1) == "h":
            first = k - 1  # "h c too box fore oh ate"
        else:
            return None
        box = self._road_number(b)  # "box too ninety won"
        if box is None:
            return None
        end, _ = self._tail(box.last_token + 1, after_unit=True)
        j = box.last_token + 1
        if j < len(toks) and toks[j].start == box.end and len(toks[j].text) == 1:
            end = max(end, toks[j].end)  # "27A"
        return Finding(EntityType.ADDRESS, toks[first].start, max(end, box.end), 0.9)

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
        last = run.last_token if run is not None else self._misheard_after(b + 1)
        if last is None:
            return None
        end, _ = self._tail(last + 1, after_unit=True)
        return Finding(
            EntityType.ADDRESS, self.toks[first].start, max(end, self.toks[last].end), 0.9
        )

    def _letters(self, k: int, words: frozenset[str]) -> int | None:
        """Last token of one of `words` said whole or letter by letter from token k ("fpo",
        "f p o", "F.P.O."), or None."""
        if self._word(k) in words:
            return k
        letters, j, last = "", k, k
        while j < len(self.toks) and len(letters) < 3:
            tok = self.toks[j]
            if tok.kind == Kind.WORD and len(tok.text) == 1:
                letters, last = letters + tok.lower, j
            elif tok.text != "." or not letters:
                break
            j += 1
        return last if letters in words else None

    def military(self, k: int) -> Finding | None:
        """A military post office address: "PSC 817 Box 42, FPO AE 09622", "unit two oh
        five oh box four one nine oh a p o a p nine six two seven eight"; token k begins
        the post office (APO, FPO, DPO)."""
        office = self._letters(k, MILITARY_OFFICES)
        if office is None:
            return None
        j = self._skip_commas(office + 1)
        region = self._letters(j, _MILITARY_REGIONS) if j < len(self.toks) else None
        if region is not None:
            j = self._skip_commas(region + 1)
        zip_code = self.run_starting.get(j)
        if zip_code is None or len(zip_code.digits) != 5:
            return None
        first = k
        while True:  # "PSC 817 Box 42", "Unit 2050 Box 4190", "CMR 450"
            before = first - 1
            while before >= 0 and self.toks[before].text == ",":
                before -= 1
            run = self.run_ending.get(before)
            if run is None or run.first_token == 0:
                break
            label = run.first_token - 1
            if self._word(label) in ("box", "unit"):
                first = label
                continue
            spelled = next(
                (
                    i
                    for i in range(label, max(label - 3, -1), -1)
                    if self._letters(i, _UNIT_CODES) == label
                ),
                None,
            )
            if spelled is None:
                break
            first = spelled
        return Finding(EntityType.ADDRESS, self.toks[first].start, zip_code.end, 0.9)

    def _misheard_after(self, k: int) -> int | None:
        """Last token of a box number from token k on that an ASR wrote in words ("box too
        ate won"): digits and their homophones, one of them at least a homophone."""
        last = k
        while last < len(self.toks) and self._digit_word(last):
            last += 1
        said = [self._word(i) for i in range(k, last)]
        if not said or not any(w in HOMOPHONE_DIGITS for w in said):
            return None
        return last - 1
