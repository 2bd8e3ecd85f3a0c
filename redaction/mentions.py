"""People mentioned in passing, where the tagger does not mark them: "i'm booking you
with zephyrine on the thirtieth", "the date of birth for hazel", "i need adrian's date of
birth", "a balance for the hollister family", "my twins rowan n ezra", "i'll let gunnar
know", and names said to the listener ("Priyanka, I have a match for you.").

No one introduces these names, so each rule asks for two things: a place where a person
is usually named, and a word that looks like a name there (a known given name, or a word
English hardly uses otherwise).
"""

from __future__ import annotations

from itertools import pairwise

from wordfreq import zipf_frequency

from redaction.intros import Intros
from redaction.lexicon import (
    FIRST_NAMES,
    FUNCTION_WORDS,
    bare_given,
    everyday,
    rare_word,
    recorded_given,
)
from redaction.model import EntityType, Finding
from redaction.name_words import (
    AFTER_NAME,
    AMBIGUOUS_GIVEN,
    CUE_WORDS,
    DEPARTMENTS,
    DESCRIBING_ENDINGS,
    KIN,
    KIN_GROUPS,
    NOT_NAMES,
    ORG_WORDS,
    POSSESSIVES,
    given_name,
    hyphenated,
    nameable,
)
from redaction.spoken import Kind, Token

# After "with <name>" / "for <name>": the line ends, or what is said of the person or
# the booking ("with maximilian is tuesday", "for ezra and i'll send", "with noor on the
# thirtieth", "for theo tomorrow").
_AFTER_MENTION = AFTER_NAME | frozenset({"and", "tomorrow", "today", "tonight", "next", "this"})
# After "with <word>" when no list knows the word as a name.
_AFTER_UNKNOWN = frozenset(
    "on is and n tomorrow today tonight next this will was has had he she".split()
)
# What someone named is to do: "i'll have ysolde call you", "a number for rasmus to text".
_CONTACT_VERBS = frozenset("call text email reach contact phone ring message".split())
# Words after a firm's name, which is often its founders' ("harlan and voss intake").
_FIRM_WORDS = (
    ORG_WORDS
    | DEPARTMENTS
    | frozenset("intake law group llc inc co company associates partners firm".split())
)
# Said before someone asked to do a thing: "ask manolo to grab them".
_ASKING = frozenset({"ask", "tell", "remind"})
# Said after a name that opens a sentence: "Nkechi, I'm calling about ...".
_OPENS = frozenset(
    """i i'm i'll i've we we're we'll you you're your this it's there's thanks thank just
    so please""".split()
)
# What a family or an event is called by: "the hollister family", "the okafor wedding".
_GROUPS = frozenset(
    """family families household residence wedding funeral reunion kids twins estate
    memorial""".split()
)
# After "<group>", words that make it a product: "the verizon family plan".
_PRODUCTS = frozenset("plan plans pass package membership discount rate deal bundle share".split())
# What may follow "<name>'s" when a person's details are asked for.
_DETAILS = frozenset(
    """date birthday birth dob social ssn phone number cell mobile email e-mail address
    account card license name middle last full signature balance appointment prescription
    results records chart file policy claim insurance medication""".split()
)
# Possessive words after "<name>'s" that say whose relative the name is: "Rosalind's her
# mom" (Rosalind is her mom).
_WHOSE = frozenset({"her", "his", "my", "our", "their"})
# Before a role's possessive, never a name's: "the decedent's social".
_DETERMINERS = frozenset({"the", "a", "an", "your", "ur", "my", "his", "her", "our", "their"})

# Who relatives named together belong to: "my twins", "the boys".
_GROUP_OWNERS = POSSESSIVES | {"the"}


def _plain_name(tok: Token) -> bool:
    """A lower-case word that looks like a name where one is expected: a known given
    name, or a word English hardly uses and that does not describe ("olumide", but not
    "paperless"); capitalised text is the tagger's to read."""
    w = tok.lower
    if not tok.text.islower() or not nameable(tok) or w in CUE_WORDS or w in KIN:
        return False
    if given_name(w):
        return True
    return rare_word(w) and not w.endswith(DESCRIBING_ENDINGS)


