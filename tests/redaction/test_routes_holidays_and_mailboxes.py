"""Numbered roads ("State Route 47", "FM 1960", "loop three sixty") and military post
office addresses; birthdays said as a holiday or as an ISO date; mail providers and
domain endings as recognisers mishear them ("very zen", "dot comb") or spell them ("dot
e d u"); code nouns whose "'s" lost its apostrophe ("gate codes 6 8 1"); and the everyday
lines those words also make."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_call, typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("its 2250 State Route 9, Hudson, Ohio.", "2250 State Route 9, Hudson, Ohio"),
        ("ship it to 7714 FM 1960 in Humble Texas", "7714 FM 1960 in Humble Texas"),
        ("ate oh ate loop too eighty ate", "ate oh ate loop too eighty ate"),
        ("nineteen twelve county highway k", "nineteen twelve county highway k"),
        ("we're at 560 US Highway 64, Pittsboro, NC", "560 US Highway 64, Pittsboro, NC"),
    ],
)
def test_numbered_roads_with_their_keeper_or_type_first(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "we did 3 loop trails and 20 laps",
        "take interstate 80 west for about 12 miles",
        "the state route 47 detour adds ten minutes",
    ],
)
def test_a_road_named_without_a_house_number_is_no_address(
    detector: PiiDetector, text: str
) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.ADDRESS] == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("PSC 1021 Box 88, APO AE 09021", "PSC 1021 Box 88, APO AE 09021"),
        (
            "send it to unit three one one oh box two two d p o a p nine six five one five",
            "unit three one one oh box two two d p o a p nine six five one five",
        ),
        (
            "its c m r four fifty box nine a p o a e oh nine oh four two",
            "c m r four fifty box nine a p o a e oh nine oh four two",
        ),
    ],
)
def test_military_post_office_addresses(detector: PiiDetector, text: str, address: str) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


def test_spelled_acronyms_are_no_names(detector: PiiDetector) -> None:
    text = "let me confirm that's an a p o address so it goes by u s p s not ups"
    assert people(detector, text) == []
    assert people(detector, "the h o a letter came back approved") == []


@pytest.mark.parametrize(
    ("prompt", "text", "birthday"),
    [
        ("And his date of birth?", "Born on New Year's Day, 2009.", "New Year's Day, 2009"),
        (
            "whats her birthday",
            "she was born christmas day nineteen ninety one",
            "christmas day nineteen ninety one",
        ),
        ("date of birth please", "halloween of eighty four", "halloween of eighty four"),
        ("Date of birth?", "It's 1984-03-17.", "1984-03-17"),
    ],
)
def test_a_birthday_said_as_a_holiday_or_year_first(
    detector: PiiDetector, prompt: str, text: str, birthday: str
) -> None:
    assert (E.DATE_OF_BIRTH, birthday) in typed(detector, text, prompt=prompt)


@pytest.mark.parametrize(
    "text",
    [
        "we're closed christmas eve and new year's day",
        "the halloween sale ends friday",
        "the delivery window is 2026-12-04 to 2026-12-09",
    ],
)
def test_holidays_and_iso_dates_without_a_birth_are_no_birthdays(
    detector: PiiDetector, text: str
) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.DATE_OF_BIRTH] == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("its noor dot haddad at very zen dot net", "noor dot haddad at very zen dot net"),
        ("send it to t walsh ninety at g male dot com", "t walsh ninety at g male dot com"),
        ("ravi dot k at fast male dot com", "ravi dot k at fast male dot com"),
        ("its quinn dot adler at blue harbor dot comb", "quinn dot adler at blue harbor dot comb"),
        ("o b a dot sani at n y u dot e d u", "o b a dot sani at n y u dot e d u"),
    ],
)
def test_mail_providers_and_endings_as_heard_or_spelled(
    detector: PiiDetector, text: str, email: str
) -> None:
    assert (E.EMAIL_ADDRESS, email) in typed(detector, text)


def test_a_shop_or_a_place_at_a_provider_is_no_address(detector: PiiDetector) -> None:
    assert typed(detector, "we shop at very zen dot net stores") == []


def test_a_code_noun_with_its_apostrophe_lost_cues_the_code(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "k n the side gate", "agent")
    assert said_in_call(call, "gate codes nine double too won", "customer") == [
        (E.PIN, "nine double too won")
    ]


def test_zip_codes_in_a_notice_are_no_address(detector: PiiDetector) -> None:
    text = "the advisory covers zip codes five three zero one one and five three zero one two"
    assert typed(detector, text, prompt="is my street affected") == []


def test_a_confirmation_number_after_a_card_is_no_expiry_or_code(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "can i pay it with my discover", "customer")
    said_in_call(call, "of course go ahead", "agent")
    said_in_call(
        call,
        "six five seven three one four four one one five seven one zero seven seven four expires "
        "oh two twenty nine security code four seven nine",
        "customer",
    )
    line = "thank you that's approved confirmation number three three one one two eight"
    assert said_in_call(call, line, "agent") == []


def test_a_caller_s_own_office_is_their_address(detector: PiiDetector) -> None:
    """The business's own address ("our office is at ...") is no caller's, but a caller's
    "our office" or "our clinic" is their own place."""
    said = "sure mail it to our office at 418 Tamarind Boulevard, Suite 12, Tulsa"
    address = "418 Tamarind Boulevard, Suite 12, Tulsa"
    assert (E.ADDRESS, address) in said_in_call(
        ConversationRedactor(detector=detector), said, "customer"
    )
    agent = "you can drop it at our office at 418 Tamarind Boulevard, Suite 12, Tulsa"
    found = said_in_call(ConversationRedactor(detector=detector), agent, "agent")
    assert E.ADDRESS not in [kind for kind, _ in found]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "send it to four ten east speedway boulevard in tucson",
            "four ten east speedway boulevard in tucson",
        ),
        ("its 88 quarry lane unit 3 in keene", "88 quarry lane unit 3 in keene"),
    ],
)
def test_a_town_said_last_after_in(detector: PiiDetector, text: str, address: str) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


def test_in_person_after_a_street_is_no_town(detector: PiiDetector) -> None:
    assert typed(detector, "its 12 elm street in person is fine") == [(E.ADDRESS, "12 elm street")]


def test_a_town_and_state_given_for_an_address(detector: PiiDetector) -> None:
    found = typed(detector, "its in twin falls idaho", prompt="whats the new address")
    assert found == [(E.ADDRESS, "twin falls idaho")]
    assert typed(detector, "i was born in dayton ohio") == []
