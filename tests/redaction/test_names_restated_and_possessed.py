"""People named in passing, in ways that earlier rules missed: a name restated ("its mags
i mean margarethe ..."), a possessive ("confirm rafferty's date of birth", "Rosalind's
her mom"), someone asked to do a thing ("ask manolo to grab them"), a whole name after a
"this" whose "is" was lost, a spelled given name and its surname, the given name a
tagger left before a name; an expiry said right after a card with its code unasked, and
a month said before "slash". With the everyday lines those forms also make."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_call, typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "restated"),
    [
        ("my name is tom, sorry, thomasina achebe", "thomasina achebe"),
        ("its ingrid i mean ingeborg salas", "ingeborg salas"),
    ],
)
def test_a_name_restated_after_a_nickname(detector: PiiDetector, text: str, restated: str) -> None:
    assert restated in people(detector, text)


def test_words_after_i_mean_that_are_no_name(detector: PiiDetector) -> None:
    assert people(detector, "its lena i mean i think so") == ["lena"]
    assert people(detector, "this is jenna no i mean the account is under my husband") == ["jenna"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("can you confirm tamsworth's date of birth for me", "tamsworth"),
        ("i see maxines appointment is at noon", "maxine"),
        ("no its my card, bernadette's his mother", "bernadette"),
    ],
)
def test_a_person_named_by_a_possessive(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "i need the decedent's social",
        "whats the cardholder's name",
        "its on my verizon's account",
    ],
)
def test_a_role_or_a_company_before_a_detail_is_no_name(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_someone_asked_to_do_a_thing(detector: PiiDetector) -> None:
    assert people(detector, "no problem ill ask thorvald to swap them friday") == ["thorvald"]
    assert people(detector, "can you ask billing to call me") == []
    assert people(detector, "ill tell the tech to bring it") == []


def test_a_whole_name_after_this_with_is_lost(detector: PiiDetector) -> None:
    text = "hi this oisin kavanagh my dad had an account with u"
    assert people(detector, text) == ["oisin kavanagh"]
    assert people(detector, "hi this kombucha my friend sold me tastes off") == []


def test_a_spelled_given_name_then_the_surname(detector: PiiDetector) -> None:
    assert people(detector, "k so thats w o j c i e c h brzezinski") == [
        "w o j c i e c h brzezinski"
    ]
    assert people(detector, "its k a t e thanks") == ["k a t e"]


def test_the_given_name_a_tagger_left_before_a_name(detector: PiiDetector) -> None:
    # the tagger marks "Ruth Szymborska-Tate" only
    text = "Evangelina Ruth Szymborska-Tate. Born 5 May 1984."
    assert people(detector, text) == ["Evangelina Ruth Szymborska-Tate"]


def test_an_expiry_after_a_card_with_its_code_unasked(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "whats the card", "agent")
    said_in_call(call, "amex three seven too won for ate", "customer")
    line = "five seven five nine fore six for too ate exp oh nine twenty ate six double for"
    found = said_in_call(call, line, "customer")
    assert (E.EXPIRY, "oh nine twenty ate") in found
    assert (E.CVV, "six double for") in found


def test_a_read_back_after_the_expiry_was_asked_stays_a_card(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "Sure, I just need the sixteen digit number on the card", "agent")
    said_in_call(
        call,
        "Card number four four seven one two nine three six two two one four eight five five "
        "six, expiration March 2031.",
        "customer",
    )
    line = "Okay, I have four four seven one, uh, two nine three six, uh, two two one four, right?"
    found = said_in_call(call, line, "agent")
    assert E.EXPIRY not in [kind for kind, _ in found]


def test_a_month_said_before_slash(detector: PiiDetector) -> None:
    assert typed(detector, "oh for slash thirty won", prompt="n exp") == [
        (E.EXPIRY, "oh for slash thirty won")
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ok so the tech coming friday is rosalie and she'll text u first", "rosalie"),
        ("thanks evangeline orientations thursday at ten", "evangeline"),
        ("we spoke to thaddeus last week about it", "thaddeus"),
    ],
)
def test_a_given_name_no_english_word_is_a_name_anywhere(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "hollis and grant this is the front desk",
        "marlowe and pike intake how can i help",
        "hi this is dana from sparkle nest your clean is tomorrow",
    ],
)
def test_a_firm_named_after_its_founders_is_no_one(detector: PiiDetector, text: str) -> None:
    assert [p for p in people(detector, text) if p not in ("dana",)] == []
