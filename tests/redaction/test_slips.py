"""Addresses and birth dates begun, taken back and said again: the words taken back are
most of the private value, so they are hidden with the restart's type."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_call, typed

E = EntityType
ASKED = "whats the address n date a birth"


@pytest.mark.parametrize(
    ("text", "slip", "kind"),
    [
        ("its sixty won no sorry sixty seven birch hollow lane in tupelo", "sixty won", E.ADDRESS),
        (
            "for seventy no sorry for seventeen larkmoor road apartment too be in dayton",
            "for seventy",
            E.ADDRESS,
        ),
        ("april too no april twelfth nineteen sixty ate", "april too", E.DATE_OF_BIRTH),
        ("march for uh sorry may fourth nineteen ninety won", "march for", E.DATE_OF_BIRTH),
    ],
)
def test_what_was_taken_back_is_hidden(
    detector: PiiDetector, text: str, slip: str, kind: EntityType
) -> None:
    assert (kind, slip) in typed(detector, text, prompt=ASKED)


def test_a_correction_about_someone_else_takes_nothing_back(detector: PiiDetector) -> None:
    found = typed(detector, "i live at 12 oak lane no i mean my mom does", prompt=ASKED)
    assert found == [(E.ADDRESS, "12 oak lane")]


def test_a_date_after_the_other_party_gave_a_birthday_is_no_birth_date(
    detector: PiiDetector,
) -> None:
    call = ConversationRedactor(detector=detector)
    given = call.findings(
        "shell be eight next month her birthday is july second two thousand seventeen",
        "customer",
    )
    assert [f.type for f in given] == [E.DATE_OF_BIRTH]
    assert call.findings("then she can do july fifth at ten thirty its ninety five", "agent") == []


def test_a_birthday_party_date_is_no_birth_date(detector: PiiDetector) -> None:
    said = "I'd like the party room for my son's 9th birthday on Sunday, February 16th."
    assert typed(detector, said) == []


def test_a_birth_date_read_back_then_corrected_stays_one(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    call.redact("can you confirm your date of birth", "agent")
    call.redact("eleven won nineteen seventy too", "customer")
    call.redact("november first nineteen seventy too", "agent")
    said = "no sorry november eleventh"
    found = said_in_call(call, said, "customer")
    assert found == [(E.DATE_OF_BIRTH, "november eleventh")]
