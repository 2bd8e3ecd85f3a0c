"""Names found by where they stand, in lower-case ASR text the tagger does not mark:

* self-introductions by position: "hey there, eileen here", "hi tyrone robinson here",
  "eileen with clearpath support" (a greeting's name, then "here" or an organisation);
* a name addressed at the start of a line: "alright olusegun, i see two lines";
* a word followed by its own spelling: "Mehta, M E H T A";
* given names that are also everyday words ("Bill", "June", "Grace") after an
  introduction.
"""

from __future__ import annotations

import unicodedata

from redaction.context import cue_words
from redaction.lexicon import COMMON_WORDS, FIRST_NAMES, FUNCTION_WORDS, STREET_SUFFIXES, everyday
from redaction.model import EntityType, Finding
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import HESITATIONS, MEASURE_WORDS

# Given names that are also everyday words: a name only where a name is expected.
AMBIGUOUS_GIVEN = frozenset(
    """bill june april may mark will grace hope faith joy rose jack frank sue pat art dawn
    summer autumn amber ruby penny jean max ray rich chase hunter dean drew gene lane wade
    bob sandy crystal ginger iris violet daisy rob sky august jay kelly""".split()
)
# Words said at the start of a line before a name: "hey there", "yeah", "hi".
OPENERS = frozenset(
    """hey there hi hello yeah yes yep so okay ok alright right well oh um uh morning
    afternoon evening good""".split()
)
# Said before a name addressed to someone: "alright olusegun, ...".
_ADDRESS_OPENERS = frozenset(
    """alright okay ok thanks thank you great perfect sure hi hello hey right wonderful""".split()
)
# Not names, though they stand where one could.
_NOT_NAMES = (
    COMMON_WORDS
    | NUMBER_WORDS
    | STREET_SUFFIXES
    | MEASURE_WORDS
    | frozenset(
        """everyone everybody someone somebody anyone anybody nobody people folks guys
        y'all all staff stuff team cool sweet nice wow gotcha understood noted lovely
        brilliant excellent super done nope sounds looks seems again anyway also though
        honestly basically actually listen look see wait hmm mm mhm bye goodbye cheers
        yup ya much""".split()
    )
)
# Words that say an organisation follows "<name> with" / "<name> from".
_ORG_WORDS = frozenset(
    """support service services team billing care department desk help helpdesk sales
    customer wireless mobile bank energy insurance health tech technical accounts
    retention assistance roadside claims reservations bookings""".split()
)
_SELF = frozenset({"here", "speaking", "calling"})
# After "<name> with" / "at" / "on", words that say it is no place of work.
_NOT_PLACES = FUNCTION_WORDS - frozenset({"the", "a", "an", "our", "your"}) | frozenset(
    "all least last home work".split()
)
# "hey it's dimitrios calling back", "hi this is ana here": said before a self-introduction.
_SELF_OPENERS = frozenset({"it's", "its", "this", "is"})
_CUE_WORDS = cue_words()
# What may start the clause after a name said in passing ("thanks grant i see").
_CLAUSE = frozenset(
    """i i'm i'll i've and so we we'll let let's now just for you your that's it's one can
    how what is are i'd what's how's""".split()
)
# Verbs said after "my son", "my sister" that the suffix test (-s, -ed, -ing) misses; the
# tagger is no help here, as it tags unknown lower-case names as verbs too.
_VERBS = frozenset(
    """use need want get got go went have had make made take took call pay paid like love
    live work help lose lost find found break broke buy bought give gave leave left come
    came try put keep kept tell told say said know knew think thought see saw run ran
    drive drove sign do did can will would could should might must just also""".split()
)
# What follows a relative's name: "my son jaylen his birthday", "my wife maria she".
_AFTER_NAME = _CLAUSE | frozenset(
    "his her he she who he's she's hes shes was has had will at in from on".split()
)
# How English nouns end and names rarely do.
_NOUN_ENDINGS = ("ment", "tion", "sion", "ness", "ance", "ence", "ship", "ity", "ism")
# Said after thanks, but no one's name.
_NOT_ADDRESSED = frozenset("man buddy dude mate sir ma'am love dear honey hon both".split())
# Relatives a caller names: "my daughter hope".
KIN = frozenset(
    """wife husband son daughter mother father mom dad brother sister partner spouse
    grandmother grandfather grandma grandpa grandson granddaughter aunt uncle niece nephew
    boyfriend girlfriend fiance fiancee fiancé fiancée kid child neighbor neighbour friend
    roommate landlord landlady tenant caregiver coworker boss""".split()
)
# Endings of words that describe rather than name ("important", "serious", "helpful").
_DESCRIBING = (
    "ant",
    "ent",
    "ous",
    "ive",
    "ful",
    "able",
    "ible",
    "al",
    "ic",
    "ing",
    "ed",
    "ly",
    "ary",
    "less",
)
# After "you've reached <name>": where the name works.
_AT = frozenset({"at", "with", "from", "over", "in"})
# What may follow the agent's name in a greeting: "this is hope speaking", "this is art
# to verify ...", "this is summer do you want ...".
_AFTER_AGENT = _CLAUSE | _SELF | frozenset({"do", "to", "may", "who", "please", "with", "from"})
# After the agent's name, the agent offers help: "this is grant can i ...", "this is
# vincent speaking", whatever the name could also describe.
_OFFERING = _SELF | frozenset({"can", "how", "may", "who", "what", "what's", "how's"})
# Said before the name of the person a caller asks for.
_ASKING_FOR = frozenset(
    {("calling", "for"), ("speak", "to"), ("speak", "with"), ("message", "for"), ("is", "this")}
)
# What may follow the name of the person asked for: why they are asked for.
_WHY = frozenset({"about", "regarding", "please", "to"})
# Said by an agent answering a call, before the agent's name.
_WELCOMES = ("for calling", "welcome to", "you've reached", "you reached")
# The most words of a company's name said before "this is" in a greeting.
COMPANY_NAME_WORDS = 6
# Greetings that make "<word> here" a self-introduction whatever the word.
_GREETINGS = frozenset("hey hi hello yeah yes morning afternoon evening there".split())
# What may follow "<name> here": the end, or a new clause.
_AFTER_SELF = frozenset(
    """i i'll i'm i've we we'll how what and calling from with to speaking just back about
    regarding for""".split()
)


