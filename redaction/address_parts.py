"""The parts of an address after the street: a unit or box number, the town, the state
and the ZIP code ("... drive apartment too see seattle", "..., Springfield, IL 62704").
`AddressParts` holds the token helpers the street recognisers in `redaction.address`
build on.
"""

from __future__ import annotations

from redaction.checksums import nanp_ok
from redaction.context import Cue, cue_words
from redaction.lexicon import (
    COMMON_WORDS,
    DIRECTIONS,
    FUNCTION_WORDS,
    LOWER_STATE_CODES,
    STATE_CODES,
    UNIT_WORDS,
    US_STATES,
    US_STATES_TWO_WORDS,
    everyday,
    unheard,
)
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES
from redaction.name_spans import TITLES_SPOKEN
from redaction.name_words import KIN
from redaction.number_words import MEASURE_WORDS, ORDINALS
from redaction.places import us_town
from redaction.spoken import NUMBER_WORDS, DigitRun, Gap, Kind, Token
from redaction.tokens import HESITATIONS, HOMOPHONE_DIGITS
from redaction.transcript import Transcript

# Where a home stands inside a park or a plot, said like a unit: "Lot 37", "Space 12".
_SITE_WORDS = frozenset(
    {"lot", "space", "trailer", "box", "pavilion", "hangar", "stall", "booth", "slip", "berth"}
)
_FLOORS = frozenset({"floor", "fl", "fl."})
# Words that name the number said after them as a part of an address (its unit, lot or box),
# not a code said inside it: "p o box five thirty six neosho", "st number won thirteen".
NUMBERED_PARTS = UNIT_WORDS | _SITE_WORDS | frozenset({"number", "no"})
# Words that open a clause, after which "n" is "and" ("... st n my payments r goin ...").
_CLAUSE_OPENERS = frozenset(
    "the a my ur your our his her their i im i'm it its it's we he she they u you this that "
    "thats that's there send call text email mail pickup pick please pls tell ask have let".split()
)
# Words for a person, said after "n" ("and") when an address is over.
_PEOPLE_WORDS = frozenset(ROLES) | KIN | TITLES_SPOKEN | {"miss"}
# "suite" as recognisers hear it, before a number: "... drive sweet twenty too hundred".
_SUITE_HEARD = frozenset({"sweet", "sweep"})
# Everyday words that begin a town's name: "new paltz", "saint cloud", "fort myers".
_CITY_PREFIXES = frozenset("new saint san santa fort port mount lake el la los las st".split())
# Letters a recogniser writes as words after a unit number ("apartment too see").
LETTERS_HEARD = frozenset("be bee see sea dee gee jay kay tee tea pee vee em en el ex".split())
# State codes that are also English words: a state only after a city.
_WORD_CODES = frozenset({"IN", "OR", "ME", "OK", "HI", "OH", "ID", "PA", "MA", "AL", "DE"})
# Words that name another kind of number than an address: the address is over.
_OTHER_CUE_WORDS = cue_words() - frozenset(
    {"address", "street", "mailing", "billing", "home", "live", "moved", "ship", "mail", "zip"}
)

# Street suffixes that are titles too ("Tell Dr", but "dr kativa"; "St").
_TITLES_TOO = frozenset({"dr", "st"})


# Digits of a phone number with its area code.
_PHONE_DIGITS = 10


def after_phone_number(run: DigitRun) -> DigitRun | None:
    """The house number said right after a phone number in one breath, each said in
    words ("four seven five five five five oh one eight six one nineteen cadillac cove
    road"): the pieces after the first ten digits, when those make a phone number."""
    if any(piece.written for piece in run.pieces):
        return None  # "4755550186119": one number, written so
    said = ""
    for k, piece in enumerate(run.pieces):
        said += piece.digits
        if len(said) == _PHONE_DIGITS:
            rest = DigitRun(run.pieces[k + 1 :]) if k + 1 < len(run.pieces) else None
            return rest if rest is not None and nanp_ok(said) else None
        if len(said) > _PHONE_DIGITS:
            return None
    return None


