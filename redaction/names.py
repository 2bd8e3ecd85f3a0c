"""People's names beyond what the NER model finds in lower-case, unpunctuated ASR text:
names after "my name is", "this is", "speaking with", "Mr.", names given in answer to a
name question, and names said of someone ("He's ..."). Names spelled letter by letter are
`spelled_names`'; tidying the tagger's own hits is `name_spans`'."""

from __future__ import annotations

from collections.abc import Mapping

from redaction.desk_names import named_after_desk
from redaction.everyday_names import EverydayNames
from redaction.greetings import find_intros
from redaction.lexicon import FIRST_NAMES, FUNCTION_WORDS, dropped_g, everyday
from redaction.mentions import sure_name
from redaction.model import EntityType, Finding
from redaction.name_phrases import (
    ANSWERS,
    GREETED,
    INTRODUCTIONS,
    READ_BACKS,
    ROLES,
    ROLES_AND_PARTIES,
    SAID_OF,
    SELF_INTRODUCTIONS,
)
from redaction.name_reader import DESCRIBING_TAGS, NameReader, past_title
from redaction.name_spans import CORRECTING, NOT_IN_NAMES, TITLES_SPOKEN
from redaction.name_words import AMBIGUOUS_GIVEN, OPENERS, given_name, hyphenated, name_like
from redaction.number_words import MEASURE_WORDS
from redaction.person_acts import person_acts
from redaction.spelled_names import find_spelled
from redaction.spoken import NUMBER_WORDS, Kind
from redaction.tokens import HESITATIONS
from redaction.transcript import Transcript
from redaction.unknown_names import unknown_names

_FIRST_WORDS = frozenset(p[0] for p, _ in INTRODUCTIONS)
# Titles said only before a surname, so the word after one is a name even when it is also
# an everyday word ("Mr. Street", "Ms. Price", "mrs banks"); "doctor" is also a noun.
_SURNAME_TITLES = frozenset({"mr", "mrs", "ms", "mister", "missus"})


# Words that make a rare word after the phrase they begin or end a name: a person's role,
# where a record is filed ("under"), "calls him/her/me", a party ("the buyer is"), "named".
_ROLE_WORDS = frozenset(ROLES)
_RARE_NAMED_AFTER = (
    ROLES_AND_PARTIES
    | {"under", "him", "her", "me", "named", "attention", "attn", "still", "name"}
    | {"honor", "man", "hand"}  # the last words of "maid of honor", "best man", "hired hand"
    | {"you've", "youve"}  # an agent answering: "... shipping desk you've got dawit"
)
# Said by a caller before their own name, a weak sign alone ("it's fine").
_SAYS_WHO = frozenset({("it's",), ("its",), ("this", "is")})
# Said before a thing: "the marina gate code".
_THE = frozenset({"the", "a", "an"})
# "and" as said and as noisy recognisers write it.
_AND = frozenset({"and", "n", "an", "&"})


