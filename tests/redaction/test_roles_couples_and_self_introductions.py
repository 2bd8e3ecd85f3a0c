"""Names found by what stands around them rather than a phrase that introduces them: a
word said with what the person is ("smokey the head wrangler said", "the new rider
ravioli said"), a word English hardly uses after one's own role or relative ("my buddy
tumbleweed his real name's ..."), the first of a couple who share a surname ("Oksana
and Wendell Yazzie"), and a caller who says who they are, whom no filter takes for a
firm calling for someone or for a pet ("hi im naresh negi callin for my boss ...")."""

from __future__ import annotations

from redaction.detector import PiiDetector
from redaction.model import EntityType
from tests.redaction.forms import said_in_turn

E = EntityType


def people(detector: PiiDetector, line: str) -> list[str]:
    (found,) = said_in_turn(detector, line)
    return [said for kind, said in found if kind == E.PERSON]


def test_a_word_said_with_what_the_person_is_and_does_is_a_name(
    detector: PiiDetector,
) -> None:
    assert "smokey" in people(
        detector, "never got my w two smokey the head wrangler said to call you"
    )
    assert people(
        detector, "hey its xalil sinjari from the barn crew strudel the foreman said"
    ) == [
        "xalil sinjari",
        "strudel",
    ]
    assert "ravioli" in people(detector, "the new rider ravioli said u need my tax stuff")


def test_a_place_or_a_thing_beside_a_role_is_no_one(detector: PiiDetector) -> None:
    assert people(detector, "at rosewood the manager said it was fine") == []
    assert people(detector, "the dog the vet said was fine") == []
    assert "wrangler" not in people(detector, "smokey the head wrangler said to call")


def test_a_rare_word_after_ones_own_relative_is_a_name(detector: PiiDetector) -> None:
    assert "tumbleweed" in people(detector, "for my buddy tumbleweed his real names seng saelee")
    assert people(detector, "my husband crashed the cart yesterday") == []
    assert people(detector, "my son slipped on the ice") == []


def test_the_first_of_a_couple_sharing_a_surname_is_a_name(detector: PiiDetector) -> None:
    assert people(detector, "Oksana and Wendell Yazzie, at 57 Pine Court.") == [
        "Oksana",
        "Wendell Yazzie",
    ]
    assert people(detector, "the deposit and Maria Lopez will pay") == ["Maria Lopez"]


def test_a_caller_saying_who_they_are_is_no_firm_nor_pet(detector: PiiDetector) -> None:
    assert people(detector, "hi im naresh negi callin for my boss valentina suanka") == [
        "naresh negi",
        "valentina suanka",
    ]
    assert "ibrahima djibrilla" in people(
        detector, "its for my guide dog application im ibrahima djibrilla born may ninth"
    )


def test_a_bare_word_that_says_or_hires_is_a_name(detector: PiiDetector) -> None:
    assert "Mint" in people(
        detector, "I'm the new delivery driver. Mint in the brewhouse said to call about pay."
    )
    assert "memphis" in people(detector, "the new weekend instructor memphis said u need my info")
    assert people(detector, "the system said you owe money") == []
    assert people(detector, "dispatch said u were late") == []
    assert people(detector, "whoever answered said to call back") == []


def test_who_speaks_after_the_desk_and_this(detector: PiiDetector) -> None:
    (greeting,) = said_in_turn(detector, "a:lottery claims this rio")
    assert greeting == [(E.PERSON, "rio")]
    assert said_in_turn(detector, "a:acme billing this month is busy") == [[]]


def test_two_named_after_what_they_are_set_off_by_commas(detector: PiiDetector) -> None:
    assert people(detector, "Our installers, Bo and Anselm, can be there Thursday at 8.") == [
        "Bo",
        "Anselm",
    ]
    assert people(detector, "Our drivers, Monday and Tuesday, are busy.") == []


def test_one_spoken_to_after_an_acknowledgement_or_come_with_their_crew(
    detector: PiiDetector,
) -> None:
    assert people(detector, "ok destiny one thing the cap and gown isnt ours") == ["destiny"]
    assert people(detector, "yup clay n his crew can come thurs") == ["clay"]
    assert people(detector, "ok honey i will") == []
    assert people(detector, "ok great one thing") == []
    assert people(detector, "salt and his crew") == []
