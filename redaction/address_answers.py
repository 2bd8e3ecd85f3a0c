"""Addresses given in answer to a question for one, or after "my address is": a house
number and what follows it to the end of the sentence that can be part of an address,
with a street suffix or not ("4202 Maple Tree, Trinity Field, Illinois, 62704"), or the
house number alone on its line ("its uh sixty six twenty"), the street on the next. Where
another kind of number is named right before the digits ("gate code seven won nine oh"),
they are that number, not a house.
"""

from __future__ import annotations

from redaction.address_boxes import BoxAddresses
from redaction.address_parts import after_phone_number, in_its_line
from redaction.context import Cue
from redaction.dates import ordinal_day
from redaction.lexicon import DIRECTIONS, STREET_SUFFIXES, UNIT_WORDS, US_STATES
from redaction.model import EntityType, Finding
from redaction.months import month_of
from redaction.spoken import ORDINALS, DigitRun, Gap, Kind
from redaction.tokens import HESITATIONS

# Kinds of number that, named right before digits, say they are no house number.
_NAMED_NOT_HOUSE = frozenset(
    {Cue.PIN, Cue.CODE, Cue.CVV, Cue.SSN, Cue.PHONE, Cue.CARD, Cue.ACCOUNT, Cue.ROUTING}
)

# Words between a kind named and its digits: "gate code is 7190".
_LINK_WORDS = frozenset({"is", "s", "its", "it's", "uh", "um"})

# Units of an area said after "square": "640 square feet" is no street.
_AREA_UNITS = frozenset({"feet", "foot", "ft", "meters", "metres", "yards", "miles", "inches"})

# Who a parcel is for, said after its address: "... six oh six one eight attention mazda
# hehanussa" names no street after a ZIP code.
_FOR_WHOM = frozenset({"attention", "attn", "c/o"})


# Abbreviations that a full stop does not end an address after.
_ABBREVIATIONS = (
    STREET_SUFFIXES | DIRECTIONS | frozenset({"apt", "ste", "fl", "bldg", "rm", "mt", "ft", "no"})
)
_MAX_TAIL_WORDS = 10
# What may come before a house number said on its own line.
_BARE_OPENERS = HESITATIONS | frozenset("it's its it is yeah yes ok okay so oh".split())


# Lower-case verbs that go on with the sentence, which no street's name takes ("5 books
# will ship"; "Will Rogers Drive" is written with its capital).
_CLAUSE_VERBS = frozenset(
    "will would can could should shall must".split()
    # and the verbs of what comes next: "oh two seventeen oh four mail goes to p o box ..."
    + "goes go went gets is are was were".split()
)


