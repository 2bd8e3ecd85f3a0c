"""Round 33: the rest of a card said after another answer ("... the billing zip" / "<zip>
and then <the rest>"); a town ending a sentence after a rural box; initials before a
surname; a name everyone calls someone; a street said first after a line that ended in a
number; a job site asked for; an amount after "for the"; a social answered whole before
the account; trades whose people callers name."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, people, said_in_turn, typed

E = EntityType

# A Visa test number, its first half said, then the rest.
_FIRST_HALF = "four one one one one one one one"
_REST = "one one one one one one one one"


def test_the_rest_of_a_card_after_the_billing_zip(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:i'll need the card for the deposit",
        f"ok visa {_FIRST_HALF} hang on i need my glasses",
        "a:sure and what's the billing zip while you look",
        f"nine seven two one four and then {_REST} expires oh nine twenty nine",
    )
    assert (E.CREDIT_CARD, _REST) in found
    assert (E.ADDRESS, "nine seven two one four") in found


def test_the_zip_alone_is_no_card(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        f"ok visa {_FIRST_HALF} hang on i need my glasses",
        "a:sure and what's the billing zip while you look",
        "nine seven two one four",
    )
    assert found == [(E.ADDRESS, "nine seven two one four")]


def test_a_town_ends_the_sentence_after_a_rural_box(detector: PiiDetector) -> None:
    text = "Sure, it's Rural Route 4, Box 318, Chadron. The dogs are friendly."
    assert typed(detector, text, prompt="And your mailing address?") == [
        (E.ADDRESS, "Rural Route 4, Box 318, Chadron")
    ]


def test_a_town_ends_the_sentence_after_a_street(detector: PiiDetector) -> None:
    text = "It's 77 Wren Street, Unit 2, Kearny. Thanks for asking."
    assert typed(detector, text, prompt="What's the service address?") == [
        (E.ADDRESS, "77 Wren Street, Unit 2, Kearny")
    ]


def test_two_initials_before_a_surname(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "hi it's delia voss and the league lists me as d k voss on the schedule",
    )
    assert "d k voss" in names_in(found)
    assert people(detector, "thank you mister j p okonkwo and the expiry") == ["j p okonkwo"]


def test_one_letter_before_a_surname_is_no_initial(detector: PiiDetector) -> None:
    found = typed(detector, "me n voss will come by at noon", prompt="whos coming")
    assert all(not text.startswith("n ") for _, text in found)


def test_the_name_everyone_calls_someone(detector: PiiDetector) -> None:
    found = people(detector, "My uncle, the one everybody calls Sprocket, sent me to you.")
    assert found == ["Sprocket"]
    assert people(detector, "We called Verizon twice about it.") == []


def test_a_street_said_first_after_a_line_ending_in_an_amount(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "hi we're booked for the stump grinding friday and i want to pay the four hundred"
        " twenty deposit",
        "a:thanks the crew will be there at nine can you confirm the job site",
        "wren hollow road twenty two oh five chadron and my husband will be home",
    )
    assert (E.ADDRESS, "wren hollow road twenty two oh five chadron") in found


def test_an_amount_after_for_the(detector: PiiDetector) -> None:
    assert typed(detector, "perfect and which card for the six fifty") == []
    assert typed(detector, "ok the card for the eleven forty then") == []


def test_an_account_after_a_social_answered_whole(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:I'll need your Social, then the routing and account for the deposit.",
        "Social is 921-44-7310. Routing is 011000015, and the account, one sec, 553019284.",
    )
    assert found == [
        (E.US_SSN, "921-44-7310"),
        (E.BANK_ROUTING, "011000015"),
        (E.BANK_ACCOUNT, "553019284"),
    ]


def test_a_social_said_again_after_a_slip_keeps_its_kind(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and your social",
        "social is nine two one four four seven three one oh sorry nine two one four four"
        " seven three oh one",
    )
    assert (E.US_SSN, "nine two one four four seven three oh one") in found


def test_a_liaison_named_with_their_role(detector: PiiDetector) -> None:
    found = people(detector, "our billing liaison marguerite oyelaran will email the invoice")
    assert found == ["marguerite oyelaran"]
