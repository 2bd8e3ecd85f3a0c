"""Findings carried from an utterance's text to its words and audio times."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from callguide.model import PiiSpan, Speaker, Utterance, Word
from redaction.model import EntityType, Finding
from redaction.policy import ReplacementStyle
from redaction.words import align, redact_utterance

E = EntityType
TAG = ReplacementStyle.TAG


def utterance(text: str, words: list[str], *, step: int = 300, start: int = 1000) -> Utterance:
    timed = [Word(w, start + i * step, start + i * step + step - 50) for i, w in enumerate(words)]
    end = timed[-1].end_ms if timed else start + 1000
    return Utterance(speaker=Speaker.CUSTOMER, text=text, start_ms=start, end_ms=end, words=timed)


def finding(text: str, value: str, entity: EntityType = E.PHONE_NUMBER) -> Finding:
    start = text.index(value)
    return Finding(entity, start, start + len(value), 0.9)


def test_same_tokens_map_one_to_one() -> None:
    text = "my pin is one two three four thanks"
    u = utterance(text, text.split())
    out = redact_utterance(u, [finding(text, "one two three four", E.PIN)], style=TAG)
    assert out.text == "my pin is [PIN] thanks"
    assert [w.word for w in out.words] == ["my", "pin", "is"] + ["[PIN]"] * 4 + ["thanks"]
    assert [(w.start_ms, w.end_ms) for w in out.words] == [(w.start_ms, w.end_ms) for w in u.words]
    assert out.pii == [PiiSpan("PIN", u.words[3].start_ms, u.words[6].end_ms)]
    assert u.text == text  # the input is not changed


def test_punctuation_and_case_differ_between_text_and_words() -> None:
    text = "Sure. It's five five five, zero one nine eight."
    words = ["sure", "it's", "five", "five", "five", "zero", "one", "nine", "eight"]
    u = utterance(text, words)
    out = redact_utterance(u, [finding(text, "five five five, zero one nine eight")], style=TAG)
    assert out.text == "Sure. It's [PHONE_NUMBER]."
    assert [w.word for w in out.words[:2]] == ["sure", "it's"]
    assert all(w.word == "[PHONE_NUMBER]" for w in out.words[2:])
    assert out.pii == [PiiSpan("PHONE_NUMBER", u.words[2].start_ms, u.words[-1].end_ms)]


def test_one_text_token_for_three_words() -> None:
    text = "call 206-555-0198 please"
    u = utterance(text, ["call", "206", "555", "0198", "please"])
    out = redact_utterance(u, [finding(text, "206-555-0198")], style=TAG)
    assert [w.word for w in out.words] == ["call"] + ["[PHONE_NUMBER]"] * 3 + ["please"]
    assert out.pii == [PiiSpan("PHONE_NUMBER", u.words[1].start_ms, u.words[3].end_ms)]


def test_three_text_tokens_for_one_word() -> None:
    text = "call 206 555 0198 please"
    u = utterance(text, ["call", "206-555-0198", "please"])
    out = redact_utterance(u, [finding(text, "206 555 0198")], style=TAG)
    assert [w.word for w in out.words] == ["call", "[PHONE_NUMBER]", "please"]
    assert out.pii == [PiiSpan("PHONE_NUMBER", u.words[1].start_ms, u.words[1].end_ms)]


def test_text_written_differently_from_the_words_maps_by_position() -> None:
    # smart formatting wrote digits where the ASR's words are spelled out
    text = "it's 4111 and that's all"
    words = ["it's", "four", "one", "one", "one", "and", "that's", "all"]
    u = utterance(text, words)
    out = redact_utterance(u, [finding(text, "4111", E.PIN)], style=TAG)
    assert [w.word for w in out.words] == ["it's"] + ["[PIN]"] * 4 + ["and", "that's", "all"]
    assert out.pii == [PiiSpan("PIN", u.words[1].start_ms, u.words[4].end_ms)]


def test_mask_style_masks_each_word_and_hash_tags_it() -> None:
    text = "my pin is 1234"
    u = utterance(text, text.split())
    f = [finding(text, "1234", E.PIN)]
    masked = redact_utterance(u, f, style=ReplacementStyle.MASK)
    assert masked.text == "my pin is ****"
    assert masked.words[3].word == "****"
    hashed = redact_utterance(u, f, style=ReplacementStyle.HASH, salt=b"k")
    assert hashed.words[3].word == hashed.text[len("my pin is ") :]
    assert hashed.words[3].word.startswith("[PIN:")


def test_unplaceable_finding_covers_the_whole_utterance() -> None:
    text = "my number is 555 0198"
    u = utterance(text, [])  # no words at all
    out = redact_utterance(u, [finding(text, "555 0198")], style=TAG)
    assert out.text == "my number is [PHONE_NUMBER]"
    assert out.pii == [PiiSpan("PHONE_NUMBER", u.start_ms, u.end_ms)]


def test_text_token_missing_from_the_words_fails_safe() -> None:
    text = "my number is five five five zero one nine eight"
    words = ["my", "number", "is"]  # the words lost the digits
    u = utterance(text, words)
    out = redact_utterance(u, [finding(text, "five five five zero one nine eight")], style=TAG)
    assert out.text == "my number is [PHONE_NUMBER]"
    assert out.pii == [PiiSpan("PHONE_NUMBER", u.start_ms, u.end_ms)]


def test_spans_of_one_type_that_touch_merge() -> None:
    text = "Kevin Mills here"
    words = [Word("Kevin", 0, 400), Word("Mills", 400, 800), Word("here", 900, 1200)]
    u = Utterance(speaker=Speaker.AGENT, text=text, start_ms=0, end_ms=1200, words=words)
    findings = [
        Finding(E.PERSON, 0, 5, 0.9),
        Finding(E.PERSON, 6, 11, 0.9),
    ]
    out = redact_utterance(u, findings, style=TAG)
    assert out.pii == [PiiSpan("PERSON", 0, 800)]
    assert out.text == "[PERSON] [PERSON] here"


def test_no_findings_returns_the_utterance_unchanged() -> None:
    u = utterance("hello there", ["hello", "there"])
    assert redact_utterance(u, [], style=TAG) == u


def test_align_reports_what_it_cannot_place() -> None:
    words = [Word("a", 0, 1), Word("b", 1, 2)]
    assert align("a , b", words) == [[0], [], [1]]
    assert align("a x b", words)[1] is None


_TEXT_WORDS = ["a", "b", "c,", "206-555", "0198", "x.", "-"]


@settings(max_examples=200, deadline=None)
@given(
    text_words=st.lists(st.sampled_from(_TEXT_WORDS), min_size=1),
    asr_words=st.lists(st.sampled_from(["a", "b", "c", "206", "555", "0198", "y"]), max_size=12),
    data=st.data(),
)
def test_any_text_and_words_give_spans_inside_the_utterance(
    text_words: list[str], asr_words: list[str], data: st.DataObject
) -> None:
    text = " ".join(text_words)
    u = utterance(text, asr_words)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    out = redact_utterance(u, [Finding(E.PIN, start, end, 0.9)], style=TAG)
    assert len(out.words) == len(u.words)
    assert [(w.start_ms, w.end_ms) for w in out.words] == [(w.start_ms, w.end_ms) for w in u.words]
    assert len(out.pii) == 1
    assert u.start_ms <= out.pii[0].start_ms <= out.pii[0].end_ms <= u.end_ms
    assert "[PIN]" in out.text
