"""How callers answer on a real line: a question the phrase "in case" must not cancel, a
check read routing number first, digits recited with no question, names spelled or given
to "who am I speaking with?", addresses spelled out letter by letter."""

from __future__ import annotations

import pytest

from redaction.conversation import redact_conversation
from redaction.detector import PiiDetector
from redaction.model import EntityType

E = EntityType


def typed(
    detector: PiiDetector,
    text: str,
    *,
    prompt: str = "",
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
) -> list[tuple[EntityType, str]]:
    findings = detector.detect(text, prompt=prompt, before=before, after=after)
    return [(f.type, text[f.start : f.end]) for f in findings]


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
    ("text", "address"),
    [
        (
            "t h e r e s a underscore b at yahoo dot com",
            "t h e r e s a underscore b at yahoo dot com",
        ),
        (
            "w i l l underscore a d e y e m i at comcast dot net all lowercase",
            "w i l l underscore a d e y e m i at comcast dot net",
        ),
        ("Please update it to johnson.a at example.net", "johnson.a at example.net"),
    ],
)
def test_addresses_with_spelled_letters_and_initials(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, address)]


@pytest.mark.parametrize(
    "text", ["I'll be at home all day", "you can shop at example dot com", "a i at work"]
)
def test_at_between_words_is_not_an_address(detector: PiiDetector, text: str) -> None:
    assert [t for t, _ in typed(detector, text)] == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("it's emily nakamura, that's n, a, k, a, m, u, r, a.", ["emily", "nakamura"]),
        ("May Robinson, first name is M A Y", ["May", "Robinson"]),
    ],
)
def test_a_word_spelled_later_in_the_line_is_a_name(
    detector: PiiDetector, text: str, names: list[str]
) -> None:
    people = [span for t, span in typed(detector, text) if t == E.PERSON]
    assert all(any(name in span for span in people) for name in names), people


@pytest.mark.parametrize(
    ("prompt", "answer", "name"),
    [
        (
            "Who am I speaking with today",
            "okay it's colleen becker, 1166 fifth avenue",
            "colleen becker",
        ),
        (
            "hi you're speaking with naomi can i start with your name",
            "speaking this is ingrid",
            "ingrid",
        ),
        ("Can I start with your name?", "it's may silva", "may silva"),
        ("and who's calling?", "sure, odalys ferreira", "odalys ferreira"),
    ],
)
def test_the_answer_to_a_name_question_is_a_name(
    detector: PiiDetector, prompt: str, answer: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, answer, prompt=prompt)


@pytest.mark.parametrize(
    "answer",
    ["I'm showing two lines on the account", "uh, birthday is 7/15/1998", "it's already done"],
)
def test_a_reply_that_names_nobody_after_a_name_question(
    detector: PiiDetector, answer: str
) -> None:
    assert E.PERSON not in [t for t, _ in typed(detector, answer, prompt="what's your name?")]


def test_the_agent_greeting_names_the_agent(detector: PiiDetector) -> None:
    text = "good afternoon you've reached devon at northwind mobile"
    assert typed(detector, text) == [(E.PERSON, "devon")]


def test_a_unit_number_after_the_street(detector: PiiDetector) -> None:
    text = "the new one is 10007 Elm St number seven oh one"
    assert typed(detector, text) == [(E.ADDRESS, "10007 Elm St number seven oh one")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("thanks will i see the balance is due on the fifteenth", "will"),
        ("thank you siobhan and a callback number please", "siobhan"),
        ("thank you jade", "jade"),
        ("i want to add my daughter hope as an authorized user", "hope"),
        ("it's under my wife's name faith", "faith"),
        ("thanks for calling northline wireless this is kwame can i get your pin", "kwame"),
        ("Hi, you've reached Mei-Ling at Crestview Bank.", "Mei-Ling"),
        ("yeah it's siobhan s i o b h a n mcgrath", "mcgrath"),
    ],
)
def test_names_said_in_passing(detector: PiiDetector, text: str, name: str) -> None:
    assert (E.PERSON, name) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "thanks man i appreciate it",
        "thank you so much",
        "my daughter said the bill is wrong",
        "thanks for calling, this is important so stay on the line",
    ],
)
def test_no_name_in_thanks_or_family_talk(detector: PiiDetector, text: str) -> None:
    assert E.PERSON not in [t for t, _ in typed(detector, text)]


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


def test_a_provider_said_as_two_words(detector: PiiDetector) -> None:
    text = "t underscore okafor at proton mail dot com"
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, text)]


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


def test_a_relatives_name_after_a_comma(detector: PiiDetector) -> None:
    text = "um the account is in my husband's name, Jae-won Choi, his last four is 5 2 2 7"
    assert (E.PERSON, "Jae-won Choi") in typed(detector, text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("no we live out on Rural Route 2 Box 118, but mail", "Rural Route 2 Box 118"),
        ("it's the trailer, 3300 Highway 61 South", "3300 Highway 61 South"),
        ("sure it's nineteen oh four Calle Sol", "nineteen oh four Calle Sol"),
    ],
)
def test_rural_and_type_first_addresses(detector: PiiDetector, text: str, address: str) -> None:
    assert typed(detector, text) == [(E.ADDRESS, address)]


