"""How callers say numbers on a real line: a question the phrase "in case" must not cancel,
a check read routing number first, digits recited with no question, homophones the
recogniser writes for digits, and the amounts, times and codes that are no PII."""

from __future__ import annotations

import pytest

from redaction.conversation import redact_conversation
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import typed

E = EntityType


@pytest.mark.parametrize(
    "prompt",
    [
        "what's the best callback number in case we get disconnected?",
        "just in case, what number can I reach you at?",
        "in order to verify, can I get the phone number on the account?",
    ],
)
def test_everyday_phrases_do_not_cancel_the_question(detector: PiiDetector, prompt: str) -> None:
    # "case" and "order" name things that are not PII ("case number 4471"), but not here
    answer = "sure, 2 0 6, 5 5 5, 0 1 6 8."
    assert typed(detector, answer, prompt=prompt) == [(E.PHONE_NUMBER, "2 0 6, 5 5 5, 0 1 6 8")]


def test_a_case_number_is_still_not_pii(detector: PiiDetector) -> None:
    assert typed(detector, "my case number is 4 4 7 1 2 9") == []


def test_a_check_is_read_routing_number_first(detector: PiiDetector) -> None:
    text = "on the check it says 122105155 then 1 2 3 oh six four five two"
    assert typed(detector, text) == [
        (E.BANK_ROUTING, "122105155"),
        (E.BANK_ACCOUNT, "1 2 3 oh six four five two"),
    ]


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (
            "what's the routing number on your check",
            "seven three three eight, three four eight one",
        ),
        ("The routing number is the nine digit number at the bottom left", "100-51754095"),
    ],
)
def test_a_number_of_another_length_than_a_routing_number_is_the_account(
    detector: PiiDetector, prompt: str, answer: str
) -> None:
    assert typed(detector, answer, prompt=prompt) == [(E.BANK_ACCOUNT, answer)]


def test_a_routing_number_read_after_the_routing_question_stays_one(
    detector: PiiDetector,
) -> None:
    text = "it's 0 2 1 0 0 0 0 2 1"
    assert typed(detector, text, prompt="and the routing number?") == [
        (E.BANK_ROUTING, "0 2 1 0 0 0 0 2 1")
    ]


@pytest.mark.parametrize(
    "text",
    ["3 9 3 7", "it should be four six oh two six nine unless my wife changed it"],
)
def test_digits_recited_one_by_one_are_redacted_without_a_question(
    detector: PiiDetector, text: str
) -> None:
    # asked nothing the transcript holds, a caller reciting digits recites a code
    assert [t for t, _ in typed(detector, text)] == [E.PIN]


