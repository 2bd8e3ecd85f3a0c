"""How a name reads from a given token of a transcript line: where it ends, whether the
next word is its surname, a middle initial or a suffix, whether a word there answers a
question for a name. `redaction.names` decides where names stand; this module reads them."""

from __future__ import annotations

from collections.abc import Mapping

from redaction.context import Cue
from redaction.lexicon import (
    FIRST_NAMES,
    FUNCTION_WORDS,
    census_surname,
    dropped_g,
    everyday,
    unheard,
)
from redaction.mentions import sure_name
from redaction.months import MONTHS
from redaction.name_parts import NameParts
from redaction.name_phrases import (
    ANSWERS,
    NOT_FILED_UNDER,
    NOT_FIRST,
    PARTICLES,
    ROLES,
)
from redaction.name_spans import CORRECTING, NOT_NAME_WORDS, TITLES_SPOKEN
from redaction.name_words import (
    AMBIGUOUS_GIVEN,
    CUE_WORDS,
    HEARD_FUNCTION_WORDS,
    OPENERS,
    given_name,
    hyphenated,
    nameable,
)
from redaction.spoken import NUMBER_WORDS, ORDINALS, Kind, Token
from redaction.transcript import Transcript

_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "st"})


# Said after "may" or "will" used as verbs: "... may have been", "will be".
_VERB_AFTER_MODAL = frozenset({"have", "be", "not", "been", "need", "want"})
# Said between a name and where its bearer works: "winter from high meadow".
_WORKPLACE_BEFORE = frozenset({"from", "with", "at"})


def past_title(toks: list[Token], k: int, stop: int) -> int:
    """The token after the title at k and its full stop."""
    k += 1
    if k < stop and toks[k].text == ".":
        k += 1
    return k


# Words from the end of the other party's line within which a name cue makes it a question
# the next line answers.
_ASKED_WINDOW = 8
# What the tagger calls a word that describes, not one that names.
DESCRIBING_TAGS = frozenset({"ADJ", "VERB", "ADV", "ADP", "AUX"})
# How a rare verb or adverb after a role ends ("the technician rescheduled").
_VERB_ENDINGS = ("ed", "ing", "ly", "es")
_ROLE_WORDS = frozenset(ROLES)
# Verbs said of a person right after their name, which a strong phrase ("doctor") would
# otherwise take as one more word of it.
_SAID_OF_SOMEONE = frozenset(
    """said says told asked wants wanted needs needed thinks thought called wrote
    recommended recommends suggested prescribed prescribes signed sent will would can
    could should""".split()
)
# Parts of speech a name in an answer is not tagged as, even in lower-case text ("i'm
# showing", "it's already").
_NEVER_NAMES = frozenset(
    {"VERB", "AUX", "ADP", "DET", "PRON", "PART", "CCONJ", "SCONJ", "NUM", "ADV"}
)
MAX_NAME_WORDS = 3
# Verbs of telling said right after a person named by a role.
_TOLD = frozenset({"said", "says", "told", "tells", "asked"})


# At most this many words between "name" and the next thing asked with it: "what's her
# name and birth date", "the owner's name and mailing address".
_ASKED_WITH = 4


def _name_asked(prompt_cues: list[tuple[Cue, int]]) -> bool:
    """The other party's last line asks for a name: "name" is among its last words, or
    named together with something else that is ("what's her name and birth date she has
    to be at least eleven": the answer gives both, the name first)."""
    asked_last = [words for cue, words in prompt_cues if words <= _ASKED_WINDOW]
    return any(
        cue == Cue.NAME
        and (words <= _ASKED_WINDOW or any(0 < words - w <= _ASKED_WITH for w in asked_last))
        for cue, words in prompt_cues
    )


def _date_said(toks: list[Token], k: int, stop: int) -> bool:
    """Token k names a month that a day follows: "april twelfth", "may 3rd", "june ten"."""
    if toks[k].lower not in AMBIGUOUS_GIVEN or k + 1 >= stop or toks[k].lower not in MONTHS:
        return False
    day = toks[k + 1]
    return (
        day.kind in (Kind.DIGITS, Kind.ORDINAL)
        or day.lower in ORDINALS
        or day.lower in NUMBER_WORDS
    )