def test_the_companys_own_address_is_not_pii(detector: PiiDetector) -> None:
    assert typed(detector, "our store at 200 Main Street has it in stock") == []
    assert typed(detector, "I live at 200 Main Street") == [(E.ADDRESS, "200 Main Street")]


@pytest.mark.parametrize(
    "text",
    ["t-r-a-n underscore h-u-n-g 8 4, at yahoo dot com", "jmurphy at sign murphy law dot org"],
)
def test_more_spoken_addresses(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, text)]


@pytest.mark.parametrize(
    "text",
    [
        "they range from three point seven three to six point five four percent",
        "check-in is at 4 p.m. and checkout is at 11",
        "Thanks for calling Brightwave Internet. Can I get the name on the account?",
        "Actually it's 2F, like Frank.",
        "Yes, visit the office at 100 State Street, Room 210, Monday through Friday",
        "Our address is 1 Harborfront Plaza, San Diego, and the front desk is open",
        "my son uses his phone for school",
    ],
)
def test_nothing_personal_in_these(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my caseworker was mister lindqvist i think", "lindqvist"),
        ("that's my son jaylen his birthday is in june", "jaylen"),
        ("her grandfather tariq hussain his number is on file", "tariq hussain"),
        ("gonçalves g o n c a l v e s", "gonçalves"),
        ("r e y e s dash k i n g s l e y", "r e y e s dash k i n g s l e y"),
    ],
)
def test_more_names(detector: PiiDetector, text: str, name: str) -> None:
    assert (E.PERSON, name) in typed(detector, text)


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
    ("text", "name"),
    [
        ("hey its dimitrios papadakis calling back about my car loan", "dimitrios papadakis"),
        ("yes to my mother almaz bekele at four eleven pine hollow court", "almaz bekele"),
    ],
)
def test_names_calling_and_relatives(detector: PiiDetector, text: str, name: str) -> None:
    assert (E.PERSON, name) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "m as in mike, d-e-l-a-c-r-u-z, eighty two at gmail dot com",
        "b as in bravo s as in sierra i n g h at me dot com",
    ],
)
def test_an_address_spelled_with_a_spelling_alphabet(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, text)]


def test_a_title_after_thanks_makes_the_next_word_a_surname(detector: PiiDetector) -> None:
    text = "thanks mr mcallister i see you have a balance of ninety one dollars"
    assert typed(detector, text) == [(E.PERSON, "mcallister")]


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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("riverside animal hospital doctor mcallister", "mcallister"),
        ("thank you thanh nguyen i see two refills remaining", "thanh nguyen"),
        ("no my neighbor kofi okafor will let them in", "kofi okafor"),
        ("my daughter aiyana begay shes on my plan", "aiyana begay"),
    ],
)
def test_doctors_neighbours_and_full_names_in_thanks(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert (E.PERSON, name) in typed(detector, text)


def test_a_suite_written_with_a_full_stop(detector: PiiDetector) -> None:
    text = "450 N. Lamar Blvd., Ste. 200, Austin, TX 78703."
    found = typed(detector, text)
    assert [t for t, _ in found] == [E.ADDRESS] and "Ste. 200" in found[0][1]


def test_a_number_left_off_while_the_caller_looks_for_it(detector: PiiDetector) -> None:
    found = typed(
        detector, "okay um its nine oh two hold on i gotta find it", prompt="your social please"
    )
    assert found == [(E.US_SSN, "nine oh two")]


def test_a_relatives_verb_is_no_name(detector: PiiDetector) -> None:
    assert typed(detector, "my son plays fortnite and the ping is like 120") == []


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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("its tan sorry thanh nguyen t h a n h first name", "nguyen"),
        ("in tempe arizona and its gabriela fuentes-moya thats with a hyphen", "fuentes-moya"),
        ("my name is maria de los angeles gutierrez", "maria de los angeles gutierrez"),
    ],
)
def test_surnames_spelled_hyphenated_and_with_particles(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert any(name in span for t, span in typed(detector, text) if t == E.PERSON)


@pytest.mark.parametrize(
    "text",
    [
        "new one a puppy his name is tucker hes eleven weeks",
        "you have reached roadside assistance at the number on your card",
        "thank you for calling harbor view inn at fourteen hundred harbor drive",
        "your cancellation number is c x nine four four one two",
        "great your next visit is april ninth at ten thirty",
    ],
)
def test_pets_companies_references_and_times(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_an_address_after_at_is_no_time(detector: PiiDetector) -> None:
    text = "send it to my mother at four eleven pine hollow court silver spring maryland"
    assert any(t == E.ADDRESS and "four eleven pine" in s for t, s in typed(detector, text))


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
