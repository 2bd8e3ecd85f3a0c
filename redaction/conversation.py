"""Redacting a conversation line by line, each line read with its speaker's other lines.

Live, a line is redacted as it arrives, with what its speaker said before; a line once
returned keeps its spans, though the speaker's next line may revise their types (a number
begun in one line and finished in the next); in batch, each line also sees what its
speaker said after.
Either way the other party's words since the speaker last spoke (usually the agent's
question) are passed to the detector as cues only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from redaction.anonymize import anonymize
from redaction.context import Cue, find_cues
from redaction.detector import Detector
from redaction.model import NUMBER_KINDS, EntityType, Finding, RedactedText, Revision
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from redaction.recurring import (
    MIN_REPEATED_DIGITS,
    CallNames,
    as_said_before,
    expiries_read_back,
    expiries_said,
    misread_in_pieces,
    number_digits,
    numbers_said_again,
)
from redaction.revisions import card_begun, joined, retyped
from redaction.surnames import with_surnames
from redaction.tokens import Kind, tokenize
from redaction.transcript import Transcript

PROMPT_LINES = 2  # how many of the other party's latest lines serve as cues
# An answer often comes in pieces ("No, I got a new number." / "It's 312 555 0147."): the
# question still applies to the speaker's next lines, up to this many.
ANSWER_LINES = 2


def _prompt(
    lines: Sequence[tuple[str, str]], speaker: str, end: int | None = None
) -> tuple[str, bool]:
    """The other party's latest lines before lines[end], if `speaker` has said no more
    than ANSWER_LINES lines since, and whether they were the last thing said (`speaker`
    has not spoken since). When those lines ask for nothing ("And once more to
    confirm.", "Could you try again?"), the other party's turn before them is added: the
    question they refer to. When they only bid the speaker go on ("mhm go on"), the
    speaker goes on as if not interrupted: after "how's that being paid and the billing
    zip" / "amex 3715 368 19" / "mhm go on", the card goes on and the ZIP is still to come."""
    k = len(lines) if end is None else end
    between = k > 0 and lines[k - 1][0] != speaker
    picked, k = _turn(lines, speaker, k)
    if picked and not _asks(picked):
        earlier, _ = _turn(lines, speaker, k)
        if earlier and _bids_go_on(picked):
            between = False
        picked = earlier + picked
    return " ".join(picked), between


# What a listener says to bid the speaker go on: "mhm go on", "mm hm", "uh huh", "okay go
# ahead", "ok keep goin", "Take your time.", "Okay, that's 5 so far, keep going." (a count
# of digits is no word)
_GO_ON = frozenset(
    """mhm mm hm hmm uh huh uh-huh go on ahead ok okay k yep yeah yes sure got it keep going
    goin next right alright and take your ur time continue that's thats so far""".split()
)


def _bids_go_on(texts: Sequence[str]) -> bool:
    words = [t.lower for t in tokenize(" ".join(texts)) if t.kind == Kind.WORD]
    return bool(words) and all(w in _GO_ON for w in words)


def _turn(lines: Sequence[tuple[str, str]], speaker: str, k: int) -> tuple[list[str], int]:
    """The other party's last turn before lines[k] (at most PROMPT_LINES lines, oldest
    first) and the index where it starts; empty once `speaker` said ANSWER_LINES lines."""
    picked: list[str] = []
    own = 0
    while k > 0 and len(picked) < PROMPT_LINES:
        k -= 1
        who, text = lines[k]
        if who == speaker:
            if picked:
                k += 1
                break  # the other party's turn is over; earlier ones were answered before
            own += 1
            if own >= ANSWER_LINES:
                return [], k
            continue
        picked.append(text)
    return list(reversed(picked)), k


def _allowed(findings: list[Finding], policy: RedactionPolicy) -> list[Finding]:
    """The findings the policy redacts: of its types, at or above its threshold."""
    return [f for f in findings if policy.redacts(f.type) and f.score >= policy.score_threshold]


def _with_repeats(
    text: str,
    found: list[Finding],
    names: CallNames,
    numbers: dict[str, EntityType],
    policy: RedactionPolicy,
    just_said: dict[str, EntityType] | None = None,
) -> list[Finding]:
    """The findings with the names and numbers said earlier in the call that `text` says
    again; a repeat that widens a finding (a read-back's last digit) replaces it."""
    found = _allowed(as_said_before(text, numbers, found), policy)
    if just_said:
        # "k ur new code is seven three fore ..." / "seven three fore ... got it": the
        # code repeated, whatever the caller's own cues asked before
        found = _allowed(as_said_before(text, just_said, found, just_said=True), policy)
        found = _allowed(misread_in_pieces(text, just_said, found), policy)
    # "okay eka chikia did i get that right": a name said again, with its surname now
    said = names.said_again(text, found)
    if said:
        said = with_surnames(Transcript.build(text), said)
    repeats = _allowed(said + numbers_said_again(text, numbers, found), policy)
    kept = [f for f in found if not any(r.start <= f.start and f.end <= r.end for r in repeats)]
    return kept + repeats


# How sure a reading of a number must be for its repeat in the next line to take its type
# whatever that line's cues say: read with a cue, not guessed from its digits ("It's 768 263
# 1328." / "Reading back, account 768 263 1328?").
_SURE_READING = 0.8


def _asks(texts: Sequence[str]) -> bool:
    """The lines name something a number, a name or an address could be."""
    return any(m.cue != Cue.NEUTRAL for m in find_cues(tokenize(" ".join(texts))))


@dataclass(frozen=True)
class _Said:
    """A speaker's latest line, with what the detector was given when it was read."""

    number: int  # its place in the call, counting from 0
    text: str
    before: list[str]
    prompt: str
    between: bool
    found: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class LineReading:
    """A line's findings, and the speaker's previous line's when this line revised them."""

    findings: list[Finding]
    revision: Revision | None = None


class ConversationRedactor:
    """Live redaction of one conversation; keep one per call.

    A final line may revise the speaker's previous one (`LineReading.revision`): when
    both hold numbers and the previous line, read again with this one after it, gives
    one of its numbers another kind ("okay it's five one oh five" is a PIN until "and
    1051 0510 5100" makes it a card's first group)."""

    def __init__(
        self,
        *,
        detector: Detector,
        policy: RedactionPolicy = DEFAULT_POLICY,
        salt: bytes = b"",
        context_lines: int = 2,
    ):
        self.detector = detector
        self.policy = policy
        self.salt = salt
        self.context_lines = context_lines
        self._own: dict[str, deque[str]] = {}
        self._recent: deque[tuple[str, str]] = deque(maxlen=4 * (PROMPT_LINES + 1))
        self._names = CallNames()  # names said so far in the call, by either party
        self._numbers: dict[str, EntityType] = {}  # and the digits of its numbers
        # who said the last line, and the numbers in it
        self._last_line: tuple[str | None, dict[str, EntityType]] = (None, {})
        # expiries said so far with their month's name: said again later in the call (a
        # read-back, a caller correcting one: "no december twenty nine"), they are that one
        self._expiries: set[str] = set()
        self._said: dict[str, _Said] = {}  # each speaker's latest line
        self._lines = 0  # final lines read so far

    def findings(self, text: str, speaker: str, *, record: bool = True) -> list[Finding]:
        """PII in `text` said by `speaker`; `record=False` leaves it out of later context
        (for interim text, which the final will replace)."""
        return self.read(text, speaker, record=record).findings

    def read(self, text: str, speaker: str, *, record: bool = True) -> LineReading:
        """The findings of `text`, and the revision of the speaker's previous line it
        brings (finals only)."""
        speaker = str(speaker)
        before = list(self._own.get(speaker, ()))
        prompt, between = _prompt(list(self._recent), speaker)
        found = self.detector.detect(
            text,
            policy=self.policy,
            before=before,
            prompt=prompt,
            prompt_between=between,
            speaker=speaker,
        )
        last_speaker, last_numbers = self._last_line
        just_said = last_numbers if last_speaker not in (None, speaker) else None
        found = _with_repeats(text, found, self._names, self._numbers, self.policy, just_said)
        found += _allowed(expiries_read_back(text, self._expiries, found), self.policy)
        if not record:
            return LineReading(found)
        said = self._just_before(speaker)
        revision = None if said is None else self._revision(said, text, speaker, found)
        if said is not None:
            self._join_with(said, text, revision.findings if revision else None, found)
        self._said[speaker] = _Said(self._lines, text, before, prompt, between, found)
        self._lines += 1
        self._names.add(text, found)
        self._numbers |= number_digits(text, found)
        # only numbers read surely are retyped when repeated straight after
        sure = [f for f in found if f.score >= _SURE_READING]
        self._last_line = (speaker, number_digits(text, sure))
        self._expiries |= expiries_said(text, sure)
        self._own.setdefault(speaker, deque(maxlen=max(self.context_lines, 0))).append(text)
        self._recent.append((speaker, text))
        return LineReading(found, revision)

    def _just_before(self, speaker: str) -> _Said | None:
        """The speaker's latest line, if it was the call's last, or the other party said
        only a line asking nothing since ("mhm", "go on")."""
        said = self._said.get(speaker)
        if said is None or self._lines - said.number > 2:
            return None
        if self._lines - said.number == 2 and _asks([self._recent[-1][1]]):
            return None
        return said

    def _revision(
        self, said: _Said, text: str, speaker: str, found: list[Finding]
    ) -> Revision | None:
        """The speaker's previous line (`said`, just before) read again with `text` after
        it, when one of its numbers turns out another kind; both must hold numbers."""
        if not any(f.type in NUMBER_KINDS for f in said.found) or not any(
            f.type in NUMBER_KINDS for f in found
        ):
            return None
        revised = card_begun(said.text, said.found, text, found)
        if revised is None:
            again = self.detector.detect(
                said.text,
                policy=self.policy,
                before=said.before,
                after=[text],
                prompt=said.prompt,
                prompt_between=said.between,
                speaker=speaker,
            )
            revised = retyped(said.found, again)
        if revised is None:
            return None
        self._numbers |= number_digits(said.text, revised)
        return Revision(
            lines_back=self._lines - said.number,
            text=anonymize(said.text, revised, style=self.policy.style, salt=self.salt),
            findings=revised,
        )

    def _join_with(
        self, said: _Said, text: str, revised: list[Finding] | None, found: list[Finding]
    ) -> None:
        """Remembers a number the speaker's previous line (`said`) began and `text`
        finished as one, so a read-back of all of it is found ("ate five three" / "five
        five five oh won nine six" / "ate five three five five five oh won nine six n ...")."""
        number = joined(said.text, revised or said.found, text, found)
        if number is not None and len(number[0]) >= MIN_REPEATED_DIGITS:
            self._numbers[number[0]] = number[1]

    def redact(self, text: str, speaker: str) -> RedactedText:
        reading = self.read(text, speaker)
        return RedactedText(
            text=anonymize(text, reading.findings, style=self.policy.style, salt=self.salt),
            findings=reading.findings,
            revision=reading.revision,
        )


def redact_conversation(
    lines: Sequence[tuple[str, str]],
    *,
    detector: Detector,
    policy: RedactionPolicy = DEFAULT_POLICY,
    salt: bytes = b"",
    context_lines: int = 2,
) -> list[RedactedText]:
    """Batch redaction of (speaker, text) lines in spoken order: each line is read with
    its speaker's `context_lines` previous and following lines."""
    pairs = [(str(speaker), text) for speaker, text in lines]
    by_speaker: dict[str, list[int]] = {}
    position: list[int] = []
    for i, (speaker, _) in enumerate(pairs):
        own = by_speaker.setdefault(speaker, [])
        position.append(len(own))
        own.append(i)
    out = []
    names = CallNames()
    numbers: dict[str, EntityType] = {}
    expiries: set[str] = set()
    for i, (speaker, text) in enumerate(pairs):
        own, k = by_speaker[speaker], position[i]
        n = max(context_lines, 0)
        before = [pairs[j][1] for j in own[max(0, k - n) : k]]
        after = [pairs[j][1] for j in own[k + 1 : k + 1 + n]]
        prompt, between = _prompt(pairs, speaker, i)
        found = detector.detect(
            text,
            policy=policy,
            before=before,
            after=after,
            prompt=prompt,
            prompt_between=between,
            speaker=speaker,
        )
        found = _with_repeats(text, found, names, numbers, policy)
        found += _allowed(expiries_read_back(text, expiries, found), policy)
        expiries |= expiries_said(text, [f for f in found if f.score >= _SURE_READING])
        names.add(text, found)
        numbers |= number_digits(text, found)
        out.append(
            RedactedText(text=anonymize(text, found, style=policy.style, salt=salt), findings=found)
        )
    return out
