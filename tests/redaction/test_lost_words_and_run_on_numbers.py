"""Greetings whose "this is" the recogniser lost ("silver ribbon hortense here"), people
who are to get in touch ("i'll have ysolde call you"), and numbers as callers run them
on: a card finished on a second line with its expiry and code straight after, a phone
number opened by "too", an SSN whose cue came in the caller's own earlier line; with the
everyday sentences those forms must not catch."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("silver ribbon hortense here u want the van", "hortense"),
        ("meridian ambulance billing marisabel whos the patient", "marisabel"),
        ("ironhorse finance dunstan ill need ur social please", "dunstan"),
        ("blacktop payables ferdinand can u verify the last four", "ferdinand"),
        # half of "this is" heard
        ("muddy boots farm this hyacinth ready for the bank info", "hyacinth"),
        ("hi this birgitta i wanna put my twins in the showcase", "birgitta"),
        ("evergleam payroll this cosima is this deshawn from the crew", "cosima"),
    ],
)
def test_a_greeting_that_lost_this_is(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("i'll have ysolde call you to set up a visit", "ysolde"),
        ("We'll have Tobias text you before he arrives.", "Tobias"),
        ("got it n a number for rasmus to text", "rasmus"),
    ],
)
def test_someone_who_is_to_get_in_touch(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        # the company's words and what it sells, never the agent
        "larkspur jewelers how can i help",
        "secure stor how can i help",
        "harlan n voss whats ur name",
        "Metro Impound, Lot 3. What's the plate on the vehicle?",
        "larkspur hollow club signup whats ur date a birth",
        "this morning i can help with that",
        "i'll have someone call you back",
        "we'll have the tech call you",
    ],
)
def test_company_words_and_plain_speech_name_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_card_finished_on_the_next_line_then_its_expiry_and_code(
    detector: PiiDetector,
) -> None:
    # 4370 7397 49 | 93 2874, then 07/29 and 612, with no word between them
    found = typed(
        detector,
        "nine three too ate seven for oh seven twenty nine six won too",
        prompt="k go ahead with the card number",
        before=("for three seven oh seven three nine seven for nine",),
    )
    assert found == [
        (E.CREDIT_CARD, "nine three too ate seven for"),
        (E.EXPIRY, "oh seven twenty nine"),
        (E.CVV, "six won too"),
    ]


def test_a_card_restarted_on_the_next_line_keeps_the_restart_words_out(
    detector: PiiDetector,
) -> None:
    found = typed(
        detector,
        "uh sorry six seven nine five five ate won ate oh five thirty ate ate too",
        prompt="ready for the card",
        before=("its a discover six for nine won ate ate six too",),
    )
    assert found[0] == (E.CREDIT_CARD, "six seven nine five five ate won ate")
    assert (E.EXPIRY, "oh five thirty") in found and (E.CVV, "ate ate too") in found


def test_a_card_in_pairs_with_an_expiry_and_code_run_together(detector: PiiDetector) -> None:
    # "thirty for" is the year's 30 and the code's first digit, not thirty-four
    found = typed(
        detector,
        "fifty five ninety for eighty fifteen forty nine eighty six twelve thirty seven "
        "too thirty for oh won",
        prompt="whats the card",
    )
    assert (E.EXPIRY, "too thirty") in found
    assert (E.CVV, "for oh won") in found


def test_a_card_whose_two_lines_are_whole_is_not_cut_for_an_expiry(
    detector: PiiDetector,
) -> None:
    # 4075 2992 | 8853 3086 is the whole card; an older date in the caller's lines (14
    # 2003) must not start a card that leaves "533" to look like an expiry
    found = typed(
        detector,
        "ate ate five three three oh ate six",
        prompt="okay and the card four the deposit",
        before=(
            "its februry fourteen too thousand three",
            "for oh seven five um too nine nine two",
        ),
    )
    assert found == [(E.CREDIT_CARD, "ate ate five three three oh ate six")]


def test_too_opening_a_long_number_is_its_first_digit(detector: PiiDetector) -> None:
    found = typed(detector, "my grandson hes at too oh seven triple five oh won fifty three")
    assert (E.PHONE_NUMBER, "too oh seven triple five oh won fifty three") in found
    assert typed(detector, "me too, five five five of them") == []


def test_a_receipt_sent_somewhere_does_not_hide_the_number_read_back(
    detector: PiiDetector,
) -> None:
    found = typed(
        detector,
        "sure n is six oh too five five five oh won double nine still good",
        prompt="k thanks can u email the receipt to montague fam at g mail dot com",
    )
    assert found == [(E.PHONE_NUMBER, "six oh too five five five oh won double nine")]


def test_the_callers_own_cue_counts_past_a_plan_it_was_for(detector: PiiDetector) -> None:
    # "my social for the twelve month plan": the plan says what the social is for
    found = typed(
        detector,
        "nine too won won nine uh nine for six oh",
        prompt="yes go ahead whenever ur ready",
        before=("yeah they said u need my social for the twelve month plan",),
    )
    assert found == [(E.US_SSN, "nine too won won nine uh nine for six oh")]
    # but a plan asked about in the caller's own words still governs its number
    assert typed(
        detector,
        "four four seven one",
        prompt="okay go ahead",
        before=("whats the price of the family plan",),
    ) != [(E.US_SSN, "four four seven one")]


def test_a_credit_check_asks_for_a_social_not_a_card(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "nine too won won nine nine for six oh",
        prompt="for the credit check go ahead",
    )
    assert found == [(E.US_SSN, "nine too won won nine nine for six oh")]


def test_a_count_after_the_last_four_is_no_social(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "Thanks. So that's 72 croissants on Tuesdays and Fridays.",
        before=("I also need the last four of the owner's Social for the credit check.",),
        prompt="The last four are 2290.",
    )
    assert found == []


def test_a_credit_union_is_no_card(detector: PiiDetector) -> None:
    found = typed(detector, "Business checking at our credit union. Routing 262662480.")
    assert found == [(E.BANK_ROUTING, "262662480")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my cousin teodora at three one three five five five zero one six eight", "teodora"),
        # a relative's name with "'s", even where a pet was just mentioned
        ("3904. The dog will be at my sister Carys's place.", "Carys"),
        ("our investigator june kasprzak has the bank records", "june kasprzak"),
        ("a sedan tomorrow for our ceo mirela dragomir she lands at four", "mirela dragomir"),
    ],
)
def test_relatives_and_roles_name_people(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "my sister's car is in the shop",
        "my cousin is moving next month",
        "July's owner payout needs to go to the new account.",
        "the director is out today",
    ],
)
def test_relatives_and_roles_without_a_name(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_town_after_its_prefix_ends_the_address(detector: PiiDetector) -> None:
    found = typed(detector, "please send it to my house sixty one corbin avenue in new britain")
    assert found == [(E.ADDRESS, "sixty one corbin avenue in new britain")]


@pytest.mark.parametrize(
    ("text", "slip", "code"),
    [
        ("yeah its for won six no wait for won six ate", "for won six", "for won six ate"),
        (
            "ya the code is seven double oh for no sorry seven oh oh won",
            "seven double oh for",
            "seven oh oh won",
        ),
    ],
)
def test_a_code_taken_back_and_said_again_is_hidden_twice(
    detector: PiiDetector, text: str, slip: str, code: str
) -> None:
    found = typed(detector, text, prompt="and the gate code")
    assert (E.PIN, slip) in found and (E.PIN, code) in found


def test_for_before_no_is_a_word_where_no_number_follows(detector: PiiDetector) -> None:
    assert typed(detector, "its five five for no extra charge") == []
