"""People mentioned in passing ("you're booked with imogen on friday", "i need adrian's
date of birth", "the hollister family"), callers introducing themselves after a thank
you, company names joined by "and", and numbers, mailboxes and addresses as noisy
recognisers write them; with the everyday sentences those forms must not catch."""

from __future__ import annotations

import pytest

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import people, typed

E = EntityType


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ok ur all booked with imogen on friday at ten", "imogen"),
        ("your first lesson with cassius is monday", "cassius"),
        ("i'll leave the keys for winifred and lock up", "winifred"),
        ("we still need the signed waiver for thaddeus", "thaddeus"),
        ("can i get a phone number for desmond", "desmond"),
        # a given name the census lists that English also uses a little ("theo", "hazel")
        ("sure i can set that up for theo", "theo"),
    ],
)
def test_a_name_after_with_or_for(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("i need adrian's date of birth for the roster", "adrian"),
        ("whats rosalinds phone number", "rosalind"),
        ("the balance is on the okonkwo family account", "okonkwo"),
        ("The Abernathy-Lowe wedding is on the calendar.", "Abernathy-Lowe"),
    ],
)
def test_a_persons_details_or_family_named_by_the_name(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "you can pay with autopay or by check",
        "that plan is for policyholders only",
        "we booked the cruise for june",
        "i need the cardholder's name and the borrower's social",
        "whats this number for",
        "the verizon family plan is cheaper",
        "we set up alerts for payouts and invoices",
        "im settin u up now",
        "ya lemme check",
    ],
)
def test_no_one_is_mentioned_there(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("oh great this is philippa achterberg", "philippa achterberg"),
        ("sorry this is ruairi again", "ruairi"),
        ("salt and pepper catering this is marguerite how can i help", "marguerite"),
    ],
)
def test_an_introduction_after_thanks_or_a_company_joined_by_and(
    detector: PiiDetector, text: str, name: str
) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text", ["great this is ridiculous", "thank you this is helpful", "and this is the last one"]
)
def test_this_is_describing_something(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_card_brand_said_as_a_noun_asks_for_the_card(detector: PiiDetector) -> None:
    found = typed(detector, "ok its discover six oh won won four nine seven too")
    assert (E.CREDIT_CARD, "six oh won won four nine seven too") in found


def test_a_card_number_resumed_after_an_apology_on_the_next_line(detector: PiiDetector) -> None:
    first = "its my discover six oh won won six seven five nine"
    found = typed(detector, "uh sorry for nine won seven won seven five ate", before=(first,))
    assert [kind for kind, _ in found] == [E.CREDIT_CARD]
    assert found[0][1].endswith("for nine won seven won seven five ate")


def test_a_number_to_call_someone_else_at(detector: PiiDetector) -> None:
    found = typed(detector, "my brother call him at three won too five five five")
    assert (E.PHONE_NUMBER, "three won too five five five") in found


def test_a_code_after_a_keypad_key(detector: PiiDetector) -> None:
    found = typed(detector, "ya its pound too ate for six", prompt="is there a gate code")
    assert (E.PIN, "too ate for six") in found


def test_star_and_pound_in_a_sentence_key_in_nothing(detector: PiiDetector) -> None:
    assert typed(detector, "she was the star too and we went for it") == []


def test_a_social_with_a_pause_after_a_homophone(detector: PiiDetector) -> None:
    found = typed(detector, "nine seven for uh sixty too thirty won to to", prompt="ur social")
    assert found == [(E.US_SSN, "nine seven for uh sixty too thirty won to to")]


def test_a_price_after_for_is_no_digit(detector: PiiDetector) -> None:
    found = typed(detector, "its four one oh oh five for ninety nine cents")
    assert all("ninety" not in text for _, text in found)


def test_the_birth_date_asked_for_a_form(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "its oh too uh nineteen oh ate",
        prompt="i just need ur date a birth for the waiver form",
    )
    assert (E.DATE_OF_BIRTH, "oh too uh nineteen oh ate") in found


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # a pause inside the house number, or between the direction and the street
        (
            "its sixty too uh oh ate willow bend drive in dayton",
            "sixty too uh oh ate willow bend drive in dayton",
        ),
        (
            "twenty one oh six south uh old mill road in joliet",
            "twenty one oh six south uh old mill road in joliet",
        ),
        # the town said last with no comma, the unit's letter as a word
        ("four eleven birchwood lane pinecrest", "four eleven birchwood lane pinecrest"),
        (
            "ate twelve fifth ave apartment for dee portland",
            "ate twelve fifth ave apartment for dee portland",
        ),
    ],
)
def test_addresses_as_noisy_recognisers_write_them(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (E.ADDRESS, address) in typed(detector, text, prompt="and the address")


def test_a_size_in_thousands_is_no_house_number(detector: PiiDetector) -> None:
    found = typed(detector, "whats the address for the sixty thousand grain unit")
    assert [kind for kind, _ in found if kind == E.ADDRESS] == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        (
            "its accounts at harbor light marine co dot com",
            "accounts at harbor light marine co dot com",
        ),
        ("mvelasquez eighty one at a o l dot com", "mvelasquez eighty one at a o l dot com"),
        ("send it to dee okafor at out look dot com", "dee okafor at out look dot com"),
        ("its tkowalski at hot mail dot com", "tkowalski at hot mail dot com"),
    ],
)
def test_mailboxes_heard_in_pieces(detector: PiiDetector, text: str, email: str) -> None:
    assert (E.EMAIL_ADDRESS, email) in typed(detector, text, prompt="and the email")


