"""Street addresses and post office boxes, with their unit, city, state and ZIP code.

A street address is a house number (written or spoken: "1600", "one fifty eight"), one
to three words of street name and a suffix (Street, Ave, Road...); it goes on with an
apartment or unit, a city, a state and a ZIP code when they follow.
"""

from __future__ import annotations

from itertools import pairwise

from redaction.address_boxes import MILITARY_OFFICES, BoxAddresses
from redaction.address_parts import (
    LETTERS_HEARD,
    address_context,
    after_phone_number,
    in_its_line,
    numbered_at,
)
from redaction.address_sites import find_sites
from redaction.context import Cue
from redaction.dates import ordinal_day
from redaction.lexicon import (
    COMMON_WORDS,
    DIRECTIONS,
    FUNCTION_WORDS,
    PLACE_ENDINGS,
    STREET_SUFFIXES,
    UNIT_WORDS,
    US_STATES,
    everyday,
)
from redaction.model import CUSTOMER, EntityType, Finding
from redaction.months import month_of
from redaction.number_words import MEASURE_WORDS
from redaction.spoken import NUMBER_WORDS, ORDINALS, TENS, DigitRun, Gap, Kind, Token
from redaction.tokens import HESITATIONS, HOMOPHONE_DIGITS, said_for_digits
from redaction.transcript import Transcript

MAX_NAME_WORDS = 3
# Digits of a house number said after its street ("Vine Street, number 212").
_HOUSE_DIGITS = 5
# Road types that are numbered rather than named: "County Road 14", "State Highway 29".
_NUMBERED_ROADS = frozenset({"road", "rd", "highway", "hwy", "route"})
# Street types said before the street's name or number.
# Unit words that say a flat follows even without its street ("apartment 4B").
_UNITS_ALONE = frozenset({"apartment", "apt"})  # not "suite": a hotel's "suite two"
# Street types that are everyday words too: a street only after a name English hardly
# uses otherwise ("cottonwood run", not "the morning run"), or a word of its name before
# another type ("fox run road").
_WORD_SUFFIXES = frozenset({"run", "walk", "pass", "spur"})
_TYPE_FIRST = frozenset({"highway", "hwy", "route", "calle", "avenida", "camino", "via", "rue"})
# Roads known only by a number after their type: "FM 2920" (farm to market), "Loop 360",
# "SR 47", "Interstate 80". Only a number may follow them.
_NUMBERED_FIRST = frozenset({"fm", "loop", "sr", "interstate"})
# Words inside a street's name after a type said first: "rue de la paix", "camino del
# sol", "calle de los olivos".
_NAME_JOINERS = frozenset({"de", "del", "la", "le", "les", "los", "las", "des", "du"})
# The four directions as a grid address says them.
_CARDINALS = frozenset({"north", "south", "east", "west", "n", "s", "e", "w"})
# Which way each of them runs.
_AXIS = {w: w[0] in "ns" for w in _CARDINALS}
# Who keeps a numbered road, said before its type: "State Route 47", "US Highway 1",
# "County Highway K".
_ROUTE_KEEPERS = frozenset({"state", "county", "us", "federal"})


# Kinds of number that, named right before digits, say they are no house number.
_NAMED_NOT_HOUSE = frozenset(
    {Cue.PIN, Cue.CODE, Cue.CVV, Cue.SSN, Cue.PHONE, Cue.CARD, Cue.ACCOUNT, Cue.ROUTING}
)

# Words between a kind named and its digits: "gate code is 7190".
_LINK_WORDS = frozenset({"is", "s", "its", "it's", "uh", "um"})

# Units of an area said after "square": "640 square feet" is no street.
_AREA_UNITS = frozenset({"feet", "foot", "ft", "meters", "metres", "yards", "miles", "inches"})