def _nameable(tok: Token) -> bool:
    w = tok.lower.replace("’", "'")
    if tok.kind != Kind.WORD or len(w) < 2 or not w.isalpha():
        return False
    return w in AMBIGUOUS_GIVEN or (w not in _NOT_NAMES and w not in FUNCTION_WORDS)


class Intros:
    def __init__(self, toks: list[Token], first: int, stop: int):
        self.toks = toks
        self.first = first
        self.stop = stop

    def _clause_start(self, k: int) -> bool:
        """Token k starts the line, or follows only openers and punctuation."""
        j = k - 1
        while j >= self.first:
            tok = self.toks[j]
            if tok.kind == Kind.PUNCT or tok.lower in OPENERS or tok.lower in _SELF_OPENERS:
                j -= 1
                continue
            return False
        return True

    def _self_intro(self, k: int, here: int) -> bool:
        """ "<name> here" ends the clause, after a greeting or with a known given name."""
        after = here + 1
        if after < self.stop:
            tok = self.toks[after]
            if tok.kind != Kind.PUNCT and tok.lower.replace("’", "'") not in _AFTER_SELF:
                return False
        greeted = any(self.toks[j].lower in _GREETINGS for j in range(self.first, k))
        return greeted or given_name(self.toks[k].lower)

    def by_position(self) -> list[Finding]:
        found = []
        toks = self.toks
        for k in range(self.first, self.stop):
            if not _nameable(toks[k]) or not self._clause_start(k):
                continue
            end = k
            if k + 1 < self.stop and _nameable(toks[k + 1]):
                end = k + 1  # "tyrone robinson here"
            nxt = end + 1
            if nxt < self.stop and toks[nxt].text == ",":
                nxt += 1
            if nxt < self.stop and toks[nxt].lower in _SELF and self._self_intro(k, nxt):
                found.append(self._finding(k, end, 0.75))
            elif end == k and nxt < self.stop and toks[nxt].lower in ("with", "from"):
                window = toks[nxt + 1 : min(self.stop, nxt + 7)]
                if any(t.lower in _ORG_WORDS for t in window):
                    found.append(self._finding(k, k, 0.7))
            break  # only the first word of the clause can be the name
        return found

    def addressed(self) -> list[Finding]:
        """ "alright olusegun, ...", "thanks grant i see ...", "thank you jade": a name
        addressed at the start of a line, after an opener and before a comma, or after
        thanks and before a new clause."""
        toks = self.toks
        k = self.first
        opened = thanked = False
        while k < self.stop and toks[k].lower in _ADDRESS_OPENERS:
            if toks[k].lower == "you" and not thanked:
                return []  # "you qualify for ...": "you" opens only as "thank you"
            opened = True
            thanked = thanked or toks[k].lower in ("thanks", "thank")
            k += 1
        if not opened or k >= self.stop:
            return []
        tok = toks[k]
        if not _nameable(tok) or tok.lower.endswith(("ly", "ing")) or tok.lower in _NOT_ADDRESSED:
            return []
        if tok.lower in _CUE_WORDS:
            return []  # "thank you, expiration and cvv": what is asked for next
        last = hyphenated(toks, k, self.stop)
        after = toks[last + 1] if last + 1 < self.stop else None
        if after is not None and after.text == ",":
            return [self._finding(k, last, 0.6)]
        if after is not None and _nameable(after) and after.lower not in _CLAUSE:
            surname = hyphenated(toks, last + 1, self.stop)  # "thank you thanh nguyen i see"
            following = toks[surname + 1] if surname + 1 < self.stop else None
            if following is None or following.kind == Kind.PUNCT or following.lower in _CLAUSE:
                return [self._finding(k, surname, 0.6)]
            return []
        if thanked and (after is None or after.kind == Kind.PUNCT or after.lower in _CLAUSE):
            return [self._finding(k, last, 0.6)]
        if after is not None and after.lower in _CLAUSE and name_like(tok):
            return [self._finding(k, last, 0.6)]  # "okay bogdan what's the issue"
        introducing = last + 2 < self.stop and toks[last + 2].lower == "is"
        if after is not None and after.lower == "this" and introducing and name_like(tok):
            return [self._finding(k, last, 0.6)]  # "hey cort this is reggie"
        return []

    def kin(self) -> list[Finding]:
        """ "my daughter hope", "under my wife's name faith", "my son is called eli": the
        name of a relative the caller adds or speaks for."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 1):
            raw = toks[k].lower.replace("’", "'")
            if raw[:-1] in KIN and raw.endswith("s") and toks[k + 1].lower == "name":
                raw = raw[:-1] + "'s"  # "my wifes name": the apostrophe not written
            word = raw.removesuffix("'s")
            if word not in KIN or k == 0 or toks[k - 1].lower not in ("my", "our", "his", "her"):
                continue
            j = k + 1
            if raw.endswith("'s") and (j >= self.stop or toks[j].lower != "name"):
                continue  # "my son's bill": the relative's thing, not their name
            named = False
            while j < self.stop and toks[j].lower in ("name", "is", "named", "called", "'s", ","):
                named = True
                j += 1
            if j >= self.stop or not _nameable(toks[j]):
                continue
            w = toks[j].lower
            if not named and toks[j].lower in _VERBS:
                continue  # "can my sister use one": a verb
            named_as = {t.lower for t in toks[k + 1 : j]}
            if named_as <= {"is", ","} and named_as and not name_like(toks[j]):
                continue  # "my mother is moving": what the relative does, not a name
            if not named and not given_name(w) and w.endswith(_NOUN_ENDINGS):
                continue  # "my daughter appointment": the recogniser lost "'s"
            if (
                named
                or given_name(w)
                or self._ends_clause(j)
                or (toks[j].text[:1].isupper() and w not in _NOT_NAMES)
            ):
                last = hyphenated(toks, j, self.stop)
                nxt = last + 1
                if (
                    nxt < self.stop
                    and _nameable(toks[nxt])
                    and (toks[nxt].text[:1].isupper() == toks[j].text[:1].isupper())
                ):
                    last = hyphenated(toks, nxt, self.stop)  # "Jae-won Choi"
                found.append(self._finding(j, last, 0.7))
        return found

    def _ends_clause(self, j: int) -> bool:
        """One or two nameable words at j, then the end, a pause or a new clause: "my son
        jaylen his birthday is ...", "her grandfather tariq hussain his number is"."""
        toks = self.toks
        if toks[j].lower.endswith(("s", "ed", "ing")):
            return False  # "my son uses his phone", "my son plays fortnite": a verb
        k = hyphenated(toks, j, self.stop) + 1
        if k < self.stop and _nameable(toks[k]):
            k = hyphenated(toks, k, self.stop) + 1
        return k >= self.stop or toks[k].kind == Kind.PUNCT or toks[k].lower in _AFTER_NAME

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
            if n >= self.stop or not (_nameable(toks[n]) or given_name(toks[n].lower)):
                continue  # "this is grant": a name in a greeting, though a word too
            w = toks[n].lower
            last = hyphenated(toks, n, self.stop)
            after = toks[last + 1] if last + 1 < self.stop else None
            offering = after is None or after.kind == Kind.PUNCT or after.lower in _OFFERING
            if not given_name(w) and w.endswith(_DESCRIBING) and not offering:
                continue  # "this is important to ...": a description, not a name
            if after is None or after.kind == Kind.PUNCT or after.lower in _AFTER_AGENT:
                found.append(self._finding(n, last, 0.75))
        return found

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
            if toks[k + 1].lower != "speaking" or not _nameable(toks[k]):
                continue
            after = toks[k + 2] if k + 2 < self.stop else None
            if after is not None and after.kind != Kind.PUNCT and after.lower not in _OFFERING:
                continue  # "... speaking to", "... speaking with": not a greeting's end
            first = k
            if _nameable(toks[k - 1]) and given_name(toks[k - 1].lower):
                first = k - 1  # "acme, mary ellen speaking"
            j = first - 1
            while j >= self.first and (toks[j].kind == Kind.PUNCT or toks[j].lower in HESITATIONS):
                j -= 1
            if j < self.first:
                continue
            introduced = toks[j].lower in ("this", "is", "i'm")  # "this desiree speaking"
            # "Events at The Glasshouse, Amara speaking.": a greeting's last words
            closing = toks[first - 1].text == "," and (after is None or after.kind == Kind.PUNCT)
            if introduced or (closing and name_like(toks[first])) or self._company_before(j + 1):
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
            elif toks[k].lower == "i'm":
                n = self._past_hesitations(k + 1)
            else:
                continue
            if not (self._clause_start(k) or self._welcomed_before(k)):
                return []
            if n >= self.stop or not _nameable(toks[n]):
                return []
            w = toks[n].lower
            if (
                w in _CUE_WORDS
                or w.endswith(("ly", "ing"))
                or (w.endswith(_DESCRIBING) and not given_name(w))
            ):
                return []
            if toks[k].lower == "i'm" and not name_like(toks[n]):
                return []  # "i'm happy with ...": how the speaker is, not who
            last = hyphenated(toks, n, self.stop)
            surname = last + 1 < self.stop and _nameable(toks[last + 1])
            if surname and last + 2 < self.stop and self._where(last + 2):
                last += 1  # "this is anders holm from ..."
            if last + 1 < self.stop and self._where(last + 1):
                return [self._finding(n, last, 0.7)]
            ends = (
                last + 1 >= self.stop
                or toks[last + 1].kind == Kind.PUNCT
                or toks[last + 1].lower in _OFFERING
            )
            if ends and name_like(toks[n]):
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
            if n >= self.stop or not _nameable(toks[n]) or not name_like(toks[n]):
                continue
            names = [(n, hyphenated(toks, n, self.stop))]
            m = self._past_hesitations(names[-1][1] + 1)
            if m < self.stop and _nameable(toks[m]) and name_like(toks[m]):
                names.append((m, hyphenated(toks, m, self.stop)))
            after = names[-1][1] + 1
            if after < self.stop and toks[after].kind != Kind.PUNCT:
                if toks[after].lower not in _AFTER_NAME | _WHY:
                    continue  # "calling for verizon billing": no one's name
            if len(names) == 2 and names[1][0] == names[0][1] + 1:
                found.append(self._finding(names[0][0], names[1][1], 0.7))
            else:
                found += [self._finding(first, last, 0.7) for first, last in names]
        return found

    def claimed(self) -> list[Finding]:
        """ "yes rakesh venkatraman that's my name": a name the speaker then says is theirs,
        one to three words at the start of the clause."""
        toks = self.toks
        for k in range(self.first + 1, self.stop - 2):
            if toks[k].lower not in ("that's", "that") or toks[k + 1].lower not in ("my", "is"):
                continue
            tail = [t.lower for t in toks[k + 1 : k + 4]]
            if tail[:2] != ["my", "name"] and tail != ["is", "my", "name"]:
                continue
            j = k - 1
            while j >= self.first and toks[j].kind == Kind.PUNCT:
                j -= 1
            first = j
            while first >= self.first and k - first <= 3 and _nameable(toks[first]):
                first -= 1
            first += 1
            if first <= j and self._clause_start(first) and name_like(toks[first]):
                return [self._finding(first, j, 0.7)]
        return []

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

    def _company_before(self, k: int) -> bool:
        """The line opens with a company's name, then "this is" at k: a few words, none of
        them a pronoun, article or the like, and two or more, or one that names a business
        or is no everyday word ("keystone student lending this is ...", "harborline
        claims, this is ...", "skyvista this is ...")."""
        named = [
            t.lower
            for t in self.toks[self.first : k]
            if t.kind != Kind.PUNCT and t.lower not in _GREETINGS
        ]
        if not named or len(named) > COMPANY_NAME_WORDS or any(w in FUNCTION_WORDS for w in named):
            return False
        # one word: a business's ("claims"), or none of the language's ("skyvista")
        if len(named) >= 2 or named[0] in _ORG_WORDS:
            return True
        word = named[0]  # an adverb ("honestly this is ...") names no business
        return word not in _NOT_NAMES and not word.endswith("ly")

    def spelled_word(self) -> list[Finding]:
        """A word whose spelling is said in the conversation: "Mehta, M E H T A", "it's
        emily nakamura, that's n, a, k, a, m, u, r, a", "May Robinson, first name is M A
        Y". Only a name is spelled out letter by letter on a call; a word straight after
        a given name and its spelling is the surname ("siobhan s i o b h a n mcgrath")."""
        toks = self.toks
        spellings = _spellings(toks)
        found = []
        for k in range(self.first, self.stop):
            tok = toks[k]
            if tok.kind != Kind.WORD or len(tok.text) < 3:
                continue
            plain = _plain(tok.lower)  # "gonçalves" spelled "g o n c a l v e s"
            if plain not in spellings:
                continue
            found.append(self._finding(k, k, 0.85))
            for first, last in spellings[plain]:
                nxt = last + 1
                if first == k + 1 and nxt < self.stop and _nameable(toks[nxt]):
                    found.append(self._finding(nxt, hyphenated(toks, nxt, self.stop), 0.7))
                if first == k + 2 and _nameable(toks[k + 1]):
                    # "thanh nguyen t h a n h": the surname between the name and its spelling
                    found.append(self._finding(k + 1, k + 1, 0.7))
        return found

    def spelling_hinted(self) -> list[Finding]:
        """ "schmitt double t", "erik with a k": a word said with a hint at its spelling
        is a name (no one spells everyday words on a call)."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            if not _nameable(toks[k]) or len(toks[k].text) < 3:
                continue
            hint = [t.lower for t in toks[k + 1 : min(self.stop, k + 4)]]
            letter = next((w for w in hint[1:] if len(w) == 1 and w.isalpha()), None)
            if letter is None:
                continue
            doubled = hint[0] == "double" and hint[1] == letter
            spelled = hint[0] == "with" and hint[1] in ("a", "an", "two") and letter != "a"
            if (doubled or spelled) and letter in toks[k].lower:
                found.append(self._finding(k, k, 0.7))
        return found

    def reached(self) -> list[Finding]:
        """ "you've reached devon at northwind mobile", "you've reached Mei-Ling at
        Crestview Bank": the agent's name, then where."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            if toks[k].lower != "reached" or not _nameable(toks[k + 1]):
                continue
            end = hyphenated(toks, k + 1, self.stop)
            if end + 2 < self.stop and _nameable(toks[end + 1]) and toks[end + 2].lower in _AT:
                end += 1  # "reached devon lee at ..."
            if any(t.lower in _ORG_WORDS for t in toks[k + 1 : end + 1]):
                continue  # "you have reached roadside assistance at ..."
            if end + 1 < self.stop and toks[end + 1].lower in _AT:
                found.append(self._finding(k + 1, end, 0.7))
        return found

    def _finding(self, first: int, last: int, score: float) -> Finding:
        return Finding(EntityType.PERSON, self.toks[first].start, self.toks[last].end, score)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _spellings(toks: list[Token]) -> dict[str, list[tuple[int, int]]]:
    """Every word spelled out letter by letter anywhere in the tokens ("n, a, k, a"), with
    the first and last token of each spelling."""
    words: dict[str, list[tuple[int, int]]] = {}
    letters: list[str] = []
    first = last = 0
    for k, tok in enumerate((*toks, None)):
        if tok is not None and tok.kind == Kind.WORD and len(tok.text) == 1 and tok.text.isalpha():
            if not letters:
                first = k
            letters.append(tok.lower)
            last = k
            continue
        if tok is not None and tok.kind == Kind.PUNCT and tok.text in ",.-" and letters:
            continue
        if len(letters) >= 3:
            words.setdefault("".join(letters), []).append((first, last))
        letters = []
    return words


