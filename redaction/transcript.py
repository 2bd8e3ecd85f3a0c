"""One line to check, with its speaker's neighbouring lines, read as a single text.

The lines are joined with newlines so that a number read across two lines is one digit
run; findings are made in the joined text and clipped to the line being checked. The
other party's last words (`prompt`, usually the agent's question) are not searched for
PII, only for cues: "What is the expiration date?" makes "zero nine, twenty seven" an
expiry date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from redaction.context import Cue, CueMatch, find_cues
from redaction.spoken import DigitRun, Kind, Token, filler_end, find_runs, tokenize

# How far (in words) a cue reaches back to the number it names, and forward after it.
BACK_WINDOW = 12
AHEAD_WINDOW = 4
PROMPT_WINDOW = 16


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


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
            cues=find_cues(tokens),
        )
        if prompt.strip():
            ptokens = tokenize(_one_line(prompt))
            words = [i for i, t in enumerate(ptokens) if t.is_word]
            doc.prompt_words = len(words)
            for match in find_cues(ptokens):
                after_words = sum(1 for i in words if i > match.last)
                doc.prompt_cues.append((match.cue, after_words))
        doc._index_cues()
        return doc

    def _index_cues(self) -> None:
        self._by_last = {m.last: m for m in self.cues}
        self._by_first = {m.first: m for m in self.cues}
        self.run_starting = {run.first_token: run for run in self.runs}
        self.run_ending = {run.last_token: run for run in self.runs}

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
        prompt_done = self.token_line[first] != self.target if self.tokens else True
        while k >= 0 and dist <= back:
            tok = self.tokens[k]
            if tok.kind == Kind.NEWLINE:
                if not prompt_done and self.token_line[k + 1] == self.target:
                    found += self._prompt_cues(dist)
                    prompt_done = True
                    dist += min(self.prompt_words, back // 2)
                k -= 1
                continue
            match = self._by_last.get(k)
            if match is not None and match.last < first:
                found.append((match.cue, float(dist)))
                dist += 1
                k = match.first - 1
                continue
            if tok.is_word:
                dist += 1
            k -= 1
        if not prompt_done:
            # the question governs its whole answer, however long the answer runs
            found += self._prompt_cues(dist)
        # ahead: "... that's my pin", in the same line only
        k, words = last + 1, 0
        line = self.token_line[last] if self.tokens else 0
        while k < len(self.tokens) and words <= ahead and self.token_line[k] == line:
            match = self._by_first.get(k)
            if match is not None:
                # "... that's my pin"; "206 555 0198 extension 12" says nothing of the first
                if match.cue not in (Cue.NEGATIVE, Cue.MONEY, Cue.NEUTRAL):
                    found.append((match.cue, 1.0 + 1.5 * words))
                k = match.last + 1
                words += 1
                continue
            if self.tokens[k].is_word:
                words += 1
            k += 1
        found.sort(key=lambda pair: pair[1])
        return found

    def _prompt_cues(self, dist: int) -> list[tuple[Cue, float]]:
        return [
            (cue, float(dist + words)) for cue, words in self.prompt_cues if words <= PROMPT_WINDOW
        ]

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
