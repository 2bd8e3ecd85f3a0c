"""Street types that are everyday words ("cottonwood run", "fox run road"), codes by other
names ("the gate combo", "the drop box code") with a last digit heard as "too", and names
with what goes around them: a suffix ("junior"), an "ok" heard as "k" before them, "that's
me" before them; with the everyday sentences those words also make."""

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
        (
            "the refund went to my old place on won ate six quailbrook run",
            "won ate six quailbrook run",
        ),
        ("im at 4410 Heatherstone Mews now", "4410 Heatherstone Mews"),
        ("its at um ate ninety deer run road by the school", "ate ninety deer run road"),
        ("we moved to 27 tamarack walk last spring", "27 tamarack walk"),
    ],
)
def test_a_street_whose_type_is_an_everyday_word(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "its a 5 k fun run on saturday",
        "we did 3 laps on the morning run",
        "the dose is thirty milliliters point five twice a day",
    ],
)
def test_a_run_or_a_point_after_a_number_is_no_street(detector: PiiDetector, text: str) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.ADDRESS] == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("theres a padlock on the gate the combo is forty won twelve too", "forty won twelve too"),
        ("After hours, the drop box code is 5-2-8-1.", "5-2-8-1"),
        ("the locker code is six six oh nine", "six six oh nine"),
    ],
)
def test_codes_by_other_names_are_pins(detector: PiiDetector, text: str, code: str) -> None:
    assert (E.PIN, code) in typed(detector, text)


def test_a_combo_meal_is_no_code(detector: PiiDetector) -> None:
    assert typed(detector, "the combo meal is 9 99 with a drink") == []


@pytest.mark.parametrize(
    "text",
    ["i need two tickets and my wife wants two too", "we have three kids and four dogs too"],
)
def test_too_after_a_count_stays_a_word(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "this is thelonius brackwater junior calling about my mother",
            "thelonius brackwater junior",
        ),
        ("My name is Hollis Brandt Jr. and I have a question.", "Hollis Brandt Jr"),
        ("that's me quillan ashworth and the account is in my name", "quillan ashworth"),
    ],
)
def test_what_goes_with_a_name(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


def test_an_ok_heard_as_k_is_not_part_of_the_name(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    call.redact("hi i need to book a fitting its ysolde marchetti", "customer")
    said = "k ysolde marchetti n date a birth"
    found = [name for kind, name in said_in_call(call, said, "agent") if kind == E.PERSON]
    assert found and all(not name.startswith("k ") for name in found)


@pytest.mark.parametrize(
    "text",
    [
        "thanks fees are paid every two weeks whats the bank info",
        "thats me on the account",
        "yes that's me",
    ],
)
def test_no_one_is_named(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "im at twenty one eighteen north saguaro loop in prescott valley",
            "twenty one eighteen north saguaro loop in prescott valley",
        ),
        ("its at 12 oak lane in walnut creek and i need a quote", "12 oak lane in walnut creek"),
    ],
)
def test_a_town_of_two_words_after_in(detector: PiiDetector, text: str, address: str) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


def test_in_and_everyday_words_are_no_town(detector: PiiDetector) -> None:
    assert (E.ADDRESS, "12 oak lane") in typed(detector, "the house at 12 oak lane in good shape")


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ("Brightwater Collision, estimates desk. What happened to the vehicle?", None),
        ("pelican zoo memberships whats the zip code on your membership", None),
        ("Cobaltline Motorcoach, charters. How many passengers?", None),
        ("Meridale Land Surveying, Otis speaking.", "Otis"),
    ],
)
def test_a_company_named_before_its_desk_is_no_one(
    detector: PiiDetector, text: str, agent: str | None
) -> None:
    assert people(detector, text) == ([agent] if agent else [])


def test_a_person_named_before_a_desk_is_still_named(detector: PiiDetector) -> None:
    assert people(detector, "Rosa Delgado, billing. How can I help?") == ["Rosa Delgado"]


@pytest.mark.parametrize(
    "text", ["k n a email for costume sizes", "k n r u still at the same address"]
)
def test_ok_and_as_letters_spell_no_name(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_name_spelled_from_k_n_is_still_spelled(detector: PiiDetector) -> None:
    assert people(detector, "its k n u d s e n") == ["k n u d s e n"]


@pytest.mark.parametrize(
    ("first", "second", "rest"),
    [
        (
            "its a small claims case the defendant lives at too twenty won sunrise",
            "boulevard apartment won dee in el cajon",
            "boulevard apartment won dee in el cajon",
        ),
        ("my new place is fore forty too", "kestrel drive in tulsa", "kestrel drive in tulsa"),
    ],
)
def test_a_street_that_goes_on_in_the_next_line(
    detector: PiiDetector, first: str, second: str, rest: str
) -> None:
    call = ConversationRedactor(detector=detector)
    call.redact(first, "customer")
    assert (E.ADDRESS, rest) in said_in_call(call, second, "customer")


def test_a_new_code_chosen_with_make_it(detector: PiiDetector) -> None:
    found = typed(detector, "ya make it for nine ate won", prompt="k whats the new pin")
    assert found == [(E.PIN, "for nine ate won")]


def test_a_code_that_is_still_the_same(detector: PiiDetector) -> None:
    text = "n the back door code is still for ate oh seven right"
    assert (E.PIN, "for ate oh seven") in typed(detector, text)


@pytest.mark.parametrize(
    "text", ["its still for sale for two hundred", "ok ill change it to nine am instead"]
)
def test_still_and_make_it_before_everyday_words(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []
