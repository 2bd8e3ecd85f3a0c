"""Names found by where they stand, in lower-case ASR text the tagger does not mark:

* self-introductions by position: "hey there, eileen here", "hi tyrone robinson here",
  "eileen with clearpath support" (a greeting's name, then "here" or an organisation);
* a name addressed at the start of a line: "alright olusegun, i see two lines";
* a word followed by its own spelling: "Mehta, M E H T A";
* given names that are also everyday words ("Bill", "June", "Grace") after an
  introduction;
* a relative named ("my daughter hope"), a name the speaker claims ("... that's my name").

Agents' greetings and the people asked for are in `redaction.greetings`; the word lists
and word tests both use are in `redaction.name_words`.
"""

from __future__ import annotations

import unicodedata

from redaction.lexicon import dropped_g, everyday, rare_word
from redaction.model import EntityType, Finding
from redaction.name_phrases import NOT_FIRST, PARTICLES, ROLES_AND_PARTIES
from redaction.name_words import (
    AFTER_NAME,
    CLAUSE_STARTS,
    CUE_WORDS,
    DEPARTMENTS,
    DESCRIBING_ENDINGS,
    GREETINGS,
    KIN,
    NOT_NAMES,
    OPENERS,
    ORG_WORDS,
    POSSESSIVES,
    SELF_WORDS,
    SUBJECT_VERBS,
    given_name,
    hyphenated,
    name_like,
    nameable,
    rare_pair,
)
from redaction.spoken import Kind, Token

# Said before a name addressed to someone: "alright olusegun, ...".
_ADDRESS_OPENERS = frozenset(
    """alright okay ok thanks thank you great perfect sure hi hello hey right wonderful
    welcome aboard congrats congratulations k kk u thx ty""".split()
)
# What a caller may say they are right after "<name> here".
_ROLE_WORDS = ROLES_AND_PARTIES | frozenset({"owner", "the", "your", "ur"})
# Thanks said after a name: "got it kobina thx".
_THANKS = frozenset({"thanks", "thx", "ty", "tysm", "cheers"})
# What is said of a colleague named by their department.
_COLLEAGUE_DOES = frozenset(
    """will can said says is was should would could called emailed sent knows handles
    has""".split()
)
# "hey it's dimitrios calling back", "hi this is ana here": said before a self-introduction.
_SELF_OPENERS = frozenset({"it's", "its", "this", "is"})
# Verbs said after "my son", "my sister" that the suffix test (-s, -ed, -ing) misses; the
# tagger is no help here, as it tags unknown lower-case names as verbs too.
_VERBS = frozenset(
    """use need want get got go went have had make made take took call pay paid like love
    live work help lose lost find found break broke buy bought give gave leave left come
    came try put keep kept tell told say said know knew think thought see saw run ran
    drive drove sign do did can will would could should might must just also""".split()
)
# How English nouns end and names rarely do.
_NOUN_ENDINGS = ("ment", "tion", "sion", "ness", "ance", "ence", "ship", "ity", "ism")
# Said after thanks, but no one's name.
_NOT_ADDRESSED = frozenset(
    """man buddy dude mate sir ma'am love dear honey hon both since because cause cuz while
    whereas unless although though""".split()
)
# What may follow "<name> here": the end, or a new clause.
_AFTER_SELF = frozenset(
    """i i'll i'm i've we we'll how what and calling from with to speaking just back about
    regarding for""".split()
)
# Between a relative and the name: "my son is called eli". Pauses may come between
# without saying a name follows ("my partner's name actually ezekiel park", but "my son uh
# needs a phone").
_NAMING_WORDS = frozenset(["name", "is", "named", "called", "'s", ","])
_PAUSES = frozenset(["actually", "uh", "um"])


def _whose(word: str) -> bool:
    """Whose relative: "my", "our", "his", "her", or another person's ("my neighbors kid
    luca", "my sister's son jalen")."""
    if word in POSSESSIVES:
        return True
    return word.removesuffix("'s") in KIN or (word.endswith("s") and word[:-1] in KIN)