def in_its_line(run: DigitRun) -> DigitRun:
    """The run's pieces said in the line it starts in: a unit's number ends with the line
    ("unit nine" / "six three eight five five five ..." is the phone asked for next)."""
    cut = next((i for i, p in enumerate(run.pieces) if i and p.gap == Gap.LINE), None)
    return run if cut is None else run.sub(0, cut)


def numbered_at(toks: list[Token], j: int) -> bool:
    """Token j says a number follows: "number", "no" or "#" ("Vine Street, number 212",
    "apt #4")."""
    return j < len(toks) and (toks[j].lower in ("number", "no") or toks[j].text == "#")


def address_context(doc: Transcript, first: int, last: int) -> bool:
    """An address is being given: an address cue in the line or the question before it,
    and no cue saying the number is something else (an order, an amount)."""
    for cue, _dist in doc.cues_near(first, last):
        if cue == Cue.ADDRESS:
            return True
        if cue in (Cue.NEGATIVE, Cue.MONEY):
            return False
    return False


# Cues that name the next answer, said right after a town ends an address: "... box two
# twenty one granger phone five six three ...".
_NEXT_ANSWERS = frozenset({Cue.PHONE, Cue.EMAIL, Cue.CARD, Cue.DOB, Cue.SSN, Cue.ACCOUNT})