def hyphenated(toks: list[Token], k: int, stop: int) -> int:
    """The last token of the word at k with what is hyphenated to it ("Mei-Ling")."""
    while (
        k + 2 < stop
        and toks[k + 1].text == "-"
        and toks[k + 1].start == toks[k].end
        and toks[k + 2].start == toks[k + 1].end
        and toks[k + 2].kind == Kind.WORD
    ):
        k += 2
    return k


def find_intros(toks: list[Token], first: int, stop: int) -> list[Finding]:
    intros = Intros(toks, first, stop)
    return (
        intros.by_position()
        + intros.addressed()
        + intros.spelled_word()
        + intros.reached()
        + intros.kin()
        + intros.greeted_by_agent()
        + intros.spelling_hinted()
        + intros.speaking_after_company()
        + intros.from_somewhere()
        + intros.asked_for()
        + intros.claimed()
    )


def given_name(word: str) -> bool:
    return word in FIRST_NAMES or word in AMBIGUOUS_GIVEN


def name_like(tok: Token) -> bool:
    """A known given name, a capitalised word, or a word English hardly uses otherwise
    ("olumide", "brianna"): what a name said where one is expected looks like."""
    w = tok.lower
    return (
        given_name(w) or tok.text[:1].isupper() or (len(w) >= 3 and w.isalpha() and not everyday(w))
    )
