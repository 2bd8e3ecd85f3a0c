"""A line revising its speaker's previous one: a number read out across two lines is only
known for what it is once its rest is heard."""

from __future__ import annotations

import pytest

from callguide.model import Speaker
from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.live import LiveRedaction
from redaction.model import EntityType
from tests.redaction.test_live import utterance

E = EntityType


def revised(detector: PiiDetector, *lines: str) -> list[tuple[int, str, list[EntityType]] | None]:
    """Each line's revision in one call, the lines said in turn (the agent's where a line
    starts with "a:"): (lines back, the revised line's text, its findings' types)."""
    call = ConversationRedactor(detector=detector)
    out: list[tuple[int, str, list[EntityType]] | None] = []
    for line in lines:
        speaker, text = ("agent", line[2:]) if line.startswith("a:") else ("customer", line)
        revision = call.redact(text, speaker).revision
        out.append(
            None
            if revision is None
            else (revision.lines_back, revision.text, [f.type for f in revision.findings])
        )
    return out


@pytest.mark.parametrize(
    ("begun", "rest", "was"),
    [
        # a Visa's first group alone, the rest after a filler
        ("sure it's four six six six", "uh 1760 3137 2159", "sure it's [CREDIT_CARD]"),
        # an Amex: 15 digits in all
        (
            "ok it's three seven oh four",
            "three five two oh five six one seven four eight three",
            "ok it's [CREDIT_CARD]",
        ),
        # nine digits read as a social, until six more make a Discover
        ("the number is 6 0 1 1 4 4 3 1 9", "8 2 9 6 5 7 2 hang on", "the number is [CREDIT_CARD]"),
    ],
)
def test_a_number_finished_on_the_next_line_revises_its_start(
    detector: PiiDetector, begun: str, rest: str, was: str
) -> None:
    first, second = revised(detector, begun, rest)
    assert first is None
    assert second == (1, was, [E.CREDIT_CARD])


def test_a_listener_bidding_the_speaker_go_on_is_no_break(detector: PiiDetector) -> None:
    lines = (
        "five three eight four",
        "a:mhm",
        "and eight three seven two six one six seven five one three six",
    )
    assert revised(detector, *lines)[2] == (2, "[CREDIT_CARD]", [E.CREDIT_CARD])


@pytest.mark.parametrize(
    "lines",
    [
        # the agent asked for something else in between: the rest answers that
        ("sure it's four six six six", "a:and the expiration?", "1760 3137 2159"),
        # a PIN, then a whole card of its own: nothing was begun
        ("my pin is four four two one", "and my card is 4666 1760 3137 2159"),
        # a number, then no number at all
        ("order four six six six", "I need twelve of them"),
        # another speaker's number is not the rest of this one's
        ("sure it's four six six six", "a:1760 3137 2159"),
        # a phone's rest keeps its area code a phone, though a code was given before it
        ("The side door code is 6 1 9 4 7, and my cell is 413...", "555-0172."),
        # a code is said whole: the card that comes next does not make it the card's
        ("The alarm code is 5 5 0 2.", "Visa 4666 1760 3137 2159, expires 04/30, code 771."),
    ],
)
def test_no_revision_without_a_number_taken_up_again(
    detector: PiiDetector, lines: tuple[str, ...]
) -> None:
    assert revised(detector, *lines) == [None] * len(lines)


def test_a_revision_changes_types_never_spans(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    first = call.redact("sure it's four six six six", "customer")
    second = call.redact("uh 1760 3137 2159", "customer")
    assert second.revision is not None
    assert [(f.start, f.end) for f in second.revision.findings] == [
        (f.start, f.end) for f in first.findings
    ]
    # later read-backs of the begun digits take the revised type
    back = call.redact("that's four six six six one seven six oh three one three seven", "agent")
    assert {f.type for f in back.findings} == {E.CREDIT_CARD}


def test_live_redaction_hands_back_the_previous_utterance_revised(detector: PiiDetector) -> None:
    live = LiveRedaction(detector=detector)
    begun = utterance(Speaker.CUSTOMER, "ok it's three seven oh four", 1000)
    first = live.final(begun)
    assert first.revised is None and [s.type for s in first.utterance.pii] == ["PIN"]
    rest = "three five two oh five six one seven four eight three"
    second = live.final(utterance(Speaker.CUSTOMER, rest, 4000))
    assert second.revised is not None
    again = second.revised
    assert (again.start_ms, again.end_ms) == (begun.start_ms, begun.end_ms)
    assert again.text == "ok it's [CREDIT_CARD]"
    assert [w.word for w in again.words] == ["ok", "it's"] + ["[CREDIT_CARD]"] * 4
    # the same stretch of audio, now typed as a card
    assert [(s.type, s.start_ms, s.end_ms) for s in again.pii] == [
        ("CREDIT_CARD", s.start_ms, s.end_ms) for s in first.utterance.pii
    ]
