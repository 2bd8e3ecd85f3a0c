"""Numbers whose cue or first digit a recogniser garbled ("routin too ...", "county road
too twelve", "rural route ate box ..."), a code keyed in after "press" or read back with
its last digit a homophone, an expiry and its code said after "exp" unasked, an account
named after its routing number; names said where an account is held ("in my name, ..."),
after "its" or "this ... here", as a possessive, or as the answer to "who's this"; mail
providers misheard as everyday words; and the lines that only look like these: rough
amounts, the company's toll-free line, a practice's name, a name the other party just
gave, "in advance" after a street."""

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
            "its at eighty eight heron way in west palm beach florida",
            "eighty eight heron way in west palm beach florida",
        ),
        (
            "seven seventy county road too twelve in sleepy eye minnesota",
            "seven seventy county road too twelve in sleepy eye minnesota",
        ),
        (
            "rural route ate box too forty in millersburg ohio",
            "rural route ate box too forty in millersburg ohio",
        ),
    ],
)
def test_a_town_of_three_words_and_road_numbers_opened_by_a_misheard_digit(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (E.ADDRESS, address) in typed(detector, text)


def test_the_road_after_a_street_is_no_number_when_no_digits_follow(
    detector: PiiDetector,
) -> None:
    text = "we live at 12 old mill road to the left of the church"
    assert typed(detector, text) == [(E.ADDRESS, "12 old mill road")]


@pytest.mark.parametrize(
    ("text", "expiry", "code"),
    [
        ("exp oh nine twenty seven four one six", "oh nine twenty seven", "four one six"),
        ("expires eleven thirty too ate five", "eleven thirty", "too ate five"),
    ],
)
def test_an_expiry_named_right_before_its_digits_takes_the_code_said_after_it(
    detector: PiiDetector, text: str, expiry: str, code: str
) -> None:
    assert typed(detector, text) == [(E.EXPIRY, expiry), (E.CVV, code)]


def test_the_account_named_after_the_routing_number_is_the_account_whatever_its_checksum(
    detector: PiiDetector,
) -> None:
    # 302217481 passes the routing checksum, but "account" names it
    text = (
        "routing zero six one one four nine three five three"
        " account three zero two two one seven four eight one"
    )
    assert typed(detector, text) == [
        (E.BANK_ROUTING, "zero six one one four nine three five three"),
        (E.BANK_ACCOUNT, "three zero two two one seven four eight one"),
    ]


def test_a_cue_with_its_g_dropped_still_asks_and_opens_the_number(
    detector: PiiDetector,
) -> None:
    # the line ends inside the number: the routing number's start, the rest to come
    text = "can i do e check routin too ate seven three"
    assert typed(detector, text) == [(E.BANK_ROUTING, "too ate seven three")]


def test_a_code_keyed_in_after_press_but_not_a_menu_option(detector: PiiDetector) -> None:
    prompt = "Is there a buzzer code for the driver?"
    assert typed(detector, "Yes, press 4471, then the bell.", prompt=prompt) == [(E.PIN, "4471")]
    assert typed(detector, "press one for billing or two for repairs", prompt=prompt) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Savings, in my name, Ilse Brandvold.", "Ilse Brandvold"),
        ("the account is under my name, Kofi Mensah-Bonsu.", "Kofi Mensah-Bonsu"),
        ("its under her name ashwini ramaswamy", "ashwini ramaswamy"),
        ("it was booked in the name of lucas ferreira", "lucas ferreira"),
    ],
)
def test_the_name_an_account_is_held_in(detector: PiiDetector, text: str, name: str) -> None:
    assert people(detector, text) == [name]


