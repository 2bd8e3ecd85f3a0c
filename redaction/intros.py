"""Names found by where they stand, in lower-case ASR text the tagger does not mark:

* self-introductions by position: "hey there, eileen here", "hi tyrone robinson here",
  "eileen with clearpath support" (a greeting's name, then "here" or an organisation);
* a name addressed at the start of a line: "alright olusegun, i see two lines";
* a word followed by its own spelling: "Mehta, M E H T A";
* given names that are also everyday words ("Bill", "June", "Grace") after an
  introduction.
"""

from __future__ import annotations

from redaction.lexicon import COMMON_WORDS, FIRST_NAMES, FUNCTION_WORDS, STREET_SUFFIXES
from redaction.model import EntityType, Finding
from redaction.spoken import NUMBER_WORDS, Kind, Token
from redaction.tokens import MEASURE_WORDS

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
    retention""".split()
)
_SELF = frozenset({"here", "speaking"})
# After "you've reached <name>": where the name works.
_AT = frozenset({"at", "with", "from", "over", "in"})
# Greetings that make "<word> here" a self-introduction whatever the word.
_GREETINGS = frozenset("hey hi hello yeah yes morning afternoon evening there".split())
# What may follow "<name> here": the end, or a new clause.
_AFTER_SELF = frozenset(
    """i i'll i'm i've we we'll how what and calling from with to speaking just""".split()
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
            if tok.kind == Kind.PUNCT or tok.lower in OPENERS:
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
        """ "alright olusegun, ...": an opener, one word, a comma, at the start of a line."""
        toks = self.toks
        k = self.first
        opened = False
        while k < self.stop and toks[k].lower in _ADDRESS_OPENERS:
            opened = True
            k += 1
        if not opened or k + 1 >= self.stop or toks[k + 1].text != ",":
            return []
        tok = toks[k]
        if not _nameable(tok) or tok.lower.endswith(("ly", "ing")):
            return []
        return [self._finding(k, k, 0.6)]

    def spelled_word(self) -> list[Finding]:
        """A word whose spelling is said in the conversation: "Mehta, M E H T A", "it's
        emily nakamura, that's n, a, k, a, m, u, r, a", "May Robinson, first name is M A
        Y". Only a name is spelled out letter by letter on a call."""
        toks = self.toks
        spellings = _spellings(toks)
        found = []
        for k in range(self.first, self.stop):
            tok = toks[k]
            if tok.kind == Kind.WORD and len(tok.text) >= 3 and tok.lower in spellings:
                found.append(self._finding(k, k, 0.85))
        return found

    def reached(self) -> list[Finding]:
        """ "you've reached devon at northwind mobile": the agent's name, then where."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            if toks[k].lower != "reached" or not _nameable(toks[k + 1]):
                continue
            end = k + 1
            if end + 2 < self.stop and _nameable(toks[end + 1]) and toks[end + 2].lower in _AT:
                end += 1  # "reached devon lee at ..."
            if toks[end + 1].lower in _AT:
                found.append(self._finding(k + 1, end, 0.7))
        return found

    def _finding(self, first: int, last: int, score: float) -> Finding:
        return Finding(EntityType.PERSON, self.toks[first].start, self.toks[last].end, score)


def _spellings(toks: list[Token]) -> frozenset[str]:
    """Every word spelled out letter by letter anywhere in the tokens ("n, a, k, a")."""
    words = set()
    letters: list[str] = []
    for tok in (*toks, None):
        if tok is not None and tok.kind == Kind.WORD and len(tok.text) == 1 and tok.text.isalpha():
            letters.append(tok.lower)
            continue
        if tok is not None and tok.kind == Kind.PUNCT and tok.text in ",.-" and letters:
            continue
        if len(letters) >= 3:
            words.add("".join(letters))
        letters = []
    return frozenset(words)


def find_intros(toks: list[Token], first: int, stop: int) -> list[Finding]:
    intros = Intros(toks, first, stop)
    return intros.by_position() + intros.addressed() + intros.spelled_word() + intros.reached()


def given_name(word: str) -> bool:
    return word in FIRST_NAMES or word in AMBIGUOUS_GIVEN