class AnsweredAddresses(BoxAddresses):
    def _house_digits(self, run: DigitRun) -> DigitRun | None:
        """The house number a run of digits ends with: its last group, or the last two
        when only a pause came between them ("forty too uh oh ate silver maple drive")."""
        segments = run.segments()
        i, j = segments[-1]
        if len(segments) > 1 and run.pieces[i].gap == Gap.FILLER:
            earlier = segments[-2][0]
            if len(DigitRun(run.pieces[earlier:j]).digits) <= 5:
                i = earlier
        said = DigitRun(run.pieces[i:j])
        house = after_phone_number(said) if len(said.digits) > 6 else said
        if house is None or not 1 <= len(house.digits) <= 6:
            return None
        if self._word(run.last_token) == "thousand":
            return None  # "the forty ate thousand grain unit": a size, not a house
        return house

    def answered(self, run: DigitRun) -> Finding | None:
        """An address given in answer to an address question, or after "my address is":
        its house number (the last group of `run`) and everything after it to the end of
        the sentence that can be part of an address, suffix or not ("4202 Maple Tree,
        Trinity Field, Illinois, 62704")."""
        toks = self.toks
        house = self._house_digits(run)
        if house is None or self._named_right_before(house):
            return None
        k = run.last_token + 1
        if self._bare_answer(run):
            # "its uh sixty six twenty", the street on the next line: the house number
            return Finding(EntityType.ADDRESS, run.start, run.end, 0.7)
        while k < len(toks) and toks[k].lower in HESITATIONS:
            k += 1  # "1412 uh beacon street"
        if k >= len(toks) or not self._street_word(k):
            return None
        if toks[k].text == "k" and self._word(k + 1) not in STREET_SUFFIXES:
            return None  # "so seven won seven fore nine k n bertram is on call": "okay"
        if toks[k].lower == "square" and self._word(k + 1) in _AREA_UNITS:
            return None  # "about 640 square feet": an area, said after the address
        if month_of(toks[k].lower) is not None and (
            ordinal_day(self.doc, k + 1) is not None or k + 1 in self.run_starting
        ):
            # "nine seven three three may thirtieth two thousand two": the social's last
            # four, then a birth date, asked for with the address; "... six eight three
            # february twenty seven": a card's last digits, then its expiry (a street named
            # for a month takes a suffix, not a number)
            return None
        end = toks[k].end
        words = 0
        strong = False  # a street suffix, a unit, a state or a ZIP code was said
        in_town = False  # "in" was said: the town follows
        while k < len(toks) and words < _MAX_TAIL_WORDS:
            tok = toks[k]
            if tok.kind == Kind.NEWLINE:
                break
            if (in_town and tok.lower == "n") or self._and_in_chat(k):
                break  # "... street in harrow n my email is": "and", not "north"
            if tok.kind == Kind.PUNCT:
                if tok.text in ",-#'&/":
                    k += 1
                    continue
                # "St.", "N.", "Apt." go on; any other full stop ends the sentence
                if tok.text == "." and k > 0 and toks[k - 1].end == tok.start:
                    before = toks[k - 1].lower
                    if before in _ABBREVIATIONS and k + 1 < len(toks):
                        nxt = toks[k + 1]
                        if nxt.kind != Kind.NEWLINE and not nxt.text[:1].isupper():
                            k += 1
                            continue
                break
            nxt_run = self.run_starting.get(k)
            if nxt_run is not None and self._state_end(k) is not None:
                nxt_run = None  # "Dayton OH 45402": the state, not a zero
            if nxt_run is not None:
                # a unit number after "apartment", or the ZIP code, which ends it
                if self._word(k - 1) in UNIT_WORDS or toks[k - 1].text == "#":
                    unit = in_its_line(nxt_run)
                    end, k = unit.end, unit.last_token + 1
                    words += 1
                    continue
                zip_end = self._zip_at(k)
                if zip_end is not None:
                    end, strong = zip_end, True
                break
            if self.doc.cue_starting(k) == Cue.ADDRESS or tok.text in _CLAUSE_VERBS:
                break  # "all 5 books will ship to her dorm": where they go comes after
            if tok.kind == Kind.ORDINAL or self._street_word(k):
                strong = strong or self._marker(k)
                end, k, words = tok.end, k + 1, words + 1
                continue
            if tok.lower in ("in", "of") and k + 1 < len(toks) and self._street_word(k + 1):
                if tok.lower == "in" and strong and not self.town_starts(k + 1):
                    break  # "40 oak street in advance of the move"
                k += 1  # "7 dogwood dr in boise idaho"
                in_town = True
                continue
            break
        if words < 2 and not strong:
            return None  # "2 dogs": one word is too little to be sure of
        return Finding(EntityType.ADDRESS, house.start, end, 0.85)

    def _named_right_before(self, house: DigitRun) -> bool:
        """Another kind of number is named right before the digits ("... biloxi gate code
        seven won nine oh n heads up"): they are that number, not a house number."""
        k = house.first_token - 1
        while k >= 0 and (self.toks[k].kind == Kind.PUNCT or self.toks[k].lower in _LINK_WORDS):
            k -= 1
        # the cue may end in a link word itself: "code is"
        return any(
            k <= m.last < house.first_token and m.cue in _NAMED_NOT_HOUSE for m in self.doc.cues
        )

    def _bare_answer(self, run: DigitRun) -> bool:
        """The run of at most six digits is all the line says, but for an opener ("its",
        "uh", "yeah")."""
        toks = self.toks
        if len(run.digits) > 6:
            return False
        k = run.last_token + 1
        if k < len(toks) and toks[k].kind == Kind.PUNCT and toks[k].text in ".!":
            k += 1
        if k < len(toks) and toks[k].kind != Kind.NEWLINE:
            return False
        j = run.first_token - 1
        while j >= 0 and toks[j].kind != Kind.NEWLINE:
            if toks[j].kind != Kind.PUNCT and toks[j].lower not in _BARE_OPENERS:
                return False
            j -= 1
        # "how many units are at that address?": a count, not a house number
        cues = self.doc.cues_near(run.first_token, run.last_token)
        return not any(cue in (Cue.NEGATIVE, Cue.MONEY) for cue, _dist in cues)

    def _marker(self, k: int) -> bool:
        w = self._word(k)
        return (
            w in STREET_SUFFIXES
            or w in UNIT_WORDS
            or (self.toks[k].kind == Kind.WORD and self._state_end(k) is not None)
        )

    def _street_word(self, k: int) -> bool:
        """Token k can be part of a street, a unit, a city or a state."""
        tok = self.toks[k]
        w = tok.lower
        if tok.kind == Kind.ORDINAL:
            return True
        if tok.kind != Kind.WORD or w in _FOR_WHOM:
            return False
        if w in STREET_SUFFIXES or w in UNIT_WORDS or w in DIRECTIONS or w in ORDINALS:
            return True
        if w in US_STATES or self._state_end(k) is not None or w in ("new", "old", "box"):
            return True
        return self._place_word(k)
