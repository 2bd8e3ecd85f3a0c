"""How callers give names, e-mail addresses and street addresses on a real line: spelled,
answering "who am I speaking with?", in passing after thanks, for relatives; and the
company names, pets and business addresses that are no PII."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import typed

E = EntityType


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
    # the name is redacted as a person, alone or with what is found beside it (a spelled
    # given name joins its surname)
    assert any(kind == E.PERSON and name in found for kind, found in typed(detector, text))


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


def test_a_provider_said_as_two_words(detector: PiiDetector) -> None:
    text = "t underscore okafor at proton mail dot com"
    assert typed(detector, text) == [(E.EMAIL_ADDRESS, text)]


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


def test_a_relatives_verb_is_no_name(detector: PiiDetector) -> None:
    assert typed(detector, "my son plays fortnite and the ping is like 120") == []


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


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thanks, Ms. Price, you're all set.", "Price"),  # a surname that is also a word
        ("lakeside dental group this is faith how can i help", "faith"),  # the agent
        ("northstar auto glass, this is will speaking", "will"),
        ("the account is under maria luisa fernandez", "maria luisa fernandez"),
    ],
)
def test_names_that_are_words_or_three_words_long(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert typed(detector, text) == [(E.PERSON, name)]


@pytest.mark.parametrize("text", ["honestly this is crazy", "my mom said this is fine"])
def test_this_is_without_a_company_greeting_names_nobody(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


@pytest.mark.parametrize(
    ("greeting", "later", "agent"),
    [
        (
            "skyvista this is luis can i get the account pin first",
            "skyvista install is $99",
            "luis",
        ),
        (
            "pawsure pet insurance this is marcus who am i speaking with",
            "pawsure covers it",
            "marcus",
        ),
        ("skyvista satellite this is grant can i have the name", "skyvista is down", "grant"),
    ],
)
def test_the_company_in_a_greeting_is_nobodys_name_and_its_agent_is_found(
    detector: PiiDetector, greeting: str, later: str, agent: str
) -> None:
    assert typed(detector, greeting) == [(E.PERSON, agent)]
    assert typed(detector, later, before=(greeting,)) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hi its jenifer i need to move my appointment", "jenifer"),  # misspelt by the ASR
        ("thanks miss okafour it will be ready at two", "okafour"),
        ("thanks i found it under haruki sato", "haruki sato"),
        ("Okay, your driver, Gurpreet, will call you within 24 hours.", "Gurpreet"),
        ("anneliese uh schmitt double t", "schmitt"),
    ],
)
def test_names_the_words_around_them_give_away(detector: PiiDetector, text: str, name: str) -> None:
    assert (E.PERSON, name) in typed(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "hi its broken again",
        "the account is listed under review",
        "my daughter appointment is on tuesday",
        "your technician arrives at noon",
    ],
)
def test_words_in_those_places_that_name_nobody(detector: PiiDetector, text: str) -> None:
    assert typed(detector, text) == []


def test_a_person_greeted_before_this_is_is_no_company(detector: PiiDetector) -> None:
    greeting = "Hi Dave, this is Sarah, I have a question"
    assert typed(detector, greeting) == [(E.PERSON, "Dave"), (E.PERSON, "Sarah")]
    assert typed(detector, "thanks dave that helps", before=(greeting,)) == [(E.PERSON, "dave")]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # the town after the street with no state or ZIP, after "in" or a comma
        ("ship it to 27 quarry ridge lane in lake ozark", "27 quarry ridge lane in lake ozark"),
        ("it's 4 Juniper Way, Kalispell.", "4 Juniper Way, Kalispell"),
        ("send it to po box 2210 chillicothe please", "po box 2210 chillicothe"),
        # a house number with a misheard digit before "hundred", a unit said as a homophone
        (
            "we're at sixty for hundred west elm street unit to",
            "sixty for hundred west elm street unit to",
        ),
    ],
)
def test_towns_and_misheard_numbers_stay_in_the_address(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert typed(detector, text) == [(E.ADDRESS, address)]


def test_the_words_after_a_street_that_name_no_town_stay(detector: PiiDetector) -> None:
    assert typed(detector, "it's 12 pine road in the back by the garage") == [
        (E.ADDRESS, "12 pine road")
    ]


def test_a_zip_code_said_with_homophones_after_the_state(detector: PiiDetector) -> None:
    text = "ellicott city maryland to won oh for to"
    assert typed(detector, text) == [(E.ADDRESS, text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("we're out at 907 Farm Road 1200, Sulphur Springs", "907 Farm Road 1200, Sulphur Springs"),
        ("it's 55 Pine Road 9, Space 14, Lake Luzerne", "55 Pine Road 9, Space 14, Lake Luzerne"),
        (
            "mail goes to Rural Route 4, Box 88, Wellsburg, Iowa 50680",
            "Rural Route 4, Box 88, Wellsburg, Iowa 50680",
        ),
    ],
)
def test_numbered_roads_lots_and_rural_routes(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert typed(detector, text) == [(E.ADDRESS, address)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("ok its fore too fore juniper court", "fore too fore juniper court"),
        (
            "too oh six for lindell avenue apartment nine",
            "too oh six for lindell avenue apartment nine",
        ),
    ],
)
def test_a_house_number_said_in_misheard_digits(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert typed(detector, text) == [(E.ADDRESS, address)]


def test_prepositions_before_a_street_are_no_house_number(detector: PiiDetector) -> None:
    assert typed(detector, "we walked over to for main street and back") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("mail it to p o box fore oh ate", "p o box fore oh ate"),
        (
            "its po box won too six kettle falls washington",
            "po box won too six kettle falls washington",
        ),
        (
            "its nine twelve larch lane unit three in um okanogan",
            "nine twelve larch lane unit three in um okanogan",
        ),
    ],
)
def test_misheard_box_numbers_and_a_town_after_a_pause(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (EntityType.ADDRESS, address) in typed(detector, text)
