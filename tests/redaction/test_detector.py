"""PiiDetector on transcript lines: every spoken form, context across lines, and the
harmless numbers a call is full of."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redaction.detector import PiiDetector
from redaction.model import EntityType, Finding
from redaction.policy import RedactionPolicy

E = EntityType


def found(detector: PiiDetector, text: str, **kwargs: object) -> list[tuple[EntityType, str]]:
    findings = detector.detect(text, **kwargs)  # type: ignore[arg-type]
    return [(f.type, text[f.start : f.end]) for f in findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # card numbers: written, spoken, mixed, with fillers
        ("my card number is 4111 1111 1111 1111", (E.CREDIT_CARD, "4111 1111 1111 1111")),
        ("card number 4111111111111111 thanks", (E.CREDIT_CARD, "4111111111111111")),
        (
            "it's four one one one, uh, one one one one, one one one one, one one one one",
            (
                E.CREDIT_CARD,
                "four one one one, uh, one one one one, one one one one, one one one one",
            ),
        ),
        (
            "visa 5425 two three three four 3010 nine nine oh three",
            (E.CREDIT_CARD, "5425 two three three four 3010 nine nine oh three"),
        ),
        # a card number with a digit lost by the ASR still goes, in card context
        ("the card number is 4111 1111 1111 111", (E.CREDIT_CARD, "4111 1111 1111 111")),
        ("the security code is seven three seven", (E.CVV, "seven three seven")),
        ("cvv triple seven", (E.CVV, "triple seven")),
        ("the three digits on the back are 4 2 1", (E.CVV, "4 2 1")),
        ("it expires oh four twenty seven", (E.EXPIRY, "oh four twenty seven")),
        ("expiration 04/27", (E.EXPIRY, "04/27")),
        ("the exp date is four slash twenty seven", (E.EXPIRY, "four slash twenty seven")),
        ("valid through April 2027", (E.EXPIRY, "April 2027")),
        ("expiry december twenty twenty six", (E.EXPIRY, "december twenty twenty six")),
        ("my social is 123-45-6789", (E.US_SSN, "123-45-6789")),
        (
            "social security number one two three four five six seven eight nine",
            (E.US_SSN, "one two three four five six seven eight nine"),
        ),
        ("it's 900-12-3456", (E.US_SSN, "900-12-3456")),
        ("the last four of my social are 6789", (E.US_SSN, "6789")),
        ("my checking account number is 0012345678", (E.BANK_ACCOUNT, "0012345678")),
        ("savings account one two three four five six seven", (E.BANK_ACCOUNT, None)),
        ("the routing number is 021000021", (E.BANK_ROUTING, "021000021")),
        ("my pin is one two three four", (E.PIN, "one two three four")),
        ("my pin's 4321", (E.PIN, "4321")),
        ("the passcode is 8 8 2 1", (E.PIN, "8 8 2 1")),
        ("call me at 206-555-0198", (E.PHONE_NUMBER, "206-555-0198")),
        ("it's (206) 555-0198", (E.PHONE_NUMBER, "(206) 555-0198")),
        ("call 206.555.0198", (E.PHONE_NUMBER, "206.555.0198")),
        (
            "my number is two oh six five five five oh one nine eight",
            (E.PHONE_NUMBER, "two oh six five five five oh one nine eight"),
        ),
        ("my cell is 1 800 555 0199", (E.PHONE_NUMBER, "1 800 555 0199")),
        ("206 555 0198 extension 12", (E.PHONE_NUMBER, "206 555 0198")),
        ("reach me at double five five two one four eight eight three oh", (E.PHONE_NUMBER, None)),
        ("my cell is five five five, zero one nine eight", (E.PHONE_NUMBER, None)),
        ("area code two oh six, five five five, zero one nine eight", (E.PHONE_NUMBER, None)),
        ("email me at john.smith@example.com", (E.EMAIL_ADDRESS, "john.smith@example.com")),
        (
            "it's john dot smith at example dot com",
            (E.EMAIL_ADDRESS, "john dot smith at example dot com"),
        ),
        (
            "my email is priya garcia 42 at example dot com",
            (E.EMAIL_ADDRESS, "priya garcia 42 at example dot com"),
        ),
        (
            "j smith underscore 42 at gmail dot com",
            (E.EMAIL_ADDRESS, "j smith underscore 42 at gmail dot com"),
        ),
        ("my date of birth is July 2nd 1972", (E.DATE_OF_BIRTH, "July 2nd 1972")),
        ("date of birth 07/02/1972", (E.DATE_OF_BIRTH, "07/02/1972")),
        (
            "I was born the second of July nineteen seventy two",
            (E.DATE_OF_BIRTH, "second of July nineteen seventy two"),
        ),
        ("dob oh seven oh two seventy two", (E.DATE_OF_BIRTH, "oh seven oh two seventy two")),
        ("birthday is march fourteenth", (E.DATE_OF_BIRTH, "march fourteenth")),
        ("my birthday is 12/25", (E.DATE_OF_BIRTH, "12/25")),
        (
            "date of birth is one fifteen nineteen eighty five",
            (E.DATE_OF_BIRTH, "one fifteen nineteen eighty five"),
        ),
        ("born in nineteen seventy two", (E.DATE_OF_BIRTH, "nineteen seventy two")),
        (
            "I live at 1600 Pennsylvania Avenue NW, Washington, DC 20500",
            (E.ADDRESS, "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
        ),
        (
            "it's one fifty eight oak avenue unit twelve portland oregon nine seven two one four",
            (
                E.ADDRESS,
                "one fifty eight oak avenue unit twelve portland oregon nine seven two one four",
            ),
        ),
        ("send it to 42 Main St. apartment 4B", (E.ADDRESS, "42 Main St. apartment 4B")),
        ("P.O. box 1234", (E.ADDRESS, "P.O. box 1234")),
        (
            "my address is 55 W. 42nd St., New York, NY 10036",
            (E.ADDRESS, "55 W. 42nd St., New York, NY 10036"),
        ),
        ("my zip is 98101-1234", (E.ADDRESS, "98101-1234")),
        (
            "it's 326 lake shore circle unit 9b springfield il",
            (E.ADDRESS, "326 lake shore circle unit 9b springfield il"),
        ),
        ("I live at 123 Old Mill Road", (E.ADDRESS, "123 Old Mill Road")),
        ("1 Infinite Loop, Cupertino, CA 95014", (E.ADDRESS, None)),
        ("we moved to twenty two fifth avenue", (E.ADDRESS, "twenty two fifth avenue")),
        ("my zip code is nine eight one zero one", (E.ADDRESS, "nine eight one zero one")),
        ("Hi, my name is Maria Garcia.", (E.PERSON, "Maria Garcia")),
        ("my name is maria garcia and I'm calling about my bill", (E.PERSON, "maria garcia")),
        ("you're speaking with Anna, how can I help?", (E.PERSON, "Anna")),
        ("the name on the card is robert l smith", (E.PERSON, "robert l smith")),
        ("my name is Dr. Emily Chen", (E.PERSON, "Emily Chen")),  # the title stays
        # lower-case ASR text: common given names, and the surname after them
        ("hi this is priya patel", (E.PERSON, "priya patel")),
        ("yes it's ahmed hassan", (E.PERSON, "ahmed hassan")),
        ("so priya patel here", (E.PERSON, "priya patel")),
        ("my husband Tom usually handles it", (E.PERSON, "Tom")),
        ("my last name is spelled S M I T H", (E.PERSON, "S M I T H")),
    ],
)
def test_finds_each_form(
    detector: PiiDetector, text: str, expected: tuple[EntityType, str | None]
) -> None:
    entity, value = expected
    hits = found(detector, text)
    assert [t for t, _ in hits] == [entity], hits
    if value is not None:
        assert hits[0][1] == value


@pytest.mark.parametrize(
    "text",
    [
        "that'll be $49.99 plus tax",
        "we have a basic plan for six dollars a month",
        "the plan 200 costs sixty five dollars and you get 5 lines",
        "your total comes to one hundred twenty three forty five",
        "I called at 3:30 and waited twenty five minutes",
        "we opened in 1998 and now have 2500 stores",
        "you save 20 percent if you pay 12 months upfront",
        "your order number is 4 5 6 7 8 9 1 2 3 4",
        "your confirmation number is 8 8 4 7 2 9 1 0 5 5",
        "ticket two oh four five five one eight seven six",
        "the promo code is one two three four five six",
        "press one for billing or two for support",
        "version 10.2.1 of the app",
        "my order 123456789 has not arrived",
        "the package ships in 3 to 5 days",
        "it arrives in seven to ten days",
        "the date today is march third twenty twenty four",
        "may I have your name please",
        "your card ending in 1234 was charged",
        "your payment of forty two dollars went through",
        "it takes a 2 hour drive",
        "call me back at 5 30",
        "the last four of the card are 1111",
        "we have 2 locations downtown on Main Street",
        "it's 1,000,000 dollars",
        "Thank you for calling Acme Wireless, how can I help?",
        "Merry Christmas and happy new year!",
        "Hello, I'd like to speak to a supervisor about Billing.",
        "you can shop at amazon dot com or look at example dot com",
    ],
)
def test_harmless_numbers_are_left_alone(detector: PiiDetector, text: str) -> None:
    assert found(detector, text) == []


def test_a_spelled_name_is_a_finding_of_its_own(detector: PiiDetector) -> None:
    text = "my last name is smith, s m i t h"
    assert found(detector, text) == [(E.PERSON, "smith"), (E.PERSON, "s m i t h")]
    text = "it's Kim, K as in kilo, I, M"
    assert (E.PERSON, "K as in kilo, I, M") in found(detector, text)


def test_two_numbers_in_a_row_stay_two(detector: PiiDetector) -> None:
    text = "my phone number is 206 555 0198, or 206 555 0199"
    assert found(detector, text) == [
        (E.PHONE_NUMBER, "206 555 0198"),
        (E.PHONE_NUMBER, "206 555 0199"),
    ]


def test_pauses_inside_a_number(detector: PiiDetector) -> None:
    text = "my card number is 4111... hang on, one sec... 1111 1111 1111"
    assert found(detector, text) == [(E.CREDIT_CARD, "4111... hang on, one sec... 1111 1111 1111")]


def test_more_digits_than_any_number_still_go_in_context(detector: PiiDetector) -> None:
    spoken = " ".join(["four one one one"] * 5)
    assert found(detector, f"my card number is {spoken} okay") == [(E.CREDIT_CARD, spoken)]
    assert found(detector, f"the order number is {spoken} okay") == []


def test_code_after_a_card_is_its_security_code(detector: PiiDetector) -> None:
    text = "card 4111 1111 1111 1111 and the code is 123"
    assert found(detector, text) == [
        (E.CREDIT_CARD, "4111 1111 1111 1111"),
        (E.CVV, "123"),
    ]


def test_several_findings_in_one_line(detector: PiiDetector) -> None:
    text = "the card is 4111 1111 1111 1111 expiring 04/27 security code 123"
    assert found(detector, text) == [
        (E.CREDIT_CARD, "4111 1111 1111 1111"),
        (E.EXPIRY, "04/27"),
        (E.CVV, "123"),
    ]


def test_number_read_across_two_lines_is_found_in_each(detector: PiiDetector) -> None:
    first = "my card is four one one one one one one one"
    second = "one one one one one one one one"
    assert found(detector, second, before=[first]) == [(E.CREDIT_CARD, second)]
    assert found(detector, first, after=[second]) == [
        (E.CREDIT_CARD, "four one one one one one one one")
    ]
    # each line's findings are offsets into that line only
    [finding] = detector.detect(second, before=[first])
    assert (finding.start, finding.end) == (0, len(second))


def test_the_start_of_a_number_is_taken_before_the_rest_is_said(detector: PiiDetector) -> None:
    """Live, the next line is not known yet: a number cut off at the end of a line, in a
    context that wants more digits, is redacted already."""
    assert found(detector, "my card number is four one one one one one one one") == [
        (E.CREDIT_CARD, "four one one one one one one one")
    ]
    assert found(detector, "my phone number is two oh six, five five five") == [
        (E.PHONE_NUMBER, "two oh six, five five five")
    ]
    assert found(detector, "my social is nine zero zero") == [(E.US_SSN, "nine zero zero")]


def test_a_number_with_a_digit_lost_by_the_asr_still_goes_in_context(
    detector: PiiDetector,
) -> None:
    text = "my number is two oh six five five five oh one nine, thanks"
    assert found(detector, text) == [(E.PHONE_NUMBER, "two oh six five five five oh one nine")]
    text = "social security 900 12 345 okay"
    assert found(detector, text) == [(E.US_SSN, "900 12 345")]
    text = "card number 4111 1111 111 and that's it"
    assert found(detector, text) == [(E.CREDIT_CARD, "4111 1111 111")]


def test_the_other_partys_question_is_context(detector: PiiDetector) -> None:
    cases = [
        ("What is the expiration date?", "Zero nine, twenty seven.", E.EXPIRY),
        ("And the security code on the back?", "Seven three seven.", E.CVV),
        ("And your date of birth?", "July second, nineteen seventy nine.", E.DATE_OF_BIRTH),
        ("What's the last four of your social?", "six seven eight nine", E.US_SSN),
        ("Can I get your pin?", "four four two one", E.PIN),
    ]
    for prompt, text, entity in cases:
        assert found(detector, text, prompt=prompt) == [(entity, text.rstrip("."))]
        # the same words alone are not this type: four digits read one by one are at
        # most a code (PIN); a month and year, or three digits, nothing at all
        alone = found(detector, text)
        assert alone in ([], [(E.PIN, text.rstrip("."))]) or entity == E.DATE_OF_BIRTH


def test_the_question_governs_a_long_answer(detector: PiiDetector) -> None:
    text = "sure, no problem, let me just find my wallet, okay, here it is, it's seven three one"
    assert found(detector, text, prompt="And the security code on the back?") == [
        (E.CVV, "seven three one")
    ]


def test_the_prompt_itself_is_never_a_finding(detector: PiiDetector) -> None:
    findings = detector.detect("Yes, that's right.", prompt="So that's 206-555-0198, Ms. Lee?")
    assert findings == []


def test_a_full_date_long_past_is_a_birth_date_without_context(detector: PiiDetector) -> None:
    assert found(detector, "March fourteenth, nineteen eighty six.") == [
        (E.DATE_OF_BIRTH, "March fourteenth, nineteen eighty six")
    ]
    assert found(detector, "my appointment was on june 5th 2024") == []


def test_a_number_with_pauses_mixed_with_another_is_split(detector: PiiDetector) -> None:
    text = "my phone number is 206 555 0198, 98101"
    assert found(detector, text) == [(E.PHONE_NUMBER, "206 555 0198")]


def test_policy_entities_and_threshold(detector: PiiDetector) -> None:
    text = "my name is Maria Garcia and my ssn is 123-45-6789"
    only_ssn = RedactionPolicy(entities=(E.US_SSN,))
    assert found(detector, text, policy=only_ssn) == [(E.US_SSN, "123-45-6789")]
    strict = RedactionPolicy(score_threshold=0.99)
    assert found(detector, text, policy=strict) == []
    # a 9-digit number without context is scored low but above the default threshold
    [finding] = detector.detect("it's 482 913 775")
    assert 0.4 <= finding.score < 0.9


def test_scores_are_probabilities_and_findings_do_not_overlap(detector: PiiDetector) -> None:
    text = (
        "this is Kevin Mills, my email is kevin dot mills at example dot com, my card is "
        "4111 1111 1111 1111 and I live at 42 Oak Street, Springfield, Illinois 62704"
    )
    findings = detector.detect(text)
    assert {f.type for f in findings} == {
        E.PERSON,
        E.EMAIL_ADDRESS,
        E.CREDIT_CARD,
        E.ADDRESS,
    }
    assert all(0.0 <= f.score <= 1.0 for f in findings)
    ordered = sorted(findings, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))
    assert all(isinstance(f, Finding) for f in findings)


def test_empty_and_blank_lines(detector: PiiDetector) -> None:
    assert detector.detect("") == []
    assert detector.detect("   ") == []


_VOCAB = (
    "four one oh double triple twenty seven hundred thousand and uh um sorry , . - / "
    "4111 206 555 0198 12 card number is my social security pin code expires born July "
    "2nd nineteen at dot com underscore street Oak apartment box $ 49.99 dollars minutes "
    "S M name this Kevin order plan the ( ) 3:30 percent last four routing account zip"
).split()


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(_VOCAB), max_size=30),
    before=st.lists(st.lists(st.sampled_from(_VOCAB), max_size=8), max_size=2),
)
def test_findings_are_well_formed_for_any_word_salad(
    detector: PiiDetector, words: list[str], before: list[list[str]]
) -> None:
    text = " ".join(words)
    findings = detector.detect(text, before=[" ".join(b) for b in before], prompt="your card?")
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].strip() == text[f.start : f.end]
        assert 0.0 <= f.score <= 1.0
    ordered = sorted(findings, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))


def test_what_survives_of_a_garbled_phone_number_is_still_redacted(detector: PiiDetector) -> None:
    # The recogniser turned "five five five" into words; the digits said one by one
    # after a phone question are still part of the number.
    text = "it's free one two, time, time, time, one four seven"
    prompt = "is the phone number on file still correct?"
    findings = detector.detect(text, prompt=prompt)
    assert [(f.type, text[f.start : f.end]) for f in findings] == [
        (E.PHONE_NUMBER, "one four seven")
    ]
    # Without the question, three digits are nobody's number.
    assert detector.detect("it takes one four seven steps") == []
