"""Pieces of the local engine that the end-to-end tests rely on but cannot pin down."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.voice.asr.test_streaming import LINES, RATE, synthesize_dialogue
from voice.asr.base import AsrWord
from voice.asr.local_engine import ends_sentence, joined_numbers, new_words
from voice.asr.segmenter import ChannelSegmenter, DecodeAudio, EndpointConfig, SpeechStart
from voice.asr.whisper_decoder import _speech_tokens, _without_loop, to_whisper_rate


@dataclass(frozen=True)
class _Tokens:
    """The two token ids _speech_tokens needs from a whisper tokenizer."""

    eot: int = 1000
    timestamp_begin: int = 2000

    def decode(self, tokens: list[int]) -> str:
        """Token 7 is the text " 1" (a digit); every other token is a letter."""
        return "".join(" 1" if t == 7 else " a" for t in tokens)


def _ts(seconds: float) -> int:
    return _Tokens.timestamp_begin + round(seconds / 0.02)


def test_decoding_loops_are_cut_to_the_first_copy() -> None:
    assert _without_loop([1, 2, 3, 9, 9, 9, 9, 9, 9]) == [1, 2, 3, 9]
    phrase = [5, 6, 7, 8, 9]
    assert _without_loop([1, *phrase, *phrase, 4]) == [1, *phrase]
    # Short repeats that people really say are kept.
    assert _without_loop([1, 2, 1, 2, 1, 2, 3]) == [1, 2, 1, 2, 1, 2, 3]


def test_read_out_digits_are_not_mistaken_for_a_loop() -> None:
    one = 7  # " 1" in _Tokens
    card = [1, 2, *[one] * 16, 3]  # "... one one one one, one one one one, ..." 16 digits
    ids = [_ts(0.0), *card, _ts(5.0), _Tokens.eot]
    assert _speech_tokens(ids, _Tokens(), duration_s=6.0) == card
    # Past the longest card number it is a loop again.
    looping = [1, *[one] * 40]
    assert _speech_tokens([_ts(0.0), *looping, _ts(5.0)], _Tokens(), duration_s=6.0) == [1, one]


def test_a_turn_is_emitted_from_its_new_region_only() -> None:
    decoded = [
        AsrWord("It's", 0.0, 0.4, 0.9),  # context: said before the region, already reported
        AsrWord("4111,", 0.5, 1.4, 0.9),
        AsrWord("5425", 1.3, 2.6, 0.9),  # stretched back into the pause before the region
        AsrWord("2334.", 2.7, 3.5, 0.9),
    ]
    words = new_words(decoded, offset=10.0, region_start=11.6)
    assert [(w.word, w.start_s) for w in words] == [("5425", 11.6), ("2334.", 12.7)]


def test_a_first_word_timed_into_the_pre_roll_is_new_when_nothing_reported_it() -> None:
    # "Sure." ended at 10.9 s; the next utterance's audio starts with 190 ms of pre-roll at
    # 11.14 s and its region at 11.33 s. Whisper times "What" from the audio's start.
    decoded = [AsrWord("What", 0.0, 0.30, 0.9), AsrWord("is", 0.34, 0.54, 0.9)]
    words = new_words(decoded, offset=11.14, region_start=11.33, reported_until=10.9)
    assert [(w.word, w.start_s) for w in words] == [("What", 11.33), ("is", 11.48)]
    # Had an earlier result reported speech up to 11.2 s, "What" would be its echo.
    echo = new_words(decoded, offset=11.14, region_start=11.33, reported_until=11.2)
    assert [w.word for w in echo] == ["is"]
    # A word that ends before the region is never new.
    tail = [AsrWord("s", 0.0, 0.18, 0.5), AsrWord("What", 0.2, 0.5, 0.9)]
    assert [w.word for w in new_words(tail, offset=11.14, region_start=11.33)] == ["What"]


def test_a_number_read_with_pauses_is_one_word() -> None:
    words = [AsrWord("It's", 0.0, 0.3, 0.9), AsrWord("415", 0.4, 1.2, 0.8)]
    words += [AsrWord("-555", 1.4, 2.2, 0.7), AsrWord("-0163.", 2.4, 3.5, 0.9)]
    assert [(w.word, w.start_s, w.end_s, w.confidence) for w in joined_numbers(words)] == [
        ("It's", 0.0, 0.3, 0.9),
        ("415-555-0163.", 0.4, 3.5, 0.7),
    ]
    # Digits read one by one or in groups lose the punctuation between them.
    read = [AsrWord(t, i, i + 0.5, 0.9) for i, t in enumerate(["is", "5425.", "2334,", "7."])]
    read += [AsrWord("Thanks.", 5.0, 5.5, 0.9)]
    assert [w.word for w in joined_numbers(read)] == ["is", "5425", "2334", "7.", "Thanks."]
    # Digits Whisper wrote with dots ("0.9.27.") are digits read out; one dot is a decimal.
    dotted = [AsrWord(t, i, i + 0.4, 0.9) for i, t in enumerate(["It's", "0", ".9", ".27."])]
    assert [w.word for w in joined_numbers(dotted)] == ["It's", "0", "9", "27."]
    price = [AsrWord(t, i, i + 0.4, 0.9) for i, t in enumerate(["$4", ".99", "a", "month."])]
    assert [w.word for w in joined_numbers(price)] == ["$4.99", "a", "month."]
    # A number whose first group an earlier result carried keeps its digits only.
    assert [w.word for w in joined_numbers(words[2:])] == ["555-0163."]


def test_a_final_waits_for_the_end_of_its_sentence() -> None:
    assert ends_sentence("account?") and ends_sentence("that.") and ends_sentence('"Done!"')
    assert not ends_sentence("4111,") and not ends_sentence("Okay") and not ends_sentence("-")
    assert not ends_sentence("5425.")  # a group of a number read out; more may follow


def test_text_after_the_end_of_the_audio_is_dropped() -> None:
    ids = [_ts(0.0), 1, 2, _ts(1.5), _ts(1.5), 3, 4, _ts(2.9), _ts(3.0), 5, 6, _Tokens.eot]
    assert _speech_tokens(ids, _Tokens(), duration_s=3.0) == [1, 2, 3, 4]


def test_a_repeated_segment_ends_the_text() -> None:
    ids = [_ts(0.0), 1, 2, _ts(1.0), _ts(1.0), 1, 2, _ts(2.0), _ts(2.0), 3, _ts(2.5)]
    assert _speech_tokens(ids, _Tokens(), duration_s=6.0) == [1, 2]


def test_upsampling_keeps_the_band_and_removes_images() -> None:
    t = np.arange(RATE) / RATE
    tone = (8000 * np.sin(2 * np.pi * 1000 * t)).astype(np.int16)
    wide = to_whisper_rate(tone, RATE)
    assert wide.size == 2 * tone.size and wide.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(wide[1000:-1000] * np.hanning(wide.size - 2000)))
    freqs = np.fft.rfftfreq(wide.size - 2000, 1 / 16000)
    peak = spectrum[np.argmin(np.abs(freqs - 1000))]
    image = spectrum[np.argmin(np.abs(freqs - 7000))]
    assert freqs[np.argmax(spectrum)] == pytest.approx(1000, abs=2)
    assert 20 * np.log10(peak / image) > 40  # the 7 kHz image is filtered out
    assert np.max(np.abs(wide)) == pytest.approx(8000 / 32768, rel=0.05)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng and sox")
def test_segmentation_does_not_depend_on_chunking(tmp_path: Path) -> None:
    """Reconnect replay relies on this: same samples, same utterances, any chunk size."""
    speech = np.frombuffer(synthesize_dialogue(tmp_path, LINES[:1]).pcm, "<i2")[::2].copy()

    def segment(chunk: int) -> list[tuple[str, int, int]]:
        segmenter = ChannelSegmenter(channel=0, sample_rate=RATE, config=EndpointConfig())
        actions = []
        for begin in range(0, speech.size, chunk):
            actions += segmenter.accept(speech[begin : begin + chunk])
        actions += segmenter.flush(from_finalize=False, closing=True)
        return [_describe(a) for a in actions]

    reference = segment(160)
    assert reference == segment(1234) == segment(speech.size)
    finals = [a for a in reference if a[0] == "final"]
    assert len(finals) >= 2  # the turn's two sentences are cut at the pause
    assert any(a[0] == "interim" for a in reference)
    assert reference[0][0] == "speech"


def _describe(action: object) -> tuple[str, int, int]:
    if isinstance(action, SpeechStart):
        return ("speech", action.sample, action.sample)
    if isinstance(action, DecodeAudio):
        kind = "final" if action.final else "interim"
        return (kind if action.audio.size else "silence", action.region_start, action.region_end)
    return ("turn-end", 0, 0)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng and sox")
def test_long_turns_are_cut_into_bounded_contiguous_finals(tmp_path: Path) -> None:
    speech = np.frombuffer(synthesize_dialogue(tmp_path, LINES[:1]).pcm, "<i2")[::2].copy()
    config = EndpointConfig(endpointing_ms=None, max_utterance_s=3.0, interim_every_s=None)
    segmenter = ChannelSegmenter(channel=0, sample_rate=RATE, config=config)
    actions = segmenter.accept(speech) + segmenter.flush(from_finalize=False, closing=True)
    finals = [a for a in actions if isinstance(a, DecodeAudio)]
    assert len(finals) >= 3
    assert all(a.region_end - a.region_start <= 3.0 * RATE for a in finals)
    # Each piece after the first is decoded with the turn's earlier audio as context.
    assert all(a.audio.size == a.region_end - a.audio_start for a in finals)
    assert all(a.audio_start < a.region_start for a in finals[1:])
    assert all(a.region_start - a.audio_start <= config.context_s * RATE for a in finals)
    assert not any(a.speech_final for a in finals)  # cut by length, not by a pause
    assert [a.region_start for a in finals[1:]] == [a.region_end for a in finals[:-1]]
    assert finals[0].region_start == 0 and finals[-1].region_end == speech.size
