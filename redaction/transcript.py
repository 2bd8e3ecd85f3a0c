"""One line to check, with its speaker's neighbouring lines, read as a single text.

The lines are joined with newlines so that a number read across two lines is one digit
run; findings are made in the joined text and clipped to the line being checked. The
other party's last words (`prompt`, usually the agent's question) are not searched for
PII, only for cues: "What is the expiration date?" makes "zero nine, twenty seven" an
expiry date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from redaction.asked import (
    answered_there,
    asked,
    earlier_lines_asked,
    offered,
    reads_card,
    sent_somewhere,
)
from redaction.checksums import aba_ok
from redaction.context import Cue, CueMatch, find_cues
from redaction.spoken import NUMBER_WORDS, DigitRun, Kind, Token, filler_end, find_runs, tokenize
from redaction.tokens import TAKEN_BACK

# How far (in words) a cue reaches back to the number it names, and forward after it.
BACK_WINDOW = 12
AHEAD_WINDOW = 4
PROMPT_WINDOW = 16


# What is sent somewhere, never where it is sent: "text the receipt to ...", "charge the
# fee to ...".
_NOT_DESTINATIONS = frozenset({Cue.NEGATIVE, Cue.MONEY})
# Cues that say nothing of a number before them: "206 555 0198 extension 12", "born
# 1956, and the last four are 1120".
_NOT_AHEAD = frozenset(
    {Cue.NEGATIVE, Cue.MONEY, Cue.NEUTRAL, Cue.LAST_FOUR, Cue.LAST_DIGITS, Cue.PART}
)


# Words between a cue and its number: "my pin is 1234", "the code: 567".
_LINKS = frozenset({"is", "are", "was", "'s", "of", "it's", "number"})


# Words that open a question said after a number, unpunctuated: what it asks for is
# still to come.
_ASKS_AHEAD = frozenset({"what", "what's", "whats", "wats", "can", "could", "would"})
# Said right before a number that a cue a few words back names.
_STATES_ITS_OWN = frozenset({"is", "are", "was", "'s", "it's", "its"})


# Words taking back what was just said, "instead" among them ("... use this one instead").
_TAKING_BACK = TAKEN_BACK | {"instead"}
# Kinds of number that say when one was given whole: by a checksum (a routing number) or by
# its length (a social). (A card given whole still names the expiry and code after it.)
_GIVEN_WHOLE = frozenset({Cue.ROUTING, Cue.SSN})
_SSN_DIGITS = 9
# Tokens between a cue and a stopping word saying which of it: "code for level two".
_WHICH_REACH = 2
# Kinds a caller names before the number of their own that follows.
_NAMED_WITH_OWN = frozenset(
    {Cue.PIN, Cue.CODE, Cue.SSN, Cue.DOB, Cue.PHONE, Cue.ACCOUNT, Cue.ROUTING, Cue.CARD, Cue.CVV}
)


# Digits of a card given whole (a short card number is 13 or 14 digits, 12 if misheard).
_CARD_GIVEN = 12


def _followed_by(tokens: list[Token], last: int, starts: set[int]) -> bool:
    """A number starts right after token `last`, perhaps after "is" or "number"."""
    k = last + 1
    while k < len(tokens) and (tokens[k].kind == Kind.PUNCT or tokens[k].lower in _LINKS):
        k += 1
    return k in starts


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


# The kinds of number a question asks for, which an answer gives in the order asked.
_ANSWERED_IN_ORDER = frozenset(
    {
        Cue.CARD,
        Cue.CVV,
        Cue.EXPIRY,
        Cue.SSN,
        Cue.ACCOUNT,
        Cue.ROUTING,
        Cue.PIN,
        Cue.PHONE,
        Cue.DOB,
        Cue.CODE,  # "exp n code" / "too thirty three n fore three five"
    }
)


@dataclass
class Transcript:
    text: str
    tokens: list[Token]
    lines: list[tuple[int, int]]  # character span of each line
    target: int  # index of the line being checked
    token_line: list[int]
    runs: list[DigitRun]
    cues: list[CueMatch]
    prompt_cues: list[tuple[Cue, int]] = field(default_factory=list)  # (cue, words to end)
    prompt_words: int = 0
    prompt_said: list[str] = field(default_factory=list)  # its words, lower case
    prompt_card: bool = False  # it reads out a card's number
    prompt_numbers: bool = False  # it says a number
    # the prompt was said after the speaker's lines before the target, not before them
    prompt_between: bool = True
    # who said the line being checked: "agent", "customer", or "" when unknown
    speaker: str = ""
    run_starting: dict[int, DigitRun] = field(default_factory=dict)  # by first token
    run_ending: dict[int, DigitRun] = field(default_factory=dict)  # by last token
    _by_first: dict[int, CueMatch] = field(default_factory=dict)
    _by_last: dict[int, CueMatch] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        text: str,
        *,
        before: Sequence[str] = (),
        after: Sequence[str] = (),
        prompt: str = "",
        prompt_between: bool = True,
        speaker: str = "",
    ) -> Transcript:
        lines = [_one_line(t) for t in (*before, text, *after)]
        joined = "\n".join(lines)
        spans: list[tuple[int, int]] = []
        pos = 0
        for line in lines:
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        tokens = tokenize(joined)
        token_line: list[int] = []
        index = 0
        for tok in tokens:
            while tok.start > spans[index][1]:
                index += 1
            token_line.append(index)
        doc = cls(
            text=joined,
            tokens=tokens,
            lines=spans,
            target=len(before),
            token_line=token_line,
            runs=find_runs(joined, tokens),
            cues=earlier_lines_asked(tokens, token_line, len(before), find_cues(tokens)),
            prompt_between=prompt_between,
            speaker=speaker,
        )
        if prompt.strip():
            ptokens = tokenize(_one_line(prompt))
            # a number read out in the question counts as one word: "the social is 9 9 9,
            # 8 8 7 7 7 7 and ..." keeps its cue near what comes after it
            pruns = find_runs(_one_line(prompt), ptokens)
            inside = {k for run in pruns for k in range(run.first_token + 1, run.last_token + 1)}
            # "Sure, Discover, 6011 9591 4575 8364, 04/33, 557.": a card read out, unnamed
            doc.prompt_card = any(reads_card(run) for run in pruns)
            doc.prompt_numbers = bool(pruns)
            words = [i for i, t in enumerate(ptokens) if t.is_word and i not in inside]
            doc.prompt_words = len(words)
            doc.prompt_said = [t.lower for t in ptokens if t.is_word or t.kind == Kind.DIGITS]
            # whole cards given in the question's line: "discover six five four nine ..."
            cards = {run.first_token for run in pruns if len(run.digits) >= _CARD_GIVEN}
            for match in asked(ptokens, find_cues(ptokens)):
                if answered_there(ptokens, match):
                    continue
                if match.cue == Cue.CARD and _followed_by(ptokens, match.last, cards):
                    continue  # the card given there asks the next speaker nothing
                if offered(ptokens, match):
                    continue  # "i can give you the door code once i check ...": not asked
                after_words = sum(1 for i in words if i > match.last)
                doc.prompt_cues.append((match.cue, after_words))
        doc._index_cues()
        return doc

    def _index_cues(self) -> None:
        self._by_last = {m.last: m for m in self.cues}
        self._by_first = {m.first: m for m in self.cues}
        self.run_starting = {run.first_token: run for run in self.runs}
        self.run_ending = {run.last_token: run for run in self.runs}

    def token_from(self, offset: int) -> int | None:
        """Index of the first token that starts at or after character `offset`, if any."""
        k = bisect_left(self.tokens, offset, key=lambda tok: tok.start)
        return k if k < len(self.tokens) else None

    def cue_starting(self, k: int) -> Cue | None:
        """The cue whose phrase begins at token k, if one does."""
        match = self._by_first.get(k)
        return None if match is None else match.cue

    @property
    def target_span(self) -> tuple[int, int]:
        return self.lines[self.target]

    def overlaps_target(self, start: int, end: int) -> bool:
        lo, hi = self.target_span
        return start < hi and end > lo

    def cues_near(
        self, first: int, last: int, *, back: int = BACK_WINDOW, ahead: int = AHEAD_WINDOW
    ) -> list[tuple[Cue, float]]:
        """Cues around the tokens first..last, nearest first, as (cue, distance in words).

        Looking back from a number in the line being checked, the other party's prompt
        comes before the speaker's own earlier lines."""
        found: list[tuple[Cue, float]] = []
        dist = 0
        k = first - 1
        # a number begun in the speaker's previous line and ending in this one answers
        # the same question
        prompt_done = (
            self.token_line[first] != self.target and self.token_line[last] != self.target
            if self.tokens
            else True
        )
        # "text the receipt to 917...", "charge it to 4111...": a number said where
        # something goes is not the thing that goes (a receipt, a fee)
        sent_to = self._sent_to(first)
        stop_from = 0  # where the speaker's own earlier lines may stop the number
        # the question came right before the line the answer starts in: the number begun
        # in the speaker's previous line, said after the question ("ur social?" / "its
        # nine won fore ate uh" / "three nine ..."), is asked for before that line's past
        answer_line = self.target
        if self.tokens and not self.prompt_between and self.token_line[first] < self.target:
            answer_line = self.target - 1
        # kinds the line already answered whole before the number: asked no more
        given = self._given_in_line(first) if self.tokens else set()
        while k >= 0 and dist <= back:
            tok = self.tokens[k]
            if tok.kind == Kind.NEWLINE:
                if not prompt_done and self.token_line[k + 1] == answer_line:
                    asked = self._prompt_cues(dist, sent_to, self._first_of_answers(first))
                    asked = [(cue, d) for cue, d in asked if cue not in given]
                    found += asked
                    prompt_done = True
                    # a prompt that asks for nothing and answers nothing ("we cant cut the
                    # check without it go ahead") leaves the speaker's own words before it
                    # governing the number ("u need my social for the ten ninety nine" /
                    # ... / "k its nine fore tree oh fore"), as a pause would
                    quiet = not (self.prompt_cues or self.prompt_numbers)
                    dist += 1 if quiet else min(self.prompt_words, back // 2)
                    # the question comes before what the speaker said earlier that would
                    # stop it: "can you send me the invoice" / "what's the best number
                    # ..." / "971 555 ..."
                    stop_from = max([dist, *(int(d) + 1 for _, d in asked)])
                k -= 1
                continue
            match = self._by_last.get(k)
            if match is not None and match.last < first:
                stops = match.cue in (Cue.NEGATIVE, Cue.MONEY)
                # "text the receipt to six nine ate ..." / "... too three nine five ...": a
                # stopping word that a number followed in an earlier line names that one,
                # not this
                own = self._number_named_after(match.last, sent=True) if stops else None
                # ... or in this line before it: "your keypad code for level two is oh four
                # six seven three" (level two is the level's number, not this)
                names_another = own is not None and self._another_before(match, own, first)
                if match.cue in _GIVEN_WHOLE and self._given_whole(match.last, first):
                    names_another = True  # "routin is <nine digits> acct double six ...":
                    # the routing number was given, whole, before this one
                if not (sent_to and match.cue in _NOT_DESTINATIONS) and not names_another:
                    found.append((match.cue, float(max(dist, stop_from) if stops else dist)))
                dist += 1
                k = match.first - 1
                continue
            if tok.is_word:
                dist += 1
            k -= 1
        if not prompt_done:
            # the question governs its whole answer, however long the answer runs
            found += [
                (cue, d)
                for cue, d in self._prompt_cues(dist, sent_to, self._first_of_answers(first))
                if cue not in given
            ]
        # ahead: "... that's my pin", in the same line only
        k, words = last + 1, 0
        line = self.token_line[last] if self.tokens else 0
        while k < len(self.tokens) and words <= ahead and self.token_line[k] == line:
            match = self._by_first.get(k)
            if match is not None:
                # "... that's my pin"; "206 555 0198 extension 12" says nothing of the first
                # "... n the receipt to ap at ...": a stopping word sent on somewhere says
                # nothing of the number before it
                sent_on = match.cue in (Cue.NEGATIVE, Cue.MONEY) and sent_somewhere(
                    self.tokens, match.last
                )
                if match.cue not in _NOT_AHEAD and not self._names_next(match.last) and not sent_on:
                    found.append((match.cue, 1.0 + 1.5 * words))
                k = match.last + 1
                words += 1
                continue
            if self.tokens[k].text in (".", "!") and self._asks_next(k):
                break  # "opening day, May 23. What's his date of birth?": a new question
            if self.tokens[k].lower in _ASKS_AHEAD:
                break  # "tuesday at ten fifteen what's your name and date of birth"
            if self.tokens[k].is_word:
                words += 1
            k += 1
        found.sort(key=lambda pair: pair[1])
        # "5521, and the PIN is 7391" asked for the last four and the pin: the kind named
        # with a number of its own later in the line is not this one
        later = self._named_later(last) - self._named_before_in_line(first)
        rest = [(cue, d) for cue, d in found if cue not in later]
        return rest if rest else found

    def _named_before_in_line(self, first: int) -> set[Cue]:
        """Kinds of number named in the line before token `first` ("The code is 8825. ...,
        code 384": the first code is named where it is said)."""
        line = self.token_line[first] if self.tokens else 0
        return {m.cue for m in self.cues if m.last < first and self.token_line[m.first] == line}

    def _named_later(self, last: int) -> set[Cue]:
        """Kinds of number named, each with a number of its own, after token `last` in its
        line ("... and the PIN is 7391"); a code counts as a PIN."""
        named: set[Cue] = set()
        line = self.token_line[last] if self.tokens else 0
        k = last + 1
        while k < len(self.tokens) and self.token_line[k] == line:
            if self.tokens[k].lower in _TAKING_BACK:
                break  # "six oh one one ... oh wait that one's maxed ... the mastercard two
                # seven ...": a card taken back, then another named
            match = self._by_first.get(k)
            if match is not None and match.cue in _NAMED_WITH_OWN and self._names_next(match.last):
                named |= {Cue.PIN, Cue.CODE} if match.cue in (Cue.PIN, Cue.CODE) else {match.cue}
            k += 1
        return named

    def _asks_next(self, end: int) -> bool:
        """The sentence after the full stop at token `end` is a question, which asks for
        a number still to come."""
        for tok in self.tokens[end + 1 :]:
            if tok.kind == Kind.NEWLINE or tok.text in (".", "!"):
                return False
            if tok.text == "?":
                return True
        return False

    def _sent_to(self, first: int) -> bool:
        """The number at `first` follows "to" in its own line, and no number before that
        makes it a range ("5 to 6")."""
        k = first - 1
        while k >= 0 and self.tokens[k].kind == Kind.PUNCT:
            k -= 1
        if k > 0 and self.tokens[k].lower == "the" and self.tokens[k - 1].lower == "to":
            k -= 1  # "text tracking to the 357 555 ..."
        if k < 0 or self.tokens[k].lower != "to":
            return False
        prev = self.tokens[k - 1] if k > 0 else None
        return prev is not None and prev.kind == Kind.WORD and prev.lower not in NUMBER_WORDS

    def _names_next(self, last: int) -> bool:
        """The cue ending at token `last` is followed by a number of its own ("born 6 3 59,
        and my pin is 3 6 2 1"): it names that one, not the number before it."""
        return self._number_named_after(last) is not None

    def _number_named_after(self, last: int, *, sent: bool = False) -> int | None:
        """The first token of the number the cue ending at token `last` names right after
        it, if it names one; with `sent`, also one it is sent to ("the receipt to ...")."""
        links = _LINKS | {"to"} if sent else _LINKS
        k = last + 1
        direct = True  # only links so far ("code is 1234")
        while k < len(self.tokens) and k <= last + 6:
            tok = self.tokens[k]
            before = self.tokens[k - 1].lower
            if k in self.run_starting and (direct or before in _STATES_ITS_OWN):
                # "the gate code for the neighborhood is double six ...", "the gate code
                # changed, it's 7695 now": its own, too
                return k
            if tok.kind == Kind.NEWLINE:
                return None
            if tok.kind != Kind.PUNCT and tok.lower not in links:
                direct = False
            k += 1
        return None

    def _another_before(self, stop: CueMatch, own: int, first: int) -> bool:
        """The number starting at token `own`, which the stopping cue `stop` names, ended
        in an earlier line than token `first`; or in this line, the stop saying which
        thing another cue right before it names ("your keypad code for level two is oh
        four six seven three"), and nothing was taken back ("order four four one one no
        sorry four four one two" restarts it)."""
        end = self.run_starting[own].last_token
        if self.token_line[end] < self.token_line[first]:
            return True
        if end >= first or self._taken_back(end + 1, first):
            return False
        return any(
            m.cue not in (Cue.NEGATIVE, Cue.MONEY, Cue.NEUTRAL)
            and 0 < stop.first - m.last <= _WHICH_REACH
            for m in self.cues
        )

    def _taken_back(self, start: int, end: int) -> bool:
        """A word taking back what was said stands among tokens start..end-1."""
        return any(t.lower in _TAKING_BACK for t in self.tokens[start:end])

    def _given_in_line(self, first: int) -> set[Cue]:
        """Kinds asked for that the line named before token `first` with a number given
        whole ("Social is 930-65-9496. ... and my account, hold on, 153272687"): asked
        for, they are answered, and the question asks for nothing more of them."""
        line = self.token_line[first]
        return {
            m.cue
            for m in self.cues
            if m.cue in _GIVEN_WHOLE
            and m.last < first
            and self.token_line[m.first] == line
            and self._given_whole(m.last, first)
        }

    def _given_whole(self, last: int, first: int) -> bool:
        """The cue ending at token `last` named a number of its own, whole by its checksum
        (a routing number) or its length (a social), that ended before token `first` and
        was not taken back."""
        own = self._number_named_after(last)
        if own is None:
            return False
        run = self.run_starting[own]
        if run.last_token >= first:
            return False
        if self._taken_back(run.last_token + 1, first):
            return False  # "social is 930659496 sorry 930659469": the number said again
        digits = run.digits
        if self._by_last[last].cue == Cue.SSN:
            return len(digits) == _SSN_DIGITS
        return aba_ok(digits)

    def _first_of_answers(self, first: int) -> bool:
        """The number at token `first` is the first of several the line being checked
        gives, in answer to a question for several kinds ("ur social ur date a birth n ur
        bank": "nine for for ... born ten thirteen ..."): it answers what was asked first."""
        if len({cue for cue, _ in self.prompt_cues if cue in _ANSWERED_IN_ORDER}) < 2:
            return False
        lo, hi = self.target_span
        toks = self.tokens
        # where each number said in the line starts in it, a number the line before ran
        # into it too ("too thirty three", after the card ended that line)
        starts = sorted(
            next(k for k in range(run.first_token, run.last_token + 1) if toks[k].start >= lo)
            for run in self.runs
            if run.end > lo and run.start < hi
        )
        # "eight three eight two and twelve three ninety nine": two answers joined by "and"
        # into one run
        starts += [k for run in self.runs if run.start < hi for k in self._after_and(run, lo)]
        return len(starts) >= 2 and min(starts) == first

    def _after_and(self, run: DigitRun, lo: int) -> list[int]:
        """First tokens of the pieces of `run`, in the line from offset `lo`, said right
        after "and"."""
        return [
            piece.first_token
            for piece in run.pieces[1:]
            if piece.start >= lo
            and piece.first_token > 0
            and self.tokens[piece.first_token - 1].lower in ("and", "n")
        ]

    def _prompt_cues(
        self, dist: int, sent_to: bool = False, in_order: bool = False
    ) -> list[tuple[Cue, float]]:
        asked = [
            (cue, words)
            for cue, words in self.prompt_cues
            if words <= PROMPT_WINDOW and not (sent_to and cue in _NOT_DESTINATIONS)
        ]
        if in_order:
            # the first answer to the first thing asked: the kinds of number asked for,
            # ranked by where the question named them, the earliest nearest
            kinds = [(cue, words) for cue, words in asked if cue in _ANSWERED_IN_ORDER]
            ranked = sorted({words for _, words in kinds}, reverse=True)
            return [(cue, float(dist + ranked.index(words))) for cue, words in kinds] + [
                (cue, float(dist + words)) for cue, words in asked if cue not in _ANSWERED_IN_ORDER
            ]
        return [(cue, float(dist + words)) for cue, words in asked]

    def ends_text(self, last: int) -> bool:
        """Nothing but punctuation and fillers follows token `last`: the number may go on
        in words not transcribed yet."""
        k = last + 1
        while k < len(self.tokens):
            tok = self.tokens[k]
            if tok.kind == Kind.PUNCT:
                k += 1
                continue
            if tok.kind == Kind.NEWLINE:
                k += 1
                continue
            end = filler_end(self.tokens, k)
            if end == k:
                return False
            k = end
        return True

    def line_text(self, index: int) -> str:
        start, end = self.lines[index]
        return self.text[start:end]
