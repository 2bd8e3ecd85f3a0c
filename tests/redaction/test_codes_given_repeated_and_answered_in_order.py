"""A code the agent gives, repeated by the caller whatever the caller's cues asked, and the
other number in that answer read as what was asked; a cue after a number naming its own;
"over the phone"; an expiry and a code answered in the order asked after a card that ran
into the line; a birth year said first after a social the line before ended with; a card
grouped as cards print it that fails its checksum; an expiry read back after a card read
out unnamed; an agent named after a mail site."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


def test_a_code_the_agent_gives_is_a_code_when_repeated(detector: PiiDetector) -> None:
    *_, repeat = said_in_turn(
        detector,
        "a:whats ur name",
        "wren tully last fore of my social is too six too ate n birthday ate ten seventy won",
        "a:k ur new code is fore nine too six ate won then the pound key",
        "fore nine too six ate won got it",
    )
    assert repeat == [(E.PIN, "fore nine too six ate won")]


def test_the_other_number_in_an_answer_is_what_was_asked(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:i need the last four of your social and then your temporary pin is six six one four",
        "nine two eight three and six six one four got it",
    )
    assert answer == [(E.US_SSN, "nine two eight three"), (E.PIN, "six six one four")]


def test_a_cue_after_a_number_names_its_own(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:Can you give me the last four of the Social on the account?",
        "Sure, 6130. Oh, and the lockbox code changed, it's 2284 now.",
    )
    assert answer == [(E.US_SSN, "6130"), (E.PIN, "2284")]


def test_taking_it_over_the_phone_asks_for_no_phone_number(detector: PiiDetector) -> None:
    # the line ends inside the social: its start
    *_, answer = said_in_turn(
        detector,
        "hi we signed the loan papers n the form wants my social",
        "a:i can take it over the phone go ahead",
        "its nine ate won ate ate",
    )
    assert answer == [(E.US_SSN, "nine ate won ate ate")]


def test_an_expiry_and_a_code_answered_in_the_order_asked(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "visa fore won won won won won won won won won won won won won won won",
        "a:k exp n code",
        "too thirty won n seven seven fore",
    )
    assert answer == [(E.EXPIRY, "too thirty won"), (E.CVV, "seven seven fore")]


def test_a_birth_year_said_first_after_a_social(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:Name and Social, please.",
        "Orla Quinlan. My Social is 912-40-3378.",
        "a:Thanks. And your date of birth?",
        "1984, March 9th.",
    )
    assert answer == [(E.DATE_OF_BIRTH, "1984, March 9th")]


def test_a_card_grouped_as_printed_is_a_card_though_misread(detector: PiiDetector) -> None:
    # one digit off: the checksum fails, and a birth date was asked for in the same turn
    *_, answer = said_in_turn(
        detector,
        "a:I'll need his date of birth, and then the card for the fee.",
        "He was born May 4th, 1961. It's a Visa, 4111 1111 1111 1112...",
    )
    assert (E.CREDIT_CARD, "4111 1111 1111 1112") in answer


def test_an_expiry_read_back_after_a_card_read_out_unnamed(detector: PiiDetector) -> None:
    *_, read_back = said_in_turn(
        detector,
        "a:How would you like to pay?",
        "Sure, 6011 0009 9013 9424, 07/32, 318.",
        "a:So that's 07/32, code 318? Approved.",
    )
    assert (E.EXPIRY, "07/32") in read_back


def test_an_agent_named_like_a_mail_site_is_named(detector: PiiDetector) -> None:
    [found] = said_in_turn(detector, "a:valley towing this is juno are you somewhere safe")
    assert names_in(found) == ["juno"]
