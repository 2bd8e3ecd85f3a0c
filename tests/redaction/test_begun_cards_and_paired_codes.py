"""A card begun as its network issues them, named right before it, is a card even when
the question also asked for a ZIP of as many digits; a code said in pairs right after
"code", once a card's expiry is given, is the card's code."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_an_amex_begun_after_a_zip_question(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:how's that being paid, and i'll need the billing zip",
        "amex three seven two eight one four six six nine",
    )
    assert found == [(E.CREDIT_CARD, "three seven two eight one four six six nine")]


def test_a_zip_plus_four_after_a_zip_question_stays_an_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card's on file, i just need the billing zip",
        "it's four five one two three six seven eight nine",
    )
    assert found == [(E.ADDRESS, "four five one two three six seven eight nine")]


def test_a_code_in_pairs_after_the_expiry(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:how's that being paid",
        "amex three four one two eight eight six one four two nine oh five",
        "a:mhm go on",
        "exp oh four thirty one code seven too double eight zip six oh two one four",
    )
    assert (E.CVV, "seven too double eight") in found
    assert (E.EXPIRY, "oh four thirty one") in found


def test_a_gate_code_in_pairs_is_no_card_code(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:what's the code on the gate", "code twenty two fifty")
    assert found == [(E.PIN, "twenty two fifty")]