class _Addresses(BoxAddresses):
    def _name_word(self, k: int) -> bool:
        tok = self.toks[k]
        w = tok.lower
        if tok.kind == Kind.ORDINAL or w in ORDINALS or w in DIRECTIONS:
            return True
        if tok.kind != Kind.WORD or w in NUMBER_WORDS:
            return False
        if w in STREET_SUFFIXES and w not in _WORD_SUFFIXES:
            return False
        if w in HOMOPHONE_DIGITS:
            return False  # "fore too fore hawthorn loop": digits misheard, not the name
        return w not in FUNCTION_WORDS and w not in MEASURE_WORDS

    def _house_number(self, k: int) -> int | None:
        """Start of the house number that ends at token k, if one does."""
        run = self.run_ending.get(k)
        if run is None:
            return self._misheard_number(k)
        house = self._house_digits(run)
        return None if house is None else house.start

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

    def _misheard_number(self, k: int) -> int | None:
        """Start of a house number ending at token k said only in digits an ASR wrote as
        words ("fore too fore", "ate won"): two or more of them, at least one a homophone,
        the way a house number is said before a street's name."""
        toks = self.toks
        first = k
        while first >= 0 and self._digit_word(first):
            first -= 1
        first += 1
        said = [self._word(i) for i in range(first, k + 1)]
        if len(said) < 2 or not any(w in HOMOPHONE_DIGITS for w in said):
            return None
        if all(w in ("to", "for") for w in said):
            return None  # "... to for ...": prepositions
        return toks[first].start

    def street(self, s: int) -> Finding | None:
        """The address whose street suffix is token s."""
        k = s - 1
        names = 0
        crossed = False
        while k >= 0 and names < MAX_NAME_WORDS:
            if k > 0 and not crossed and self.toks[k].kind == Kind.NEWLINE:
                # "... at too twenty won sunset" / "boulevard apartment won dee ...", "...
                # im at ate ate fore palm" / "crest drive in kailua": the street goes on
                # in the speaker's next line
                crossed = True
                k -= 1
                continue
            if not self._name_word(k):
                break
            names += 1
            k -= 1
            if k > 0 and self._word(k) in HESITATIONS and self._word(k - 1) in DIRECTIONS:
                k -= 1  # "nineteen oh to north uh old orchard road"
            if k >= 0 and self.toks[k].text in ("-", "."):  # "twenty-third", "W. 42nd"
                k -= 1
        # "twenty third street": the tens word is part of the name, not the number
        if k >= 0 and self._word(k) in TENS and names and self._word(k + 1) in ORDINALS:
            k -= 1
        if names == 0:
            return None
        if self._word(s) in _WORD_SUFFIXES and all(
            everyday(self._word(n)) for n in range(k + 1, s)
        ):
            return None  # "a 5 k fun run", but "186 cottonwood run"
        while k >= 0 and self._word(k) in HESITATIONS:
            k -= 1  # "fourteen twelve uh beacon street": a pause before the street's name
        start = self._house_number(k)
        if start is None:
            return self._number_after(k + 1, s)
        if crossed:
            # "... pay the six hundred fifty deposit" / "skylark drive eleven forty ukiah":
            # a street said first, its number after it, outranks one run back over a line
            named_from = next(
                j for j in range(k + 1, s + 1) if self.toks[j - 1].kind == Kind.NEWLINE
            )
            said_first = self._number_after(named_from, s)
            if said_first is not None:
                return said_first
        road_number = self._road_number(s)
        if self._word(s) in _NUMBERED_ROADS and road_number is not None:
            s = road_number.last_token  # "2418 County Road 14", "4120 State Highway 29"
        end, extra = self._tail(s + 1)
        return Finding(EntityType.ADDRESS, start, end, 0.9 if extra else 0.85)

    def _number_after(self, name: int, s: int) -> Finding | None:
        """A street said before its house number: "on Vine Street, number 212, unit 3B,
        Burlington ...", "ship to sahara lane number ate forty too apt too tucson ...";
        tokens name..s are the street's name and type. Without "number", only where an
        address is asked for or the town follows ("pinch road three eighteen in ...")."""
        toks = self.toks
        j = s + 1
        if j < len(toks) and toks[j].text == ",":
            j += 1
        numbered = numbered_at(toks, j)
        if numbered:
            j += 1
        said = self.run_starting.get(j)
        run = None if said is None else in_its_line(said)
        if run is None or not 1 <= len(run.digits) <= _HOUSE_DIGITS:
            return None
        last = run.last_token
        if self._word(last + 1) in HOMOPHONE_DIGITS:
            last += 1  # "number ate forty too apt ...": 842, its last digit misheard
        end, extra = self._tail(last + 1)
        if not (numbered or extra or address_context(self.doc, name, last)):
            return None
        return Finding(EntityType.ADDRESS, toks[name].start, max(end, toks[last].end), 0.85)

    def unit_alone(self, u: int) -> Finding | None:
        """ "yes apartment two oh six": a flat's number said on its own, once the street
        is known; token u is the unit word."""
        toks = self.toks
        k = u + 1
        if (k < len(toks) and toks[k].text == ".") or numbered_at(toks, k):
            k += 1
        run = self.run_starting.get(k)
        if run is None or not 1 <= len(run.digits) <= 5:
            return None
        end, j = run.end, run.last_token + 1
        letter = j < len(toks) and toks[j].kind == Kind.WORD and len(toks[j].text) == 1
        if letter and (toks[j].start == toks[j - 1].end or self._word(j) not in ("a", "i")):
            end = toks[j].end  # "apartment 4 b"
        elif j < len(toks) and toks[j].lower in LETTERS_HEARD:
            end = toks[j].end
        return Finding(EntityType.ADDRESS, toks[u].start, end, 0.7)

    def route_first(self, p: int, said_from: int | None = None) -> Finding | None:
        """A street whose type comes first: "3300 Highway 61 South", "nineteen oh four Calle
        Sol", "12 County Road 9"; token p is the type word."""
        toks = self.toks
        k = (p if said_from is None else said_from) - 1  # the type spelled from `said_from`
        if k >= 0 and self._word(k) in _ROUTE_KEEPERS:
            k -= 1  # "1160 State Route 47"
        elif k >= 1 and self._word(k) == "s" and self._word(k - 1) == "u":
            k -= 2  # "u s highway one"
        start = self._house_number(k)
        if start is None or p + 1 >= len(toks):
            return None
        name = self._road_number(p)
        if name is not None:
            last = name.last_token
        elif self._word(p) in _NUMBERED_FIRST or said_from is not None:
            return None
        elif toks[p + 1].kind == Kind.WORD and (
            self._word(p + 1) not in COMMON_WORDS or self._word(p + 1) in _NAME_JOINERS
        ):
            last = p + 1
            while self._word(last) in _NAME_JOINERS and last + 1 < len(toks):
                last += 1  # "rue de la paix", "camino del sol"
            if last + 1 < len(toks) and toks[last + 1].text[:1].isupper():
                last += 1  # "Calle Santa Rosa"
        else:
            return None
        end, _ = self._tail(last + 1)
        return Finding(EntityType.ADDRESS, start, max(end, toks[last].end), 0.85)

    def spelled_route(self, k: int) -> int | None:
        """Token k begins a numbered road's type spelled in letters ("f m", "s r"): its
        last letter."""
        last = self._letters(k, frozenset({"fm", "sr"}))
        return last if last is not None and last == k + 1 else None

    def grid(self, d: int) -> Finding | None:
        """A grid address as Utah and parts of the West say them: a house number, a
        direction, a street number, another direction ("1342 South 700 East", "two oh two
        oh east fifteen hundred north"); token d is the first direction."""
        start = self._house_number(d - 1)
        street = self.run_starting.get(d + 1)
        if start is None or street is None or len(street.digits) not in (2, 3, 4):
            return None
        second = street.last_token + 1
        if second >= len(self.toks) or self._word(second) not in _CARDINALS:
            return None
        if self._word(d) not in _CARDINALS:
            return None
        if _AXIS[self._word(d)] == _AXIS[self._word(second)]:
            return None  # a grid crosses: "700 East" after "South"; "... n ... n" is "and"
        end, _ = self._tail(second + 1)
        return Finding(EntityType.ADDRESS, start, max(end, self.toks[second].end), 0.85)

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
        if toks[k].lower == "square" and self._word(k + 1) in _AREA_UNITS:
            return None  # "about 640 square feet": an area, said after the address
        if month_of(toks[k].lower) is not None and ordinal_day(self.doc, k + 1) is not None:
            # "nine seven three three may thirtieth two thousand two": the social's last
            # four, then a birth date, asked for with the address
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
            if self.doc.cue_starting(k) == Cue.ADDRESS or tok.text in _MODALS:
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
        return any(m.last == k and m.cue in _NAMED_NOT_HOUSE for m in self.doc.cues)

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


