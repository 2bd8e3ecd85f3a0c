"""A birth date given lines ago does not make a later time a birth date, an amount said
before "total" is an amount, a unit's letter may end the line as "a", and "n" between a
birth date and a mailbox is "and"."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_a_shift_time_after_a_birth_date_is_no_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:k full social date a birth n home address",
        "nine seven ate nine six too six double five born sept seventeenth ninety",
        "n im at five oh six seven tamworth ave",
        "a:thx shift is seven to three thirty n u get fifteen percent off tools",
    )
    assert found == []


def test_a_month_and_day_asked_for_is_a_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:and your date of birth", "uh three thirty")
    assert found == [(E.DATE_OF_BIRTH, "three thirty")]


def test_an_amount_before_total_after_a_birthday(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "it's a birthday present for my partner",
        "a:lovely that's a hundred sixty five per person so three thirty total",
    )
    assert found == []


def test_a_unit_letter_a_ending_the_line(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:and the home address", "im at five oh six seven tamworth ave apt fore six a"
    )
    assert found == [(E.ADDRESS, "five oh six seven tamworth ave apt fore six a")]
    *_, article = said_in_turn(
        detector, "a:and the home address", "im at twelve oak street apt four a new place"
    )
    assert article == [(E.ADDRESS, "twelve oak street apt four")]


def test_n_between_a_birth_date_and_a_mailbox(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:date of birth and an email for the receipt",
        "six thirteen sixty too n zen underscore nkosi dash tea at sonic dot net",
    )
    assert found == [
        (E.DATE_OF_BIRTH, "six thirteen sixty too"),
        (E.EMAIL_ADDRESS, "zen underscore nkosi dash tea at sonic dot net"),
    ]
