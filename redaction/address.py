"""Street addresses and post office boxes, with their unit, city, state and ZIP code.

A street address is a house number (written or spoken: "1600", "one fifty eight"), one
to three words of street name and a suffix (Street, Ave, Road...); it goes on with an
apartment or unit, a city, a state and a ZIP code when they follow.
"""

from __future__ import annotations

from itertools import pairwise

from redaction.address_answers import AnsweredAddresses
from redaction.address_boxes import MILITARY_OFFICES
from redaction.address_parts import (
    LETTERS_HEARD,
    address_context,
    in_its_line,
    numbered_at,
)
from redaction.address_sites import find_sites
from redaction.context import Cue
from redaction.lexicon import (
    COMMON_WORDS,
    DIRECTIONS,
    FUNCTION_WORDS,
    PLACE_ENDINGS,
    STREET_SUFFIXES,
    UNIT_WORDS,
    everyday,
)
from redaction.model import CUSTOMER, EntityType, Finding
from redaction.number_words import MEASURE_WORDS
from redaction.spoken import NUMBER_WORDS, ORDINALS, TENS, Kind, Token
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


class _Addresses(AnsweredAddresses):
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
    return [f for f in found if not _ours(doc, f) and not _asked_otherwise_between(doc, f)]


def _asked_otherwise_between(doc: Transcript, finding: Finding) -> bool:
    """The address runs on from the speaker's line before into this one, though the other
    party asked for something else in between ("... blackbird ln lufkin texas" / "ur date
    a birth" / "too twenty seven thirty ..."): the line answers that, not the address."""
    lo = doc.target_span[0]
    if not (doc.prompt_between and finding.start < lo < finding.end):
        return False
    if not doc.text[finding.start : lo].strip():
        return False  # it starts at the line break, not in the line before
    return any(cue not in (Cue.ADDRESS, Cue.ZIP) for cue, _ in doc.prompt_cues)
