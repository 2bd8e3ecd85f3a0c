"""Agents' greetings and the people they ask for, in lower-case ASR text the tagger does
not mark: "thanks for calling northline wireless this is kwame", "harbor point marina,
ottoline speaking", "hi this is torvald from maplecrest insurance", "you've reached devon
at northwind mobile", "calling for thaddeus um brockington". `find_intros` runs these and
the caller-side rules of `redaction.intros` together.
"""

from __future__ import annotations

from redaction.appositions import (
    named_after_what_they_are,
    named_beside_a_role,
    named_with_what_they_are,
    self_described,
)
from redaction.intros import Intros
from redaction.lexicon import FUNCTION_WORDS, dropped_g, rare_word
from redaction.mentions import find_mentions, sure_name
from redaction.model import Finding
from redaction.name_words import (
    AFTER_NAME,
    AMBIGUOUS_GIVEN,
    CLAUSE_STARTS,
    CUE_WORDS,
    DEPARTMENTS,
    DESCRIBING_ENDINGS,
    GREETINGS,
    NOT_NAMES,
    OPENERS,
    ORG_WORDS,
    SELF_WORDS,
    given_name,
    hyphenated,
    name_like,
    nameable,
)
from redaction.spoken import Kind, Token
from redaction.subjects import named_as_subject
from redaction.tokens import HESITATIONS

# After "<name> with" / "at" / "on", words that say it is no place of work.
_NOT_PLACES = FUNCTION_WORDS - frozenset({"the", "a", "an", "our", "your"}) | frozenset(
    "all least last home work".split()
)
# After "you've reached <name>": where the name works.
_AT = frozenset({"at", "with", "from", "over", "in"})
# What may follow the agent's name in a greeting: "this is hope speaking", "this is art
# to verify ...", "this is summer do you want ...".
_AFTER_AGENT = (
    CLAUSE_STARTS | SELF_WORDS | frozenset({"do", "to", "may", "who", "please", "with", "from"})
)
# After the agent's name, the agent offers help: "this is grant can i ...", "this is
# vincent speaking", whatever the name could also describe.
_OFFERING = SELF_WORDS | frozenset(
    {"can", "how", "may", "who", "what", "what's", "how's", "again"}  # "this is ruairi again"
)
# Said before the name of the person a caller asks for.
_ASKING_FOR = frozenset(
    {
        ("calling", "for"),
        ("callin", "for"),
        ("speak", "to"),
        ("speak", "with"),
        ("message", "for"),
        ("is", "this"),
        ("ask", "for"),
        ("asking", "for"),
        ("askin", "for"),
    }
)
# What may follow the name of the person asked for: why they are asked for.
_WHY = frozenset({"about", "regarding", "please", "to", "as"})
# Said by an agent answering a call, before the agent's name.
_WELCOMES = ("for calling", "welcome to", "you've reached", "you reached")
# "speaking" as recognisers write it after an agent's name.
_SPEAKING = frozenset({"speaking", "speakin", "speakin'"})
# Words a company's name may join its words with: "hearth and home", "straight a".
_JOINING = frozenset({"and", "n", "a", "of", "the"})
# Of those, the ones a name may hold before "this is" too: "ink and anchor tattoo this
# is ...", "pro shop at strike zone this is ...".
_JOINING_BEFORE_THIS_IS = frozenset({"and", "n", "at"})
# Said before a caller introduces themselves: "oh great this is ...".
_ACKNOWLEDGING = frozenset(
    """great perfect thanks thank you cool awesome wonderful sure fantastic excellent sorry
    that's thats me""".split()
)
# The most words of a company's name said before "this is" in a greeting.
COMPANY_NAME_WORDS = 6
# What an agent says right after their name when the recogniser lost the "this is"
# before it: "silver ribbon hortense here", "meridian billing marisabel whos the patient".
AFTER_OWN_NAME = SELF_WORDS | frozenset(
    """whats what's who whos who's ill i'll im i'm i ready u you were we're can how may
    whatcha watcha wat""".split()
)
# After "this <name>" with "is" lost: the same, a new clause, or "is" ("this cosima is
# this deshawn ...").
_GOES_ON_AFTER_THIS = AFTER_OWN_NAME | CLAUSE_STARTS | frozenset({"is"})
# What may follow a whole name (given name and surname) said after "this": "hi this
# rosheen mcgrath my mom was ...", "... about my account".
_AFTER_WHOLE_NAME = frozenset({"my", "our", "about", "bout", "at", "from"})
# How an agent offers help after the firm's name: the word before it is the firm's,
# unless it is a given name ("meadow creek dental hortense how can i help").
_OFFERS_HELP = frozenset({"how", "can", "may"})
# What may follow a given name from the lists said alone after "this": "hey this dwight
# from bayside fish market".
_AFTER_GIVEN_NAME = frozenset({"at", "from"})


