"""A social corrected for a form, a security code after an Amex whose number ran over two
lines, a day heard as "too" between a month and a year, the start of a routing number
asked for after direct deposit was, a code texted for a portal, a code read back after
it was given, a name said twice in one line, and what only looks like these: a firm named
after its owner, a restaurant's or an agency's name, "ok, P.O. box", a rate."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_turn

E = EntityType


def test_a_social_fixed_on_a_form_is_a_social_with_its_false_start(
    detector: PiiDetector,
) -> None:
    # "form" says a number is no PII ("form 1040"); a social "on the form" is one
    *_, answer, read_back = said_in_turn(
        detector,
        "hi its the new lifeguard i need to fix my social on the form",
        "a:sure whats the right one",
        "nine four oh uh no nine oh four five five two six one ate",
        "a:nine oh four five five two six one ate got it",
    )
    assert (E.US_SSN, "nine oh four five five two six one ate") in answer
    assert (E.US_SSN, "nine four oh") in answer
    assert read_back == [(E.US_SSN, "nine oh four five five two six one ate")]


def test_a_month_and_year_then_an_amex_code_are_two_numbers(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "on my amex three four five three nine three three six three three eight seven five oh oh",
        "a:the expiration and the four digit code",
        "october twenty eight and six two two seven",
    )
    assert answer == [(E.EXPIRY, "october twenty eight"), (E.CVV, "six two two seven")]


def test_after_an_amex_read_over_two_lines_its_code_has_four_digits(
    detector: PiiDetector,
) -> None:
    *_, second = said_in_turn(
        detector,
        "a:card please",
        "amex three seven oh nine nine six oh three",
        "oh ate too fore six too ate oh too thirty won fore oh six",
    )
    assert (E.EXPIRY, "oh too thirty") in second
    assert (E.CVV, "won fore oh six") in second


def test_after_a_visa_the_code_in_one_breath_has_three_digits(detector: PiiDetector) -> None:
    *_, second = said_in_turn(
        detector,
        "a:card please",
        "visa four oh four three four ate three nine",
        "five fore ate six too oh five seven oh ate twenty nine seven seven won",
    )
    assert (E.EXPIRY, "oh ate twenty nine") in second
    assert (E.CVV, "seven seven won") in second


def test_a_day_heard_as_too_between_a_month_and_a_year(detector: PiiDetector) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:and the patients date of birth",
        "its noriko n o r i k o born april too two thousand twelve",
    )
    assert (E.DATE_OF_BIRTH, "april too two thousand twelve") in answer
    assert (E.PERSON, "born") not in answer


def test_a_month_to_a_year_is_no_date(detector: PiiDetector) -> None:
    *_, line = said_in_turn(detector, "a:how long were you there", "from march to two thousand ten")
    assert line == []


def test_the_start_of_a_routing_number_asked_for_after_direct_deposit(
    detector: PiiDetector,
) -> None:
    *_, first, second = said_in_turn(
        detector,
        "hi its nadia i start the apprenticeship monday n want direct deposit",
        "a:k whats the routin number",
        "two six won oh oh oh",
        "oh two seven n account is fore fore seven too oh won",
    )
    # six digits would make an account, which direct deposit asked for first
    assert first == [(E.BANK_ROUTING, "two six won oh oh oh")]
    assert (E.BANK_ACCOUNT, "fore fore seven too oh won") in second


def test_a_code_texted_for_a_portal_is_a_pin_and_an_amex_code_a_cvv(
    detector: PiiDetector,
) -> None:
    *_, portal = said_in_turn(
        detector,
        "a:your results are in the portal with the four digit code we texted you",
        "ok the code is six one nine three",
    )
    assert portal == [(E.PIN, "six one nine three")]
    *_, amex = said_in_turn(
        detector,
        "ill pay with my amex three four five three nine three three six three three eight"
        " seven five oh oh",
        "a:and the four digit code on the front",
        "six one nine three",
    )
    assert amex == [(E.CVV, "six one nine three")]


def test_a_code_read_back_is_the_code_not_the_birth_date_asked_before(
    detector: PiiDetector,
) -> None:
    *_, read_back = said_in_turn(
        detector,
        "hi i forgot the combo for my gym locker",
        "a:for security whats ur date a birth",
        "oh fore too two ninety one",
        "a:thx its five triple won",
        "five won won won got it",
    )
    # 5111 makes a date, and a birth date was asked for two lines before
    assert read_back == [(E.PIN, "five won won won")]


def test_a_name_said_again_in_its_line_is_named_both_times(detector: PiiDetector) -> None:
    # the tagger misses the second; the first, after a role, is found (the role, like a
    # title, stays outside the name)
    found = people(detector, "yeah, it's Coach Lindiwe, Lindiwe Dlamini, about the W-2.")
    assert found == ["Lindiwe", "Lindiwe Dlamini"]


def test_a_firm_named_after_its_owner_is_no_second_person(detector: PiiDetector) -> None:
    found = people(detector, "I'm calling for my boss, Dorian Kettleby, at Kettleby Feed Company.")
    assert found == ["Dorian Kettleby"]
    found = people(detector, "thank u mister dubois an thats the firm card for dubois an hatch")
    assert found == ["dubois"]


@pytest.mark.parametrize(
    "line",
    [
        "Hi Boris, it's Halia Kanoho with Bayfront Realty, about the listing on Monday.",
        "Hi, this is Yannis Petrakis, I manage Fig Tree Taverna. Your crew is still coming"
        " tonight after close, right?",
    ],
)
def test_an_agency_or_a_restaurant_is_no_person(detector: PiiDetector, line: str) -> None:
    (found,) = said_in_turn(detector, line)
    named = [text for kind, text in found if kind == E.PERSON]
    assert len(named) >= 1
    assert all("Realty" not in text and "Taverna" not in text for text in named)


def test_ok_po_box_and_ok_and_are_no_spelled_names(detector: PiiDetector) -> None:
    *_, box = said_in_turn(detector, "a:k p o box forty too in ames iowa itll go out tomorrow")
    assert [kind for kind, _ in box] == [E.ADDRESS]
    *_, asked = said_in_turn(
        detector, "im signin up my son his names tobiah", "a:k n his date a birth"
    )
    assert asked == []


def test_a_routing_number_said_after_a_dropped_g_has_no_name_before_it(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector,
        "a:n ur bank",
        "routin ate oh six won too three fore five three account seven oh too um fore fore won",
    )
    assert [kind for kind, _ in answer] == [E.BANK_ROUTING, E.BANK_ACCOUNT]


def test_a_rate_is_an_amount_and_a_phone_after_it_still_a_phone(detector: PiiDetector) -> None:
    *_, rate = said_in_turn(
        detector, "whats my date of birth on file", "a:the weekly rate is too ten"
    )
    assert rate == []
    *_, phone = said_in_turn(
        detector,
        "a:we can do that at the rush rate thats for dollars a minute",
        "ok call my office at six oh ate five five five oh one won too",
    )
    assert phone == [(E.PHONE_NUMBER, "six oh ate five five five oh one won too")]