# How common the stem of a rare word must be for the word to be that stem with an ending
# ("rotors", "invoices"), and each part of one made of two words ("zipline", but not
# "imogen": "imo" is no word of this weight).
_STEM_ZIPF = 3.0
# Said after a verb to make a noun of it: "signup", "login", "payout"; only after a
# common verb, so "robin" and "devon" stay names.
_PARTICLES = ("up", "in", "out", "on", "off")
_VERB_ZIPF = 4.0
_PART_ZIPF = 3.8


def coined(word: str) -> bool:
    """A rare word made of everyday ones, which names no one: a plural ("payouts"), a
    doer ("payer", "borrower"), two words run together ("autopay", "cardholder"), or an
    -ing word with its g dropped ("holdin")."""
    stems = [word[:-1]] if word.endswith("s") else []
    if word.endswith(("er", "or")):
        stems.append(word[:-2])
        stems.append(word[:-1])  # "user", "saver"
    if word.endswith(("ers", "ors")):
        stems.append(word[:-3])  # "jewelers"
    for particle in _PARTICLES:
        verb = word[: -len(particle)]
        if word.endswith(particle) and len(verb) >= 3 and zipf_frequency(verb, "en") >= _VERB_ZIPF:
            return True
    if word.endswith("in"):
        stems.append(word + "g")
    if any(
        len(stem) >= 3 and stem not in FUNCTION_WORDS and zipf_frequency(stem, "en") >= _STEM_ZIPF
        for stem in stems
    ):
        return True  # but "anders" is no "and" with an ending
    return any(
        zipf_frequency(word[:cut], "en") >= _PART_ZIPF
        and zipf_frequency(word[cut:], "en") >= _PART_ZIPF
        and not _known_given(word[cut:])  # "bellamy", "rosemary": a name's own parts
        for cut in range(3, len(word) - 2)
    )


def _known_given(word: str) -> bool:
    """A given name from the lists, not one that is also a common word ("june", "will")."""
    return word in FIRST_NAMES or recorded_given(word)