@pytest.mark.parametrize(
    "text",
    [
        "it's forty nine ninety nine a month",
        "the technician comes between ten and twelve",
        "I have 2 phones and 3 tablets",
        "we ordered 1500 units",
        "three digits on the back",
    ],
)
def test_amounts_times_and_quantities_stay(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_social_begun_three_then_two_is_redacted_before_it_ends(
    detector: PiiDetector,
) -> None:
    assert typed(detector, "it's nine eight nine, one one") == [
        (E.US_SSN, "nine eight nine, one one")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "we've been with Northwind Mobile since uh two thousand eight",
        "i've had the same phone since like 2015",
    ],
)
def test_a_year_after_since_is_no_number_to_redact(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_birth_year_after_in_is_still_redacted(detector: PiiDetector) -> None:
    assert typed(detector, "I was born in 1972") == [(E.DATE_OF_BIRTH, "1972")]


def test_a_month_and_year_is_not_joined_to_the_next_lines_number(
    detector: PiiDetector,
) -> None:
    lines = [
        ("agent", "what's the expiry on that card"),
        ("customer", "Exp January 2030"),
        ("agent", "and the three digit code on the back?"),
        ("customer", "it's six zero three"),
    ]
    out = redact_conversation(lines, detector=detector)
    assert [(f.type, lines[1][1][f.start : f.end]) for f in out[1].findings] == [
        (E.EXPIRY, "January 2030")
    ]
    assert [f.type for f in out[3].findings] == [E.CVV]


@pytest.mark.parametrize(
    ("answer", "expiry", "cvv"),
    [
        ("03/29, and the code is 557.", "03/29", "557"),
        ("oh two thirty and six one four", "oh two thirty", "six one four"),
        ("jan thirty and seven two six", "jan thirty", "seven two six"),
    ],
)
def test_expiry_and_code_in_one_answer(
    detector: PiiDetector, answer: str, expiry: str, cvv: str
) -> None:
    prompt = "and the expiration and the code on the back?"
    assert typed(detector, answer, prompt=prompt) == [(E.EXPIRY, expiry), (E.CVV, cvv)]


def test_a_number_restarted_after_a_correction(detector: PiiDetector) -> None:
    text = "it's 4485 2366, no sorry, 4485 2366 7127 6844"
    assert typed(detector, text) == [
        (E.CREDIT_CARD, "4485 2366"),
        (E.CREDIT_CARD, "4485 2366 7127 6844"),
    ]


def test_a_written_phone_number_is_one_whatever_was_asked_before(
    detector: PiiDetector,
) -> None:
    text = "Thanks. And is (480) 555-0108 still the best number?"
    assert typed(detector, text, prompt="eight six four one") == [
        (E.PHONE_NUMBER, "(480) 555-0108")
    ]


def test_the_account_after_a_routing_line_is_not_joined_to_it(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "9 2 0 1 4 4 7 8",
        before=("It's 261075256.",),
        prompt="And the checking account number?",
    )
    assert found == [(E.BANK_ACCOUNT, "9 2 0 1 4 4 7 8")]


@pytest.mark.parametrize(
    "text",
    [
        "our toll-free line is 1-800-555-0147 if you need anything",
        "their direct line is 1-888-555-0123, and your case number is 30558",
        "thanks, the letter is dated November 4th, notice CP2000",
        "it's Rx 6043318, the refill count says 2",
    ],
)
def test_company_lines_and_codes_are_not_pii(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("prompt", "answer", "expected"),
    [
        (
            "so I just need the card, the expiry and the three on the back",
            "it's good through oh eight slash twenty seven and nine nine two",
            [(E.EXPIRY, "oh eight slash twenty seven"), (E.CVV, "nine nine two")],
        ),
        (
            "the three digits by the signature",
            "oh, five three eight",
            [(E.CVV, "five three eight")],
        ),
        (
            "thank you, and their birthdays",
            "march 3rd 2012 and november 17th 2015",
            [(E.DATE_OF_BIRTH, "march 3rd 2012"), (E.DATE_OF_BIRTH, "november 17th 2015")],
        ),
    ],
)
def test_more_ways_of_asking(
    detector: PiiDetector, prompt: str, answer: str, expected: list[tuple[EntityType, str]]
) -> None:
    found = typed(detector, answer, prompt=prompt)
    assert all(item in found for item in expected), found


def test_a_date_on_its_own_line_is_not_joined_to_the_last_lines_digits(
    detector: PiiDetector,
) -> None:
    found = typed(
        detector, "3/22/1957.", before=("it's 9 8 7 6 5",), prompt="and your date of birth?"
    )
    assert found == [(E.DATE_OF_BIRTH, "3/22/1957")]


def test_a_card_read_over_two_lines_keeps_the_question(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "four four nine two nine one",
        before=("three four four five",),
        prompt="what's the card number please",
    )
    assert [t for t, _ in found] == [E.CREDIT_CARD]


def test_the_questions_own_amount_does_not_make_the_answer_money(detector: PiiDetector) -> None:
    prompt = "okay and what card do you want for the thirty five dollar activation fee"
    found = typed(detector, "four three eight nine four zero zero five", prompt=prompt)
    assert [t for t, _ in found] == [E.CREDIT_CARD]


def test_the_code_after_the_expiry(detector: PiiDetector) -> None:
    found = typed(detector, "Oh-five, twenty-eight. And the code is 233.", prompt="expiration?")
    assert (E.CVV, "233") in found


def test_a_phone_number_to_text_a_receipt_to(detector: PiiDetector) -> None:
    text = "And can you text the receipt to (971) 555-0158?"
    assert typed(detector, text) == [(E.PHONE_NUMBER, "(971) 555-0158")]


@pytest.mark.parametrize(
    "text",
    [
        "the number was one eight hundred five five five oh one four two",
        "Up to 10 business days, or 20 for new accounts.",
        "Thank you. Claim 2024-88731 for $1,860 in medical costs is in review.",
        "so your pet's name is noodle and she's a three year old corgi",
        "It's about my son's bill, the $230 for the filling.",
    ],
)
def test_not_pii_either(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("prompt", "answer", "entity"),
    [
        ("what's your pin", "for seven won nine", E.PIN),
        ("and the pin?", "eight oh to five", E.PIN),
        ("the security code on the back", "to oh nine", E.CVV),
        ("best number to reach you", "two oh six five five five oh won for seven", E.PHONE_NUMBER),
    ],
)
def test_digits_the_recogniser_wrote_as_homophones(
    detector: PiiDetector, prompt: str, answer: str, entity: EntityType
) -> None:
    assert typed(detector, answer, prompt=prompt) == [(entity, answer)]


@pytest.mark.parametrize(
    "text",
    [
        "it takes 5 to 6 business days",
        "we're open from eight to eight",
        "I paid for 2 years",
        "we won 3 games in a row",
    ],
)
def test_to_and_for_between_numbers_stay_words(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_pin_set_to_digits_keeps_its_to(detector: PiiDetector) -> None:
    text = "i've reset the pin to nine 7 3 two 3 0, you can change it in the app."
    assert typed(detector, text) == [(E.PIN, "nine 7 3 two 3 0")]


@pytest.mark.parametrize(
    "text",
    [
        "Your deductible met so far is $350 of $1,500.",
        "the doctor said it was fine",
        "I'll run it for $1,299 now",
    ],
)
def test_amounts_and_doctors_words(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_number_left_off_while_the_caller_looks_for_it(detector: PiiDetector) -> None:
    found = typed(
        detector, "okay um its nine oh two hold on i gotta find it", prompt="your social please"
    )
    assert found == [(E.US_SSN, "nine oh two")]


@pytest.mark.parametrize(
    ("prompt", "answer", "entity"),
    [
        ("and your pin", "to nine to nine", E.PIN),
        ("the last four of your social", "ate ate oh to", E.US_SSN),
        ("and the security code", "ate too six", E.CVV),
    ],
)
def test_more_homophone_digits(
    detector: PiiDetector, prompt: str, answer: str, entity: EntityType
) -> None:
    assert typed(detector, answer, prompt=prompt) == [(entity, answer)]


def test_an_area_code_after_at_is_no_time(detector: PiiDetector) -> None:
    text = "Yeah text me at five oh three, five fifty five, oh one twelve"
    assert typed(detector, text) == [
        (E.PHONE_NUMBER, "five oh three, five fifty five, oh one twelve")
    ]


def test_a_zip_code_said_as_the_line_after_the_state(detector: PiiDetector) -> None:
    assert typed(detector, "97214.", before=("Portland, Oregon.",)) == [(E.ADDRESS, "97214")]
    assert typed(detector, "Portland, Oregon.", after=("97214.",)) == [
        (E.ADDRESS, "Portland, Oregon")
    ]


@pytest.mark.parametrize(
    ("text", "prompt", "entity"),
    [
        # a hesitation inside the number does not hide the digits around it
        ("seven won to um for ate three", "can I have your social please", E.US_SSN),
        # "triple" after a line-opening homophone: the digits go on
        ("for eight triple two six oh one five", "what's the card number", E.CREDIT_CARD),
        # an answer opening with a month and a year said "to thirty won"
        ("to thirty won", "and the expiration date", E.EXPIRY),
        # a homophone said twice ("double for") or repeated ("to triple ate")
        ("six won double for double seven ate to", "your social please", E.US_SSN),
    ],
)
def test_homophone_digits_open_an_answer_or_sit_beside_a_hesitation(
    detector: PiiDetector, text: str, prompt: str, entity: EntityType
) -> None:
    assert typed(detector, text, prompt=prompt) == [(entity, text)]


def test_to_between_numbers_is_still_a_range(detector: PiiDetector) -> None:
    assert typed(detector, "it takes five to seven business days") == []


@pytest.mark.parametrize(
    ("answer", "expiry", "code"),
    [
        ("oh eight twenty seven four four one", "oh eight twenty seven", "four four one"),
        ("twelve twenty eight nine nine one", "twelve twenty eight", "nine nine one"),
        ("ate twenty six and won oh for", "ate twenty six", "won oh for"),
        ("too twenty nine uh fore fore won", "too twenty nine", "fore fore won"),
        ("eleven twenty seven and to oh nine", "eleven twenty seven", "to oh nine"),
        # the words run together: "thirty six" is 30, then 6
        ("twelve thirty six six two", "twelve thirty", "six six two"),
        ("oh two thirty five eight eight", "oh two thirty", "five eight eight"),
    ],
)
def test_the_expiry_and_the_code_in_one_answer_are_told_apart_in_the_order_asked(
    detector: PiiDetector, answer: str, expiry: str, code: str
) -> None:
    prompt = "and the expiration date and the security code on the back?"
    assert typed(detector, answer, prompt=prompt) == [(E.EXPIRY, expiry), (E.CVV, code)]


def test_the_code_may_come_before_the_expiry(detector: PiiDetector) -> None:
    found = typed(detector, "three seven won oh seven twenty nine", prompt="code and expiry?")
    assert sorted(found) == sorted([(E.CVV, "three seven won"), (E.EXPIRY, "oh seven twenty nine")])


def test_a_number_said_where_something_is_sent_is_not_what_is_sent(
    detector: PiiDetector,
) -> None:
    text = "can i text the receipt to nine one seven five five five oh one four four"
    assert typed(detector, text) == [
        (E.PHONE_NUMBER, "nine one seven five five five oh one four four")
    ]
    # ...while the receipt's own number is still no PII, and "5 to 6" is a range
    assert typed(detector, "the receipt number is four four one two nine eight") == []


def test_the_last_homophone_of_a_number_read_in_homophones_is_a_digit(
    detector: PiiDetector,
) -> None:
    prompt = "the last four of your social"
    found = typed(detector, "ate won won for and that's it", prompt=prompt)
    assert found == [(E.US_SSN, "ate won won for")]
    # "for" among everyday homophones stays a word
    assert typed(detector, "it was for to for and that's it", prompt=prompt) == []


def test_homophones_after_double_and_inside_pairs_are_digits(detector: PiiDetector) -> None:
    assert typed(detector, "double ate double won", prompt="and your pin?") == [
        (E.PIN, "double ate double won")
    ]
    card = "forty ate eighty ate sixty to fifty ate thirty won eighty ate fifty too eighty three"
    assert typed(detector, card, prompt="the card number?") == [(E.CREDIT_CARD, card)]
    # a range of two tens is no number
    assert typed(detector, "it takes twenty to thirty minutes") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("the keypad code is 8 1 5 2", "8 1 5 2"),
        ("for the lockbox the code is six oh four one", "six oh four one"),
        ("you can get in with the door code, 5093.", "5093"),
    ],
)
def test_a_code_that_opens_something_is_a_pin(detector: PiiDetector, text: str, code: str) -> None:
    assert typed(detector, text) == [(E.PIN, code)]


@pytest.mark.parametrize(
    "text",
    [
        "the error code on the dryer is 4 0 9 6",
        "use discount code 2 5 5 0 at checkout",
    ],
)
def test_codes_that_are_no_secret_stay(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_homophone_opening_the_answer_after_its_cue_is_a_digit(detector: PiiDetector) -> None:
    text = "it expires oh nine thirty one and the security code is to ate six"
    assert (E.CVV, "to ate six") in typed(detector, text)
    # after a noun, "to" is still the preposition: "set the pin to ..."
    assert typed(detector, "i changed the pin to 4 7 1 9") == [(E.PIN, "4 7 1 9")]


def test_a_card_its_expiry_and_code_said_in_one_breath(detector: PiiDetector) -> None:
    prompt = "which card would you like to use?"
    text = "Visa, 4929 1234 5678 9015, 11/30, 482."
    found = typed(detector, text, prompt=prompt)
    assert found == [
        (E.CREDIT_CARD, "4929 1234 5678 9015"),
        (E.EXPIRY, "11/30"),
        (E.CVV, "482"),
    ]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("born june third to thousand nine", "june third to thousand nine"),
        ("august forth nineteen sixty", "august forth nineteen sixty"),
    ],
)
def test_a_birth_date_written_with_homophones(detector: PiiDetector, text: str, date: str) -> None:
    assert typed(detector, text) == [(E.DATE_OF_BIRTH, date)]


