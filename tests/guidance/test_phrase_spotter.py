"""Spotting reminder phrases in interim text: once per moment and utterance, reminders only."""

from __future__ import annotations

from guidance.phrase_spotter import PhraseSpotter, early_moments
from guidance.policy import GuidancePolicy

POLICY = GuidancePolicy.model_validate(
    {
        "moments": [
            {
                "id": "cancel-intent",
                "speaker": "customer",
                "phrases": ["cancel my"],
                "examples": ["I want to stop my subscription"],
                "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
            },
            {
                "id": "verify-identity",
                "speaker": "agent",
                "absent_within_s": 60,
                "phrases": ["date of birth"],
                "hint": {"type": "reminder", "title": "Verify", "body": "Ask."},
            },
            {
                "id": "roaming",
                "phrases": ["roaming"],
                "hint": {"type": "knowledge"},
            },
            {
                "id": "muted",
                "enabled": False,
                "phrases": ["cancel my"],
                "hint": {"type": "reminder", "title": "Muted", "body": "Never."},
            },
        ]
    }
)


def test_only_enabled_phrase_reminders_can_fire_early() -> None:
    assert [m.id for m in early_moments(POLICY.moments)] == ["cancel-intent"]


def test_a_phrase_is_spotted_once_per_utterance_as_its_interims_grow() -> None:
    spotter = PhraseSpotter(POLICY.moments)
    assert spotter.spot("customer", "I want to", 4000) == []
    assert spotter.spot("customer", "I want to cancel my", 4000) == ["cancel-intent"]
    assert spotter.spot("customer", "I want to cancel my subscription", 4000) == []
    # The agent saying it, or the customer in a later utterance, is a new spotting.
    assert spotter.spot("agent", "you want to cancel my plan?", 9000) == []  # customer only
    assert spotter.spot("customer", "so cancel my plan", 12000) == ["cancel-intent"]


def test_redaction_tags_and_knowledge_moments_are_not_spotted() -> None:
    spotter = PhraseSpotter(POLICY.moments)
    assert spotter.spot("customer", "is roaming included? [CREDIT_CARD]", 1000) == []
