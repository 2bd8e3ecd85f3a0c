"""A company answering the phone with its trade or desk ("Redfern Pottery Supply, glaze
orders."), codes given as an override or a security word, a four-digit code whose last
digit is a homophone before more words, a routing number asked for as "the a b a", a
name asked for together with something else, someone known by a role and "named", an
Amex's four-digit code after its expiry, names after "that'd be me", "attention" and "my
husband's", given names of the last decades ("zeke", "zuri"), and what only looks like
these: chat words ("thx", "wat"), a dropped g ("routin"), a vehicle's VIN, a town that is
also a name."""

from __future__ import annotations

import pytest

from redaction.conversation import ConversationRedactor
from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, said_in_call, typed

E = EntityType


@pytest.mark.parametrize(
    "greeting",
    [
        "Redfern Pottery Supply, glaze orders.",
        "Tallowmere Kennels, boarding. How can I help you today?",
        "thornbury kayak rentals dispatch",
        "quillhaven drywall estimatin whats the address",
        "Osterby Feed and Tack. What can I get for you?",
    ],
)
def test_a_company_answering_with_its_trade_or_desk_is_no_person(
    detector: PiiDetector, greeting: str
) -> None:
    call = ConversationRedactor(detector=detector)
    assert [kind for kind, _ in said_in_call(call, greeting, "agent")] == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Priya Patel?", "Priya Patel"),
        ("Oliver Stone, billing.", "Oliver Stone"),
        ("Tamsin Ferreira, is that right?", "Tamsin Ferreira"),
        ("Coach Ilsabet Marwick wanted me to confirm the tryout fee.", "Ilsabet Marwick"),
        ("Larkspur Dental billing, Bianca speaking.", "Bianca"),
        ("Harrow Self Storage. We have a note from Dr. Okonkwo-Reyes.", "Okonkwo-Reyes"),
        ("ridgefield propane marisabel whos the account holder", "marisabel"),
    ],
)
def test_an_agent_opening_with_a_persons_name_still_names_them(
    detector: PiiDetector, line: str, name: str
) -> None:
    call = ConversationRedactor(detector=detector)
    assert (E.PERSON, name) in said_in_call(call, line, "agent")


def test_the_agents_later_lines_are_not_read_as_greetings(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "Hollis Marine, service desk.", "agent")
    said_in_call(call, "Hi, I'm calling about my outboard.", "customer")
    assert (E.PERSON, "Anselm Quirke") in said_in_call(
        call, "Anselm Quirke, parts, will call you back.", "agent"
    )


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (
            [
                ("agent", "i can send it once you confirm your name and date of birth"),
                ("customer", "ottilie vance the fourth of june nineteen eighty two"),
                ("agent", "thanks your override code is four nine one six hold the button"),
            ],
            "four nine one six",
        ),
        (
            [
                ("agent", "whats the birth date on the account"),
                ("customer", "march ninth nineteen seventy"),
                ("agent", "ok and your security word"),
                ("customer", "its a number five one seven two"),
            ],
            "five one seven two",
        ),
    ],
)
def test_an_override_or_a_security_word_said_in_digits_is_a_pin_after_a_birth_date(
    detector: PiiDetector, lines: list[tuple[str, str]], code: str
) -> None:
    call = ConversationRedactor(detector=detector)
    for speaker, text in lines[:-1]:
        said_in_call(call, text, speaker)
    speaker, text = lines[-1]
    assert (E.PIN, code) in said_in_call(call, text, speaker)


def test_a_code_read_back_after_an_override_keeps_its_type(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "what's your date of birth", "agent")
    said_in_call(call, "july second nineteen sixty", "customer")
    said_in_call(call, "ok your override is two six eight one", "agent")
    assert said_in_call(call, "two six eight one got it thanks", "customer") == [
        (E.PIN, "two six eight one")
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("k i changed it to six oh six too so try it now", "six oh six too"),
        ("ok its nine fore won too let me know", "nine fore won too"),
    ],
)
def test_three_digits_then_too_before_more_words_is_a_four_digit_code(
    detector: PiiDetector, text: str, code: str
) -> None:
    assert (E.PIN, code) in typed(detector, text, prompt="can you reset my lock code")


