"""A card, social, account or phone number found inside a longer unbroken run of digits
is widened to the whole run, and a month and year read straight after a card number is
its expiry date."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.digit_dates import this_year
from redaction.model import EntityType

E = EntityType
YY = f"{(this_year() + 1) % 100:02d}"  # an expiry year a card may have


def typed(detector: PiiDetector, text: str, prompt: str = "") -> list[tuple[EntityType, str]]:
    return [(f.type, text[f.start : f.end]) for f in detector.detect(text, prompt=prompt)]


@pytest.mark.parametrize(
    ("prompt", "text", "card"),
    [
        (
            "what's the card number?",
            "it's 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
            "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
        ),
        ("", "card is 4111 1111 1111 1111 1 and that's it", "4111 1111 1111 1111 1"),
        ("the long number please", "5425 2334 3010 9903 3", "5425 2334 3010 9903 3"),
        ("", "my visa 9 4111 1111 1111 1111", "9 4111 1111 1111 1111"),
    ],
)
def test_a_card_inside_a_longer_run_covers_the_run(
    detector: PiiDetector, prompt: str, text: str, card: str
) -> None:
    assert typed(detector, text, prompt) == [(E.CREDIT_CARD, card)]


@pytest.mark.parametrize(
    ("text", "card", "expiry"),
    [
        (
            f"Okay, it's 4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1 0 9 {YY}.",
            "4-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1",
            f"0 9 {YY}",
        ),
        (f"5425 2334 3010 9903, 11/{YY}", "5425 2334 3010 9903", f"11/{YY}"),
        (f"4111 1111 1111 1111 3 {YY}", "4111 1111 1111 1111", f"3 {YY}"),
        (f"sure 4111 1111 1111 1111 12{YY}", "4111 1111 1111 1111", f"12{YY}"),
        (f"4111 1111 1111 1111 07 20{YY}", "4111 1111 1111 1111", f"07 20{YY}"),
    ],
)
def test_month_and_year_straight_after_a_card_is_its_expiry(
    detector: PiiDetector, text: str, card: str, expiry: str
) -> None:
    assert typed(detector, text) == [(E.CREDIT_CARD, card), (E.EXPIRY, expiry)]


def test_no_expiry_made_of_what_is_no_month_and_year(detector: PiiDetector) -> None:
    # 13 is no month: the digits are the card's (a 17th and 18th digit heard)
    assert typed(detector, "4111 1111 1111 1111 13") == [(E.CREDIT_CARD, "4111 1111 1111 1111 13")]
    # after a pause word the number is not the card's, nor an expiry
    found = typed(detector, "the card is 4111 1111 1111 1111 and the plan is 2 30")
    assert found == [(E.CREDIT_CARD, "4111 1111 1111 1111")]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my social is 123 45 6789 1", (E.US_SSN, "123 45 6789 1")),
        ("call me at 206-555-01988", (E.PHONE_NUMBER, "206-555-01988")),
        ("the account number is 0 0 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 9 9 9", None),
    ],
)
def test_other_numbers_widen_too(
    detector: PiiDetector, text: str, finding: tuple[EntityType, str] | None
) -> None:
    found = detector.detect(text)
    if finding is not None:
        assert [(f.type, text[f.start : f.end]) for f in found] == [finding]
    else:
        # every digit is hidden
        covered = {i for f in found for i in range(f.start, f.end)}
        assert all(i in covered for i, ch in enumerate(text) if ch.isdigit())


def test_a_pause_ends_the_widening(detector: PiiDetector) -> None:
    text = "call me at 206 555 0198, 98101 is the zip"
    assert typed(detector, text) == [(E.PHONE_NUMBER, "206 555 0198"), (E.ADDRESS, "98101")]
    text = "4111 1111 1111 1111. I'll pay 25 dollars"
    assert typed(detector, text) == [(E.CREDIT_CARD, "4111 1111 1111 1111")]


def test_a_cards_expiry_and_code_beat_the_account_asked_for(detector: PiiDetector) -> None:
    # asked about an account, the caller gives a card with its expiry and code instead:
    # the digits after the card are no account number
    text = f"no, use my card, 4111 1111 1111 1111, 11/{YY}, 372."
    assert typed(detector, text, "should I bill your checking account?") == [
        (E.CREDIT_CARD, "4111 1111 1111 1111"),
        (E.EXPIRY, f"11/{YY}"),
        (E.CVV, "372"),
    ]


def test_a_phone_shape_inside_a_longer_written_card_is_no_phone(detector: PiiDetector) -> None:
    # the recogniser wrote a card read in groups with one digit too many; the 3-3-4 in
    # its middle is no phone number
    text = "sure, the number is 601-113-695-9223-3475"
    assert typed(detector, text, "which card will you use?") == [
        (E.CREDIT_CARD, "601-113-695-9223-3475")
    ]


def test_a_card_its_expiry_and_code_in_one_breath_with_no_cue(detector: PiiDetector) -> None:
    # 4111 1111 1111 1111, then 0 9 and a year, then 8 8 2: too many digits for one
    # number; the checksum, a valid month and year and a code's length split them
    text = (
        "ok so four one one one one one one one one one one one one one one one "
        f"oh nine {YY} eight eight two"
    )
    found = typed(detector, text)
    assert [entity for entity, _ in found] == [E.CREDIT_CARD, E.EXPIRY, E.CVV]
    assert found[2][1] == "eight eight two"


def test_too_many_digits_that_split_into_no_card_stay_one_overlong_number(
    detector: PiiDetector,
) -> None:
    # twenty digits that fail Luhn at every cut: no card, and with a card cue the whole
    # run is still redacted as one
    text = "card is 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0"
    assert typed(detector, text) == [(E.CREDIT_CARD, "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0")]