class Mentions(Intros):
    """Names in passing, over the same tokens as `Intros`."""

    def after_with_or_for(self) -> list[Finding]:
        """ "bookin u with zephyrine on the thirtieth", "a number for theo": a name after
        "with" or "for", then the end of the line or a new clause."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop):
            if toks[k - 1].lower not in ("with", "for"):
                continue
            w = toks[k].lower
            if not _plain_name(toks[k]):
                # "ask for Ines.": a capitalised word the tagger left, if a known name
                if not (toks[k].text[:1].isupper() and nameable(toks[k]) and _known_given(w)):
                    continue
            elif not _known_given(w) and (w in AMBIGUOUS_GIVEN or coined(w)):
                continue  # "for june", "with autopay", "for payouts": no one
            last = hyphenated(toks, k, self.stop)
            if last + 1 < self.stop and _plain_name(toks[last + 1]):
                last = hyphenated(toks, last + 1, self.stop)  # "with maximilian ortega"
            after = toks[last + 1] if last + 1 < self.stop else None
            if after is None or after.kind == Kind.PUNCT:
                found.append(self._finding(k, last, 0.6))
            elif after.lower in (_AFTER_MENTION if _known_given(w) else _AFTER_UNKNOWN):
                # "with radon for ...": a word no list knows needs a plainer sign
                found.append(self._finding(k, last, 0.6))
            elif after.lower == "to" and last + 2 < self.stop and _gets_in_touch(toks[last + 2]):
                found.append(self._finding(k, last, 0.6))  # "a number for rasmus to text"
        return found

    def had_in_touch(self) -> list[Finding]:
        """ "i'll have ysolde call you", "we'll have Tobias Vukovic text you": someone
        who is to get in touch; "i'll ask manolo to grab them": someone asked to do a
        thing."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop - 1):
            asked = toks[k - 1].lower in _ASKING
            if (toks[k - 1].lower != "have" and not asked) or not _named(toks[k]):
                continue
            last = k
            if last + 2 < self.stop and _named(toks[last + 1]) and toks[last + 1].lower not in KIN:
                last = k + 1  # the surname
            if last + 1 >= self.stop:
                continue
            if (_gets_in_touch(toks[last + 1]) and not asked) or (
                asked and toks[last + 1].lower == "to"
            ):
                found.append(self._finding(k, last, 0.6))
        return found

    def let_know(self) -> list[Finding]:
        """ "i'll let gunnar know", "let Ms Abara know": a person to be told."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop - 1):
            if toks[k - 1].lower != "let" or toks[k + 1].lower != "know":
                continue
            if _named(toks[k]):
                found.append(self._finding(k, k, 0.6))
        return found

    def vocative(self) -> list[Finding]:
        """ "Priyanka, I have a match for you.", "Thanks for coming in, Cormac.": a name
        said to the listener, set off by a comma at the start or the end of a sentence
        (written text only: noisy text has no commas)."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop):
            tok = toks[k]
            if not (tok.text[:1].isupper() and nameable(tok)) or tok.lower in NOT_NAMES:
                continue
            if not (_known_given(tok.lower) or (rare_word(tok.lower) and not coined(tok.lower))):
                continue
            before = toks[k - 1] if k > self.first else None
            after = toks[k + 1] if k + 1 < self.stop else None
            opens = before is None or before.text in ".?!"
            opens = opens and after is not None and after.text == "," and k + 2 < self.stop
            if opens and toks[k + 2].lower.replace("’", "'") in _OPENS:
                found.append(self._finding(k, k, 0.6))
                continue
            closes = (
                before is not None and before.text == "," and (after is None or after.text in ".?!")
            )
            if closes and k - 1 > self.first:
                found.append(self._finding(k, k, 0.6))
        return found

    def family(self) -> list[Finding]:
        """ "for the hollister family", "the Ramirez-Osei wedding": a family or its event
        called by its surname."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop - 1):
            if toks[k - 1].lower != "the":
                continue
            tok = toks[k]
            looks = _plain_name(tok) or (
                tok.text[:1].isupper() and nameable(tok) and tok.lower not in NOT_NAMES
            )
            if not looks:
                continue
            last = hyphenated(toks, k, self.stop)
            if last + 2 < self.stop and toks[last + 2].lower in _GROUPS:
                if _plain_name(toks[last + 1]) or toks[last + 1].text[:1].isupper():
                    last = hyphenated(toks, last + 1, self.stop)  # "the gus tamburello memorial"
            if last + 1 >= self.stop or toks[last + 1].lower not in _GROUPS:
                continue
            product = last + 2 < self.stop and toks[last + 2].lower in _PRODUCTS
            if not product:
                found.append(self._finding(k, last, 0.6))
        return found

    def possessive(self) -> list[Finding]:
        """ "i need adrian's date of birth", "whats marisols phone number": a person's
        details asked for by their name; "this is Rebecca Tanaka, Kenji's mom": a person
        named by whose relative the speaker is."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop - 1):
            tok = toks[k]
            w = tok.lower.replace("’", "'")
            whose = k + 2 < self.stop and toks[k + 1].lower in _WHOSE and toks[k + 2].lower in KIN
            if (toks[k + 1].lower in KIN or whose) and w.endswith("'s") and w[:-2] not in KIN:
                base = w[:-2]
                rare = rare_word(base) and len(base) >= 4 and not coined(base)
                if _known_given(base) or (tok.text[:1].isupper() and rare):
                    found.append(Finding(EntityType.PERSON, tok.start, tok.start + len(base), 0.6))
                continue
            if toks[k + 1].lower not in _DETAILS:
                continue
            determined = k > 0 and toks[k - 1].lower in _DETERMINERS
            if w.endswith("'s"):
                base = w[:-2]  # "the cardholder's name": a role, so a known given name only
                # "can you confirm rafferty's date of birth": a word no role or thing is
                rare = tok.text.islower() and rare_word(base) and len(base) >= 4
                rare = rare and not coined(base) and not determined
            elif w.endswith("s") and not everyday(w) and tok.text.islower():
                base, rare = w[:-1], False  # the apostrophe lost ("adrians"), and no word ("this")
            else:
                continue
            looks = (_known_given(base) and not _known_given(w)) or rare
            if looks and base not in KIN:
                found.append(Finding(EntityType.PERSON, tok.start, tok.start + len(base), 0.6))
        return found

    def kin_group(self) -> list[Finding]:
        """ "my twins rowan n ezra", "our kids Maya and Theo", "and the boys, Rio and
        Tucson": relatives named together."""
        toks = self.toks
        found = []
        for k in range(self.first + 1, self.stop - 3):
            if toks[k].lower not in KIN_GROUPS or toks[k - 1].lower not in _GROUP_OWNERS:
                continue
            a = k + 2 if toks[k + 1].text == "," else k + 1
            if a + 2 >= self.stop:
                continue
            joined, b = toks[a + 1], toks[a + 2]
            if joined.lower not in ("and", "n", "&") or not (_named(toks[a]) and _named(b)):
                continue
            found.append(self._finding(a, a, 0.6))
            found.append(self._finding(a + 2, a + 2, 0.6))
        return found

    def known_given(self) -> list[Finding]:
        """A given name from the lists that is no English word ("bilal", "faustina",
        "roseanne"), wherever it is said in lower-case text: a recogniser writes names
        in lower case, where the tagger rarely marks them."""
        toks = self.toks
        found = []
        for k in range(self.first, self.stop):
            tok = toks[k]
            w = tok.lower.replace("’", "'")
            if w.endswith("'s"):  # "reschedule tomas's thursday session": whose it is
                w = w[:-2]
                tok = Token(tok.text[: len(w)], tok.start, tok.start + len(w), tok.kind)
            # with nothing around it to say a name stands here, a name of the newer
            # records must be a rare word: they name children after things ("sable")
            listed = w in FIRST_NAMES or bare_given(w)
            if not tok.text.islower() or not listed or w in AMBIGUOUS_GIVEN:
                continue
            if len(w) < 4 or everyday(w) or not nameable(tok) or w in CUE_WORDS or w in KIN:
                continue
            ahead = [t.lower for t in toks[k + 1 : min(k + 5, self.stop)]]
            if any(word in _FIRM_WORDS for word in ahead[:3]) or _introduces_after(ahead):
                continue  # "harlan and voss intake", "hollis and grant this is miriam": a firm
            after = toks[k + 1].lower if k + 1 < self.stop else ""
            if k == self.first and after in ("and", "n", "&"):
                continue  # "harlan n voss whats ur name": a firm's name opens the line
            from_firm = k > self.first and toks[k - 1].lower == "from"
            if from_firm and after.isalpha() and after not in FUNCTION_WORDS:
                continue  # "corinne from sparkle nest": the firm's name goes on
            if tok is not toks[k]:  # the possessive's "'s" stays
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.5))
            else:
                found.append(self._finding(k, hyphenated(toks, k, self.stop), 0.5))
        return found