class AddressParts:
    """The tokens of one transcript, read for what follows a street."""

    def __init__(self, doc: Transcript):
        self.doc = doc
        self.toks = doc.tokens
        self.run_ending = doc.run_ending
        self.run_starting = doc.run_starting
        # digits said from a token on, inside their run: "OH 45402" reads "oh" as a zero
        self.pieces_from: dict[int, DigitRun] = {}
        for run in doc.runs:
            for i, piece in enumerate(run.pieces):
                self.pieces_from[piece.first_token] = DigitRun(run.pieces[i:])

    def _word(self, k: int) -> str:
        return self.toks[k].lower if 0 <= k < len(self.toks) else ""

    def _skip_commas(self, k: int) -> int:
        """The token after any commas, full stops and hesitations from k on."""
        while k < len(self.toks) and (
            self.toks[k].text in (",", ".") or self.toks[k].lower in HESITATIONS
        ):
            k += 1
        return k

    def _and_in_chat(self, k: int) -> bool:
        """Token k is "n" for "and", not North: a new clause follows ("foundry pkwy n the
        gate is ...", "wexford st n my payments")."""
        after = self._word(k + 1)
        # ... or a person comes next: "market st wilmington n chef yuto shimizu will ..."
        return self._word(k) == "n" and (after in _CLAUSE_OPENERS or after in _PEOPLE_WORDS)

    def _ordinal(self, k: int) -> bool:
        return k < len(self.toks) and (
            self.toks[k].kind == Kind.ORDINAL or self._word(k) in ORDINALS
        )

    def _tail(self, k: int, *, after_unit: bool = False) -> tuple[int, bool]:
        """End offset of what follows a street: direction, unit, city, state, ZIP."""
        toks = self.toks
        end = toks[k - 1].end
        extra = False
        if k < len(toks) and toks[k].text == "." and toks[k].start == toks[k - 1].end:
            k += 1  # "St."
        if (
            k < len(toks)
            and self._word(k) in DIRECTIONS
            and toks[k].kind == Kind.WORD
            and not self._and_in_chat(k)
        ):
            end = toks[k].end
            k += 1
        # apartment / unit
        j = self._skip_commas(k)
        if self._ordinal(j) and self._word(j + 1) in _FLOORS:
            # "1912 Delancey Plaza, 4th Floor": the floor said before its word
            end, extra, k = toks[j + 1].end, True, j + 2
            j = self._skip_commas(k)
        # "apartment 4", or only "number 701" / "#701" after the street
        numbered = numbered_at(toks, j)
        bare_number = numbered and (j + 1) in self.run_starting
        unit = self._word(j) in UNIT_WORDS or self._word(j) in _SITE_WORDS
        # "... drive sweet twenty too hundred": the suite as a recogniser heard it
        unit = unit or (self._word(j) in _SUITE_HEARD and (j + 1) in self.run_starting)
        if not after_unit and j < len(toks) and (unit or bare_number):
            if not bare_number:
                j += 1
                if j < len(toks) and toks[j].text == ".":
                    j += 1  # "Ste. 200", "Apt. 4"
            if numbered_at(toks, j):
                j += 1
            run = self.run_starting.get(j)
            said = self._digit_words_from(j) if run is None else None
            if run is not None:
                run = in_its_line(run)
                end, j = run.end, run.last_token + 1
                extra = True
            elif said is not None:
                end, j = toks[said].end, said + 1  # "apartment for oh too": 402, misheard
                extra = True
            elif j < len(toks) and toks[j].kind == Kind.WORD and len(toks[j].text) <= 2:
                end, j = toks[j].end, j + 1
                extra = True
            elif j < len(toks) and toks[j].lower in HOMOPHONE_DIGITS:
                end, j = toks[j].end, j + 1  # "unit for c": a digit misheard
                extra = True
            elif j < len(toks) and toks[j].lower in LETTERS_HEARD:
                end, j = toks[j].end, j + 1  # "apartment be": the letter as a word
                extra = True
            if extra and j < len(toks) and toks[j].kind == Kind.WORD and len(toks[j].text) == 1:
                # "4B", "two b", and "a" or "i" ending the line ("apt fore six a"), not
                # the article of what is said next
                line_ends = j + 1 == len(toks) or toks[j + 1].kind == Kind.NEWLINE
                if toks[j].start == toks[j - 1].end or self._word(j) not in ("a", "i") or line_ends:
                    end, j = toks[j].end, j + 1
            elif extra and j < len(toks) and toks[j].lower in LETTERS_HEARD:
                end, j = toks[j].end, j + 1  # "apartment too see": two c
            k = j
        # city, state and ZIP code
        j = self._skip_commas(k)
        city = 0
        city_words: list[int] = []
        while j < len(toks) and city < 3:
            if self._state_end(j) is not None:
                break
            tok = toks[j]
            prefix = tok.lower in _CITY_PREFIXES and j + 1 < len(toks) and toks[j + 1].is_word
            if tok.lower in HESITATIONS:
                j += 1  # "... apartment four d in uh millbrook"
                continue
            if tok.kind != Kind.WORD or tok.lower in NUMBER_WORDS:
                break  # "... in new paltz twelve five six one": the ZIP code
            if tok.lower in COMMON_WORDS and tok.lower != "in" and not prefix:
                break
            if tok.lower == "n":
                break  # "... quince st in harrow n email is ...": "and" as noisy text has it
            if city and self.doc.cue_starting(j) in _NEXT_ANSWERS:
                break  # "p o box two twenty one granger phone five six three ..."
            if tok.lower != "in":  # "in port saint lucie": three words of the town
                city += 1
                city_words.append(j)
            if j + 1 < len(toks) and toks[j + 1].text == "." and tok.lower not in _CITY_PREFIXES:
                j += 1
                break  # "..., Box 2152, Hemet. Nobody's home": the sentence ends with the town
            j = self._skip_commas(j + 1)
        state_end = self._state_end(j)
        if state_end is not None:
            j = self._skip_commas(state_end + 1)
            again = self._state_end(j)  # "Washington, DC": the first was the city
            if again is not None:
                state_end, j = again, self._skip_commas(again + 1)
            end, extra = toks[state_end].end, True
            zip_end = self._zip_end(j)
            if zip_end is not None:
                end = zip_end
        else:
            zip_run = self.run_starting.get(j)
            if zip_run is not None and len(zip_run.digits) in (5, 9):
                end, extra = zip_run.end, True
            elif self._city_alone(k, city_words, boxed=after_unit or extra):
                end, extra = toks[city_words[-1]].end, True
        return end, extra

    def _zip_end(self, j: int) -> int | None:
        """End offset of a ZIP code said from token j on: five or nine digits, perhaps
        begun with a digit heard as a word that starts no run alone ("... north carolina
        too ate won five fore": "too" is 2 only beside other digits)."""
        heard = 0  # digits said before the run, as a word that starts none
        if j < len(self.toks) and self._word(j) in HOMOPHONE_DIGITS and j not in self.run_starting:
            heard, j = 1, j + 1
        zip_run = self.run_starting.get(j)
        if zip_run is None:
            return None
        zip_run = in_its_line(zip_run)  # "... Minnesota 56571." / "8297.": the next answer
        if heard + len(zip_run.digits) in (5, 9):
            return zip_run.end
        # "... colorado ate double won nine too right": the last digit heard as a word that
        # ends no run alone
        k = zip_run.last_token + 1
        if heard + len(zip_run.digits) in (4, 8) and self._word(k) in HOMOPHONE_DIGITS:
            return self.toks[k].end
        return None

    def _digit_words_from(self, j: int) -> int | None:
        """The last of two or more words from token j that are each a digit said or
        misheard ("for oh too"), or None."""
        k = j
        while k < len(self.toks) and (
            self._word(k) in HOMOPHONE_DIGITS
            or self._word(k) in ("oh", "zero")
            or self.toks[k].lower in NUMBER_WORDS
        ):
            k += 1
        return k - 1 if k - j >= 2 else None

    def _city_alone(self, k: int, words: list[int], *, boxed: bool = False) -> bool:
        """The words at `words`, said right after a street (token k on) with no state or
        ZIP after them, are its town: "... birch hollow road in new paltz", "..., tulsa".
        They come after "in" or a comma, end the clause, and are names, not everyday words
        ("... road in the morning" has none). After a box or unit number the town may
        follow straight away ("p o box 406 new paltz", "apartment two f brookline")."""
        toks = self.toks
        if not words or words != list(range(words[0], words[-1] + 1)):
            return False
        nxt = words[-1] + 1
        # the line ends with the town: "... pemberton way lakewood", no comma written
        ends_line = nxt >= len(toks) or toks[nxt].kind == Kind.NEWLINE
        introduced = boxed or self._word(k) == "in" or (k < len(toks) and toks[k].text == ",")
        ends = (
            ends_line
            or toks[nxt].kind == Kind.PUNCT
            or toks[nxt].lower in FUNCTION_WORDS
            or toks[nxt].lower == "n"  # "and" as noisy recognisers write it
            or toks[nxt].lower in ("right", "correct")  # "... pine hill right": asked back
            or self.doc.cue_starting(nxt) in _NEXT_ANSWERS  # "... granger phone five ..."
        )
        # "in new britain", "in fort worth": a town's prefix names what follows it
        prefixed = len(words) >= 2 and self._word(words[0]) in _CITY_PREFIXES
        marked = [
            self._word(w) in _CITY_PREFIXES
            or toks[w].text[:1].isupper()
            or not everyday(toks[w].lower)
            or (boxed and ends_line)  # "apartment two c seattle"
            for w in words
        ]
        # after "in", a town of two words needs one that is a name: "in prescott valley",
        # "in cedar rapids", but not "in good shape"
        named = (
            prefixed
            or all(marked)
            or (self._word(k) == "in" and len(words) == 2 and any(marked))
            or us_town([self._word(w) for w in words])  # "... in chicago", "... in new ulm"
        )
        # a town the gazetteer knows needs no "in" or comma: "... market st wilmington n"
        known = us_town([self._word(w) for w in words])
        # "... whitebark road sedgefield out past the grain elevator": one word English
        # hardly has, right after the street, ending the clause
        # (not after "dr" or "st", titles too: "n tell dr kativa she ate all her hay")
        unheard_town = (
            len(words) == 1
            and unheard(self._word(words[0]))
            and self._word(words[0] - 1) not in _TITLES_TOO
        )
        if not (introduced or known or unheard_town or (ends_line and len(words) <= 2)):
            return False
        return ends and named and self._word(words[-1]) not in _CITY_PREFIXES

    def town_starts(self, k: int) -> bool:
        """Token k, after "in", can begin a town: written with a capital, a word English
        hardly uses, a town's prefix, a state, or a town of the GeoNames extract ("in
        boise", "in fort worth", "in springfield"), not "in advance" or "in person"."""
        tok = self.toks[k]
        if tok.kind != Kind.WORD:
            return False
        if tok.text[:1].isupper() or not everyday(tok.lower) or tok.lower in _CITY_PREFIXES:
            return True
        if self._state_end(k) is not None:
            return True
        return any(us_town([self._word(j) for j in range(k, k + n)]) for n in (1, 2, 3))

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

    def state_zip(self, j: int) -> Finding | None:
        """A state followed by a ZIP code ("Illinois, 62704", "springfield il 6 2 7 0 4"),
        with the city said just before it: part of an address whatever was asked."""
        state_end = self._state_end(j)
        if state_end is None:
            return None
        k = j - 1
        while k >= 0 and self.toks[k].text == ",":
            k -= 1
        if self.toks[j].text in _WORD_CODES and not (k >= 0 and self.toks[k].text[:1].isupper()):
            return None  # "OK 12345", "IN 20 minutes": a word, unless a city comes before
        k_zip = self._skip_commas(state_end + 1)
        if k_zip < len(self.toks) and self.toks[k_zip].kind == Kind.NEWLINE:
            k_zip += 1  # "Portland, Oregon." / "97214.": the ZIP said as the next line
        zip_end = self._zip_at(k_zip)
        start = j
        city = 0
        while k >= 0 and city < 3 and self._place_word(k):
            start, city, k = k, city + 1, k - 1
        if zip_end is None:
            # "... in salem no sorry keizer oregon": a town and its state, no ZIP, where an
            # address is being given
            town = [self._word(w) for w in range(start, j)]
            if not town or not us_town(town) or not self._address_asked(start):
                return None
            zip_end = self.toks[state_end].end
        return Finding(EntityType.ADDRESS, self.toks[start].start, zip_end, 0.85)

    def _address_asked(self, k: int) -> bool:
        """The nearest cue that names a kind of number or detail is an address cue."""
        for cue, _dist in self.doc.cues_near(k, k):
            if cue == Cue.ADDRESS:
                return True
            if cue in (Cue.NEGATIVE, Cue.MONEY, Cue.NAME, Cue.DOB):
                return False
        return False

    def _zip_at(self, k: int) -> int | None:
        """End offset of a ZIP code (5 digits, or ZIP+4) starting at token k."""
        run = self.pieces_from.get(k)
        if run is None:
            return None
        segments = run.segments()
        i, j = segments[0]
        digits = "".join(p.digits for p in run.pieces[i:j])
        if len(digits) == 9:
            return run.pieces[j - 1].end
        if len(digits) != 5:
            return None
        if len(segments) > 1:
            i2, j2 = segments[1]
            plus = "".join(p.digits for p in run.pieces[i2:j2])
            if len(plus) == 4 and run.pieces[i2].gap == Gap.HYPHEN:
                return run.pieces[j2 - 1].end  # "98101-1234"
        return run.pieces[j - 1].end

    def _place_word(self, k: int) -> bool:
        """Token k may be part of a place name: a word that is no everyday word."""
        tok = self.toks[k]
        w = tok.lower
        if tok.kind != Kind.WORD or w in COMMON_WORDS or w in NUMBER_WORDS:
            return False
        return w not in MEASURE_WORDS and w not in _OTHER_CUE_WORDS