class Greetings(Intros):
    """The agent-side introductions, over the same tokens as `Intros`."""

    def greeted_by_agent(self) -> list[Finding]:
        """ "thanks for calling northline wireless this is kwame can i ...", "willow creek
        animal hospital this is hope speaking": in a greeting that names the company,
        "this is" introduces the agent, whatever the name could also mean."""
        toks = self.toks
        words = " ".join(t.lower for t in toks[self.first : self.stop])
        welcomed = any(g in words for g in _WELCOMES)
        found = []
        for k in range(self.first, self.stop - 2):
            if toks[k].lower != "this" or toks[k + 1].lower != "is":
                continue
            if not (welcomed or self._company_before(k)):
                continue
            n = self._past_hesitations(k + 2)  # "this is uh cort"
            if n >= self.stop or not (nameable(toks[n]) or given_name(toks[n].lower)):
                continue  # "this is grant": a name in a greeting, though a word too
            w = toks[n].lower
            last = hyphenated(toks, n, self.stop)
            after = toks[last + 1] if last + 1 < self.stop else None
            offering = after is None or after.kind == Kind.PUNCT or after.lower in _OFFERING
            if not given_name(w) and w.endswith(DESCRIBING_ENDINGS) and not offering:
                continue  # "this is important to ...": a description, not a name
            told = after is not None and after.lower == "the" and name_like(toks[n])
            if after is None or after.kind == Kind.PUNCT or after.lower in _AFTER_AGENT or told:
                # "summit stairlifts this is tiernan the tech needs ...": the agent goes on
                found.append(self._finding(n, last, 0.75))
        return found

    def greeting_words_lost(self) -> list[Finding]:
        """ "silver ribbon hortense here", "meridian billing marisabel whos the patient",
        "muddy boots farm this hyacinth ready for ...", "hi this birgitta i wanna ...": a
        greeting whose "this is" the recogniser lost, or half of it. The company's name
        (or, before "this", a greeting), a word that can hardly be anything but a name,
        then what the speaker says next."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, min(self.stop, self.first + COMPANY_NAME_WORDS + 2)):
            surname = self._surname_after(k)
            # "hi this rosheen mcgrath my mom ...": two words English hardly uses but as
            # names, right after "this"
            rare_pair = surname and toks[k - 1].lower == "this" and self._rare_lower(k)
            # "tidy haven crew this nico here": a short rare word, placed as only a name is
            here = (
                toks[k - 1].lower == "this"
                and k + 1 < self.stop
                and toks[k + 1].lower == "here"
                and self._rare_lower(k)
            )
            # "brightmark talent this nuno", "jury services this nkem whos callin": a short
            # rare word ending the greeting, or before what an agent asks
            closes = self._ends_line(k) or (
                k + 1 < self.stop and toks[k + 1].lower in AFTER_OWN_NAME
            )
            last_word = toks[k - 1].lower == "this" and closes and self._rare_lower(k)
            if not (sure_name(toks[k]) or here or last_word) and not (
                (given_name(toks[k].lower) or rare_pair) and surname
            ):
                continue  # "hi this dawn mayberry i need ...": a name that is a word too
            j = k - 1
            while j > self.first and toks[j].kind == Kind.PUNCT:
                j -= 1
            this = toks[j].lower == "this"
            if this:
                opened = (
                    self._clause_start(j) or self._welcomed_before(j) or self._company_before(j)
                )
            else:
                # "harlan n voss whats ...": a word joined on is the company's own
                opened = toks[k - 1].lower not in _JOINING and self._company_before(k)
            if not opened:
                continue
            last = hyphenated(toks, k, self.stop)
            if this and surname:
                last = hyphenated(toks, last + 1, self.stop)  # "hi this laszlo szabo im ..."
            after = toks[last + 1] if last + 1 < self.stop else None
            if after is None or after.kind == Kind.PUNCT:
                # "muddy boots farm this hyacinth.", but "Metro Impound, Lot 3": without
                # "this", only what the agent says next tells a name from the company's
                ends = this
            else:
                known = given_name(toks[k].lower) and toks[k].lower not in AMBIGUOUS_GIVEN
                if not this and not known and after.lower in _OFFERS_HELP:
                    continue  # "pine hollow podiatry how can i help": the firm's last word
                ends = (
                    after.lower in (_GOES_ON_AFTER_THIS if this else AFTER_OWN_NAME)
                    or (this and after.lower in HESITATIONS)  # "hi this oriol vidal um ..."
                    or (this and surname and after.lower in _AFTER_WHOLE_NAME)
                    or (this and known and after.lower in _AFTER_GIVEN_NAME)
                )
            if ends:
                found.append(self._finding(k, last, 0.7))
        return found

    def _ends_line(self, k: int) -> bool:
        """Nothing but punctuation follows token k in its line."""
        return all(tok.kind == Kind.PUNCT for tok in self.toks[k + 1 : self.stop])

    def _surname_after(self, k: int) -> bool:
        """The word after token k is a surname: lower case, and one English hardly uses
        but as a name ("szabo", "lachapelle", "mayberry")."""
        j = hyphenated(self.toks, k, self.stop) + 1
        return j < self.stop and self._rare_lower(j)

    def _rare_lower(self, j: int) -> bool:
        tok = self.toks[j]
        return (
            tok.text.islower()
            and nameable(tok)
            and rare_word(tok.lower)
            and not dropped_g(tok.lower)
        )

    def _past_hesitations(self, k: int) -> int:
        while k < self.stop and self.toks[k].lower in HESITATIONS:
            k += 1
        return k

    def speaking_after_company(self) -> list[Finding]:
        """ "Harbor Point Marina, Ottoline speaking", "greenleaf tutoring uh benedikt
        speaking": a greeting that names the company, then the agent's name and "speaking"."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop - 1):
            if toks[k + 1].lower not in _SPEAKING or not nameable(toks[k]):
                continue
            after = toks[k + 2] if k + 2 < self.stop else None
            if after is not None and after.kind != Kind.PUNCT and after.lower not in _OFFERING:
                continue  # "... speaking to", "... speaking with": not a greeting's end
            first = k
            if nameable(toks[k - 1]) and given_name(toks[k - 1].lower):
                first = k - 1  # "acme, mary ellen speaking"
            j = first - 1
            while j >= self.first and (toks[j].kind == Kind.PUNCT or toks[j].lower in HESITATIONS):
                j -= 1
            if j < self.first:
                continue
            introduced = toks[j].lower in ("this", "is", "i'm")  # "this desiree speaking"
            # "Events at The Glasshouse, Amara speaking.": a greeting's last words
            closing = toks[first - 1].text == "," and (after is None or after.kind == Kind.PUNCT)
            named_company = self._company_before(j + 1, joined=True)
            if introduced or (closing and name_like(toks[first])) or named_company:
                found.append(self._finding(first, k, 0.75))
        return found

    def from_somewhere(self) -> list[Finding]:
        """ "hi this is torvald from maplecrest insurance", "this is uh roz with the
        business office", "hi i'm brianna at the front desk": a self-introduction at the
        start of a line, the speaker's name and where they are."""
        toks = self.toks
        for k in range(self.first, self.stop - 2):
            if toks[k].lower == "this" and toks[k + 1].lower == "is":
                n = self._past_hesitations(k + 2)
            elif toks[k].lower in ("i'm", "im"):
                n = self._past_hesitations(k + 1)
            else:
                continue
            if not (self._clause_start(k) or self._welcomed_before(k) or self._acknowledged(k)):
                return []
            if n >= self.stop or not nameable(toks[n]):
                return []
            w = toks[n].lower
            if (
                w in CUE_WORDS
                or w in DEPARTMENTS  # "this is um dispatch at kessler transport"
                or w.endswith(("ly", "ing"))
                or dropped_g(w)  # "im callin for my neighbor"
                or (w.endswith(DESCRIBING_ENDINGS) and not given_name(w))
            ):
                return []
            if toks[k].lower in ("i'm", "im") and not name_like(toks[n]):
                return []  # "i'm happy with ...": how the speaker is, not who
            last = hyphenated(toks, n, self.stop)
            surname = last + 1 < self.stop and nameable(toks[last + 1])
            if surname and last + 2 < self.stop and self._where(last + 2):
                last += 1  # "this is anders holm from ..."
            if last + 1 < self.stop and self._where(last + 1):
                return [self._finding(n, last, 0.7)]
            said_surname = toks[last + 1] if surname else None
            if (
                said_surname is not None
                and (given_name(said_surname.lower) or rare_word(said_surname.lower))
                and self._intro_ends(last + 2)
            ):
                last += 1  # "oh great this is bartholomew quaye"
            if self._intro_ends(last + 1) and name_like(toks[n]):
                return [self._finding(n, last, 0.7)]  # "hi this is uh cort"
            return []
        return []

    def asked_for(self) -> list[Finding]:
        """ "calling for thaddeus um brockington", "may i speak with rosalind": the person
        an agent asks for, given name and surname (each its own finding when a hesitation
        falls between them)."""
        toks = self.toks
        found: list[Finding] = []
        for k in range(self.first, self.stop - 2):
            if (toks[k].lower, toks[k + 1].lower) not in _ASKING_FOR:
                continue
            n = self._past_hesitations(k + 2)
            if n >= self.stop or not nameable(toks[n]) or not name_like(toks[n]):
                continue
            names = [(n, hyphenated(toks, n, self.stop))]
            m = self._past_hesitations(names[-1][1] + 1)
            if m < self.stop and nameable(toks[m]) and name_like(toks[m]):
                names.append((m, hyphenated(toks, m, self.stop)))
            after = names[-1][1] + 1
            if after < self.stop and toks[after].kind != Kind.PUNCT:
                if toks[after].lower not in AFTER_NAME | _WHY:
                    continue  # "calling for verizon billing": no one's name
            if len(names) == 2 and names[1][0] == names[0][1] + 1:
                found.append(self._finding(names[0][0], names[1][1], 0.7))
            else:
                found += [self._finding(first, last, 0.7) for first, last in names]
        return found

    def _intro_ends(self, k: int) -> bool:
        """After a self-introduction's name at k: the end, an offer of help, or what the
        speaker gives next ("im henrike vos social is ...")."""
        if k >= self.stop or self.toks[k].kind == Kind.PUNCT:
            return True
        return self.toks[k].lower in _OFFERING or self.toks[k].lower in CUE_WORDS

    def _acknowledged(self, k: int) -> bool:
        """Only openers and thanks come before token k: "oh great this is ...", "sorry
        this is ... again"."""
        return all(
            t.kind == Kind.PUNCT or t.lower in OPENERS or t.lower in _ACKNOWLEDGING
            for t in self.toks[self.first : k]
        )

    def _welcomed_before(self, k: int) -> bool:
        """The line welcomes the caller before token k: "thank you for calling, i'm ..."."""
        words = " ".join(t.lower for t in self.toks[self.first : k])
        return any(g in words for g in _WELCOMES)

    def _where(self, k: int) -> bool:
        """Token k says where a speaker who just gave their name is: "from ...", "with the
        ...", "at the front desk", "on the claims team" (not "with you", "at all")."""
        toks = self.toks
        if toks[k].lower == "from":
            return True
        if toks[k].lower not in ("with", "at", "on") or k + 1 >= self.stop:
            return False
        nxt = toks[k + 1]
        return nxt.kind == Kind.WORD and nxt.lower not in _NOT_PLACES

    def _company_before(self, k: int, *, joined: bool = False) -> bool:
        """The line opens with a company's name, then "this is" at k: a few words, none of
        them a pronoun, article or the like, and two or more, or one that names a business
        or is no everyday word ("keystone student lending this is ...", "harborline
        claims, this is ...", "skyvista this is ..."). `joined`: before "<name> speaking",
        which only a greeting ends with, the name may join words ("hearth and home
        chimney", "straight a driving")."""
        named = [
            t.lower
            for t in self.toks[self.first : k]
            if t.kind != Kind.PUNCT and t.lower not in GREETINGS
        ]
        allowed = _JOINING if joined else _JOINING_BEFORE_THIS_IS
        if not named or len(named) > COMPANY_NAME_WORDS:
            return False
        if any(w in FUNCTION_WORDS and w not in allowed for w in named):
            return False
        named = [w for w in named if w not in allowed]  # "and the person speaking": none
        if not named:
            return False
        # one word: a business's ("claims"), or none of the language's ("skyvista")
        if len(named) >= 2 or named[0] in ORG_WORDS:
            return True
        word = named[0]  # an adverb ("honestly this is ...") names no business
        return word not in NOT_NAMES and not word.endswith("ly")

    def reached(self) -> list[Finding]:
        """ "you've reached devon at northwind mobile", "you've reached Mei-Ling at
        Crestview Bank": the agent's name, then where."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            if toks[k].lower != "reached" or not nameable(toks[k + 1]):
                continue
            end = hyphenated(toks, k + 1, self.stop)
            if end + 2 < self.stop and nameable(toks[end + 1]) and toks[end + 2].lower in _AT:
                end += 1  # "reached devon lee at ..."
            if any(t.lower in ORG_WORDS for t in toks[k + 1 : end + 1]):
                continue  # "you have reached roadside assistance at ..."
            if end + 1 < self.stop and toks[end + 1].lower in _AT:
                found.append(self._finding(k + 1, end, 0.7))
        return found


def find_intros(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """Every name found by where it stands, caller-side and agent-side, in tokens
    first..stop-1."""
    intros = Greetings(toks, first, stop)
    return (
        intros.by_position()
        + intros.addressed()
        + intros.spelled_word()
        + intros.reached()
        + intros.kin()
        + self_described(toks, first, stop)
        + named_with_what_they_are(toks, first, stop)
        + named_beside_a_role(toks, first, stop)
        + named_after_what_they_are(toks, first, stop)
        + intros.in_department()
        + intros.greeted_by_agent()
        + intros.greeting_words_lost()
        + intros.spelling_hinted()
        + intros.speaking_after_company()
        + intros.from_somewhere()
        + intros.asked_for()
        + intros.claimed()
        + find_mentions(toks, first, stop)
        + named_as_subject(toks, first, stop)
    )
