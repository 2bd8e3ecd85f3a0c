"""Round 32: a code said right after an address ("... gate code seven won nine oh"); codes
named in the plural ("we changed the door codes, yours is now ..."); an alarm to disarm;
a number broken off and restarted as another kind; an account named after a routing
number given whole; someone's number begun; nicknames named before and after; words
that are no names ("real name", "legal name plus", "invoice", "Will someone")."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import names_in, people, said_in_turn, typed

E = EntityType


def test_a_gate_code_said_right_after_the_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:sure whats the delivery address",
        "fore oh too six larkspur way tulsa gate code six ate won too n the dog is friendly",
    )
    assert (E.ADDRESS, "fore oh too six larkspur way tulsa") in found
    assert (E.PIN, "six ate won too") in found
    assert all(kind != E.ADDRESS or "ate won" not in text for kind, text in found)


def test_the_digits_after_a_code_named_are_no_house_number(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:and the address for the install",
        "eighteen ten quarry road lodi the keypad code is four four seven one n watch out"
        " for the geese",
    )
    assert (E.ADDRESS, "eighteen ten quarry road lodi") in found
    assert (E.PIN, "four four seven one") in found


def test_one_of_several_codes_changed(detector: PiiDetector) -> None:
    found = typed(
        detector, "we reset all the gate codes on friday and yours is now two six six oh one"
    )
    assert found == [(E.PIN, "two six six oh one")]


def test_a_code_read_back_after_the_codes_were_changed(detector: PiiDetector) -> None:
    *_, back = said_in_turn(
        detector,
        "a:the locker room codes changed this week yours is now eight oh four four two",
        "eight oh four four two got it",
    )
    assert back == [(E.PIN, "eight oh four four two")]


def test_the_code_to_disarm_an_alarm_after_the_address(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:What's the service address?",
        "2210 Birchfield Lane, Unit 4. Please disarm the alarm when you arrive, it's 3, double"
        " 8, 1.",
    )
    assert (E.ADDRESS, "2210 Birchfield Lane, Unit 4") in found
    assert (E.PIN, "3, double 8, 1") in found


def test_a_routing_number_broken_off_and_restarted(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:ok go ahead routing and account",
        "routing oh seven one nine oh oh oh sorry start over oh seven one nine oh oh oh"
        " one six account five five two nine one eight",
    )
    assert found == [
        (E.BANK_ROUTING, "oh seven one nine oh oh oh"),
        (E.BANK_ROUTING, "oh seven one nine oh oh oh one six"),
        (E.BANK_ACCOUNT, "five five two nine one eight"),
    ]


def test_an_account_begun_after_the_routing_was_given_whole(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector,
        "a:what's the last four of your social",
        "two two oh nine and routing is oh seven one nine oh oh oh one six acct four won won seven",
    )
    assert found == [
        (E.US_SSN, "two two oh nine"),
        (E.BANK_ROUTING, "oh seven one nine oh oh oh one six"),
        (E.BANK_ACCOUNT, "four won won seven"),
    ]


def test_someones_number_begun_at_the_end_of_the_line(detector: PiiDetector) -> None:
    first, rest = said_in_turn(
        detector,
        "my neighbor will let the crew in her number is four one two five five five",
        "oh one six three",
    )
    assert (E.PHONE_NUMBER, "four one two five five five") in first
    assert rest == [(E.PHONE_NUMBER, "oh one six three")]


def test_a_nickname_said_before_it_is_named_one(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "you're riding with buckshot today his name's arlo penn but everybody calls him buckshot",
    )
    assert names_in(found) == ["buckshot", "arlo penn", "buckshot"]


def test_the_thing_a_nickname_names_keeps_its_article(detector: PiiDetector) -> None:
    text = "bring the anvil back and we all call him anvil"
    found = detector.detect(text)
    assert [(f.type, f.start) for f in found] == [(E.PERSON, text.rindex("anvil"))]


def test_what_everybody_calls_someone_said_before(detector: PiiDetector) -> None:
    found = typed(
        detector,
        "my cousin moose that's what everybody calls him fixed trucks for twenty years",
    )
    assert names_in(found) == ["moose"]


def test_real_name_after_a_nickname(detector: PiiDetector) -> None:
    found = typed(detector, "put pickles thats what they call me real name oskar lindqvist")
    assert "real" not in " ".join(names_in(found))
    assert "oskar lindqvist" in names_in(found)


def test_words_asked_for_with_a_name_are_none(detector: PiiDetector) -> None:
    assert people(detector, "I need the owner's legal name plus date of birth please") == []
    assert people(detector, "Sure. It's invoice 40213 from last month.") == []


def test_a_modal_opening_a_question_is_no_name(detector: PiiDetector) -> None:
    found = people(detector, "The crew arrives at 8. Will anyone be home to open the gate?")
    assert found == []
    assert people(detector, "Will Okafor dropped it off yesterday.") == ["Will Okafor"]


def test_asked_for_by_a_word_name_capitalised(detector: PiiDetector) -> None:
    found = people(detector, "When you get to the range, ask for Gunner as your coach.")
    assert found == ["Gunner"]


def test_an_agent_speaking_after_the_firm_and_no_yes(detector: PiiDetector) -> None:
    *_, found = said_in_turn(
        detector, "a:hi this is lakeline credit callin for dario mendez", "yeah speakin"
    )
    assert found == []


def test_a_firm_joined_with_and_in_a_greeting(detector: PiiDetector) -> None:
    *_, found = said_in_turn(detector, "a:Hollowpine Kiln and Clay, how can I help you today?")
    assert names_in(found) == []
