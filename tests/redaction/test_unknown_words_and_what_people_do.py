"""Names found by what the word is, or by what is said to or by it, with no phrase
before it that says a name follows: words English has no trace of ("hehanussa"), and
words told, telling or answering ("tell gravy his ...", "bean told me", "Dart here.").
And what a word found as a name cannot be: a pronoun, a verb's form, a title alone, a
role or a card after a name, a saint's church, a group's name."""

from __future__ import annotations

from redaction.detector import PiiDetector
from tests.redaction.forms import people


def test_names_english_has_no_trace_of_are_names_anywhere(detector: PiiDetector) -> None:
    said = "we're signing up as a trio its me tavita lomalagi, fudge oyelaran n ketsia wamukota"
    assert people(detector, said) == [
        "tavita lomalagi",
        "fudge oyelaran",
        "ketsia wamukota",
    ]


def test_a_capitalised_unknown_name_before_an_address(detector: PiiDetector) -> None:
    said = "One copy goes to Ignatius Waluyo at 211 Tern Street, Salem, Oregon."
    assert people(detector, said) == ["Ignatius Waluyo"]


def test_firms_coined_or_named_with_their_trade_are_no_names(detector: PiiDetector) -> None:
    assert people(detector, "torvanik fence and deck good morning whatcha need") == []
    assert people(detector, "hey it's mo from quelbrin lawn care about the invoice") == ["mo"]
    assert people(detector, "the ledgerline bookkeeping portal is down again") == []
    assert people(detector, "The Zentrova Pro 40 is $129 with the charger.") == []
    assert people(detector, "so it's just the quorvaxil that's forty dollars") == []


def test_verbs_plurals_and_prefixed_words_are_no_names(detector: PiiDetector) -> None:
    assert people(detector, "hi i need a quote for reglazin the tub") == []
    assert people(detector, "we're restriping the lot sunday") == []
    assert people(detector, "i want two boxes of the maduro robustos") == []


def test_a_word_told_something_is_someone(detector: PiiDetector) -> None:
    said = "the truck is ready n tell biscuit his trailer hitch is fixed"
    assert people(detector, said) == ["biscuit"]
    assert people(detector, "and pickle told me to call you about payroll") == ["pickle"]
    assert people(detector, "can you ask drivers to arrive early") == []
    assert people(detector, "please tell dispatch that we are late") == []
    assert people(detector, "and the website said it would ship monday") == []


def test_a_word_answering_the_phone_or_called_so_is_someone(detector: PiiDetector) -> None:
    assert people(detector, "Copper Kettle Catering, Sprocket here.") == ["Sprocket"]
    said = "Sign the card from Pudding, that's what my niece calls me."
    assert people(detector, said) == ["Pudding"]


def test_pronouns_verbs_numbers_and_titles_are_no_names(detector: PiiDetector) -> None:
    said = "hi were checkin in late tonight n nobody will be home its us n our dog"
    assert people(detector, said) == []
    assert people(detector, "i coach the under tens n the league needs my forms") == []
    assert people(detector, "Thank you, Father. When can the crew come up?") == []


def test_a_role_or_a_card_after_a_name_is_no_part_of_it(detector: PiiDetector) -> None:
    said = "hi it's wanjiru kamau treasurer at the lodge we owe the second payment"
    assert people(detector, said) == ["wanjiru kamau"]
    assert people(detector, "Lodge Visa. 4111 1111 1111 1111, expiring 08/30.") == []


def test_saints_and_groups_name_places_and_teams(detector: PiiDetector) -> None:
    said = "hi it's ruth okafor at saint brendan we need the choir robes cleaned"
    assert people(detector, said) == ["ruth okafor"]
    assert people(detector, "I need to book a Saturday slot for my Scout troop.") == []


def test_relatives_named_together_after_the_group(detector: PiiDetector) -> None:
    said = "It's me, my wife Juniper, and the girls, Savannah and Macon."
    assert people(detector, said) == ["Juniper", "Savannah", "Macon"]


def test_a_trade_said_alone_is_how_one_is_addressed(detector: PiiDetector) -> None:
    assert people(detector, "Yes, Chef, the standing order for Friday. What else?") == []


def test_whom_a_pronoun_goes_on_about_or_a_role_follows(detector: PiiDetector) -> None:
    assert people(detector, "can i book a trim with pickle shes the best") == ["pickle"]
    assert people(detector, "ill have sprocket our foreman call you back") == ["sprocket"]
    assert people(detector, "i'll pay with visa she said it's fine") == []


def test_who_is_told_at_the_end_of_the_line(detector: PiiDetector) -> None:
    assert people(detector, "the trailer is hitched n tell biscuit") == ["biscuit"]
    assert people(detector, "sure i will tell everyone") == []


def test_an_agent_answering_with_youve_got(detector: PiiDetector) -> None:
    assert people(detector, "Harbor Lane Security, payroll. You've got Odile.") == ["Odile"]
    assert people(detector, "you've got the wrong number") == []


def test_a_buddy_named_after_the_word(detector: PiiDetector) -> None:
    said = "i want a gift card for the pottery class for my buddy radomir"
    assert people(detector, said) == ["radomir"]


def test_a_role_or_a_desk_said_alone_is_no_name(detector: PiiDetector) -> None:
    assert people(detector, "Coldwater Propane, this is dispatch.") == []
    assert people(detector, "forty two students and six chaperones are coming") == []


def test_what_one_asks_or_tells_at_the_end_of_the_line_is_no_one(detector: PiiDetector) -> None:
    assert people(detector, "i'll ask around") == []
    assert people(detector, "ok i will ask later") == []
