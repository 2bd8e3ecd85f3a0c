"""An agent's name said after the firm's desk with no "this is" before it, and the desk's
own words that are no one's ("accounts payable", "mobile grooming"); a firm's name that
holds a given name English also uses as a word ("Mill Lane Kite Works"); a partner of
a firm named by role; a card's second half said before its expiry where no card was
named; a pair's unit heard as "too"; a month and number said just before a card's code;
and a given name English has no trace of said before a name found alone."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def test_the_agents_name_after_the_desk_is_a_name(detector: PiiDetector) -> None:
    (greeting,) = said_in_turn(detector, "a:lakeshore kayak tours bookings pumpernickel")
    assert greeting == [(E.PERSON, "pumpernickel")]
    (greeting,) = said_in_turn(
        detector, "a:pinecrest hot springs member services latte speaking how can i help"
    )
    assert greeting == [(E.PERSON, "latte")]


def test_what_the_desk_does_is_no_name(detector: PiiDetector) -> None:
    assert said_in_turn(detector, "a:lakeshore kayak tours accounts payable") == [[]]
    assert said_in_turn(detector, "a:happy paws mobile grooming good morning") == [[]]


def test_a_firm_whose_name_holds_a_word_also_given_is_no_one(detector: PiiDetector) -> None:
    assert said_in_turn(detector, "a:Mill Lane Kite Works, how can I help?") == [[]]
    (greeting,) = said_in_turn(
        detector, "a:hollow gorge zipline this is wren what can i do for you"
    )
    assert greeting == [(E.PERSON, "wren")]
    (greeting,) = said_in_turn(detector, "a:Grace Kim, how can I help?")
    assert greeting == [(E.PERSON, "Grace Kim")]


def test_a_partner_named_in_the_firms_name_is_a_person_by_role(detector: PiiDetector) -> None:
    *_, booked = said_in_turn(
        detector,
        "a:Pemberton & Royce Law, intake. Are you calling about a consultation?",
        "yes about my lease",
        "a:Attorney Royce can see you Monday at ten.",
    )
    assert booked == [(E.PERSON, "Royce")]


def test_a_cards_rest_before_its_expiry_is_the_card_where_none_was_named(
    detector: PiiDetector,
) -> None:
    *_, rest = said_in_turn(
        detector,
        "a:whose name is on the card",
        "its under pia okafor and the number is four five one seven nine five two oh "
        "hold on the dog is barking",
        "a:no problem",
        "three seven oh three six five oh six exp oct twenty nine",
    )
    assert rest == [
        (E.CREDIT_CARD, "three seven oh three six five oh six"),
        (E.EXPIRY, "oct twenty nine"),
    ]


def test_too_after_a_card_read_in_pairs_is_the_last_pairs_unit(detector: PiiDetector) -> None:
    card = (
        "fifty three fifty seven eighty six eighty seven eighty six thirty three "
        "twenty six eighty too"
    )
    *_, said = said_in_turn(
        detector, "a:card for the deposit", f"{card} april thirty two nine one four"
    )
    assert said == [(E.CREDIT_CARD, card), (E.EXPIRY, "april thirty two"), (E.CVV, "nine one four")]


def test_a_month_and_number_before_a_code_after_a_card_are_its_expiry(
    detector: PiiDetector,
) -> None:
    *_, details = said_in_turn(
        detector,
        "my visa is four five one seven nine five two oh three seven oh three six five oh six",
        "a:reading back four five one seven nine five two oh three seven oh three six five oh six",
        "yep and its march thirty one and four two six",
    )
    assert details == [(E.EXPIRY, "march thirty one"), (E.CVV, "four two six")]


def test_chat_words_are_no_names(detector: PiiDetector) -> None:
    assert said_in_turn(detector, "a:ill email the waiver tday lol") == [[]]


def test_a_given_name_english_has_no_trace_of_joins_the_name_after_it(
    detector: PiiDetector,
) -> None:
    *_, answer = said_in_turn(
        detector, "a:whose name is the account under", "its in wubet daniel name hes my husband"
    )
    assert answer == [(E.PERSON, "wubet daniel")]


def test_a_name_english_hardly_uses_answering_goes_on_with_the_call(
    detector: PiiDetector,
) -> None:
    (answer,) = said_in_turn(detector, "yup brisket here the car pass is won forty nine")
    assert answer == [(E.PERSON, "brisket")]
    assert said_in_turn(detector, "yup parking here the lot is full") == [[]]


def test_a_word_set_off_as_one_of_our_staff_is_a_name(detector: PiiDetector) -> None:
    (said,) = said_in_turn(detector, "a:Great. Cactus, one of our trainers, will call you.")
    assert said == [(E.PERSON, "Cactus")]
    assert said_in_turn(detector, "a:Sure. Tuesday, one of our busiest days, is open.") == [[]]
