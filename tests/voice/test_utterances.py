"""Utterance assembly from streaming ASR results."""

from __future__ import annotations

from callguide.model import Speaker, Utterance
from voice.asr.base import AsrResult, AsrUtteranceEnd, AsrWord
from voice.utterances import InterimText, UtteranceAssembler


def result(channel: int, words: list[tuple[str, float, float]], *, final: bool, end: bool = False):
    return AsrResult(
        channel=channel,
        is_final=final,
        speech_final=end,
        text=" ".join(w for w, _, _ in words),
        words=[AsrWord(w, s, e, 0.9) for w, s, e in words],
        confidence=0.9,
    )


def test_finals_join_into_one_utterance_at_the_endpoint() -> None:
    assembler = UtteranceAssembler(stream_offset_ms=10_000)
    interim = assembler.on_event(result(0, [("I", 0.5, 0.6)], final=False))
    assert interim == [InterimText(Speaker.CUSTOMER, "I", 10_500)]
    assert assembler.on_event(result(0, [("I", 0.5, 0.6), ("want", 0.7, 0.9)], final=True)) == []
    interim = assembler.on_event(result(0, [("to", 1.0, 1.1)], final=False))
    assert interim == [InterimText(Speaker.CUSTOMER, "I want to", 10_500)]
    [utterance] = assembler.on_event(result(0, [("cancel.", 1.2, 1.6)], final=True, end=True))
    assert isinstance(utterance, Utterance)
    assert utterance.text == "I want cancel."
    assert (utterance.speaker, utterance.start_ms, utterance.end_ms) == (
        Speaker.CUSTOMER,
        10_500,
        11_600,
    )
    assert [w.start_ms for w in utterance.words] == [10_500, 10_700, 11_200]
    assert assembler.delivered_ms == {"customer": 11_600}


def test_utterance_end_closes_the_turn_and_channels_stay_apart() -> None:
    assembler = UtteranceAssembler(stream_offset_ms=0)
    assembler.on_event(result(1, [("Hello", 0.1, 0.4)], final=True))
    assembler.on_event(result(0, [("Hi", 0.2, 0.3)], final=True))
    [agent] = assembler.on_event(AsrUtteranceEnd(channel=1, last_word_end_s=0.4))
    assert isinstance(agent, Utterance) and agent.speaker is Speaker.AGENT and agent.text == "Hello"
    [customer] = assembler.flush()
    assert customer.speaker is Speaker.CUSTOMER and customer.text == "Hi"
    assert assembler.flush() == []


def test_resumed_stream_drops_words_already_delivered() -> None:
    assembler = UtteranceAssembler(stream_offset_ms=5_000, delivered_ms={"customer": 6_000})
    words = [("tail", 0.5, 0.9), ("straddling", 0.8, 1.1), ("new", 1.2, 1.5)]
    [utterance] = assembler.on_event(result(0, words, final=True, end=True))
    assert isinstance(utterance, Utterance)
    assert utterance.text == "new" and utterance.start_ms == 6_200
    assert assembler.on_event(result(0, [("old", 0.1, 0.6)], final=True, end=True)) == []
