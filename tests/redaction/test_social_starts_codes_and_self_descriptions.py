"""A social's first two groups said before a pause, a code said after a card's expiry with
no cue, a social's last four read back alone, the last four and a birth date said before
an address, a birth year said right before its month, a ZIP asked for with a fee named
after the question, the name a caller is known by, a caller saying what they are before
who, a mailbox named with a greeting, firms ending in a trade; and what only looks like
these."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn, typed

E = EntityType


def test_a_socials_first_two_groups_before_a_pause_are_a_social(detector: PiiDetector) -> None:
    # a PIN was given in the same question: five digits fit it, but not as a social is grouped
    _, answer, read_back = said_in_turn(
        detector,
        "a:Your new portal PIN is 558204. Next I need your Social Security number.",
        "934-27...",
        "a:Okay, 934-27?",
    )
    assert answer == [(E.US_SSN, "934-27")]
    assert read_back == [(E.US_SSN, "934-27")]


def test_digits_after_a_card_and_its_expiry_are_its_code(detector: PiiDetector) -> None:
    *_, amex, visa = said_in_turn(
        detector,
        "a:which card today",
        "amex three four one two five five six seven eight nine oh one two three two"
        " good through oh nine thirty and two six one five",
        "or visa four one one one one one one one one one one one one one one one"
        " exp ten twenty nine n three oh seven",
    )
    assert (E.EXPIRY, "oh nine thirty") in amex
    assert (E.CVV, "two six one five") in amex
    assert (E.CVV, "three oh seven") in visa


def test_a_socials_last_four_read_back_alone_is_a_social(detector: PiiDetector) -> None:
    *_, read_back = said_in_turn(
        detector,
        "a:ok i need your social and your date of birth for the vendor form",
        "nine two two uh four one three eight five six and march third eighty one",
        "a:thanks ending three eight five six and whats a good email",
    )
    # read as a birth date by the cue a line back, it is the social's end said again
    assert read_back == [(E.US_SSN, "three eight five six")]


def test_a_card_numbers_last_four_read_back_stays_unmarked(detector: PiiDetector) -> None:
    *_, read_back = said_in_turn(
        detector,
        "a:card number please",
        "four one one one one one one one one one one one one one one one",
        "a:last four one one one one got it",
    )
    assert read_back == []


def test_the_last_four_then_a_birth_date_are_not_a_house_number(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:i need the last four of your social your date of birth and your home address",
        "nine one two eight may ninth nineteen ninety and my address is four forty elm street",
    )
    assert answer == [
        (E.US_SSN, "nine one two eight"),
        (E.DATE_OF_BIRTH, "may ninth nineteen ninety"),
        (E.ADDRESS, "four forty elm street"),
    ]


def test_a_street_named_after_a_month_is_still_an_address(detector: PiiDetector) -> None:
    assert typed(detector, "my address is 1420 March Street") == [(E.ADDRESS, "1420 March Street")]


def test_a_birth_year_said_right_before_its_month(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:i need ur social n date of birth",
        "nine won too fore fore ate six six oh n nineteen eighty seven june fourteenth",
    )
    assert answer == [
        (E.US_SSN, "nine won too fore fore ate six six oh"),
        (E.DATE_OF_BIRTH, "nineteen eighty seven june fourteenth"),
    ]


def test_a_year_before_a_date_where_no_birth_date_is_asked_is_no_birth_year(
    detector: PiiDetector,
) -> None:
    found = typed(detector, "we opened in twenty nineteen may the eighth and never closed")
    assert E.DATE_OF_BIRTH not in {kind for kind, _ in found}


def test_a_fee_named_after_the_question_asks_for_no_number(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:whats the zip code out there so i can work out the delivery fee",
        "six oh seven one four",
    )
    assert answer == [(E.ADDRESS, "six oh seven one four")]


def test_a_fee_asked_for_is_still_an_amount(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(detector, "a:so what was the late fee", "twenty five fifty")
    assert answer == []


def test_the_name_a_caller_is_known_by(detector: PiiDetector) -> None:
    [found] = said_in_turn(detector, "at the rink the team knows me as velvet thunder")
    assert names_in(found) == ["velvet thunder"]
    [found] = said_in_turn(detector, "we know it as the red barn")
    assert names_in(found) == []


def test_a_caller_says_what_they_are_then_who(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:payroll desk",
        "hi i'm a new volunteer ainura toktogulova and i need the direct deposit form",
    )
    assert names_in(found) == ["ainura toktogulova"]
    [found] = said_in_turn(detector, "i'm a member since the spring and i want to cancel")
    assert names_in(found) == []


def test_a_mailbox_named_with_a_greeting(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:what email should the invoice go to",
        "hello at birchwood food shelf dot org",
    )
    assert answer == [(E.EMAIL_ADDRESS, "hello at birchwood food shelf dot org")]
    [found] = said_in_turn(detector, "just say hello at the front desk when you get here")
    assert found == []


def test_firms_ending_in_a_trade_are_not_people(detector: PiiDetector) -> None:
    [bonds] = said_in_turn(detector, "a:Hartley and Stone Bail Bonds, how can I help?")
    assert names_in(bonds) == []
    [towing] = said_in_turn(detector, "a:Garnet Towing, this is Wren.")
    assert names_in(towing) == ["Wren"]


def test_an_area_said_after_an_address_is_no_second_address(detector: PiiDetector) -> None:
    # "so" opens a clause after the question, which no longer stops the answer's numbers
    *_, answer = said_in_turn(
        detector,
        "a:What's the new address, so the crew knows the layout?",
        "88 Larkspur Lane, Unit 2, Dover. It's about 950 square feet.",
    )
    assert answer == [(E.ADDRESS, "88 Larkspur Lane, Unit 2, Dover")]