@pytest.mark.parametrize(
    "text",
    ["you can find us at example dot com", "send an email at support dot com"],
)
def test_a_web_site_is_no_mailbox(detector: PiiDetector, text: str) -> None:
    assert [kind for kind, _ in typed(detector, text) if kind == E.EMAIL_ADDRESS] == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("my twins idris n lucan start on monday", ["idris", "lucan"]),
        ("If I'm out, ask for Esperanza.", ["Esperanza"]),
        ("Welcome aboard, Oluwadamilare. I just need your tax forms.", ["Oluwadamilare"]),
        ("thats me im thorvald eikeland social is on file", ["thorvald eikeland"]),
        ("tile and grout at bayside this is ottilie how can i help", ["ottilie"]),
        ("it's a gift for my sister her name's perpetua okoro", ["perpetua okoro"]),
    ],
)
def test_names_in_more_places(detector: PiiDetector, text: str, names: list[str]) -> None:
    found = people(detector, text)
    assert all(name in found for name in names), found


@pytest.mark.parametrize(
    "text",
    [
        "my kids are fine thanks",
        "hi im callin about my bill",
        "thanks, verified",
        "hi this is Summit Recovery calling on a recorded line",
    ],
)
def test_no_one_named_in_these_either(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_a_code_on_a_gate_named_by_its_keypad(detector: PiiDetector) -> None:
    found = typed(
        detector, "The keypad on the back gate is 5820, then the green button.", prompt=""
    )
    assert (E.PIN, "5820") in found


def test_the_expiry_by_month_name_then_the_code(detector: PiiDetector) -> None:
    found = typed(
        detector, "october twenty eight triple for", prompt="expiration n the three on the back"
    )
    assert (E.EXPIRY, "october twenty eight") in found
    assert (E.CVV, "triple for") in found


def test_a_digit_said_three_times_then_more(detector: PiiDetector) -> None:
    found = typed(detector, "triple ate too nine won", prompt="and the last five of the social")
    assert [kind for kind, _ in found] == [E.US_SSN]


def test_a_wage_an_hour_is_no_number(detector: PiiDetector) -> None:
    assert typed(detector, "u start at eighteen seventy five an hour", prompt="ur social") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("yes apartment three oh nine i forgot that", "apartment three oh nine"),
        (
            "eleven twenty mesa road box forty in alpine texas",
            "eleven twenty mesa road box forty in alpine texas",
        ),
        (
            "two hundred state street sweet fifteen hundred boston",
            "two hundred state street sweet fifteen hundred boston",
        ),
    ],
)
def test_units_said_alone_or_misheard(detector: PiiDetector, text: str, address: str) -> None:
    assert (E.ADDRESS, address) in typed(detector, text, prompt="ok got it")


