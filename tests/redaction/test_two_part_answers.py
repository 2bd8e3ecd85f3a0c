"""Answers to a question for two things at once ("your date of birth and your passcode?",
"your social and date of birth"), and codes begun, taken back and said again: each
value keeps its own type and every digit said is hidden."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_call, typed

E = EntityType


@pytest.mark.parametrize(
    ("prompt", "text", "date", "code"),
    [
        (
            "For security, what's your date of birth and your account passcode?",
            "October 9, 1957, and the passcode is 740213.",
            "October 9, 1957",
            "740213",
        ),
        (
            "can you verify your name date of birth and the four digit pin",
            "lorcan fitzwilliam march third nineteen eighty two and the pin is six one six four",
            "march third nineteen eighty two",
            "six one six four",
        ),
    ],
)
def test_a_date_said_by_its_month_stays_whole_beside_a_code(
    detector: PiiDetector, prompt: str, text: str, date: str, code: str
) -> None:
    found = typed(detector, text, prompt=prompt)
    assert (E.DATE_OF_BIRTH, date) in found
    assert (E.PIN, code) in found


def test_a_social_broken_by_a_filler_before_the_birth_date(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "nine four two uh six oh won five ate seven n birthday too fourteen seventy won",
        prompt="ok i need ur social n date a birth",
    )
    assert (E.US_SSN, "nine four two uh six oh won five ate seven") in found
    assert (E.DATE_OF_BIRTH, "too fourteen seventy won") in found


@pytest.mark.parametrize(
    ("text", "slip", "code"),
    [
        ("the gate code is six too no wait six ate ate won", "six too", "six ate ate won"),
        ("lockbox code is five fore um no five nine too oh", "five fore", "five nine too oh"),
        ("the door code is 38, sorry, 3905", "38", "3905"),
    ],
)
def test_two_digits_taken_back_are_hidden_with_the_code(
    detector: PiiDetector, text: str, slip: str, code: str
) -> None:
    pins = [span for kind, span in typed(detector, text) if kind == E.PIN]
    assert any(slip in span for span in pins) and any(code in span for span in pins)


@pytest.mark.parametrize(
    "text",
    [
        "we need two no wait three boxes of the large size",
        "it was 45, sorry, 4500 dollars for the repair",
    ],
)
def test_a_quantity_corrected_is_no_code(detector: PiiDetector, text: str) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.PIN] == []


def test_a_card_read_over_two_lines_with_its_expiry_and_code_after(
    detector: PiiDetector,
) -> None:
    """The second line's digits (the card's second half, the expiry, the code) pass Luhn
    by chance as fifteen digits, but no card number of fifteen digits starts with 49."""
    call = ConversationRedactor(detector=detector)
    call.redact("we need the deposit card", "agent")
    first = call.findings("k its fore won nine fore ate seven five seven", "customer")
    assert [f.type for f in first] == [E.CREDIT_CARD]
    said = "fore nine won won ate six too nine oh ate twenty ate five too seven"
    found = said_in_call(call, said, "customer")
    assert found == [
        (E.CREDIT_CARD, "fore nine won won ate six too nine"),
        (E.EXPIRY, "oh ate twenty ate"),
        (E.CVV, "five too seven"),
    ]


def test_a_social_begun_and_taken_back_after_a_pause(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "social is nine six ate uh sorry nine six for seventy won fifty six oh ate",
        prompt="i need ur social n date a birth",
    )
    assert (E.US_SSN, "nine six ate") in found
    assert (E.US_SSN, "nine six for seventy won fifty six oh ate") in found


def test_a_routing_number_begun_at_the_end_of_a_line(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    call.redact("u wanna pay the deck repair by e check", "agent")
    said = "ya routing is oh too too six six seven"
    found = said_in_call(call, said, "customer")
    assert found == [(E.BANK_ROUTING, "oh too too six six seven")]


def test_a_card_begun_with_its_last_digit_heard_as_too(detector: PiiDetector) -> None:
    found = typed(detector, "k its fore won won five triple three too", prompt="the deposit card")
    assert found == [(E.CREDIT_CARD, "fore won won five triple three too")]


def test_the_first_answer_answers_what_was_asked_first(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "nine six six won seven um for too ate six born ten thirteen ninety for",
        prompt="i need ur social for the check ur date a birth n ur bank for direct deposit",
    )
    assert [kind for kind, _ in found] == [E.US_SSN, E.DATE_OF_BIRTH]


def test_a_claim_in_the_question_does_not_take_the_answers_place(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "sure it's nine four six three zero one six six two and i was born june second 1985",
        prompt="for the wages part of your claim i need your social security number and your"
        " date of birth",
    )
    assert (E.US_SSN, "nine four six three zero one six six two") in found


@pytest.mark.parametrize(
    ("text", "phone", "email"),
    [
        (
            "six too six five five five oh won fifty ate n rosalind n ferris at sbc global dot net",
            "six too six five five five oh won fifty ate",
            "rosalind n ferris at sbc global dot net",
        ),
        (
            "its four oh won five five five oh won seven too n tamsin v at gmail dot com",
            "four oh won five five five oh won seven too",
            "tamsin v at gmail dot com",
        ),
    ],
)
def test_a_phone_number_said_before_an_email_is_not_part_of_it(
    detector: PiiDetector, text: str, phone: str, email: str
) -> None:
    found = typed(detector, text, prompt="a phone number n an email for the receipt")
    assert (E.PHONE_NUMBER, phone) in found
    assert any(kind == E.EMAIL_ADDRESS and span.endswith(email) for kind, span in found)


def test_a_phone_number_opened_by_for(detector: PiiDetector) -> None:
    said = "n ask for siddhartha hes at for won nine five five five oh won ate six"
    found = typed(detector, said)
    assert (E.PHONE_NUMBER, "for won nine five five five oh won ate six") in found
    assert (E.PERSON, "siddhartha") in found
    assert typed(detector, "i paid for nine items and ask for the manager") == []


def test_a_code_said_right_after_the_expiry(detector: PiiDetector) -> None:
    text = "Yes, on my Discover, 6011 3810 1517 0010, exp 03/29, 417."
    found = typed(detector, text)
    assert (E.EXPIRY, "03/29") in found
    assert (E.CVV, "417") in found


def test_an_expiry_and_code_after_a_whole_card_in_one_breath(detector: PiiDetector) -> None:
    text = (
        "ok its five won seven won seven ate for nine five for won six won three won too "
        "expires oh nine twenty ate too won six"
    )
    found = typed(detector, text)
    assert (E.EXPIRY, "oh nine twenty ate") in found
    assert (E.CVV, "too won six") in found