@pytest.mark.parametrize(
    "text",
    [
        "i have one too",
        "we got three boxes and four too",
        "yeah thats twenty too",
    ],
)
def test_too_after_a_number_is_still_also(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_routing_number_asked_for_as_the_a_b_a(detector: PiiDetector) -> None:
    # after the last four of a social, nine digits would be read as the social without
    # the cue
    said_before = ("the last for of my social is six double fore too",)
    text = "too six won oh ate fore five too too"
    found = typed(detector, text, prompt="k and whats the a b a", before=said_before)
    assert found == [(E.BANK_ROUTING, text)]


@pytest.mark.parametrize(
    ("prompt", "text", "name"),
    [
        (
            "can i get the student's name and birthday he needs to be twelve or older",
            "tobiah renwick born may third two thousand eleven",
            "tobiah renwick",
        ),
        (
            "i'll need the buyer's name and shipping address as they should print on the label",
            "wendeline okafor p o box two twelve in taos new mexico",
            "wendeline okafor",
        ),
    ],
)
def test_a_name_asked_for_with_something_else_is_the_answers_first_words(
    detector: PiiDetector, prompt: str, text: str, name: str
) -> None:
    assert name in people(detector, text, prompt=prompt)


def test_a_name_mentioned_long_before_the_question_asks_for_none(
    detector: PiiDetector,
) -> None:
    prompt = "i have the name on file already so what i need now is the reason for your visit"
    assert people(detector, "swelling in my left knee", prompt=prompt) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The plumber named Osvaldo fixed it last week.", "Osvaldo"),
        ("a dispatcher named ingrith told me it was booked", "ingrith"),
        ("I'm returning a call from a pharmacist named Delphine.", "Delphine"),
    ],
)
def test_someone_known_by_a_role_and_named(detector: PiiDetector, text: str, name: str) -> None:
    assert people(detector, text) == [name]


@pytest.mark.parametrize(
    "text",
    ["my dog named biscuit chewed the cord", "the file named invoice is attached"],
)
def test_named_before_a_thing_names_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "k thx whats the a b a",
        "ok thx wat else",
        "routin oh seven won four oh three nine six six",
        "im towin it in tomorrow",
    ],
)
def test_chat_words_and_dropped_gs_are_no_names(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_thanks_in_chat_form_still_addresses_a_name(detector: PiiDetector) -> None:
    assert people(detector, "k thx yusuf ur all set") == ["yusuf"]


def test_a_vehicles_vin_is_no_social(detector: PiiDetector) -> None:
    call = ConversationRedactor(detector=detector)
    said_in_call(call, "What's your Social for the title?", "agent")
    said_in_call(call, "943-28-1176.", "customer")
    assert said_in_call(call, "Got it. The VIN ends in 4417, correct?", "agent") == []


def test_an_amex_code_of_four_digits_after_its_expiry(detector: PiiDetector) -> None:
    text = (
        "on my amex three seven one four four nine six three five zero one two six three six"
        " expires march twenty nine code four four one seven"
    )
    assert (E.CVV, "four four one seven") in typed(detector, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("that'd be me anneliese fortunato my cell is on file", "anneliese fortunato"),
        ("send it to billing at hollowayfarms dot com attention oswin tarrant", "oswin tarrant"),
        ("my husband's rashid okonjo his birthday is in june", "rashid okonjo"),
    ],
)
def test_names_after_that_d_be_me_attention_and_a_relative_s(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    ["please pay attention to the fee", "my wife's pickup truck is in the shop"],
)
def test_attention_and_a_relatives_things_name_no_one(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hi this is zeke i just started on the night crew", "zeke"),
        ("pinewood records this zuri how can i help", "zuri"),
        ("my nephew ravi is picking it up", "ravi"),
    ],
)
def test_given_names_of_the_last_decades_are_known(
    detector: PiiDetector, text: str, name: str
) -> None:
    """Short names the 1990 census does not list, but the Social Security
    Administration's records of newer births do, where only a known given name counts."""
    assert name in people(detector, text)


@pytest.mark.parametrize("town", ["dayton", "phoenix"])
def test_a_town_that_is_also_a_given_name_stays_a_place(detector: PiiDetector, town: str) -> None:
    assert people(detector, f"i was born in {town} but we moved when i was six") == []


def test_a_rare_name_of_the_newer_records_said_anywhere(detector: PiiDetector) -> None:
    assert people(detector, "can you put yusra on the pickup list for friday") == ["yusra"]


@pytest.mark.parametrize(
    "text",
    [
        "the burr grinder i bought stopped grinding",
        "id like the sable finish on the frame",
        "we planted a juniper hedge along the fence",
    ],
)
def test_things_the_newer_records_also_name_children_after_are_no_names(
    detector: PiiDetector, text: str
) -> None:
    assert people(detector, text) == []