class NameReader(NameParts):
    """The line being checked, with the parts of speech the tagger gave its words, read
    for names from a token on; the finders of `redaction.names` stand on these readings."""

    def __init__(self, doc: Transcript, pos: Mapping[int, str]):
        self.doc = doc
        self.toks = doc.tokens
        self.pos = pos  # part of speech by character offset in the joined text
        lo, hi = doc.target_span
        self.first = next((i for i, t in enumerate(self.toks) if t.start >= lo), len(self.toks))
        self.stop = next((i for i, t in enumerate(self.toks) if t.start >= hi), len(self.toks))
        # the other party just asked for a name ("who am I speaking with?"): "it's colleen
        # becker" answers it, whatever the casing and however rare the name
        self.asked_name = _name_asked(doc.prompt_cues)

    def _describes(self, phrase: list[str], j: int) -> bool:
        """After "hi it's" a word the tagger reads as describing ("hi its broken again"),
        or after "under" what a thing is under ("under review"), is no name."""
        if phrase[-1] == "under":
            return self.toks[j].lower in NOT_FILED_UNDER
        return (
            phrase[-1] in ("it's", "its")
            and self.pos.get(self.toks[j].start) in DESCRIBING_TAGS
            and not given_name(self.toks[j].lower)  # "hi it's marguerite", tagged ADJ
        )

    def _name_at(
        self,
        k: int,
        strong: bool,
        after_title: bool = False,
        rare_ok: bool = False,
        tag_trusted: bool = True,
        self_intro: bool = False,
    ) -> int | None:
        """Last token of a name starting at token k, or None. After a title such as
        "Mr." the first word is the surname whatever else it could mean."""
        toks = self.toks
        last = None
        words = 0
        while k < self.stop and words < MAX_NAME_WORDS:
            tok = toks[k]
            w = tok.lower
            if words and w in PARTICLES and self._particle_leads_on(k):
                k += 1  # "maria de los angeles gutierrez": a particle, not a word of its own
                continue
            if tok.kind != Kind.WORD or w in FUNCTION_WORDS or w in NUMBER_WORDS:
                break
            if tok.text.islower() and w in HEARD_FUNCTION_WORDS:
                break  # "thanks fore all the help": "for", as a recogniser heard it
            if words and w in CORRECTING:
                break  # "john no johnny": the name is taken back
            if words and w in CUE_WORDS and not after_title:
                break  # "im thorvald eikeland social is ...": what is given next
            if words == 0 and not strong and _date_said(toks, k, self.stop):
                break  # "it's april twelfth": a date, not april
            if dropped_g(w):
                break  # "im callin bout ...", "hi callin bout ...": a verb as recognisers write it
            if words == 2 and tok.text.islower() and everyday(w) and self._verb(k):
                break  # "its osvaldo rivas booked the ...": what the person did
            if (
                k + 1 < len(toks)
                and toks[k + 1].kind == Kind.DIGITS
                and toks[k + 1].start == tok.end
            ):
                break  # "HK406218": letters of a code
            if words == 0 and w in TITLES_SPOKEN:
                k = past_title(toks, k, self.stop)  # "Dr. Emily Chen": the title stays
                continue
            if words == 0 and strong and w in _ROLE_WORDS and self._rare_word(k + 1):
                k += 1  # "hey its deckhand soslan tedeev": the role stays out
                continue
            nxt = toks[k + 1] if k + 1 < self.stop else None
            if len(w) == 1 and nxt is not None and len(nxt.text) == 1 and nxt.kind == Kind.WORD:
                if not (after_title and self._initials_then_surname(k)):
                    break  # a spelling starts: "smith, s m i t h" is two findings
            if words == 0 and strong:
                # "can dr pike see me": after a doctor's title, a surname whatever the word
                # names besides ("dr appointment" is no surname)
                doctors = self._after_doctor(k)
                surnamed = census_surname(w) and doctors
                ok = w not in NOT_FIRST and (after_title or surnamed or w not in NOT_NAME_WORDS)
                # "a dr appointment", "the dr office": what the doctor has, no name
                ok = ok and not (doctors and everyday(w) and not surnamed and not given_name(w))
                # "my birth mother's surname may have been ...": the verb, no name
                ok = ok and not (
                    w in ("may", "will") and nxt is not None and nxt.lower in _VERB_AFTER_MODAL
                )
                # "your full legal name date of birth and ...": what is asked for next
                ok = ok and (after_title or w not in CUE_WORDS)
                if self._after_doctor(k):
                    # "the doctor said", "doctor's office": not a name after all
                    ok = ok and self.pos.get(tok.start) not in _NEVER_NAMES
            elif words == 0:
                # after a role, a lower-case everyday word the tagger calls proper is the
                # role's thing ("your caregiver pin"), not its name
                tagged_only = (
                    not tag_trusted and tok.text.islower() and everyday(w) and not given_name(w)
                )
                # "our lead installer will call": a role after a role, no name
                ok = (
                    w not in NOT_NAME_WORDS
                    and w not in _ROLE_WORDS
                    and (
                        (self._proper(k) and not tagged_only)
                        or w in FIRST_NAMES
                        or self._answers_name(k)
                        or (self_intro and self._introduces_self(k))
                        or (self_intro and self._named_with_workplace(k))
                        or (
                            rare_ok
                            and self._rare_word(k)
                            # "the technician rescheduled"; but "driver wisly pierre",
                            # "captain oakes has her fueled": a surname, no verb
                            and (
                                not w.endswith(_VERB_ENDINGS)
                                or self._name_next(k)
                                or (census_surname(w) and not everyday(w))
                            )
                            and w not in CUE_WORDS  # "expiration": what is asked for next
                        )
                        or (rare_ok and self._word_before_surname(k))
                        or (rare_ok and self._syllable_name(k))  # "under young-soo oh"
                        # "the new flatbed driver shepherd told me to call"
                        or (
                            rare_ok
                            and nxt is not None
                            and nxt.lower in _TOLD
                            and self.pos.get(tok.start) not in _NEVER_NAMES
                        )
                    )
                )
                # "this is Bill", "it's june", "it's may silva": a given name that is also a
                # word, where it stands as one
                ok = ok or (
                    w in AMBIGUOUS_GIVEN
                    and (tok.text[:1].isupper() or nxt is None or self._surname_like(k + 1))
                )
            elif w in _SAID_OF_SOMEONE and self.pos.get(tok.start) in ("VERB", "AUX"):
                break  # "my vet doctor violet ward wants ...": what the person does
            else:
                # after a known first name, an uncommon word is taken as the surname
                ok = w not in NOT_NAME_WORDS and (
                    strong
                    or self._proper(k)
                    or (words == 1 and (self._surname_like(k) or self._answers_name(k - 1)))
                    or (words == 2 and self._third_name(k))  # "gideon mercer ashworth"
                )
                if after_title and tok.text.islower() and toks[k - 1].lower not in PARTICLES:
                    # "thanks mrs adeyemi season members get ...": after a title the
                    # surname, and at most one word more that the census lists or English
                    # hardly uses ("mrs prudence hill", "mister mc bride"), no plural
                    prev = toks[k - 1].lower
                    plural = w.endswith("s") and everyday(w[:-1])  # "members"
                    ok = ok and (
                        words == 1
                        and (census_surname(w) or not everyday(w) or prev in ("mc", "mac"))
                        and not plural
                    )
            if not ok or (not strong and words == 2 and not self._third_name(k)):
                break
            last = hyphenated(toks, k, self.stop)  # "nakamura-ortiz"
            words += 1
            k = last + 1
            if k < self.stop and toks[k].text == "." and (len(tok.text) == 1 or w in _TITLES):
                k += 1  # "J.", "Dr."
            initial = self._initial(k)
            if words == 1 and initial is not None and self._surname_after_initial(initial):
                return initial  # "dmitri k. rossi"
        return last

    def _introduces_self(self, k: int) -> bool:
        """Token k, lower case and right after "this is" / "it's" / "i'm", is a word that
        can hardly be anything but a name, and the name ends there or a rare surname
        follows ("its gianluca ferrante", not "i'm flabbergasted, honestly" alone)."""
        tok = self.toks[k]
        if not tok.text.islower() or dropped_g(tok.lower):
            return False
        if self._syllable_name(k):
            return True  # "hi this is seo-yeon i'm calling about ..."
        if not sure_name(tok):
            # "its theodric vorhees": a rare word that may end like a describing one,
            # then a surname that can hardly be anything else
            after = self.toks[k + 1] if k + 1 < self.stop else None
            if after is None or not self._rare_word(k + 1):
                return False
            # "hi this is tiger whitlock i got ...": a given name that is also a word,
            # then a surname the census lists, which English hardly uses otherwise
            return (self._rare_word(k) or self._name_ends(k + 2)) and (
                sure_name(after) or census_surname(after.lower)
            )
        initial = self._initial(k + 1)  # "booker t mccallister"
        if initial is not None and self._surname_after_initial(initial):
            return True
        return self._rare_word(k + 1) or self._name_ends(k + 1)

    def _name_next(self, k: int) -> bool:
        """A known given name or a rare word follows token k, in the same case."""
        nxt = self.toks[k + 1] if k + 1 < self.stop else None
        return (
            nxt is not None
            and nxt.text.islower() == self.toks[k].text.islower()
            and nameable(nxt)
            and (
                given_name(nxt.lower)
                # "the inspector flagged peelin paint": not a verb as noisy text writes it
                or (self._rare_word(k + 1) and not nxt.lower.endswith((*_VERB_ENDINGS, "in")))
            )
        )

    def _word_before_surname(self, k: int) -> bool:
        """Token k, a lower-case word, is a given name that is also a word, before a
        surname the census lists, or one English has hardly a trace of, the name ending
        there ("the household's under true nyberg how ...", "our organist candy mabini
        she ...", "our pipe major gunner mabior sent me")."""
        tok = self.toks[k]
        if not tok.text.islower() or not nameable(tok) or tok.lower in CUE_WORDS:
            return False
        if self.pos.get(tok.start) in _NEVER_NAMES:
            return False
        after = self.toks[k + 1] if k + 1 < self.stop else None
        if after is None or not after.text.islower() or not self._rare_word(k + 1):
            return False
        end = hyphenated(self.toks, k + 1, self.stop) + 1
        if census_surname(after.lower):
            return self._name_ends(end)
        return unheard(after.lower) and (
            self._name_ends(end)
            or (end < self.stop and self.pos.get(self.toks[end].start) == "VERB")
        )

    def _named_with_workplace(self, k: int) -> bool:
        """Token k, a given name that is also a word, is said where one works next ("this
        is winter from high meadow balloon rides", "it's joy at rosewood bench")."""
        if not given_name(self.toks[k].lower) or k + 2 >= self.stop:
            return False
        at, firm = self.toks[k + 1], self.toks[k + 2]
        return (
            at.lower in _WORKPLACE_BEFORE
            and firm.is_word
            and firm.lower not in FUNCTION_WORDS
            and firm.lower not in NOT_NAME_WORDS
        )

    def _answers_name(self, k: int) -> bool:
        """Token k opens the answer to a question for a name: only openers and answer words
        ("okay it's", "speaking, this is") come before it in the line."""
        tok = self.toks[k]
        if not self.asked_name or tok.lower in CUE_WORDS:
            return False  # "uh, birthday is ...": a cue word answers something else
        tag = self.pos.get(tok.start)
        # "it's joint with my mother": in lower case, a describing word that the sentence
        # goes on after ("it's young", alone, answers with the surname)
        goes_on = k + 1 < self.stop and self.toks[k + 1].kind == Kind.WORD
        described = tag == "ADJ" and tok.text.islower() and goes_on
        tagged_otherwise = tag in _NEVER_NAMES or described
        if tok.lower not in AMBIGUOUS_GIVEN and tagged_otherwise and everyday(tok.lower):
            return False
        j = k - 1
        while j >= self.first:
            tok = self.toks[j]
            w = tok.lower.replace("’", "'")
            if w == "and" and j < k - 1 and self._number_ends(j - 1):
                return True  # "<the number asked for> and its lorrie mcbride": the next answer
            if tok.kind != Kind.PUNCT and w not in ANSWERS and w not in OPENERS:
                return False
            j -= 1
        return True
