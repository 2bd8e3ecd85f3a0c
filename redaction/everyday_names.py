"""Given names that are also everyday words ("cliff", "legend", "cannon", "candy"), where
what is said around them makes them someone's: before a surname English has hardly a
trace of ("our organist candy mabini she ...", "put cannon bello on my team"), or alone
as the one who said or will do something ("Knight said to call about payroll", "cliff
will be the one coming").

The records name children after things, so a word they list is a name only where the
line says a person stands there. The finders elsewhere ask for a name the lists know as a
name first; these are the places where a word-name is said as plainly as any other. The
same places hold capitalised names English hardly uses that the tagger leaves ("Ship them
to Ejike Chukwu at ..."), read here too.
"""

from __future__ import annotations

from collections.abc import Mapping

from redaction.everyday_greeted import HAILS, GreetedNames
from redaction.everyday_words import (
    addressed,
    name_shaped,
    plain_word,
    rare_given,
    rare_surname,
    unheard_surname,
    word_name,
)
from redaction.lexicon import (
    FUNCTION_WORDS,
    STREET_SUFFIXES,
    census_surname,
    everyday,
    given_in_records,
    rare_word,
    unheard,
)
from redaction.model import EntityType, Finding
from redaction.name_phrases import ROLES, ROLES_AND_PARTIES
from redaction.name_words import (
    AFTER_NAME,
    AMBIGUOUS_GIVEN,
    DEPARTMENTS,
    KIN,
    NOT_NAMES,
    OPENERS,
    ORG_WORDS,
    POSSESSIVES,
    PRACTICE_WORDS,
    hyphenated,
    name_ends_at,
    nameable,
)
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import HESITATIONS

# Before a thing, never a name: "the fawn huacaya", "a ginger scoby", "two cherry ...".
_BEFORE_A_THING = POSSESSIVES | frozenset({"the", "a", "an", "this", "that", "some", "any"})
# Clauses begin after these: "and cliff said to call", "n memphis said u need my info".
_CLAUSE_JOINS = frozenset({"and", "n", "but", "so", "cause", "cuz", "because", "then"})
# What someone named does, said right after the name: "Knight said to call", "crow hired
# me", "cliff will be the one coming". A thing said or hired is not said this way.
_DONE_BY_SOMEONE = frozenset(
    """said says told tells asked hired mentioned recommended referred texted emailed
    promised quoted leads replaced finished fixed repaired serviced tuned installed
    inspected""".split()
)
# What only a person will do, after "will" or "can": a word English hardly uses is a
# name before them ("nugget will meet you at slip eighteen").
_PERSON_WILL_DO = frozenset("call text email meet reach show help handle lead".split())
# After "will" or "can": what a person will do ("cannon will do the inspection", "mitali
# can show ya the dock"); not "be" alone ("mint will be back in stock").
_WILL_DO = frozenset(
    """call text email come do reach handle stop swing meet bring drop pick show help
    take lead""".split()
)
_MODALS = frozenset({"will", "can", "'ll"})
# "we all call him pistol": who calls someone by a name, and whom.
_WHO_CALLS = frozenset({"we", "everyone", "everybody", "they", "people", "folks", "kids"})
_CALL_BY_NAME = frozenset({"call", "calls", "called"})
# Who calls someone a name that is no firm's ("we call Comcast" is a call made).
_EVERYONE = frozenset({"everyone", "everybody", "people", "folks", "kids"})
_WHO_GOES_BY = frozenset({"he", "she", "son", "daughter", "who", "kid", "husband", "wife"})
_CALLED_ONE = frozenset({"him", "her", "them"})
# Said where a nickname would stand, but none: "we all call him back", "goes by fast".
_NOT_A_NICKNAME = frozenset(
    "back later today tomorrow now again soon first too quickly fast slow sometimes".split()
)
# Said between a name and the role after it: "Minnow, our lift tech", "fig the manager".
_WHOSE = frozenset({"our", "my", "the", "his", "her", "their", "ur", "your"})
# Parts of speech that a name does not go on with: what the person does, or a new clause.
_NOT_IN_A_NAME = frozenset({"VERB", "AUX", "CCONJ", "SCONJ", "ADP", "PRON", "DET", "PART"})
# Roles said right before a name, besides the ones other finders read: "our vet memphis
# dvorak", "our organist candy mabini", "our skip is".
_MORE_ROLES = frozenset(
    """organist vet pastor minister deacon skip boss crew super treasurer chair carver
    tuner welder roofer framer""".split()
)
_SLOTS = ROLES_AND_PARTIES | KIN | _MORE_ROLES
# A person's role said after the name it goes with: "fig the manager", "goose our driver".
_ROLE_NOUNS = frozenset(ROLES) | _MORE_ROLES | frozenset({"operator", "guy", "gal", "lady"})
# Where a person is named next: after a role, or "ship to", "put", "under", "this is".
_INTRODUCED = _SLOTS | frozenset(
    """is me im i'm its it's this named attention attn under hi hey hello""".split()
)
_NAMED_AFTER = _INTRODUCED | frozenset("to for with put tell ask".split())
# Said after a firm's or a street's name, never after a person's.
_NOT_A_PERSON_AFTER = STREET_SUFFIXES | ORG_WORDS | PRACTICE_WORDS
# Said right after a whole name: an agent's "... speaking", a birth date's "born".
_AFTER_WHOLE_NAME = frozenset({"speaking", "speakin", "here", "born"})