class _Names(NameReader):
    """Where names stand in the line being checked: after an introducing phrase, in the
    answer to a question for a name, said of someone, or a known given name anywhere."""

    def introduced(self) -> list[Finding]:
        found = []
        toks = self.toks
        k = self.first
        lower = [t.lower.replace("’", "'") for t in toks[: self.stop]]
        while k < self.stop:
            matched = None
            if lower[k] in _FIRST_WORDS:
                for phrase, strong in INTRODUCTIONS:
                    if tuple(lower[k : k + len(phrase)]) == phrase:
                        matched = (len(phrase), strong)
                        break
            if matched is None or (lower[k] == "dr" and self._street_before(k)):
                k += 1
                continue
            if k > 0 and lower[k - 1] == "what":
                # "tugboat that's what everybody calls him drove tankers", "that's what
                # i'm calling about": what is called so was said before, not after
                k += 1
                continue
            j = k + matched[0]
            strong = matched[1] or self._from_somewhere(k, j)
            if j < self.stop and toks[j].text == "." and not strong:
                k = j  # "Thank you. Will anyone be home?": the sentence ended
                continue
            if j < self.stop and toks[j].text in (".", ","):
                j += 1
            after_title = lower[k + matched[0] - 1] in _SURNAME_TITLES
            titled = False
            if j < self.stop and toks[j].lower in TITLES_SPOKEN:
                titled = True
                after_title = toks[j].lower in _SURNAME_TITLES
                j = past_title(toks, j, self.stop)
                strong = True  # "thanks mr mcallister": after a title comes the surname
            # after a role, "under", "calls him" or "the client is", a word English hardly
            # uses otherwise is a name ("our driver naveen", "that's under orville schmidtt")
            phrase_words = (lower[k], lower[k + matched[0] - 1])
            rare_ok = any(w in _RARE_NAMED_AFTER for w in phrase_words)
            role = lower[k] in _ROLE_WORDS
            if role and k > 0 and lower[k - 1] in MEASURE_WORDS:
                k += 1  # "the twelve meter trainer kite": a kind of thing, no one's role
                continue
            phrase = tuple(lower[k : k + matched[0]])
            introduces = phrase[-1:] in SELF_INTRODUCTIONS or phrase[-2:] in SELF_INTRODUCTIONS
            self_intro = not strong and introduces
            # after a role, or a greeting or thanks, a lower-case everyday word the tagger
            # calls proper is no name ("thanks fees are paid every two weeks")
            trusted = not role and phrase not in GREETED and phrase not in READ_BACKS
            last = self._name_at(
                j, strong, after_title, rare_ok, tag_trusted=trusted, self_intro=self_intro
            )
            # "it's mrs pruitt": after a title, no describing word
            described = (
                last is not None
                and not titled
                and self._describes(list(phrase), j)
                and not (introduces and self._introduces_self(j))
            )
            # "my mechanic, Ruiz Auto": a business, named like a person after a role
            # ... or ending in a firm's word after any phrase: "the account's under Pampas
            # Legal Group"
            business = last is not None and (
                (not strong and any(t.lower in NOT_IN_NAMES for t in toks[j : last + 1]))
                or (last > j and toks[last].lower in NOT_IN_NAMES and not (titled or after_title))
            )
            if last is not None and not described and not business:
                last = self._with_suffix(last)  # "desmond achterberg junior"
                score = 0.85 if strong else 0.7
                found.append(Finding(EntityType.PERSON, toks[j].start, toks[last].end, score))
                k = last + 1
                rest = self._name_goes_on(k, strong)
                if rest is not None:
                    found.append(
                        Finding(EntityType.PERSON, toks[rest[0]].start, toks[rest[1]].end, score)
                    )
                    k = rest[1] + 1
                while (more := self._and_another(k)) is not None:
                    found.append(
                        Finding(EntityType.PERSON, toks[more[0]].start, toks[more[1]].end, 0.7)
                    )
                    k = more[1] + 1
            else:
                k += 1  # "the names are ...": a longer phrase may start inside this one
        return found

    def _from_somewhere(self, k: int, j: int) -> bool:
        """ "it's lopa from crouton and crumb bakery", "this is kemal calling from ...":
        a caller opening the line with who they are and where they call from."""
        if tuple(t.lower for t in self.toks[k:j]) not in _SAYS_WHO or k != self.first:
            return False
        said = self.toks[j].lower if j < self.stop else ""
        if everyday(said) and not given_name(said):
            return False  # "it's water from the tank"
        after = [t.lower for t in self.toks[j + 1 : min(j + 3, self.stop)]]
        return after[:1] == ["from"] or after[:2] in (["calling", "from"], ["callin", "from"])

    def said_of_someone(self) -> list[Finding]:
        """ "He's Caspian Odunsi.", "shes amira born ...": a caller saying who the person
        they call about is. Only a word that can hardly be anything but a name counts
        here, capitalised or not ("He's Catholic", "she's diabetic" name no one), where
        the name then ends or a rare surname follows."""
        found = []
        toks = self.toks
        for k in range(self.first, self.stop - 1):
            if toks[k].lower.replace("’", "'") not in SAID_OF:
                continue
            j = k + 1
            if not sure_name(toks[j]) or dropped_g(toks[j].lower):
                continue
            last = j
            if self._rare_word(j + 1) and not dropped_g(toks[j + 1].lower):
                last = hyphenated(toks, j + 1, self.stop)
            elif not self._name_ends(j + 1):
                continue
            found.append(Finding(EntityType.PERSON, toks[j].start, toks[last].end, 0.7))
        return found

    def _street_before(self, k: int) -> bool:
        """The "dr" at token k ends a street's name after its house number ("2760 oakwood
        dr homer michigan"): Drive, not Doctor."""
        toks = self.toks
        if k < 2 or toks[k - 1].kind != Kind.WORD or toks[k - 1].lower in FUNCTION_WORDS:
            return False
        return any(t.kind == Kind.DIGITS or t.lower in NUMBER_WORDS for t in toks[k - 4 : k - 1])

    def _and_another(self, k: int) -> tuple[int, int] | None:
        """After a name ending before token k, "and" and another person's name: "my
        references are dorothea mbeki and lorcan shaughnessy", "ravindra and sunita
        chaudhry". The second name's first word must be a given name or a word that can
        hardly be anything but one ("... and visa" is no one)."""
        j = k
        if j < self.stop and self.toks[j].text == ",":
            j += 1
        if j >= self.stop or self.toks[j].lower not in _AND:
            return None
        j += 1
        if j >= self.stop:
            return None
        tok = self.toks[j]
        if not (given_name(tok.lower) and tok.lower not in AMBIGUOUS_GIVEN) and not sure_name(tok):
            return None
        # the word is a name by itself (checked above), whatever _name_at makes of it
        last = self._name_at(j, False, self_intro=True) or j
        if last == j and j + 1 < self.stop and self.toks[j + 1].lower == self.toks[k - 1].lower:
            last = j + 1  # "theodora swift and nico swift": the same surname again
        return j, last

    def _name_goes_on(self, k: int, strong: bool) -> tuple[int, int] | None:
        """After a name ending before token k, a hesitation and more of it, or the name
        said again: "fatuma um abdi warsame", "gennadi uh gennady voronov", "ruth no
        ruthanne gallagher"."""
        j = k
        while j < self.stop and self.toks[j].lower in HESITATIONS | CORRECTING:
            j += 1
        if j == k or j >= self.stop:
            return None
        # the name said again as meant sounds like it: "ruth no ruthanne"
        again = self.toks[j].lower[:3] == self.toks[k - 1].lower[:3]
        if not (name_like(self.toks[j]) or again):
            return None
        last = self._name_at(j, strong or again)
        return None if last is None else (j, last)

    def _answer_starts(self) -> list[int]:
        """Where answers start in the line: its start, and after a number and "and its"
        ("... oh won three ate and its birgitta lund": a phone number and a name asked for)."""
        starts = [self.first]
        for j in range(self.first + 1, self.stop - 1):
            answer_word = self.toks[j + 1].lower.replace("’", "'") in ANSWERS
            if self.toks[j].lower == "and" and answer_word and self._number_ends(j - 1):
                k = j + 2
                if k < self.stop and self.pos.get(self.toks[k].start) in DESCRIBING_TAGS:
                    continue  # "... and its broken": said of a thing
                starts.append(j + 1)
        return starts

    def answered(self) -> list[Finding]:
        """The bare answer to "can I get your name?": "colleen becker", "sure, ingrid"."""
        if not self.asked_name:
            return []
        return [f for start in self._answer_starts() for f in self._answer_from(start)]

    def _answer_from(self, k: int) -> list[Finding]:
        while k < self.stop and (
            self.toks[k].kind == Kind.PUNCT
            or self.toks[k].lower.replace("’", "'") in ANSWERS | OPENERS
        ):
            k += 1
        if k >= self.stop:
            return []
        initial = len(self.toks[k].text) == 1
        if initial and (k + 1 >= self.stop or not name_like(self.toks[k + 1])):
            return []  # "k n his date a birth": "ok and ...", a letter and no surname
        # the answer opens with the name: a word English hardly uses is one ("ingeborg
        # salas born november ...")
        last = self._name_at(k, False, rare_ok=True)
        if last is None:
            return []
        found = [Finding(EntityType.PERSON, self.toks[k].start, self.toks[last].end, 0.7)]
        # "eliza tobias and june pruett": the names asked for, listed
        while last + 2 < self.stop and self.toks[last + 1].lower in ("and", ","):
            nxt = last + 2
            if self.toks[nxt].lower == "and":
                nxt += 1  # ", and"
            if nxt >= self.stop or not name_like(self.toks[nxt]):
                break
            end = self._name_at(nxt, True)
            if end is None:
                break
            found.append(Finding(EntityType.PERSON, self.toks[nxt].start, self.toks[end].end, 0.7))
            last = end
        return found

    def known(self) -> list[Finding]:
        """Common given names anywhere, with the surname after them: "so priya patel
        here", "I spoke to maria yesterday"."""
        found = []
        toks = self.toks
        for k in range(self.first, self.stop):
            tok = toks[k]
            if tok.kind != Kind.WORD or tok.lower not in FIRST_NAMES:
                continue
            if k > 0 and toks[k - 1].lower in _THE and tok.text.islower():
                continue  # "the marina gate code", "the rose garden": a thing
            end = self._surname_end(k)
            score = 0.6 if end > k else 0.5
            found.append(Finding(EntityType.PERSON, tok.start, toks[end].end, score))
            j = end + 1
            while j < self.stop and toks[j].lower in HESITATIONS:
                j += 1
            if j > end + 1 and self._rare_word(j) and self._name_ends(j + 1):
                # "arturo um benavidez": the surname after a pause
                found.append(Finding(EntityType.PERSON, toks[j].start, toks[j].end, 0.6))
        return found


def find_names(doc: Transcript, pos: Mapping[int, str]) -> list[Finding]:
    """Names introduced by a phrase or spelled out, in the line being checked."""
    names = _Names(doc, pos)
    intros = find_intros(doc.tokens, names.first, names.stop)
    return (
        names.introduced()
        + names.answered()
        + names.known()
        + find_spelled(doc, names.first, names.stop)
        + names.said_of_someone()
        + intros
        + EverydayNames(doc.tokens, names.first, names.stop, pos).find()
        + unknown_names(doc.tokens, names.first, names.stop)
        + person_acts(doc.tokens, names.first, names.stop)
        + named_after_desk(doc)
    )
