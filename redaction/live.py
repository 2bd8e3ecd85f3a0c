"""Per-call redaction in the audio worker: final utterances and interim text."""

from __future__ import annotations

from dataclasses import dataclass, replace

from callguide.model import Utterance
from redaction.anonymize import mask, merge_overlaps, replacement
from redaction.conversation import ConversationRedactor
from redaction.detector import Detector
from redaction.model import Finding
from redaction.policy import DEFAULT_POLICY, RedactionPolicy
from redaction.spoken import find_runs
from redaction.words import redact_utterance


def keep_original(redacted: Utterance, original: str, policy: RedactionPolicy) -> Utterance:
    """The redacted utterance, with its original text when the policy keeps originals and
    something was redacted."""
    if not policy.keep_original or redacted.text == original:
        return redacted
    return replace(redacted, original=original)


@dataclass(frozen=True)
class LiveFinal:
    """A final utterance redacted, and the speaker's previous utterance again when this
    one revised it: a number they began there turned out another kind once they finished
    it here (its spans stay; their types, and the labels in the text, change)."""

    utterance: Utterance
    revised: Utterance | None = None


class LiveRedaction:
    """Keep one per call: it remembers each speaker's recent lines as context."""

    def __init__(
        self, *, detector: Detector, policy: RedactionPolicy = DEFAULT_POLICY, salt: bytes = b""
    ):
        self.policy = policy
        self.salt = salt
        self._conversation = ConversationRedactor(detector=detector, policy=policy, salt=salt)
        self._previous: dict[str, Utterance] = {}  # each speaker's latest final, as heard

    def final(self, utterance: Utterance) -> LiveFinal:
        """The utterance with its text and words redacted and its PII time spans set, and
        the speaker's previous utterance redacted again if this one revised it."""
        speaker = utterance.speaker.value
        reading = self._conversation.read(utterance.text, speaker)
        previous = self._previous.get(speaker)
        self._previous[speaker] = utterance
        revised = None
        if reading.revision is not None and previous is not None:
            revised = self._redacted(previous, reading.revision.findings)
        return LiveFinal(self._redacted(utterance, reading.findings), revised)

    def _redacted(self, utterance: Utterance, found: list[Finding]) -> Utterance:
        redacted = redact_utterance(utterance, found, style=self.policy.style, salt=self.salt)
        return keep_original(redacted, utterance.text, self.policy)

    def interim(self, speaker: str, text: str) -> str:
        """Interim text to show: findings replaced as in finals, and every run of
        `policy.interim_digit_run` or more digits (written or said) masked, since the
        rest of the number may not have been spoken yet."""
        found = merge_overlaps(self._conversation.findings(text, str(speaker), record=False))
        runs = [
            (run.start, run.end)
            for run in find_runs(text)
            if len(run.digits) >= self.policy.interim_digit_run
        ]
        parts = []
        pos = 0
        edits = sorted(
            [(f.start, f.end, f) for f in found] + [(s, e, None) for s, e in runs],
            key=lambda edit: (edit[0], edit[2] is None),
        )
        for start, end, finding in edits:
            start = max(start, pos)
            if start >= end:
                continue
            parts.append(text[pos:start])
            value = text[start:end]
            if finding is None:
                parts.append(mask(value))
            else:
                parts.append(
                    replacement(finding.type, value, style=self.policy.style, salt=self.salt)
                )
            pos = end
        parts.append(text[pos:])
        return "".join(parts)
