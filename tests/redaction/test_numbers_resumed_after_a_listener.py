"""A social begun, the listener's "mm hm", "ok keep goin" or "Take your time.", and the
rest of it in the speaker's next line, with a birth date after it: the rest is the
social's, whatever the question asked for last. And "the rest is..." after a social's
first groups says more is to come."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_the_rest_of_a_social_after_mm_hm(detector: PiiDetector) -> None:
    *_, rest = said_in_turn(
        detector,
        "a:k i need ur full name ur social n date a birth",
        "rowan tsosie n social is nine ate two",
        "a:mm hm",
        "seventy one forty six oh won n born june sixth sixty too",
    )
    assert rest == [
        (E.US_SSN, "seventy one forty six oh won"),
        (E.DATE_OF_BIRTH, "june sixth sixty too"),
    ]


def test_the_last_digits_of_a_social_after_keep_going(detector: PiiDetector) -> None:
    *_, rest = said_in_turn(
        detector,
        "a:ok i need ur name social n date a birth",
        "social nine forty too six ate oh",
        "a:ok keep goin",
        "double fore won n birthday may ninth ninety",
    )
    assert (E.US_SSN, "double fore won") in rest


def test_the_rest_is_still_to_come_after_a_socials_first_groups(
    detector: PiiDetector,
) -> None:
    _, begun, _, rest = said_in_turn(
        detector,
        "a:I'll need your Social and date of birth for the payroll form.",
        "Social is 931-27, and the rest is...",
        "a:Take your time.",
        "4410. Sorry, I was reading off an old card.",
    )
    assert begun == [(E.US_SSN, "931-27")]
    assert rest == [(E.US_SSN, "4410")]


def test_the_rest_of_an_order_is_no_number_begun(detector: PiiDetector) -> None:
    assert typed(detector, "we have 3 boxes packed and the rest is 40 dollars") == []
