"""A number is typed by the cue it fits best, not merely the nearest one: the other
party's question names the type even when the answer mentions something else."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType

E = EntityType


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


@pytest.mark.parametrize(
    ("prompt", "text", "expected"),
    [
        # an expiry asked about "that card": the date is no part of the card number
        ("when does that card expire", "03/2031", (E.EXPIRY, "03/2031")),
        ("and the expiration date on the visa?", "oh six thirty", (E.EXPIRY, "oh six thirty")),
        ("expiration on your card please", "it says 10 slash 29", (E.EXPIRY, "10 slash 29")),
        # the social asked for, "my card" in the answer is the social security card
        (
            "I'll need your social security number",
            "hold on, grabbing my card, eight one two four four three three nine one",
            (E.US_SSN, "eight one two four four three three nine one"),
        ),
        # routing and account asked together: a nine-digit ABA number is the routing one
        (
            "can you give me the account and routing numbers",
            "three two five zero seven zero seven six zero",
            (E.BANK_ROUTING, "three two five zero seven zero seven six zero"),
        ),
    ],
)
def test_best_fitting_cue_wins(
    detector: PiiDetector, prompt: str, text: str, expected: tuple[EntityType, str]
) -> None:
    assert expected in typed(detector, text, prompt)


def test_routing_and_account_in_one_answer(detector: PiiDetector) -> None:
    text = "routing then account: 0 7 1 0 0 0 0 1 3, then four four two one nine eight seven three"
    out = typed(detector, text)
    assert (E.BANK_ROUTING, "0 7 1 0 0 0 0 1 3") in out
    assert (E.BANK_ACCOUNT, "four four two one nine eight seven three") in out


def test_nine_digits_failing_aba_after_both_cues_is_the_account(detector: PiiDetector) -> None:
    out = typed(detector, "sure, 123456789", prompt="routing or account number, either is fine")
    assert out == [(E.BANK_ACCOUNT, "123456789")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("the key safe on the porch opens with 3 8 0 2", "3 8 0 2"),
        ("punch 7719 into the keypad by the garage", "7719"),
        ("the lockbox is on the railing, it's oh four four six", "oh four four six"),
    ],
)
def test_codes_of_key_safes_lockboxes_and_keypads_are_pins(
    detector: PiiDetector, text: str, code: str
) -> None:
    assert (E.PIN, code) in typed(detector, text)