# Lower-case modal verbs: a sentence's verb, which no street's name takes ("5 books will
# ship"; "Will Rogers Drive" is written with its capital).
_MODALS = frozenset("will would can could should shall must".split())


# "our store at ...": places of the business, whose addresses identify no caller.
_PLACES = frozenset(
    """store stores office offices branch branches location locations headquarters hq
    warehouse clinic pharmacy showroom center centre dealership shop campus lobby""".split()
)


def _ours(doc: Transcript, finding: Finding) -> bool:
    """The address follows "our <place>", "our address is" or "visit the office at" within
    a few words: the business's own, unless the customer said it ("to our office, 600
    Commerce Street": the caller's own business or clinic, which can identify them)."""
    if doc.speaker == CUSTOMER:
        return False
    words = [t.lower for t in doc.tokens if t.end <= finding.start and t.kind == Kind.WORD][-5:]
    if any(a in ("our", "the") and b in _PLACES for a, b in pairwise(words)):
        return "our" in words or words[-1:] == ["at"]
    if any(a == "our" and b in ("address", "mailing") for a, b in pairwise(words)):
        return True
    # "thank you for calling harbor view inn at 1400 harbor drive": the business's place
    wider = [t.lower for t in doc.tokens if t.end <= finding.start and t.kind == Kind.WORD][-8:]
    return any(a == "for" and b == "calling" for a, b in pairwise(wider))