def _introduces_after(words: list[str]) -> bool:
    """ "this is" or "speaking" follows within the words: the agent's own name comes
    after the firm's."""
    return "speaking" in words or any(a == "this" and b == "is" for a, b in pairwise(words))


def _gets_in_touch(tok: Token) -> bool:
    return tok.lower in _CONTACT_VERBS


def sure_name(tok: Token) -> bool:
    """A word that can hardly be anything but a given name, said where the words that
    usually introduce one were lost: a known given name that is no common word, or a
    word of five letters or more that English does not use and that is not made of
    everyday words ("restwell", "payouts")."""
    w = tok.lower
    if not nameable(tok) or w in CUE_WORDS or w in KIN or w in NOT_NAMES:
        return False
    if _known_given(w):
        return True
    # a short rare word is as often a clipped one ("secure stor how can i help")
    long_enough = len(w) >= 5
    return (
        long_enough
        and rare_word(w)
        and not coined(w)
        and not w.endswith(DESCRIBING_ENDINGS)
        and not _done_again(w)
    )


def _done_again(word: str) -> bool:
    """ "rewound", "resealed", "rewired": an everyday word done again, rare only as a
    whole ("it's rewound and balanced")."""
    return word.startswith("re") and len(word) >= 6 and everyday(word[2:])


def _named(tok: Token) -> bool:
    """Looks like a given name, written in lower case or not."""
    if tok.text.islower():
        return _plain_name(tok) and (_known_given(tok.lower) or not coined(tok.lower))
    return tok.text[:1].isupper() and nameable(tok) and tok.lower not in NOT_NAMES


def find_mentions(toks: list[Token], first: int, stop: int) -> list[Finding]:
    """Every name mentioned in passing in tokens first..stop-1."""
    mentions = Mentions(toks, first, stop)
    return (
        mentions.after_with_or_for()
        + mentions.family()
        + mentions.possessive()
        + mentions.kin_group()
        + mentions.let_know()
        + mentions.had_in_touch()
        + mentions.vocative()
        + mentions.known_given()
    )
