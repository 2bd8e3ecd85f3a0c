"""An agent's firm calling for a customer is no person, nor a school's or an exchange's
name; a name after "calling for" or "mine" (whose an account is), and a given name
that is also a word before a rare surname, are people. And the numbers: an account
begun after its cue, a round number of thousands, a floor said after the street, an
initial before "underscore" in a mailbox, a mail site spelled after the address, a card
and its expiry said in one breath."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType

# A card number that passes the Luhn check, said digit by digit.
_CARD = "four six six six one seven six oh three one three seven two one five nine"


@pytest.mark.parametrize(
    ("greeting", "names"),
    [
        ("Hi, this is Bright Flame Fuel Oil calling for Elikem Agbeko.", ["Elikem Agbeko"]),
        ("Hi, this is Showfloor Fabrication calling for Hamid Karimi.", ["Hamid Karimi"]),
        # a person calling for someone stays a person
        (
            "Hi, this is Dana Whitfield calling for Hamid Karimi.",
            ["Dana Whitfield", "Hamid Karimi"],
        ),
        ("hi this is maria de la cruz calling for kwame", ["maria de la cruz", "kwame"]),
        ("hi this is terra nova exchange callin for kamran aliyev", ["kamran aliyev"]),
        ("linwood preparatory school admissions", []),
    ],
)
def test_a_firm_calling_for_someone_is_no_person(
    detector: PiiDetector, greeting: str, names: list[str]
) -> None:
    (found,) = said_in_turn(detector, "a:" + greeting)
    assert names_in(found) == names


@pytest.mark.parametrize(
    ("prompt", "line", "names"),
    [
        ("Whose name is the account under?", "Mine, Ahyoka Cornsilk.", ["Ahyoka Cornsilk"]),
        ("whose name is on the account", "mine ayanda mabandla", ["ayanda mabandla"]),
        ("what happened to the phone", "mine is broken", []),
        (
            "hi this is glen at northshore",
            "hey glen it's cash kahale with the pool crew",
            ["glen", "cash kahale"],
        ),
        ("whats ur name", "its super reliable", []),
    ],
)
def test_a_name_answered_or_introduced(
    detector: PiiDetector, prompt: str, line: str, names: list[str]
) -> None:
    *_, found = said_in_turn(detector, "a:" + prompt, line)
    assert names_in(found) == names


def test_four_digits_after_account_are_the_accounts_start(detector: PiiDetector) -> None:
    *_, found, rest = said_in_turn(
        detector,
        "a:k i need ur social n the routin n account",
        "social nine three seven too oh six too five oh routing too too five seven nine six"
        " fore oh three n account fore six fore nine",
        "won fore too fore thats it",
    )
    assert found[-1] == (E.BANK_ACCOUNT, "fore six fore nine")
    assert rest == [(E.BANK_ACCOUNT, "won fore too fore")]


def test_a_round_number_of_thousands_is_no_code(detector: PiiDetector) -> None:
    (found,) = said_in_turn(
        detector, "a:k thats six point five yards of the fore thousand mix is there a gate code"
    )
    assert found == []


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("9:30, at our office, 1912 Delancey Plaza, 4th Floor.", "1912 Delancey Plaza, 4th Floor"),
        (
            "its forty two main street, third floor, boston",
            "forty two main street, third floor, boston",
        ),
    ],
)
def test_a_floor_said_after_the_street(detector: PiiDetector, line: str, address: str) -> None:
    *_, found = said_in_turn(detector, "a:Where should we meet?", line)
    assert found == [(E.ADDRESS, address)]


def test_an_initial_before_underscore(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "and send it to i underscore makris at gmail dot com")
    assert found == [(E.EMAIL_ADDRESS, "i underscore makris at gmail dot com")]


def test_a_mail_site_spelled_is_no_name(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:So that's jiahui.lin97 at yahoo dot com?",
        "No, jiahui.lin97 at zoho dot com, Z-O-H-O.",
    )
    assert found == [(E.EMAIL_ADDRESS, "jiahui.lin97 at zoho dot com")]


def test_a_card_then_its_expiry_in_one_breath(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:card number exp n code",
        f"sure visa {_CARD} oh nine twenty eight code four one six",
    )
    assert found == [
        (E.CREDIT_CARD, _CARD),
        (E.EXPIRY, "oh nine twenty eight"),
        (E.CVV, "four one six"),
    ]
