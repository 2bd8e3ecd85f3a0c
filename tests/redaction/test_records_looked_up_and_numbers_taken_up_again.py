"""Round 38: a record pulled up by what is asked next; a code said with "double" after an
expiry in one breath; an earlier order spoken of before a phone number; "fore" heard for
"for" is no name; someone's cell on a number a company's line would have; an expiry "good
til" a month and year; a card taken up again after other words; a social begun, broken off
and finished on the next line."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn, typed

E = EntityType


def test_a_birth_date_asked_to_pull_up_the_account(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Sure. To pull up the account, what's your birth date and the last 4 of your SSN?",
        "11/22/1974, and 5130.",
    )
    assert found == [(E.DATE_OF_BIRTH, "11/22/1974"), (E.US_SSN, "5130")]


def test_an_amex_code_said_with_double_right_after_its_expiry(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "ok the amex is three seven fore six too won ate fore nine three six ate too won three",
        "a:exp n the fore digit code",
        "ten thirty won six double too n thats it",
    )
    assert found == [(E.EXPIRY, "ten thirty"), (E.CVV, "won six double too")]


def test_a_phone_number_after_an_earlier_order_is_spoken_of(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:we can ship it today same phone as ur last order",
        "nah its a new number seven too ate triple five oh won four won",
    )
    assert found == [(E.PHONE_NUMBER, "seven too ate triple five oh won four won")]


def test_for_heard_as_fore_is_no_name(detector: PiiDetector) -> None:
    assert typed(detector, "thanks fore all the help n a phone fore the driver") == []


def test_someones_cell_on_a_number_a_company_line_would_have(detector: PiiDetector) -> None:
    assert typed(detector, "His cell is 866-555-0142 if he doesn't pick up.") == [
        (E.PHONE_NUMBER, "866-555-0142")
    ]
    assert typed(detector, "You can also call our office at 866-555-0100.") == []


def test_an_expiry_good_til_a_month_and_year(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "visa fore five three too seven seven won too oh nine fore five three oh oh five"
        " good til ate twenty seven code won won six",
    )
    assert (E.EXPIRY, "ate twenty seven") in found
    assert typed(detector, "ill be there by ate twenty seven at the latest") == []


def test_a_card_taken_up_again_after_other_words(detector: PiiDetector) -> None:
    *_, begun, rest = said_in_turn(
        detector,
        "a:And the card number?",
        "It's a Visa, 4532 7712 0945...",
        "Hang on, the kids are yelling. 3005, expires 04/30, and the code is 218.",
    )
    assert begun == [(E.CREDIT_CARD, "4532 7712 0945")]
    assert rest == [(E.CREDIT_CARD, "3005"), (E.EXPIRY, "04/30"), (E.CVV, "218")]


def test_a_social_begun_broken_off_and_finished_on_the_next_line(
    detector: PiiDetector,
) -> None:
    *_, begun, rest = said_in_turn(
        detector,
        "a:ok n whats ur social for the w four",
        "nine ate two uh hang on lemme grab my wallet",
        "six oh double seven won three n birthday is march third ninety",
    )
    assert begun == [(E.US_SSN, "nine ate two")]
    assert rest == [
        (E.US_SSN, "six oh double seven won three"),
        (E.DATE_OF_BIRTH, "march third ninety"),
    ]