class EverydayNames(GreetedNames):
    """The finders, over the tokens of the line being checked."""

    def __init__(self, toks: list[Token], first: int, stop: int, pos: Mapping[int, str]):
        self.toks = toks
        self.first = first
        self.stop = stop
        self.pos = pos

    def find(self) -> list[Finding]:
        return (
            self.before_unheard_surname()
            + self.doing_something()
            + self.after_own_role()
            + self.capitalised_where_named()
            + self.initials_and_surname()
            + self.called_at()
            + self.capitalised_after_with()
            + self.thanked()
            + self.greeted()
            + self.nicknamed()
            + self.with_their_role()
        )

    def nicknamed(self) -> list[Finding]:
        """ "his nickname chowder", "we all call him pistol", "she goes by jinx": the name
        someone is known by, whatever else the word means."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop):
            tok = toks[k]
            if not addressed(tok) or tok.lower in _NOT_A_NICKNAME:
                continue
            said = [t.lower for t in toks[max(self.first, k - 4) : k]]
            if said[-1:] == ["is"]:
                said = said[:-1]  # "his nickname is chowder"
            nickname = said[-1:] in (["nickname"], ["nicknamed"])
            # "she goes by jinx", "he also goes by ...": not "it can go by ach"
            known_by = said[-2:] == ["goes", "by"] and any(w in _WHO_GOES_BY for w in said[:-2])
            # "we all call him pistol", "everyone calls her jinx": not "call him back"
            called = len(said) >= 3 and said[-1] in _CALLED_ONE and said[-2] in _CALL_BY_NAME
            called = called and (said[-3] in _WHO_CALLS or said[-3:-2] == ["all"])
            # "tugboat that's what everybody calls him drove tankers": named before it
            called = called and "what" not in said[:-3]
            # "my neighbor, the one everyone calls Dazzle": written with its capital
            called = called or (
                len(said) >= 2
                and said[-2] in _EVERYONE
                and said[-1] in _CALL_BY_NAME
                and tok.text[:1].isupper()
                and "what" not in said
            )
            if nickname or known_by or called:
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.7))
                found += self._nickname_said_before(k)
        return found

    def _nickname_said_before(self, k: int) -> list[Finding]:
        """The nickname at token k said earlier in the line as a name, with no article or
        owner before it ("you're in the monday group with razor his real name's sherwin
        nona but everybody calls him razor")."""
        toks = self.toks
        return [
            Finding(EntityType.PERSON, toks[j].start, toks[j].end, 0.7)
            for j in range(self.first, k)
            if toks[j].lower == toks[k].lower
            and (j == self.first or toks[j - 1].lower not in _BEFORE_A_THING)
        ]

    def with_their_role(self) -> list[Finding]:
        """ "Minnow, our lift tech, out there", "fig the manager said": a word said with
        the role of whom it names right after it."""
        toks, found = self.toks, []
        for k in range(self.first, self.stop - 2):
            tok = toks[k]
            if not addressed(tok) or tok.lower in ROLES_AND_PARTIES or tok.lower in HAILS:
                continue
            if k > self.first and (
                toks[k - 1].lower in _BEFORE_A_THING or self.pos.get(toks[k - 1].start) == "ADP"
            ):
                continue  # "the dock, our ...", "at rosewood the manager said": a place
            if self.pos.get(tok.start) in _NOT_IN_A_NAME and everyday(tok.lower):
                continue  # "call the manager", "ask our driver": what is done (a word
                # English hardly uses is a guess of the tagger's: "and norbu our motor guy")
            j = k + 1
            if toks[j].text == ",":
                j += 1  # "Minnow, our lift tech": set off, as a name with its role is
            elif not self._clause_opens(k):
                continue  # "... outta town the notary can ...": a clause ended there
            if j >= self.stop or toks[j].lower not in _WHOSE:
                continue
            role = next(
                (n for n in range(j + 1, min(j + 3, self.stop)) if toks[n].lower in _ROLE_NOUNS),
                None,
            )
            if role is None or (role == j + 2 and toks[j + 1].kind != Kind.WORD):
                continue
            after = toks[role + 1] if role + 1 < self.stop else None
            ends = after is None or after.kind in (Kind.PUNCT, Kind.NEWLINE)
            if ends or (after is not None and self.pos.get(after.start) in ("VERB", "AUX")):
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
        return found

    def initials_and_surname(self) -> list[Finding]:
        """ "hi its r p sandhu", "under a k bekele": two initials and a surname, where
        someone is introduced or named."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop - 2):
            before = toks[k - 1].lower.replace("’", "'")
            if before not in _NAMED_AFTER:
                continue
            first, second, surname = toks[k], toks[k + 1], toks[k + 2]
            if not all(t.kind == Kind.WORD and len(t.text) == 1 for t in (first, second)):
                continue
            if "i" in (first.lower, second.lower):
                continue
            last = hyphenated(toks, k + 2, self.stop)
            if rare_surname(surname) and self._ends_name(last + 1):
                found.append(Finding(EntityType.PERSON, first.start, toks[last].end, 0.7))
        return found

    def capitalised_where_named(self) -> list[Finding]:
        """ "Ship them to Ejike Chukwu at ...": two capitalised words English hardly uses,
        inside a sentence where a person is named next, that the tagger left; not a firm or
        a street ("to Ferncliff Organ Works", "to Kessler Lind Street")."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop - 1):
            before = toks[k - 1]
            # "to Ejike Chukwu", or a role said first: "our pipe major, Ejike Chukwu, ..."
            apposed = before.text == "," and k >= 2 and toks[k - 2].lower in _SLOTS
            if not apposed and (before.kind != Kind.WORD or before.lower not in _NAMED_AFTER):
                continue
            given = toks[k]
            last = hyphenated(toks, k + 1, self.stop)
            words = [given, *toks[k + 1 : last + 1 : 2]]
            if not all(
                t.kind == Kind.WORD
                and t.text[:1].isupper()
                and nameable(t)
                and t.lower not in NOT_NAMES
                and rare_word(t.lower)
                for t in words
            ):
                continue
            # a given name and surnames, not a firm's trade ("Redwater Plumbing")
            surnames = words[1:]
            if not (unheard(given.lower) or given_in_records(given.lower)) or not all(
                unheard(t.lower) or census_surname(t.lower) for t in surnames
            ):
                continue
            after = toks[last + 1] if last + 1 < self.stop else None
            if after is not None and (
                after.text[:1].isupper() or after.lower in _NOT_A_PERSON_AFTER
            ):
                continue
            found.append(Finding(EntityType.PERSON, given.start, toks[last].end, 0.7))
        return found

    def after_own_role(self) -> list[Finding]:
        """ "my foreman major his cell is ...", "our vet rose will ...": a word-name right
        after a possessive and a role or a relative, the name ending there."""
        toks, found = self.toks, []
        for k in range(max(self.first, 2), self.stop):
            if toks[k - 2].lower not in POSSESSIVES or toks[k - 1].lower not in _SLOTS:
                continue
            tok = toks[k]
            tag = self.pos.get(tok.start)
            # a word the records give as a name, or one English hardly uses that no verb
            # ending makes a deed: "my buddy tumbleweed his real name's ..."
            # "crashed", "onboarding": what someone did or does
            past = tok.lower.endswith(("ed", "ing")) and not tok.lower.endswith("eed")
            uncommon = rare_word(tok.lower) and not past and name_shaped(tok)
            if not (word_name(tok) or uncommon) or tok.lower in FUNCTION_WORDS:
                continue
            if tag in _NOT_IN_A_NAME - {"VERB"} or (tag == "VERB" and everyday(tok.lower)):
                continue  # "my husband will call", "my mom said": what they do, no name
            last = hyphenated(toks, k, self.stop)
            if self._ends_name(last + 1) and not self._does_as_word(last + 1):
                found.append(Finding(EntityType.PERSON, tok.start, toks[last].end, 0.6))
        return found

    def _does_as_word(self, j: int) -> bool:
        """The word before token j is read as a verb with what follows ("my husband mark
        down ..."): a particle or an object comes right after."""
        return j < self.stop and self.pos.get(self.toks[j].start) in ("ADP", "PART")

    def _ends_name(self, j: int) -> bool:
        """Token j may follow a whole name: the end, a pause, a number, a new clause or what
        the person does."""
        if name_ends_at(self.toks, j, self.stop):
            return True
        tok = self.toks[j]
        return (
            tok.lower in AFTER_NAME
            or tok.lower in HESITATIONS  # "our driver noodles uh nathan pyrtuh"
            or tok.lower == "n"  # "and", as chat spellings write it
            or self.pos.get(tok.start) in _NOT_IN_A_NAME
        )

    def before_unheard_surname(self) -> list[Finding]:
        """ "the neighbor bear lamptey has a key", "ship to lyric haddad at ...": a
        word-name, then a surname English has hardly a trace of, the name ending there;
        not after a word that says a thing follows ("the fawn huacaya")."""
        toks, found = self.toks, []
        for k in range(self.first, self.stop - 1):
            if k > 0 and toks[k - 1].lower in _BEFORE_A_THING and not self._this_is(k - 1):
                continue
            if k > 0 and (toks[k - 1].kind == Kind.DIGITS or toks[k - 1].lower in NUMBER_WORDS):
                continue  # "two cherry ..." : how many of a thing
            tok, nxt = toks[k], toks[k + 1]
            if tok.text.islower() != nxt.text.islower():
                continue
            # a surname the census lists, or any rare word, may be a thing's name ("blue
            # oyster grow kits", "assam keemun"): only where a person is named ("put
            # cannon bello on my team", "my neighbor rain thapa", "it's nhung vo")
            before = toks[k - 1].lower.replace("’", "'") if k > 0 else ""
            on_behalf = before == "of" and k > 1 and toks[k - 2].lower == "behalf"
            # "windward sail loft tulip wamytan speaking", "orchid vongsa born ...": what
            # is said after the two words says whose name they are
            said_after = k + 2 < self.stop and toks[k + 2].lower in _AFTER_WHOLE_NAME
            if word_name(tok):
                named_here = before in _NAMED_AFTER or on_behalf
                surname = unheard_surname(nxt) or (named_here and rare_surname(nxt))
            else:
                # two rare words may be two teas ("for darjeeling keemun"): only where
                # someone is introduced
                introduced = before in _INTRODUCED or on_behalf
                surname = (
                    (introduced and rare_given(tok) and rare_surname(nxt))
                    or (
                        said_after
                        and plain_word(tok)
                        and tok.lower not in _NOT_A_PERSON_AFTER
                        and unheard_surname(nxt)
                    )
                    or (self._read_out(k) and unheard_surname(tok) and rare_surname(nxt))
                )
            if not surname:
                continue
            last = hyphenated(toks, k + 1, self.stop)
            if self._ends_name(last + 1) or (said_after and last == k + 1):
                found.append(Finding(EntityType.PERSON, tok.start, toks[last].end, 0.7))
        return found

    def _read_out(self, k: int) -> bool:
        """The two words from token k end the line after "i have" or "should be": what an
        agent reads back or a caller says a name should be ("k i have salamato sow",
        "the name on it should be salamatou sow")."""
        toks = self.toks
        if k < 2 or (k + 2 < self.stop and toks[k + 2].kind != Kind.PUNCT):
            return False
        said = (toks[k - 2].lower, toks[k - 1].lower)
        return said in (("i", "have"), ("should", "be"))

    def _this_is(self, j: int) -> bool:
        """Token j is "this" said for "this is" after a greeting ("hi this cherry lamptey
        from first baptist")."""
        return self.toks[j].lower == "this" and (
            j == self.first or self.toks[j - 1].lower in OPENERS
        )

    def _clause_opens(self, k: int) -> bool:
        """Token k starts a clause: the line's start, after a pause, an opener, a joining
        word or a role ("our crew lead dakota will call")."""
        if k == self.first:
            return True
        before = self.toks[k - 1]
        w = before.lower
        return (
            before.kind in (Kind.PUNCT, Kind.NEWLINE)
            or w in OPENERS
            or w in _CLAUSE_JOINS
            or w in _SLOTS
        )

    def _does_something(self, j: int, *, personal_only: bool = False) -> bool:
        """Tokens from j say what someone named did or will do; `personal_only`: what only
        a person does ("nugget will meet you", not "mulch will come tuesday")."""
        if j >= self.stop:
            return False
        w = self.toks[j].lower.replace("’", "'")
        if w in _DONE_BY_SOMEONE:
            return True
        if w in _MODALS and j + 1 < self.stop:
            then = self.toks[j + 1].lower
            if then in (_PERSON_WILL_DO if personal_only else _WILL_DO):
                return True
            if personal_only:
                return False
            # "Cliff will be the one coming", "will be there": a person's coming
            return (
                then == "be"
                and j + 2 < self.stop
                and self.toks[j + 2].lower in ("the", "there", "out", "here")
            )
        return False

    def doing_something(self) -> list[Finding]:
        """ "Knight said to call about payroll", "cannon will do the inspection", "crow
        hired me": a word-name opening a clause, said as the one who did or will do a
        person's thing."""
        toks, found = self.toks, []
        for k in range(self.first, self.stop - 1):
            tok = toks[k]
            proper = self._capitalised_inside(k) and tok.lower not in DEPARTMENTS
            rare = rare_given(tok) and tok.lower not in DEPARTMENTS
            named = word_name(tok) or proper or (tok.text.islower() and unheard_surname(tok))
            if not (named or rare):
                continue
            if tok.lower in NOT_NAMES and tok.lower not in AMBIGUOUS_GIVEN:
                continue
            if not self._clause_opens(k):
                continue
            last = hyphenated(toks, k, self.stop)
            if self._does_something(last + 1, personal_only=not named):
                found.append(Finding(EntityType.PERSON, tok.start, toks[last].end, 0.65))
        return found
