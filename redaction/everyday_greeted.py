"""Word-names said where a caller greets, thanks, calls or asks for someone ("hey candy
it's gian caduff", "tell Peach thanks", "call tuck at too too five ...", "just ask for
Zen."): said to a person, or of one to be reached, a word that means something else
besides ("candy", "peach", "zen") is a name there. `EverydayNames` runs these with its
other finders over the line being checked.
"""

from __future__ import annotations

from redaction.everyday_words import addressed, rare_given, word_name
from redaction.model import EntityType, Finding
from redaction.months import MONTHS
from redaction.spoken import Kind, Token

# Said before whom a caller greets: "hey candy it's ...".
HAILS = frozenset({"hey", "hi", "hello", "morning", "afternoon", "evening"})
# Greeted, but no one: "hi there it's ...", "hey yes this is ...".
_GREETED_NO_ONE = frozenset(
    "there yes yeah yea ya yep yup ok okay k um uh oh again all guys".split()
)
# Said by whoever answers, after their name: "this is juniper whatcha need".
_ASKS_NEED = frozenset("whatcha what what's whats how how's hows can may".split())
# Said after whom to ask for, opening what follows: "ask for porsche if i don't pick up".
_THEN = frozenset({"if", "when", "she", "he", "she's", "he's", "shes", "hes", "or"})
# Said to pass thanks or a greeting on to someone: "tell Peach thanks".
_PASSED_ON = frozenset({"thanks", "thank", "thx", "hi", "hello", "hey"})
_THANKS = frozenset({"thanks", "thx", "thnx", "thank", "ty"})
# Named like people, but times of the year: "for Easter.", "with April." (the days of the
# week are no names anywhere: `nameable`).
_TIMES_OF_YEAR = frozenset(MONTHS) | frozenset(
    "easter spring summer winter autumn fall christmas valentine".split()
)
_SENTENCE_ENDS = frozenset({".", "?", "!"})
# Said before whom to reach, and then where: "call tuck at too too five ...".
_CALLED = frozenset({"call", "text", "reach", "try", "ring"})


class GreetedNames:
    """The finders of whom a caller greets, thanks, calls or asks for, over the tokens
    `EverydayNames` holds."""

    toks: list[Token]
    first: int
    stop: int

    def greeted(self) -> list[Finding]:
        """ "hey juniper its aitor ...", "hey candy it's gian caduff": whom a caller greets
        before saying who calls; "... this is juniper whatcha need": who answers, before
        asking what the caller needs."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop - 1):
            tok, before, after = toks[k], toks[k - 1].lower, toks[k + 1].lower.replace("’", "'")
            if not addressed(tok) or tok.lower in _GREETED_NO_ONE:
                continue
            # "hey juniper its ...", "hi stanford my name's wayra ..."
            own_name = after == "my" and k + 2 < self.stop and toks[k + 2].lower.startswith("name")
            hailed = before in HAILS and (after in ("its", "it's", "this") or own_name)
            this_is = k >= 2 and toks[k - 2].lower == "this" and before == "is"
            answering = this_is and after in _ASKS_NEED
            if hailed or answering:
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
        return found

    def thanked(self) -> list[Finding]:
        """ "tell Peach thanks", "n tell torch thanks", "yup thats it thx timber": who
        thanks are passed on to, or who is thanked as the line ends."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop):
            tok, before = toks[k], toks[k - 1].lower
            after = toks[k + 1] if k + 1 < self.stop else None
            if not addressed(tok):
                continue
            told = before == "tell" and after is not None and after.lower in _PASSED_ON
            ends = after is None or after.text in _SENTENCE_ENDS or after.kind == Kind.NEWLINE
            if told or (before in _THANKS and ends):
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.6))
        return found

    def capitalised_after_with(self) -> list[Finding]:
        """ "... on Tuesdays with Rain.", "just ask for Zen.": a word-name written with
        a capital inside a sentence, after "with" or "for", the sentence ending there; not
        a season, a month or a day ("for Easter.", "with April.")."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop):
            tok = toks[k]
            after = toks[k + 1] if k + 1 < self.stop else None
            asked_for = k >= 2 and toks[k - 2].lower == "ask" and toks[k - 1].lower == "for"
            if asked_for and word_name(tok) and after is not None and after.lower in _THEN:
                # "ask for porsche if i don't pick up": whom to ask for, said in any case
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
                continue
            if toks[k - 1].lower not in ("with", "for") or not self._capitalised_inside(k):
                continue
            if not word_name(tok) or tok.lower in _TIMES_OF_YEAR:
                continue
            # the sentence ends there: "with Dakota, our quietest pony" goes on to say what
            if after is None or after.text in _SENTENCE_ENDS or after.kind == Kind.NEWLINE:
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
        return found

    def called_at(self) -> list[Finding]:
        """ "call tuck at too too five ...": who is to be called, then where."""
        toks, found = self.toks, []
        for k in range(max(self.first, 1), self.stop - 1):
            if toks[k - 1].lower not in _CALLED or toks[k + 1].lower not in ("at", "on"):
                continue
            tok = toks[k]
            if word_name(tok) or rare_given(tok):
                found.append(Finding(EntityType.PERSON, tok.start, tok.end, 0.65))
        return found

    def _capitalised_inside(self, k: int) -> bool:
        """Token k is capitalised inside a sentence ("..., and Knight said to call"): a
        proper noun, whatever the records know of it."""
        if k == self.first or not self.toks[k].text[:1].isupper():
            return False
        before = self.toks[k - 1]
        return before.kind == Kind.WORD or before.text == ","
