"""The words of a name, read one token at a time: whether a word is written or tagged as
a proper noun, is one English hardly uses ("okwuosa", "naveen"), reads like the surname
after a given name ("tobias okwuosa", "megan r. haddad"), is a middle initial, a suffix
("junior", "III") or a particle that leads on to the name ("maria de los angeles
gutierrez"); and where a whole name ends. `redaction.name_reader` reads from these where
a name starts and how far it goes."""

from __future__ import annotations

from collections.abc import Mapping

from redaction.lexicon import FUNCTION_WORDS, rare_word
from redaction.name_phrases import NAME_SUFFIXES, PARTICLES
from redaction.name_spans import NOT_NAME_WORDS
from redaction.name_words import hyphenated, name_ends_at
from redaction.spoken import NUMBER_WORDS, Kind, Token


class NameParts:
    """The tokens of the line being checked, from `first` to `stop`, with the parts of
    speech the tagger gave them, read word by word; `NameReader` sets them."""

    toks: list[Token]
    pos: Mapping[int, str]  # part of speech by character offset in the joined text
    first: int
    stop: int

    def _proper(self, k: int) -> bool:
        tok = self.toks[k]
        if self.pos.get(tok.start) == "PROPN":
            return True
        prev = self.toks[k - 1] if k > 0 else None
        sentence_start = prev is None or prev.kind == Kind.NEWLINE or prev.text in ".?!"
        return tok.text[:1].isupper() and not sentence_start and not tok.text.isupper()

    def _initials_then_surname(self, k: int) -> bool:
        """Two or three single letters from token k, then a word: "mister j p okonkwo"."""
        m = k
        while m < self.stop and len(self.toks[m].text) == 1 and self.toks[m].kind == Kind.WORD:
            m += 1
        return 2 <= m - k <= 3 and m < self.stop and self.toks[m].kind == Kind.WORD

    def _verb(self, k: int) -> bool:
        return self.pos.get(self.toks[k].start) in ("VERB", "AUX")

    def _with_suffix(self, last: int) -> int:
        """The name ending at token `last`, with "junior", "Jr." or "III" after it."""
        k = last + 1
        if k < self.stop and self.toks[k].text == ",":
            k += 1
        if k < self.stop and self.toks[k].lower in NAME_SUFFIXES:
            return k
        return last

    def _syllable_name(self, k: int) -> bool:
        """Token k opens a lower-case name of short syllables joined by hyphens, one of
        them a word English hardly uses ("seo-yeon", "young-soo"): no compound of
        English words ("x-ray", "co-op", "long-term")."""
        last = hyphenated(self.toks, k, self.stop)
        if last == k:
            return False
        parts = [t.lower for t in self.toks[k : last + 1 : 2]]
        return all(2 <= len(p) <= 4 and p.isalpha() for p in parts) and any(
            rare_word(p) for p in parts
        )

    def _third_name(self, k: int) -> bool:
        """Token k ends a three-word name ("miguel angel torres"): surname-like, and the
        name is over after it."""
        return self._surname_like(k) and self._name_ends(hyphenated(self.toks, k, self.stop) + 1)

    def _after_doctor(self, k: int) -> bool:
        j = k - 1
        while j >= 0 and self.toks[j].text == ".":
            j -= 1
        return j >= 0 and self.toks[j].lower in ("doctor", "dr")

    def _particle_leads_on(self, k: int) -> bool:
        """The particle at k is followed, perhaps after more particles, by a name word."""
        j = k
        while j < self.stop and self.toks[j].lower in PARTICLES:
            j += 1
        return (
            j < self.stop
            and self.toks[j].kind == Kind.WORD
            and self.toks[j].lower not in (NOT_NAME_WORDS | FUNCTION_WORDS)
        )

    def _initial(self, k: int) -> int | None:
        """The token after a middle initial at k ("r." / "r"), or None."""
        if k >= self.stop or self.toks[k].kind != Kind.WORD or len(self.toks[k].text) != 1:
            return None
        if self.toks[k].lower in ("a", "i"):
            return None
        k += 1
        if k < self.stop and self.toks[k].text == ".":
            k += 1
        return k

    def _surname_after_initial(self, k: int) -> bool:
        if k >= self.stop:
            return False
        tok = self.toks[k]
        return (
            tok.kind == Kind.WORD
            and len(tok.text) >= 2
            and tok.lower not in NOT_NAME_WORDS
            and tok.lower not in FUNCTION_WORDS
        )

    def _number_ends(self, j: int) -> bool:
        """A number said ends at token j."""
        return j >= self.first and (
            self.toks[j].kind == Kind.DIGITS or self.toks[j].lower in NUMBER_WORDS
        )

    def _surname_like(self, j: int) -> bool:
        """Token j could be the surname after the given name before it: capitalised
        like it, or, in lower-case text, tagged a noun."""
        if j >= self.stop:
            return False
        tok, given = self.toks[j], self.toks[j - 1]
        if tok.kind != Kind.WORD or len(tok.text) < 2 or tok.lower in NOT_NAME_WORDS:
            return False
        if given.text[:1].isupper():
            return tok.text[:1].isupper()
        if self._rare_word(j):
            return True  # "tobias okwuosa", whatever the tagger makes of it
        return self.pos.get(tok.start) in ("PROPN", "NOUN", "X") and not tok.lower.endswith("ly")

    def _surname_end(self, k: int) -> int:
        """k, or k + 1 when token k + 1 reads like the surname of the given name at k,
        or the surname after a middle initial ("megan r. haddad")."""
        initial = self._initial(k + 1)
        if initial is not None and self._surname_after_initial(initial):
            return initial
        if not self._surname_like(k + 1):
            return k
        end = hyphenated(self.toks, k + 1, self.stop)  # "gabriela fuentes-moya"
        if self._surname_like(end + 1) and self._name_ends(end + 2):
            end = hyphenated(self.toks, end + 1, self.stop)  # "miguel angel torres"
        return end

    def _name_ends(self, j: int) -> bool:
        """Token j may follow a whole name: the end, a pause, a number or a new clause."""
        return name_ends_at(self.toks, j, self.stop)

    def _rare_word(self, j: int) -> bool:
        """Token j is a word English hardly uses but as a name ("okwuosa", "naveen")."""
        if j >= self.stop:
            return False
        tok = self.toks[j]
        w = tok.lower
        return (
            tok.kind == Kind.WORD
            and w not in NOT_NAME_WORDS
            and w not in FUNCTION_WORDS
            and rare_word(w)
        )