def test_a_hotel_suite_is_no_address(detector: PiiDetector) -> None:
    assert typed(detector, "we booked suite two for the night") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our installer, Dashiell, will be there by nine.", "Dashiell"),
        ("Your planner will be Oriane Delacourt, and she'll email you.", "Oriane Delacourt"),
        ("and the seller is still bertrand oyelaran right", "bertrand oyelaran"),
        ("ok our estimator tevita will call u tomorrow", "tevita"),
        ("Marisol, I'm calling about your application.", "Marisol"),
        ("Thanks for waiting, Ignatius.", "Ignatius"),
        ("thanks ill let ottoline know", "ottoline"),
        ("k yusuf ur booked for tuesday", "yusuf"),
    ],
)
def test_names_by_role_or_said_to_the_listener(detector: PiiDetector, text: str, name: str) -> None:
    assert name in people(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you. Will anyone be home?",
        "hi im callin bout the outlet",
        "the lead is heavy",
        "your painter will be there at nine",
        "We have a store in Houston, Dallas.",
        "Sure, Tuesday.",
        "we quoted the inspection with radon for the house",
    ],
)
def test_no_one_named_by_these(detector: PiiDetector, text: str) -> None:
    assert people(detector, text) == []


def test_the_expiry_and_code_after_a_whole_card(detector: PiiDetector) -> None:
    card = "four won won won won won won won won won won won won won won won"
    found = typed(detector, "oh nine twenty seven too won four", before=(card,))
    assert (E.EXPIRY, "oh nine twenty seven") in found
    assert (E.CVV, "too won four") in found


def test_the_code_after_the_expiry_and_n(detector: PiiDetector) -> None:
    found = typed(detector, "april twenty nine n for ate six", prompt="expiration n the code")
    assert (E.CVV, "for ate six") in found


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("its dana k at ya who dot com", "dana k at ya who dot com"),
        (
            "send it to pietro m nine for at calm cast dot net",
            "pietro m nine for at calm cast dot net",
        ),
    ],
)
def test_providers_misheard(detector: PiiDetector, text: str, email: str) -> None:
    assert (E.EMAIL_ADDRESS, email) in typed(detector, text, prompt="and the email")


def test_a_generator_size_is_no_address(detector: PiiDetector) -> None:
    found = typed(detector, "and the install address where the twenty two kw unit goes")
    assert [kind for kind, _ in found if kind == E.ADDRESS] == []


@pytest.mark.parametrize(
    ("prompt", "text", "name"),
    [
        (
            "",
            "hi it's philomena okafor-reyes at brightline freight we need two drivers",
            "philomena okafor-reyes",
        ),
        ("", "thank u wanjiru ur badge will be at the front desk", "wanjiru"),
        ("", "n u said ur husband is anselmo", "anselmo"),
        ("", "hollow oak roofing this is torben the crew is out front", "torben"),
        ("", "ur total for the ezio marchetti memorial plaques is two hundred", "ezio marchetti"),
        (
            "i'll need her name and date of birth",
            "svetlana oyelowo born may fourth",
            "svetlana oyelowo",
        ),
        ("", "ya consuelo ibarra-soto her cell is on file", "consuelo ibarra-soto"),
    ],
)
def test_names_in_these_forms_too(detector: PiiDetector, prompt: str, text: str, name: str) -> None:
    assert name in people(detector, text, prompt=prompt)


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("whats the name on the account", "lemme check hold on"),
        ("the card is in my name", "expiration"),
        ("", "call the line and enter your caregiver pin"),
        ("", "I'll e-mail the contract to you and your fiance tonight."),
    ],
)
def test_no_name_in_these(detector: PiiDetector, prompt: str, text: str) -> None:
    assert people(detector, text, prompt=prompt) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "we'll mail it to fourteen twelve oxbow bend in bozeman montana",
            "fourteen twelve oxbow bend in bozeman montana",
        ),
        (
            "its two twenty willow bend drive in maryville",
            "two twenty willow bend drive in maryville",
        ),
        (
            "ya twenty too hundred market street suite fore hundred in dallas",
            "twenty too hundred market street suite fore hundred in dallas",
        ),
    ],
)
def test_streets_ending_in_a_place_word_and_suites_in_hundreds(
    detector: PiiDetector, text: str, address: str
) -> None:
    assert (E.ADDRESS, address) in typed(detector, text, prompt="and the address")


def test_a_race_is_no_street(detector: PiiDetector) -> None:
    assert typed(detector, "i ran five miles and then a 10 k run") == []


def test_a_card_resumed_with_a_digit_said_twice(detector: PiiDetector) -> None:
    first = "ya its a discover six double for won too seven five three"
    found = typed(detector, "uh sorry won double six nine six seven ate too", before=(first,))
    assert [kind for kind, _ in found] == [E.CREDIT_CARD]
