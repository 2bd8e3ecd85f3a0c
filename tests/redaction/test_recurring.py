"""A name said once in a call is a name when either party says it again, with no cue."""

from __future__ import annotations

from collections.abc import Sequence

from redaction.conversation import ConversationRedactor, redact_conversation
from redaction.detector import PiiDetector
from redaction.model import EntityType, Finding
from redaction.policy import RedactionPolicy

LINES = [
    ("customer", "the lessons are for my grandson tater"),
    ("agent", "lovely, so tater starts on the ninth"),
    ("customer", "yes and tater is left handed if that matters"),
]


def _names(text: str, findings: Sequence[Finding]) -> list[str]:
    return [text[f.start : f.end] for f in findings if f.type == EntityType.PERSON]


def test_a_name_is_found_again_in_later_lines_live(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    found = [_names(text, redactor.redact(text, who).findings) for who, text in LINES]
    assert found == [["tater"], ["tater"], ["tater"]]


def test_a_name_is_found_again_in_later_lines_in_batch(detector: PiiDetector) -> None:
    out = redact_conversation(LINES, detector=detector)
    assert [_names(text, r.findings) for (_, text), r in zip(LINES, out, strict=True)] == [
        ["tater"],
        ["tater"],
        ["tater"],
    ]


def test_interim_text_is_checked_but_teaches_no_name(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    interim = redactor.findings("the lessons are for my grandson tater", "customer", record=False)
    assert _names("the lessons are for my grandson tater", interim) == ["tater"]
    later = "so tater starts on the ninth"
    assert _names(later, redactor.findings(later, "agent")) == []


def test_everyday_words_are_not_spread(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    first = "this is June at the front desk"
    assert _names(first, redactor.redact(first, "agent").findings) == ["June"]
    later = "we moved here in june"
    assert _names(later, redactor.redact(later, "customer").findings) == []


CODE_CALL = [
    ("agent", "Is the gate code still 1 1 4 7?"),
    ("customer", "No, we changed it. It's 6093 now, then the star key."),
    ("agent", "Got it, 6093. Updated."),
    ("customer", "Thanks. Is he coming by noon?"),
    ("agent", "Yes, around eleven, and he has 6093 in his notes."),
]


def _typed(text: str, findings: Sequence[Finding]) -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in findings]


def test_a_number_read_back_is_the_number_it_repeats_live_and_in_batch(
    detector: PiiDetector,
) -> None:
    redactor = ConversationRedactor(detector=detector)
    live = [_typed(text, redactor.redact(text, who).findings) for who, text in CODE_CALL]
    batch = [
        _typed(text, r.findings)
        for (_, text), r in zip(
            CODE_CALL, redact_conversation(CODE_CALL, detector=detector), strict=True
        )
    ]
    for found in (live, batch):
        assert found[2] == [(EntityType.PIN, "6093")]
        # the same digits said again anywhere later in the call are hidden too
        assert found[4] == [(EntityType.PIN, "6093")]


def test_a_short_or_dated_number_is_not_looked_for_again(detector: PiiDetector) -> None:
    redactor = ConversationRedactor(detector=detector)
    redactor.redact("what's the security code on the back", "agent")
    redactor.redact("it's 771", "customer")
    assert redactor.redact("the total is 771 dollars and 771 points", "agent").findings == []


def test_what_is_said_again_follows_the_tenants_policy(detector: PiiDetector) -> None:
    """A repeat is a guess (score 0.6): a policy that redacts only surer findings, or not
    PINs at all, keeps it."""
    for policy in (
        RedactionPolicy(score_threshold=0.7),
        RedactionPolicy(entities=(EntityType.CREDIT_CARD, EntityType.PERSON)),
    ):
        redactor = ConversationRedactor(detector=detector, policy=policy)
        found = [_typed(text, redactor.redact(text, who).findings) for who, text in CODE_CALL]
        assert found[2] == [] and found[4] == []