def _with_unit_before(doc: Transcript, finding: Finding) -> Finding:
    """The address widened back over a unit said before its house number: "Unit 5, 118
    Birch Road", "apt too b twenty yeoman st" (a flat's number, then a letter)."""
    toks = doc.tokens
    k = doc.token_from(finding.start)
    if k is None or toks[k].start != finding.start:
        return finding
    k -= 1
    if k >= 0 and toks[k].text == ",":
        k -= 1
    lettered = k >= 0 and toks[k].kind == Kind.WORD
    lettered = lettered and (len(toks[k].text) == 1 or toks[k].lower in LETTERS_HEARD)
    if lettered:
        k -= 1  # the unit's letter: "2B", "too b", "four see", "Building C"
    said = 0
    while k >= 0 and _unit_digit(toks[k]) and said < 4:
        k -= 1
        said += 1
    if not (said or lettered) or k < 0 or toks[k].lower not in UNIT_WORDS:
        return finding
    return Finding(finding.type, toks[k].start, finding.end, finding.score)


def _unit_digit(tok: Token) -> bool:
    """A unit's number said or written: "5", "2B", "too", "four", "oh", "double"."""
    w = tok.lower
    if tok.kind == Kind.DIGITS:
        return True
    if tok.kind == Kind.WORD and w[:-1].isdigit() and w[-1:].isalpha():
        return True  # "2B"
    return said_for_digits(w) or w == "oh"


def find_addresses(doc: Transcript) -> list[Finding]:
    finder = _Addresses(doc)
    found: list[Finding] = []
    lo, hi = doc.target_span
    for k, tok in enumerate(doc.tokens):
        if tok.kind != Kind.WORD or tok.end < lo - 80 or tok.start > hi + 80:
            continue
        w = tok.lower
        finding = None
        if w in _TYPE_FIRST or w in _NUMBERED_FIRST:
            finding = finder.route_first(k)
        typed = k + 1 < len(doc.tokens) and doc.tokens[k + 1].lower in STREET_SUFFIXES
        ends_name = w in PLACE_ENDINGS and not typed
        if finding is None and (w in STREET_SUFFIXES or ends_name):
            finding = finder.street(k)
        elif w in _UNITS_ALONE and not any(f.start <= tok.start < f.end for f in found):
            finding = finder.unit_alone(k)
        elif w == "box":
            finding = finder.po_box(k) or finder.rural_box(k)
        elif w in MILITARY_OFFICES or w in ("a", "f", "d"):
            finding = finder.military(k)
        if finding is None and w in ("f", "s") and finder.spelled_route(k) is not None:
            finding = finder.route_first(k + 1, k)  # "two eighty one f m nineteen sixty"
        if finding is None and w in DIRECTIONS:
            finding = finder.grid(k)
        if finding is not None and doc.overlaps_target(finding.start, finding.end):
            found.append(finding)
        if finding is None:
            finding = finder.state_zip(k)
            if finding is not None and doc.overlaps_target(finding.start, finding.end):
                found.append(finding)
    for run in doc.runs:
        if not doc.overlaps_target(run.start, run.end):
            continue
        if not address_context(doc, run.first_token, run.last_token):
            continue
        finding = finder.answered(run)
        if finding is not None and doc.overlaps_target(finding.start, finding.end):
            found.append(finding)
    found = [_with_unit_before(doc, f) for f in found]
    found += find_sites(doc)
    # "our store at 200 Main Street": the company's, no caller's
    return [f for f in found if not _ours(doc, f)]
