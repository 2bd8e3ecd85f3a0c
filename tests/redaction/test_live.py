"""Live redaction in the audio worker, and conversations redacted live or in batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callguide.model import Speaker, Utterance, Word
from redaction.conversation import ConversationRedactor, redact_conversation
from redaction.detector import PiiDetector
from redaction.live import LiveRedaction
from redaction.model import EntityType
from redaction.policy import RedactionPolicy, ReplacementStyle

E = EntityType


def utterance(speaker: Speaker, text: str, start: int) -> Utterance:
    words = [Word(w, start + i * 300, start + i * 300 + 250) for i, w in enumerate(text.split())]
    return Utterance(
        speaker=speaker, text=text, start_ms=start, end_ms=words[-1].end_ms, words=words
    )


def test_final_redacts_text_words_and_times(detector: PiiDetector) -> None:
    live = LiveRedaction(detector=detector, policy=RedactionPolicy())
    u = utterance(Speaker.CUSTOMER, "sure my pin is four four two one", 10_000)
    out = live.final(u).utterance
    assert out.text == "sure my pin is [PIN]"
    assert [w.word for w in out.words] == ["sure", "my", "pin", "is"] + ["[PIN]"] * 4
    assert [(s.type, s.start_ms, s.end_ms) for s in out.pii] == [
        ("PIN", u.words[4].start_ms, u.words[7].end_ms)
    ]


def test_final_uses_the_speakers_previous_line_and_the_agents_question(
    detector: PiiDetector,
) -> None:
    live = LiveRedaction(detector=detector)
    agent = live.final(utterance(Speaker.AGENT, "go ahead with the card number", 0)).utterance
    assert agent.pii == []
    first = live.final(
        utterance(Speaker.CUSTOMER, "four one one one one one one one", 3000)
    ).utterance
    second = live.final(
        utterance(Speaker.CUSTOMER, "one one one one one one one one", 6000)
    ).utterance
    assert first.text == "[CREDIT_CARD]"
    assert second.text == "[CREDIT_CARD]"
    question = live.final(utterance(Speaker.AGENT, "and the security code", 9000)).utterance
    assert question.pii == []
    cvv = live.final(utterance(Speaker.CUSTOMER, "seven three seven", 11_000)).utterance
    assert cvv.text == "[CVV]"
    assert [s.type for s in cvv.pii] == ["CVV"]


def test_interim_masks_digit_runs_not_yet_finished(detector: PiiDetector) -> None:
    live = LiveRedaction(detector=detector, policy=RedactionPolicy(interim_digit_run=4))
    # four digits said so far, no context: masked anyway, the rest may be coming
    assert live.interim("customer", "it's forty one eleven") == "it's ***** *** ******"
    # read one by one, four digits are already a code the detector redacts
    assert live.interim("customer", "it's four one one one") == "it's [PIN]"
    assert live.interim("customer", "it's 4111 11") == "it's **** **"
    # fewer digits than the policy's run, or harmless amounts, stay readable
    assert live.interim("customer", "I have two kids") == "I have two kids"
    assert live.interim("customer", "it costs 5999 dollars") == "it costs 5999 dollars"
    # detections are replaced in the policy's style
    assert live.interim("customer", "my name is Maria Garcia") == "my name is [PERSON]"


def test_interim_is_not_context_for_the_final(detector: PiiDetector) -> None:
    live = LiveRedaction(detector=detector)
    live.interim("customer", "my card number is")
    # with the interim as context, three digits would be the start of the card
    out = live.final(utterance(Speaker.CUSTOMER, "one two three", 0)).utterance
    assert out.text == "one two three"


def test_conversation_redactor_reads_a_line_with_its_speakers_own_lines(
    detector: PiiDetector,
) -> None:
    redactor = ConversationRedactor(
        detector=detector, policy=RedactionPolicy(style=ReplacementStyle.MASK)
    )
    first = redactor.redact("my card is 4111 1111", "customer")
    assert first.text == "my card is **** ****"
    assert [f.type for f in first.findings] == [E.CREDIT_CARD]
    second = redactor.redact("1111 1111", "customer")
    assert second.text == "**** ****"
    assert second.revision is None  # the first line's number was already read as a card
    # the other speaker's lines are not the customer's context
    other = ConversationRedactor(detector=detector, context_lines=2)
    other.redact("my card is", "agent")
    assert other.redact("thanks", "customer").findings == []


def test_batch_sees_the_lines_after_too(detector: PiiDetector) -> None:
    lines = [
        ("customer", "it's four one one one one one one one"),
        ("agent", "mm-hmm"),
        ("customer", "one one one one one one one one, that's my card"),
        ("agent", "and the expiration date?"),
        ("customer", "oh four twenty seven"),
        ("agent", "the plan is nine ninety nine a month"),
    ]
    out = redact_conversation(lines, detector=detector, policy=RedactionPolicy())
    assert [r.text for r in out] == [
        "it's [CREDIT_CARD]",
        "mm-hmm",
        "[CREDIT_CARD], that's my card",
        "and the expiration date?",
        "[EXPIRY]",
        "the plan is nine ninety nine a month",
    ]
    # findings are offsets into each line as given
    assert [(f.start, f.end) for f in out[0].findings] == [(5, len(lines[0][1]))]


_CALLS = Path(__file__).resolve().parents[2] / "examples" / "calls"
_LABELS = {
    "phone_number": "PHONE_NUMBER",
    "date_of_birth": "DATE_OF_BIRTH",
    "email_address": "EMAIL_ADDRESS",
    "street_address": "ADDRESS",
    "card_number": "CREDIT_CARD",
    "card_expiry": "EXPIRY",
    "card_cvv": "CVV",
    "us_ssn": "US_SSN",
}


@pytest.mark.parametrize("timeline", sorted(_CALLS.glob("*.timeline.json")), ids=lambda p: p.stem)
def test_sample_calls_live(detector: PiiDetector, timeline: Path) -> None:
    """Each sample call's turns, redacted live in spoken order: every turn the script marks
    as PII gets a span of that type, and no other turn gets anything but names."""
    live = LiveRedaction(detector=detector)
    for turn in json.loads(timeline.read_text())["turns"]:
        u = utterance(Speaker(turn["speaker"]), turn["text"], turn["start_ms"])
        out = live.final(u).utterance
        types = {span.type for span in out.pii}
        expected = {_LABELS[label] for label in turn.get("pii", [])}
        assert expected <= types, (turn["text"], out.text)
        assert types - expected <= {"PERSON"}, (turn["text"], out.text)
        assert all(u.start_ms <= s.start_ms <= s.end_ms <= u.end_ms for s in out.pii)


def test_a_question_applies_to_an_answer_given_in_two_lines(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    redactor.redact("is the phone number on file still correct?", "agent")
    redactor.redact("no, I got a new one.", "customer")
    # the recogniser lost half of the number; what is left is still the phone's
    second = redactor.redact("it's, uh, five five five, zero one four seven", "customer")
    assert [f.type for f in second.findings] == [EntityType.PHONE_NUMBER]
    # a later line of the same speaker, two lines past the question, is on its own
    third = redactor.redact("and I ordered four two seven items", "customer")
    assert third.findings == []


def test_the_original_is_kept_only_when_the_policy_asks(detector: PiiDetector) -> None:
    said = utterance(Speaker.CUSTOMER, "my pin is 4 4 2 1", 0)
    default = LiveRedaction(detector=detector).final(said).utterance
    assert default.text == "my pin is [PIN]" and default.original is None
    keeping = LiveRedaction(detector=detector, policy=RedactionPolicy(keep_original=True))
    kept = keeping.final(said).utterance
    assert (kept.text, kept.original) == ("my pin is [PIN]", "my pin is 4 4 2 1")
    assert "4 4 2 1" not in repr(kept)  # logging an utterance never prints the original
    # nothing redacted, nothing to keep
    assert (
        keeping.final(utterance(Speaker.AGENT, "how can I help", 2000)).utterance.original is None
    )
