"""Names said where someone is introduced (two rare words, initials and a surname, a name
after "on behalf of", a word-name after "with" at a sentence's end, whom to "call ... at");
and numbers kept apart: a written date after a social's last four, a unit's number and
the phone said on the next line, a social asked for after an account read back, a whole
Discover after a "gift card" said earlier, a phone's start with "triple five", and a card
going on after "mhm go on" though the question before it named a ZIP too."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_turn

E = EntityType


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("hi it's thuy ng i can't get into the member portal", "thuy ng"),
        ("hi kalani akana at the hilo youth orchestra we need the boxes", "kalani akana"),
        ("hey dorji lhamo here about the tent order", "dorji lhamo"),
        ("we're sending it to my neighbor rain gurung as a thank you", "rain gurung"),
        ("i'm booking the room on behalf of oisin mcgarrigle", "oisin mcgarrigle"),
        ("the super sonny lindqvist will let the tech in", "sonny lindqvist"),
        ("hi its j k dhaliwal for the gala quote", "j k dhaliwal"),
        ("the account's under b t okonjo n i'll pay by card", "b t okonjo"),
        ("if i don't answer call tuck at the shop number", "tuck"),
        ("She's in the Saturday class with Rain.", "Rain"),
    ],
)
def test_names_where_someone_is_introduced(detector: PiiDetector, line: str, name: str) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    "line",
    [
        "send the order for darjeeling keemun please",
        "sure its april twelfth at two",
        "We can book you for April.",
        "I'll pay with Discover.",
        "hi callin bout the wedding invites",
        "its booked for fri",
    ],
)
def test_things_said_in_those_places_name_no_one(detector: PiiDetector, line: str) -> None:
    assert people(detector, line) == []


def test_a_written_date_after_the_last_four(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:Last four of your Social and your birth date?", "3318, 4/9/81. That's all."
    )
    assert found == [(E.US_SSN, "3318"), (E.DATE_OF_BIRTH, "4/9/81")]


def test_a_unit_ends_with_its_line(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "ship it to the shop it's four twelve tanner mill road unit six",
        "a:and a daytime number for the driver",
        "nine one four five five five oh one three three",
    )
    assert found == [(E.PHONE_NUMBER, "nine one four five five five oh one three three")]


def test_the_social_asked_after_an_account_read_back(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "the account is thirty one twenty two fifty four sixty six",
        "a:reading the account back three one two two five four six six and i need the last"
        " four of your social",
        "eighty two seventeen and when does it start",
    )
    assert found == [(E.US_SSN, "eighty two seventeen")]


def test_a_whole_card_after_a_gift_card_was_said(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:the plan is ninety dollars and we email the gift card where should it go",
        "to my sister and i'll use discover sixty eleven thirty one forty nine seventy two fifty"
        " eight sixty one",
    )
    assert (
        E.CREDIT_CARD,
        "sixty eleven thirty one forty nine seventy two fifty eight sixty one",
    ) in found


def test_a_phone_begun_with_triple_five(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:and a cell", "my cell is nine one four triple five")
    assert found == [(E.PHONE_NUMBER, "nine one four triple five")]


def test_a_quote_number_is_no_code(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector, "a:how can i help", "hi i got quote six two one eight for the job"
    )
    assert found == []


def test_a_card_goes_on_after_go_on(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:that's eighty dollars with freight how's that being paid and i'll need the billing zip",
        "visa four four one seven two nine three oh",
        "a:mhm go on",
        "six two one eight five five four one expires oh nine thirty",
    )
    assert found[0] == (E.CREDIT_CARD, "six two one eight five five four one")