def _possessive_name(tok: Token) -> bool:
    """ "Carys's": a given name with "'s" (not "my son's bill": the relative's
    own thing is said with the relative's word, not a name)."""
    w = tok.lower.replace("’", "'")
    if tok.kind != Kind.WORD or not w.endswith("'s"):
        return False
    base = w[:-2]
    return base.isalpha() and (given_name(base) or (tok.text[:1].isupper() and rare_word(base)))


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
            said = tok.lower.replace("’", "'")
            # "rich temple here captain of the neon ninjas": who the caller is comes next
            if tok.kind != Kind.PUNCT and said not in _AFTER_SELF and said not in _ROLE_WORDS:
                return False
        greeted = any(self.toks[j].lower in GREETINGS for j in range(self.first, k))
        return greeted or given_name(self.toks[k].lower)

    def by_position(self) -> list[Finding]:
        found = []
        toks = self.toks
        for k in range(self.first, self.stop):
            if not nameable(toks[k]) or not self._clause_start(k):
                continue
            end = k
            if k + 1 < self.stop and nameable(toks[k + 1]):
                end = k + 1  # "tyrone robinson here"
            nxt = end + 1
            if nxt < self.stop and toks[nxt].text == ",":
                nxt += 1
            if nxt < self.stop and toks[nxt].lower in SELF_WORDS and self._self_intro(k, nxt):
                found.append(self._finding(k, end, 0.75))
            elif end == k and nxt < self.stop and toks[nxt].lower in ("with", "from"):
                window = toks[nxt + 1 : min(self.stop, nxt + 7)]
                if any(t.lower in ORG_WORDS for t in window):
                    found.append(self._finding(k, k, 0.7))
            break  # only the first word of the clause can be the name
        return found

    def addressed(self) -> list[Finding]:
        """ "alright olusegun, ...", "thanks grant i see ...", "thank you jade": a name
        addressed at the start of a line, after an opener and before a comma, or after
        thanks and before a new clause."""
        toks = self.toks
        k = self.first
        opened = thanked = paused = False
        if k + 2 < self.stop and (toks[k].lower, toks[k + 1].lower) == ("got", "it"):
            k += 2  # "got it kobina thx"
            opened = True
        while k < self.stop and toks[k].lower in _ADDRESS_OPENERS:
            if toks[k].lower in ("you", "u") and not thanked:
                return []  # "you qualify for ...": "you" opens only as "thank you"
            opened = True
            thanked = thanked or toks[k].lower in ("thanks", "thank", "thx", "ty")
            k += 1
            if k + 1 < self.stop and toks[k].text == "," and toks[k + 1].lower not in OPENERS:
                k += 1  # "Welcome aboard, Yesenia."
                paused = True
                break
        if not opened or k >= self.stop:
            return []
        tok = toks[k]
        if not nameable(tok) or tok.lower.endswith(("ly", "ing")) or tok.lower in _NOT_ADDRESSED:
            return []
        if dropped_g(tok.lower):
            return []  # "hi callin bout the invites": what the caller is doing
        if tok.lower.endswith("ed") and not given_name(tok.lower):
            return []  # "got it paused til the twenty first": what was done
        if paused and not name_like(tok):
            return []  # "thanks, verified": a word after the pause, not a name
        if tok.lower in CUE_WORDS:
            return []  # "thank you, expiration and cvv": what is asked for next
        last = hyphenated(toks, k, self.stop)
        after = toks[last + 1] if last + 1 < self.stop else None
        if after is not None and after.text == ",":
            return [self._finding(k, last, 0.6)]
        if (
            after is not None
            and nameable(after)
            and after.lower not in CLAUSE_STARTS
            and after.lower not in DEPARTMENTS  # "hey ironbloom payroll its tane"
            and (name_like(tok) or name_like(after))  # not "ok ur approved"
        ):
            surname = hyphenated(toks, last + 1, self.stop)  # "thank you thanh nguyen i see"
            following = toks[surname + 1] if surname + 1 < self.stop else None
            if (
                following is None
                or following.kind == Kind.PUNCT
                or following.lower in CLAUSE_STARTS
                or following.lower in CUE_WORDS  # "k alemayo gebre date a birth"
            ):
                return [self._finding(k, surname, 0.6)]
            return []
        if after is not None and after.lower in SUBJECT_VERBS:
            if given_name(tok.lower) or tok.text[:1].isupper():
                return [self._finding(k, last, 0.6)]  # "great marcus will be there"
            return []
        said_of = after is not None and after.lower in ("is", "are", "was", "were")
        if said_of and tok.text.islower() and everyday(tok.lower) and not given_name(tok.lower):
            return []  # "thanks fees are paid every two weeks": the subject, no one addressed
        if (thanked or paused) and (
            after is None or after.kind == Kind.PUNCT or after.lower in CLAUSE_STARTS
        ):
            return [self._finding(k, last, 0.6)]
        if after is not None and after.lower in CLAUSE_STARTS and name_like(tok):
            return [self._finding(k, last, 0.6)]  # "okay bogdan what's the issue"
        thanks_after = after is None or after.lower in _THANKS
        if thanks_after and name_like(tok) and not everyday(tok.lower):
            return [self._finding(k, last, 0.6)]  # "got it kobina thx", "ok priyanka"
        introducing = last + 2 < self.stop and toks[last + 2].lower == "is"
        if after is not None and after.lower == "this" and introducing and name_like(tok):
            return [self._finding(k, last, 0.6)]  # "hey cort this is reggie"
        return []

    def in_department(self) -> list[Finding]:
        """ "Renata in shipping will email you", "ask for tomasz in billing": a colleague
        named by the department they work in, then what they do (or the line ends)."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            tok = toks[k]
            if toks[k + 1].lower not in ("in", "from") or toks[k + 2].lower not in DEPARTMENTS:
                continue
            if not nameable(tok) or not name_like(tok) or tok.lower in NOT_NAMES:
                continue
            after = toks[k + 3] if k + 3 < self.stop else None
            asked_for = k > self.first and toks[k - 1].lower in ("for", "ask", "with")
            if (
                asked_for
                or after is None
                or after.kind == Kind.PUNCT
                or (after.lower.replace("’", "'") in _COLLEAGUE_DOES | {"'ll"})
            ):
                found.append(self._finding(k, k, 0.6))
        return found

    def kin(self) -> list[Finding]:
        """ "my daughter hope", "under my wife's name faith", "my son is called eli": the
        name of a relative the caller adds or speaks for."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 1):
            raw = toks[k].lower.replace("’", "'")
            if raw[:-1] in KIN and raw.endswith("s") and toks[k + 1].lower == "name":
                raw = raw[:-1] + "'s"  # "my wifes name": the apostrophe not written
            word = raw.removesuffix("'s").removesuffix("-in-law")
            if word not in KIN or k == 0 or not _whose(toks[k - 1].lower.replace("’", "'")):
                continue
            j = k + 1
            if [t.lower for t in toks[j : j + 2]] == ["in", "law"]:
                j += 2  # "my mother in law gulnara iskakova"
            relative_ends = j
            if raw.endswith("'s") and (j >= self.stop or toks[j].lower != "name"):
                if rare_pair(self.toks, j, self.stop):
                    # "my husband's rashid nakamura": "'s" is "is", a whole name follows
                    found.append(Finding(EntityType.PERSON, toks[j].start, toks[j + 1].end, 0.7))
                continue  # "my son's bill": the relative's thing, not their name
            named = False
            while j < self.stop and toks[j].lower in _NAMING_WORDS | _PAUSES:
                named = named or toks[j].lower in _NAMING_WORDS
                j += 1
            if j < self.stop and _possessive_name(toks[j]):
                # "at my sister Carys's place": the name, without the "'s"
                found.append(Finding(EntityType.PERSON, toks[j].start, toks[j].end - 2, 0.7))
                continue
            if j >= self.stop or not nameable(toks[j]):
                continue
            w = toks[j].lower
            if not named and toks[j].lower in _VERBS:
                continue  # "can my sister use one": a verb
            if w in NOT_FIRST:
                continue  # "my fiance's name is spelled wrong": said of the name
            named_as = {t.lower for t in toks[relative_ends:j]}
            if named_as <= {"is", ","} and named_as and not name_like(toks[j]):
                continue  # "my mother is moving": what the relative does, not a name
            if not named and not given_name(w) and w.endswith(_NOUN_ENDINGS):
                continue  # "my daughter appointment": the recogniser lost "'s"
            # the other party's relative ("your fiance tonight") is named, not just placed
            placed = self._ends_clause(j) and toks[k - 1].lower not in ("your", "ur")
            if (
                named
                or given_name(w)
                or (rare_word(w) and not w.endswith(DESCRIBING_ENDINGS))
                or placed
                or (toks[j].text[:1].isupper() and w not in NOT_NAMES)
            ):
                last = hyphenated(toks, j, self.stop)
                nxt = last + 1
                if (
                    nxt < self.stop
                    and nameable(toks[nxt])
                    and (toks[nxt].text[:1].isupper() == toks[j].text[:1].isupper())
                    and not (toks[nxt].text.islower() and toks[nxt].lower in AFTER_NAME)
                ):
                    # "Jae-won Choi"; not "my wife jaylen will be home"
                    last = hyphenated(toks, nxt, self.stop)
                    if (
                        toks[last].lower in PARTICLES
                        and last + 1 < self.stop
                        and nameable(toks[last + 1])
                        and toks[last + 1].lower not in AFTER_NAME
                    ):
                        last += 1  # "my uncle hamza el din": a particle, then the surname
                found.append(self._finding(j, last, 0.7))
        return found

    def _ends_clause(self, j: int) -> bool:
        """One or two nameable words at j, then the end, a pause or a new clause: "my son
        jaylen his birthday is ...", "her grandfather tariq hussain his number is"."""
        toks = self.toks
        if toks[j].lower.endswith(("s", "ed", "ing")):
            return False  # "my son uses his phone", "my son plays fortnite": a verb
        k = hyphenated(toks, j, self.stop) + 1
        if k < self.stop and nameable(toks[k]) and toks[k].lower not in AFTER_NAME:
            k = hyphenated(toks, k, self.stop) + 1
        return k >= self.stop or toks[k].kind == Kind.PUNCT or toks[k].lower in AFTER_NAME

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
            while first >= self.first and k - first <= 3 and nameable(toks[first]):
                first -= 1
            first += 1
            if first <= j and self._clause_start(first) and name_like(toks[first]):
                return [self._finding(first, j, 0.7)]
        return []

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
            if self._two_letters_spelled(k):
                # "and vo is v o": a short surname spelled straight after it
                found += [self._finding(k, k, 0.85), self._finding(k + 2, k + 3, 0.85)]
                continue
            if tok.kind != Kind.WORD or len(tok.text) < 3:
                continue
            plain = _plain(tok.lower)  # "gonçalves" spelled "g o n c a l v e s"
            if plain not in spellings:
                continue
            found.append(self._finding(k, k, 0.85))
            if self._given_before_spelled(k, spellings[plain]):
                # "urska zupan z u p a n", "Mangal Murmu, M-U-R-M-U": the surname spelled
                # straight after the whole name
                found.append(self._finding(k - 1, k - 1, 0.7))
            for first, last in spellings[plain]:
                nxt = last + 1
                surname = nxt < self.stop and nameable(toks[nxt])
                if first == k + 1 and surname and toks[nxt].lower not in CUE_WORDS:
                    # not "keiko k e i k o born march ...": what is given next
                    found.append(self._finding(nxt, hyphenated(toks, nxt, self.stop), 0.7))
                if (
                    first == k + 2
                    and nameable(toks[k + 1])
                    and toks[k + 1].lower not in _SPELLING_SAID
                ):
                    # "thanh nguyen t h a n h": the surname between the name and its spelling
                    found.append(self._finding(k + 1, k + 1, 0.7))
        return found

    def _given_before_spelled(self, k: int, spelled_at: list[tuple[int, int]]) -> bool:
        """Token k is spelled right after it (a pause between at most), and the word before
        it is a given name: one the records list or English hardly uses, or one written
        with a capital inside a sentence."""
        toks = self.toks
        after = k + 2 if k + 1 < self.stop and toks[k + 1].text == "," else k + 1
        if k - 1 < self.first or not any(first == after for first, _ in spelled_at):
            return False
        given = toks[k - 1]
        if not nameable(given) or given.lower in NOT_NAMES or given.lower in CUE_WORDS:
            return False
        if len(given.text) < 2 or given.lower in _SPELLING_SAID:
            return False
        capitalised = given.text[:1].isupper() and k - 2 >= self.first and toks[k - 2].text == ","
        return given_name(given.lower) or rare_word(given.lower) or capitalised

    def _two_letters_spelled(self, k: int) -> bool:
        """Token k is a word of two letters, then "is" or "spelled" and its two letters,
        and no more letters: "vo is v o", "ng spelled n g"."""
        toks = self.toks
        w = toks[k].lower
        if len(w) != 2 or not nameable(toks[k]) or k + 3 >= self.stop:
            return False
        if toks[k + 1].lower not in _SPELLING_SAID | {"is"}:
            return False
        if (toks[k + 2].lower, toks[k + 3].lower) != (w[0], w[1]):
            return False
        after = toks[k + 4] if k + 4 < self.stop else None
        return after is None or not (after.kind == Kind.WORD and len(after.text) == 1)

    def spelling_hinted(self) -> list[Finding]:
        """ "schmitt double t", "erik with a k": a word said with a hint at its spelling
        is a name (no one spells everyday words on a call)."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 2):
            if not nameable(toks[k]) or len(toks[k].text) < 3:
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

    def _finding(self, first: int, last: int, score: float) -> Finding:
        return Finding(EntityType.PERSON, self.toks[first].start, self.toks[last].end, score)


# Said between a word and its spelling: "thuy spelled t h u y".
_SPELLING_SAID = frozenset({"spelled", "spelt", "spelling", "thats", "that's", "its", "it's"})


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
