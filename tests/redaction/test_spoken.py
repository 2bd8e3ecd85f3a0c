"""Numbers as an ASR writes them become digit runs placed in the text."""

from __future__ import annotations

import pytest

from redaction.spoken import DigitRun, find_runs, spoken_digits, tokenize


def runs(text: str) -> list[tuple[str, str]]:
    """(digits, the text they were read from) for each run."""
    return [(run.digits, text[run.start : run.end]) for run in find_runs(text)]


def test_tokens_keep_offsets() -> None:
    text = "It's 206-555-0198, on the 2nd."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "It's",
        "206",
        "-",
        "555",
        "-",
        "0198",
        ",",
        "on",
        "the",
        "2nd",
        ".",
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("four one one one", "4111"),
        ("4111 1111", "41111111"),
        ("4 1 1 1 one one", "411111"),
        ("double five", "55"),
        ("triple seven", "777"),
        ("double oh seven", "007"),
        ("oh four twenty seven", "0427"),
        ("five five five oh", "5550"),
        ("nineteen seventy two", "1972"),
        ("twenty twenty seven", "2027"),
        ("twenty-seven", "27"),
        ("one fifty eight", "158"),
        ("four twenty two", "422"),
        ("one hundred eighty four", "184"),
        ("two hundred and five", "205"),
        ("two thousand five", "2005"),
        ("nineteen oh five", "1905"),
        ("one eight hundred five five five", "1800555"),
        ("zero nine, twenty seven", "0927"),
        ("five for one one", "5411"),  # "for" misheard between digits
    ],
)
def test_spoken_forms(text: str, digits: str) -> None:
    assert spoken_digits(text) == digits
    assert runs(text) == [(digits, text)]


def test_groups_split_by_fillers_and_punctuation_are_one_run() -> None:
    text = "It's four one one one, uh, one one one one. Sorry, let me see, one one one one"
    [run] = find_runs(text)
    assert run.digits == "411111111111"
    assert text[run.start : run.end] == text[5:]
    assert run.group_sizes() == [4, 4, 4]


def test_written_groups_and_hyphens_are_groups() -> None:
    [run] = find_runs("call 206-555-0198 today")
    assert run.group_sizes() == [3, 3, 4]
    [run] = find_runs("it is 900 12 3456")
    assert run.group_sizes() == [3, 2, 4]
    [run] = find_runs("nine zero zero, one two, three four five six")
    assert run.group_sizes() == [3, 2, 4]


def test_oh_is_zero_only_beside_digits() -> None:
    assert runs("oh, okay, five") == [("5", "five")]
    assert runs("oh I see") == []
    assert spoken_digits("two oh six") == "206"


def test_words_between_numbers_end_a_run() -> None:
    assert runs("I have 2 cats and 3 dogs, all born in 2019") == [
        ("2", "2"),
        ("3", "3"),
        ("2019", "2019"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "$49.99",
        "it's forty nine dollars",
        "six dollars a month",
        "one hundred eighty four dollars",
        "at 3:30",
        "five minutes",
        "25 percent off",
        "a 20% discount",
        "10 GB of data",
        "we charge 1.99",
    ],
)
def test_amounts_times_and_quantities_are_not_runs(text: str) -> None:
    assert find_runs(text) == []


def test_amount_ends_the_run_before_it() -> None:
    text = "the code is 1234 and it costs 5 dollars"
    assert runs(text) == [("1234", "1234")]


def test_lines_join_into_one_run() -> None:
    text = "my card is four one one one\none one one one"
    [run] = find_runs(text)
    assert run.digits == "41111111"
    assert run.group_sizes() == [4, 4]


def test_sub_runs_cover_their_pieces() -> None:
    [run] = find_runs("206 555 0198, 98101")
    segments = run.segments()
    assert [run.sub(i, j).digits for i, j in segments] == ["206", "555", "0198", "98101"]
    sub = run.sub(segments[0][0], segments[2][1])
    assert isinstance(sub, DigitRun)
    assert (sub.start, sub.end) == (0, 12)


def test_plain_words_are_not_numbers() -> None:
    assert find_runs("I want to pay for it, a hundred times over") == []
    assert find_runs("someone once said nothing") == []
