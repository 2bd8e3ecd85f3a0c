"""Names the tagger leaves where the line makes them someone's: everyday-word names before
a surname English has hardly a trace of, as the one who said or will do something, and
right after "my <role>"; capitalised rare names where a person is named; and the things,
firms and places called by such words, which stay unnamed."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from tests.redaction.forms import people


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("our choir director harbor nwachukwu she opens the church on fridays", "harbor nwachukwu"),
        ("the neighbor brandy oyelaran has the spare key", "brandy oyelaran"),
        ("i want to enroll my daughter journey abubakar in the spring class", "journey abubakar"),
        ("please add cypress tsosie to the roster he plays second", "cypress tsosie"),
        ("send it to clover haddad at the shop", "clover haddad"),
        ("our pastor legend okonkwo sent me to ask about the tuning", "legend okonkwo"),
        ("hi this coral nakamatsu from grace chapel we got the invoice", "coral nakamatsu"),
        ("cool im journey thibodeaux n my cell is new", "journey thibodeaux"),
    ],
)
def test_a_word_name_before_a_foreign_surname(detector: PiiDetector, line: str, name: str) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Thanks. Harbor will be the one coming, and she'll text when she's close.", "Harbor"),
        ("I started Monday, and Eden told me to call about direct deposit.", "Eden"),
        ("hi its me again n canyon said to call u bout the refund", "canyon"),
        ("yup harbor leads that crew they start at seven", "harbor"),
        ("our crew lead cypress will call u first", "cypress"),
        ("Sorry for the wait, and Fielding said the part is in.", "Fielding"),
    ],
)
def test_a_word_name_that_said_or_will_do_something(
    detector: PiiDetector, line: str, name: str
) -> None:
    assert name in people(detector, line)


def test_a_word_name_after_my_role(detector: PiiDetector) -> None:
    assert people(detector, "my foreman cypress his cell is new") == ["cypress"]


@pytest.mark.parametrize(
    "line",
    [
        "the cherry kombucha will be back in stock friday",
        "Mint will be back next week, and ginger is sold out.",
        "I'd like the ginger scoby starter and two pounds of blue oyster.",
        "we need the yearly tuning at san isidro church",
        "my husband will call you back tonight",
        "Our manager said to call about the invoice.",
        "a coral reishi grow kit is on sale this week",
        "hi im tryna get the bellows fixed",
    ],
)
def test_things_called_by_name_words_stay_unnamed(detector: PiiDetector, line: str) -> None:
    assert people(detector, line) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Please mail the certificate to Chidera Onwuachi at the shop.", "Chidera Onwuachi"),
        ("Our new tuner, Tadesse Gebremariam, will bring the parts.", "Tadesse Gebremariam"),
        ("The permit is under Ngozi Adebayo-Okafor, not me.", "Ngozi Adebayo-Okafor"),
    ],
)
def test_capitalised_rare_names_where_a_person_is_named(
    detector: PiiDetector, line: str, name: str
) -> None:
    assert name in people(detector, line)


@pytest.mark.parametrize(
    "line",
    [
        "Please ship it to Okemos Township Hall.",
        "We bought it from Aeolian Skinner Organ Company years ago.",
    ],
)
def test_capitalised_firms_and_places_stay_unnamed(detector: PiiDetector, line: str) -> None:
    assert people(detector, line) == []