@pytest.mark.parametrize("text", ["it's in my name too", "in my name only please"])
def test_in_my_name_without_a_name_is_clean(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_self_introductions_whose_words_the_tagger_cannot_place(detector: PiiDetector) -> None:
    assert people(detector, "hi its aldric vantongeren ur installer") == ["aldric vantongeren"]
    assert people(detector, "hi its hydrostatic pressure again") == []
    assert people(detector, "sunny crew this ravi here for the shelving whats the code") == ["ravi"]
    assert people(detector, "acme plumbing this one here is the best") == []


def test_a_given_name_said_as_whose_something_is(detector: PiiDetector) -> None:
    text = "can we move anneliese's friday lesson"
    assert typed(detector, text) == [(E.PERSON, "anneliese")]


def test_whos_this_asks_for_a_name_of_three_words(detector: PiiDetector) -> None:
    assert people(detector, "minh chau tran", prompt="whos this") == ["minh chau tran"]


def test_a_day_heard_as_ate_after_the_month(detector: PiiDetector) -> None:
    found = typed(detector, "twenty nineteen may the ate", prompt="n the kids date a birth")
    assert (E.DATE_OF_BIRTH, "twenty nineteen may the ate") in found  # the year said first
    found = typed(
        detector, "march fourth twenty nineteen may the ate", prompt="n the kids dates a birth"
    )
    assert (E.DATE_OF_BIRTH, "may the ate") in found  # the year is the first date's


@pytest.mark.parametrize(
    "text",
    [
        "thank you you're approved for up to eight thousand",
        "it comes out every friday about eleven hundred",
    ],
)
def test_rough_amounts_with_their_scale_are_no_numbers_to_hide(
    detector: PiiDetector, text: str
) -> None:
    assert typed(detector, text, prompt="and the last four of your social") == []


def test_the_companys_toll_free_line_after_a_card_is_no_card(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "my bus card quit working at the gate today", "customer")
    said_in_call(call, "can you give me the account pin", "agent")
    said_in_call(call, "four four six one", "customer")
    text = (
        "thanks the card ending in four four one two expired you can update it online or "
        "at one eight seven seven four six two seven three three zero"
    )
    assert said_in_call(call, text, "agent") == []


@pytest.mark.parametrize(
    "text",
    ["Bright Path Speech Therapy. How can I help?", "tall pines teletherapy whats the email"],
)
def test_a_practice_is_named_for_what_it_does_not_for_a_person(
    detector: PiiDetector, text: str
) -> None:
    assert people(detector, text) == []


def test_a_name_just_given_by_the_other_party_is_not_asked_for(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "And whose name goes on the order?", "agent")
    said_in_call(call, "A 2019 Tacoma, and the name is Odile Marchetti.", "customer")
    assert said_in_call(call, "Delivery is $40 and setup is free.", "agent") == []
    said_in_call(call, "please don't let the dog out his name is biscuit", "customer")
    assert said_in_call(call, "ha got it we'll keep biscuit inside", "agent") == []
    said_in_call(call, "Also, my name's Odile, and yours?", "customer")
    assert said_in_call(call, "Bramwell, from deliveries.", "agent") == [(E.PERSON, "Bramwell")]


def test_a_describing_word_opening_the_answer_is_no_name(detector: PiiDetector) -> None:
    prompt = "and the name on the checking account"
    assert people(detector, "it's joint with my mother", prompt=prompt) == []
    assert people(detector, "its young", prompt="and whats ur name") == ["young"]


def test_the_zip_said_after_the_town_is_no_word_of_the_town(detector: PiiDetector) -> None:
    text = "its at three eleven aspen hollow road in new paltz twelve five six one"
    assert typed(detector, text) == [
        (E.ADDRESS, "three eleven aspen hollow road in new paltz twelve five six one")
    ]


def test_a_birth_month_ending_a_line_takes_the_day_and_year_said_next(
    detector: PiiDetector,
) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "whats the patients name and date of birth", "agent")
    said_in_call(call, "its for my son rafferty born august", "customer")
    assert said_in_call(call, "ninth twenty fifteen", "customer") == [
        (E.DATE_OF_BIRTH, "ninth twenty fifteen")
    ]


def test_a_code_named_right_before_it_is_no_birth_date_asked_earlier(
    detector: PiiDetector,
) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "and your date of birth", "agent")
    said_in_call(call, "march fourth nineteen seventy", "customer")
    text = "thanks your new code is eight one two four seven five for the side door"
    assert said_in_call(call, text, "agent") == [(E.PIN, "eight one two four seven five")]


def test_a_code_with_no_card_in_sight_is_a_pin_pause_and_all(detector: PiiDetector) -> None:
    prompt = "im at the side door and the code isnt working"
    text = "oh we changed it its nine uh four won six"
    assert typed(detector, text, prompt=prompt) == [(E.PIN, "nine uh four won six")]
    # after the expiry, the code is the card's
    assert typed(detector, "and two three three", prompt="expiration and the code") == [
        (E.CVV, "two three three")
    ]


def test_a_code_read_back_with_its_last_digit_heard_as_a_word(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "whats the code for the lockbox", "agent")
    assert said_in_call(call, "six three three for", "customer") == [(E.PIN, "six three three for")]
    assert said_in_call(call, "so thats six three three for on the lockbox", "agent") == [
        (E.PIN, "six three three for")
    ]


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("her email is dagny roald at yeah who dot com", "dagny roald at yeah who dot com"),
        ("its bertil ek at i clawed dot com", "bertil ek at i clawed dot com"),
        ("send it to imani k at for eyes in dot net", "imani k at for eyes in dot net"),
    ],
)
def test_a_provider_misheard_as_everyday_words_before_its_ending(
    detector: PiiDetector, text: str, email: str
) -> None:
    assert (E.EMAIL_ADDRESS, email) in typed(detector, text)


@pytest.mark.parametrize(
    "text", ["meet me at the office at nine", "i work at the mall dot com is their site"]
)
def test_everyday_words_after_at_are_no_domain(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("we moved to 40 oak street in advance of the move", "40 oak street"),
        ("i live at 40 oak street in person i mean", "40 oak street"),
        ("my address is 12 elm street in springfield", "12 elm street in springfield"),
    ],
)
def test_after_a_street_only_a_town_follows_in(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert [found for kind, found in typed(detector, text) if kind == E.ADDRESS] == [address]


def test_three_digits_said_one_at_a_time_after_a_gate_code_are_hidden(
    detector: PiiDetector,
) -> None:
    text = "ya gate code is for ate won um hold on its on the fridge"
    assert typed(detector, text) == [(E.PIN, "for ate won")]
    assert typed(detector, "we have 120 units", prompt="whats the pin") == []


def test_a_noisy_ok_before_the_answer_is_no_part_of_the_name(detector: PiiDetector) -> None:
    assert people(detector, "k oriana valcourt n date a birth", prompt="whats the name") == [
        "oriana valcourt"
    ]
