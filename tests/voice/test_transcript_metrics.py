"""Transcript normalisation, word error rate and the digit checks of the accuracy bench."""

from __future__ import annotations

import pytest

from voice.transcript_metrics import (
    digit_runs,
    digits_in_order,
    digits_matched,
    normalize,
    spoken_digits,
    word_error_rate,
)

CARD_TURN = "Okay. It's four one one one, one one one one, one one one one, one one one one."
CARD = "4111111111111111"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Thanks, Mr. Lopez.", ["thanks", "mister", "lopez"]),
        ("It's five five five.", ["it", "is", "5", "5", "5"]),
        ("It's 555.", ["it", "is", "5", "5", "5"]),
        ("four one", ["4", "1"]),
        ("4-1", ["4", "1"]),
        ("nineteen eighty six", ["1", "9", "8", "6"]),
        ("Zero nine, twenty seven.", ["0", "9", "2", "7"]),
        ("09/27", ["0", "9", "2", "7"]),  # the leading zero of a numeral stays
        ("oh nine", ["0", "9"]),
        ("five oh five", ["5", "0", "5"]),
        ("double five", ["5", "5"]),
        ("double oh seven", ["0", "0", "7"]),
        ("forty two dollars", ["4", "2"]),
        ("$42", ["4", "2"]),
        ("42 dollars", ["4", "2"]),
        ("$42.50", ["4", "2", "5", "0"]),
        ("forty two dollars and fifty cents", ["4", "2", "5", "0"]),
        ("fifty percent", ["5", "0"]),
        ("50%", ["5", "0"]),
        ("It's 5, 5, 5, 2, 1, 4.", ["it", "is", "5", "5", "5", "2", "1", "4"]),
        ("1", ["1"]),  # the normaliser alone would write "one"
        ("March third", ["march", "3", "rd"]),
        ("the 1st", ["the", "1", "st"]),  # as "the first", not "the 1 saint"
        ("the first", ["the", "1", "st"]),
        ("I've got the colour, hmm.", ["i", "have", "got", "the", "color"]),
        ("", []),
        (" ... ?! ", []),
    ],
)
def test_normalize(text: str, tokens: list[str]) -> None:
    assert normalize(text) == tokens


def test_digits_read_as_words_match_numerals() -> None:
    assert word_error_rate(CARD_TURN, "Okay, it's 4111 1111 1111 1111.") == 0.0
    assert word_error_rate(CARD_TURN, "okay it is 4111-1111-1111-1111") == 0.0
    assert word_error_rate("It's five five five, two one four.", "It's 555-214.") == 0.0


def test_word_error_rate_counts_digits_one_by_one() -> None:
    # One wrong digit of 16, plus "okay it is": 1 error in 19 words.
    assert word_error_rate(CARD_TURN, "Okay, it's 4111 1111 1112 1111.") == pytest.approx(1 / 19)
    # A dropped group is four deletions.
    assert word_error_rate(CARD_TURN, "Okay, it's 4111 1111 1111.") == pytest.approx(4 / 19)


def test_word_error_rate_substitution_insertion_deletion() -> None:
    assert word_error_rate("the card is saved", "the card is saved") == 0.0
    assert word_error_rate("the card is saved", "the cart is saved") == 0.25
    assert word_error_rate("the card is saved", "the card is now saved") == 0.25
    assert word_error_rate("the card is saved", "card is saved") == 0.25
    assert word_error_rate("the card is saved", "") == 1.0
    assert word_error_rate("The card, is SAVED!", "the card is saved") == 0.0


def test_word_error_rate_of_an_empty_reference() -> None:
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("...", "") == 0.0
    assert word_error_rate("", "hello there") == 2.0


def test_digit_runs_are_broken_by_words_not_by_spaces_or_punctuation() -> None:
    assert digit_runs("four one one one, 1111 and 7") == ["41111111", "7"]
    assert digit_runs("no digits here") == []
    assert digit_runs("It's $5 .5 .5 .2") == ["5552"]


def test_spoken_digits_of_reference_turns() -> None:
    assert spoken_digits(CARD_TURN) == CARD
    assert spoken_digits("It's five five five, two one four, eight eight three zero.") == (
        "5552148830"
    )
    assert spoken_digits("Zero nine, twenty seven.") == "0927"
    # The longest run: the ZIP code, not the house number.
    address = "Four twenty two Maple Street, Springfield, Illinois, six two seven zero four."
    assert spoken_digits(address) == "62704"
    assert spoken_digits("No, that's all.") == ""


@pytest.mark.parametrize(
    "hypothesis",
    [
        CARD_TURN,
        "Okay, it's 4111 1111 1111 1111.",
        "4111-1111-1111-1111",
        "it's 4111, one one one one, 1111 1111 and that's it",
        "my number is 94111111111111111",  # a digit more on either side is fine
    ],
)
def test_card_digits_in_order(hypothesis: str) -> None:
    assert digits_in_order(CARD, hypothesis)
    assert digits_in_order("4111 1111 1111 1111", hypothesis)
    assert digits_matched(CARD, hypothesis) == 16


@pytest.mark.parametrize(
    ("hypothesis", "matched"),
    [
        ("Okay. It's $4 .11", 3),
        ("4111 1111 1111 111", 15),  # a digit lost
        ("4111 and 1111 1111 1111", 16),  # all there, but a word breaks the run
        ("4111 1111 1111 1117", 15),
        ("", 0),
    ],
)
def test_card_digits_not_in_order(hypothesis: str, matched: int) -> None:
    assert not digits_in_order(CARD, hypothesis)
    assert digits_matched(CARD, hypothesis) == matched


def test_digits_with_oh_and_double() -> None:
    assert digits_in_order("5005", "five double oh five")
    assert digits_in_order("0927", "oh nine twenty seven")
    assert digits_in_order("0927", "09/27")
    assert not digits_in_order("0927", "9/27")
    assert digits_matched("0927", "9/27") == 3


def test_an_empty_reference_number_is_always_in_order() -> None:
    assert digits_in_order("", "anything")
    assert digits_matched("", "123") == 0
