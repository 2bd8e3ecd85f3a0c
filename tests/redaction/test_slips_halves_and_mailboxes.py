"""Numbers taken back keep the type of the number said again; a long number's last digit
heard as "too"; a phone number's first six digits after a phone cue, the rest to come; a
card's code named "security"; a house number before its street, whatever cue comes
later in the line; "n" for "and" after a street; mailboxes named with "and" or "for";
people introduced with an everyday word as a given name or a surname, or named as whom
the caller met or spoke with; and what is none of these."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType

# A Visa test number said digit by digit.
_VISA = " ".join(["four"] + ["one"] * 15)


def test_a_routing_number_taken_back_is_still_a_routing_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:k n the routin n acct",
        "routin oh six won oh oh oh fore nine no sorry just oh six won oh oh oh fore nine too"
        " n acct ate ate won six too oh nine fore",
    )
    assert found == [
        (E.BANK_ROUTING, "oh six won oh oh oh fore nine"),
        (E.BANK_ROUTING, "oh six won oh oh oh fore nine too"),
        (E.BANK_ACCOUNT, "ate ate won six too oh nine fore"),
    ]


def test_a_social_begun_and_taken_back_is_a_social(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats ur social n date a birth",
        "social nine ate no wait nine won six too ate oh fore won seven born march ninth sixty won",
    )
    assert found[:2] == [
        (E.US_SSN, "nine ate"),
        (E.US_SSN, "nine won six too ate oh fore won seven"),
    ]


def test_too_ends_a_long_number_before_the_next_cue(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:routin n account pls",
        "routin oh nine won oh oh too ate fore too acct six six won ate too nine oh oh",
    )
    assert found == [
        (E.BANK_ROUTING, "oh nine won oh oh too ate fore too"),
        (E.BANK_ACCOUNT, "six six won ate too nine oh oh"),
    ]


@pytest.mark.parametrize(
    "first_half",
    [
        "my cell is six won seven five five five",
        "if the gate dont open call me at too won six five five five",
    ],
)
def test_a_phone_numbers_first_six_digits_after_a_phone_cue(
    detector: PiiDetector, first_half: str
) -> None:
    # a birth date and a gate said before: the phone cue, nearest, says what follows
    *_, half, rest = said_in_turn(
        detector,
        "a:i need ur birthday n a number",
        "birthday feb twenty seventh ninety",
        first_half,
        "oh won fore ate",
    )
    assert [kind for kind, _ in half] == [E.PHONE_NUMBER]
    assert rest == [(E.PHONE_NUMBER, "oh won fore ate")]


def test_six_digits_after_social_are_the_socials_start(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:whats a good number n ur social", "social nine won too ate fore seven"
    )
    assert found == [(E.US_SSN, "nine won too ate fore seven")]


@pytest.mark.parametrize(
    "line",
    [
        "Yes, the notice number is 2024-RN-558813.",
        "The work order says 730425.",
    ],
)
def test_six_digits_written_as_one_code_are_no_phone_number(
    detector: PiiDetector, line: str
) -> None:
    *_, found = said_in_turn(
        detector, "a:What's a good phone number for you?", "It's 312-555-0178.", line
    )
    assert E.PHONE_NUMBER not in [kind for kind, _ in found]


def test_security_names_the_code_after_the_expiry(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and a card",
        f"visa {_VISA} exp oh nine twenty eight security four four one",
    )
    assert found[-1] == (E.CVV, "four four one")


def test_a_security_deposit_is_no_code(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "the security deposit is five hundred")
    assert found == []


def test_a_house_number_is_no_gate_code_said_after_it(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats the address n the gate code",
        "eighteen forty two larkspur pkwy n the gate is five five one nine",
    )
    assert found == [
        (E.ADDRESS, "eighteen forty two larkspur pkwy"),
        (E.PIN, "five five one nine"),
    ]


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("the house is forty one heron rise", "forty one heron rise"),
        (
            "i own the duplex at sixty too thirty fore wexford st n my tenants moved out",
            "sixty too thirty fore wexford st",
        ),
        # "n" before anything else is still North
        ("its forty two main st n apt four", "forty two main st n apt four"),
    ],
)
def test_where_a_street_ends(detector: PiiDetector, line: str, address: str) -> None:
    (found,) = said_in_turn(detector, line)
    assert found == [(E.ADDRESS, address)]


@pytest.mark.parametrize(
    ("line", "email"),
    [
        ("jo and sam at yahoo dot com", "jo and sam at yahoo dot com"),
        ("lena for council at gmail dot com", "lena for council at gmail dot com"),
        ("my email is tom and jerry at yahoo dot com", "tom and jerry at yahoo dot com"),
        # "yes" is said before the mailbox, not in it
        ("yes and pia at hotmail dot com", "pia at hotmail dot com"),
    ],
)
def test_a_mailbox_named_with_and_or_for(detector: PiiDetector, line: str, email: str) -> None:
    *_, found = said_in_turn(detector, "a:whats the best email", line)
    assert found == [(E.EMAIL_ADDRESS, email)]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("oh hey this is dmitri sharp whats up", ["dmitri sharp"]),
        ("hi this is river pennington i need a quote", ["river pennington"]),
        ("I spoke with Eluned last week about the roof.", ["Eluned"]),
        ("Hi, we met with Gwilym about the kitchen.", ["Gwilym"]),
        ("i spoke with billing already", []),
        ("It's resealed and ready for pickup.", []),
    ],
)
def test_people_introduced_or_met(detector: PiiDetector, line: str, names: list[str]) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


def test_a_birth_year_does_not_run_into_the_next_lines_house_number(
    detector: PiiDetector,
) -> None:
    *_, found = said_in_turn(
        detector,
        "a:Your full name and date of birth, please.",
        "Anselm Okoro, born June 3, 1971.",
        "a:And the new address?",
        "It's 4410 Quarry Road, Unit 2, Fairview.",
    )
    assert found == [(E.ADDRESS, "4410 Quarry Road, Unit 2, Fairview")]


def test_a_time_tomorrow_is_no_birth_date(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:whats ur birthday",
        "march ninth sixty won",
        "a:k thx orientation is at six thirty tmrw n ur home address",
    )
    assert found == []
