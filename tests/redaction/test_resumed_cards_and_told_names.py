"""A card taken up again after "hang on" and "okay"; "the code on the front"; a long PIN
asked for; a routing number begun with "to"; a code after a month-named expiry; a town
before "right"; people after "if", by a role before "told", as "the homeowner"; animals
and mail-order desks named like people; homophone codes such as "for oh for"."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, said_in_turn

E = EntityType


def test_a_card_taken_up_again(detector: PiiDetector) -> None:
    *_, held, resumed = said_in_turn(
        detector,
        "a:which card",
        "amex three seven one four four nine six three hang on the dog is barking",
        "okay five three nine eight four three one expires may twenty thirty",
    )
    assert held == [(E.CREDIT_CARD, "three seven one four four nine six three")]
    assert resumed[:2] == [
        (E.CREDIT_CARD, "five three nine eight four three one"),
        (E.EXPIRY, "may twenty thirty"),
    ]


def test_the_code_on_the_front(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "it's an amex three four eight two seven three one five seven six three eight five five"
        " six",
        "it expires october twenty twenty nine and the code on the front is forty three eighty one",
    )
    assert (E.CVV, "forty three eighty one") in found


def test_a_long_pin_asked_for(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and a good number for you",
        "four oh six five five five oh one double seven",
        "a:got it the main gate code is six triple two seven nine four and the key's in the box",
    )
    assert found == [(E.PIN, "six triple two seven nine four")]


def test_a_routing_number_begun_with_to(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:routing n acct",
        "routin to seven for oh five oh five six nine acct sixty three ate three seven fore too",
    )
    assert found[0] == (E.BANK_ROUTING, "to seven for oh five oh five six nine")


def test_a_code_after_a_month_named_expiry(detector: PiiDetector) -> None:
    _, found = said_in_turn(
        detector,
        "a:can u start over",
        "yea fore won won won won won won won won won won won won won won won oct twenty nine n"
        " won sixty six",
    )
    assert found[1:] == [(E.EXPIRY, "oct twenty nine"), (E.CVV, "won sixty six")]


def test_a_town_asked_back(detector: PiiDetector) -> None:
    (found,) = said_in_turn(detector, "a:delivering to twelve ridge road springfield right")
    assert found == [(E.ADDRESS, "twelve ridge road springfield")]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("a:Perfect. If Mzwandile gets lost, is this still the best number?", ["Mzwandile"]),
        ("Call the homeowner, Anneliese, before you come.", ["Anneliese"]),
        ("hey the new delivery driver sparrow told me to call about payroll", ["sparrow"]),
        ("my contractor always said the roof was fine", []),
        ("And watch out for Biscuit, our goat, he gets out.", []),
        ("a:Kumo Bonsai and Orchid, mail order.", []),
    ],
)
def test_people_and_not(detector: PiiDetector, line: str, names: list[str]) -> None:
    (found,) = said_in_turn(detector, line)
    assert names_in(found) == names


@pytest.mark.parametrize(
    ("prompt", "line", "code"),
    [
        ("a:and the code on the back", "for oh for", (E.CVV, "for oh for")),
        ("a:whats the gate code", "too oh too for", (E.PIN, "too oh too for")),
    ],
)
def test_codes_said_as_homophones(
    detector: PiiDetector, prompt: str, line: str, code: tuple[EntityType, str]
) -> None:
    _, found = said_in_turn(detector, prompt, line)
    assert found == [code]