def test_a_homophone_before_the_next_answers_cue_ends_the_number(detector: PiiDetector) -> None:
    prompt = "and the expiration, the security code and the billing zip?"
    text = "eleven thirty one seven oh to zip is six oh six one four"
    found = typed(detector, text, prompt=prompt)
    assert (E.EXPIRY, "eleven thirty one") in found and (E.CVV, "seven oh to") in found


@pytest.mark.parametrize("text", ["we went back and forth on it", "up to thousand dollars off"])
def test_forth_and_to_thousand_in_everyday_speech(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_slip_taken_back_is_redacted_as_the_number_it_began(detector: PiiDetector) -> None:
    prompt = "what's the account number for the refund?"
    text = "seven won won no sorry seven won four three three eight nine oh to"
    found = typed(detector, text, prompt=prompt)
    assert found == [
        (E.BANK_ACCOUNT, "seven won won"),
        (E.BANK_ACCOUNT, "seven won four three three eight nine oh to"),
    ]


def test_a_short_number_before_no_is_not_taken_for_a_slip(detector: PiiDetector) -> None:
    # "no" answers a question here; 3 digits after it begin nothing of the same number
    text = "the order is for 3 boxes, no rush, and my pin is 4 8 2 6"
    assert typed(detector, text) == [(E.PIN, "4 8 2 6")]


@pytest.mark.parametrize("conjunction", ["and", "an"])
def test_a_homophone_before_and_ends_the_number(detector: PiiDetector, conjunction: str) -> None:
    # "an" is how a recogniser often writes "and"; either way the pin ends there
    text = f"ok the gate pin is nine fore won to {conjunction} it resets monthly"
    assert typed(detector, text) == [(E.PIN, "nine fore won to")]


def test_an_answer_in_homophones_only_and_said_again(detector: PiiDetector) -> None:
    # asked for a pin, the caller starts, takes it back and says it again, every digit a
    # word the recogniser misheard
    text = "um its for ate won no for ate won to"
    assert typed(detector, text, prompt="can you give me the account pin") == [
        (E.PIN, "for ate won"),
        (E.PIN, "for ate won to"),
    ]


def test_what_a_question_asks_for_comes_before_its_when_clause(
    detector: PiiDetector,
) -> None:
    prompt = "what is the passcode you chose when you opened the order"
    assert typed(detector, "it was 7 3 1 9", prompt=prompt) == [(E.PIN, "7 3 1 9")]


def test_a_routing_number_named_before_a_document_word(detector: PiiDetector) -> None:
    # "the form" stops an order or form number; a routing number that passes its
    # checksum, asked for by name, is still one
    text = "the routing, same as on the form, 0 2 1 0 0 0 0 2 1"
    assert typed(detector, text) == [(E.BANK_ROUTING, "0 2 1 0 0 0 0 2 1")]


@pytest.mark.parametrize(
    "text",
    ["and your new four-digit code goes out by text", "that starts a 30-day trial period"],
)
def test_a_count_joined_to_its_unit_is_no_number(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text, prompt="what are the last four of your social?") == []


@pytest.mark.parametrize(
    ("prompt", "text", "expected"),
    [
        ("and pick a four digit passcode", "use fore fore too too", [(E.PIN, "fore fore too too")]),
        (
            "how are you paying",
            "the card fore won fore seven",
            [(E.CREDIT_CARD, "fore won fore seven")],
        ),
    ],
)
def test_homophone_digits_after_use_and_card(
    detector: PiiDetector, prompt: str, text: str, expected: list[tuple[E, str]]
) -> None:
    assert typed(detector, text, prompt=prompt) == expected


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("sure its marisa b sixty for at g mail dot com", "marisa b sixty for at g mail dot com"),
        (
            "yes t dot okoro underscore eighty to at yahoo dot com",
            "t dot okoro underscore eighty to at yahoo dot com",
        ),
    ],
)
def test_a_mailbox_ending_in_misheard_digits_is_one_address(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, address)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("the combination is twelve thirty four fifty six", "twelve thirty four fifty six"),
        ("my padlock code is 4 8 1 9", "4 8 1 9"),
        ("the personal identification number is 7 7 0 2", "7 7 0 2"),
    ],
)
def test_secret_codes_by_other_names_are_pins(detector: PiiDetector, text: str, code: str) -> None:
    assert typed(detector, text) == [(E.PIN, code)]


def test_a_combination_of_offers_is_no_code(detector: PiiDetector) -> None:
    assert typed(detector, "the best combination is 2 for 1 on the 3 month plan") == []
