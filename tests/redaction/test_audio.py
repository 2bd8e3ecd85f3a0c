"""Beeping PII spans out of the sample calls' real speech, and the checks that verify it."""

from __future__ import annotations

import io
import json
import wave
from pathlib import Path

import numpy as np
import pytest
import soxr

from redaction.audio import (
    SpanCheck,
    beep_spans,
    beeps_outside,
    check_beeped,
    read_stereo_wav,
    stereo_wav,
)

CALLS = Path(__file__).resolve().parents[2] / "examples" / "calls"
RATE = 8000
BEEP_HZ = 1000


def track(name: str, speaker: str) -> np.ndarray:
    with wave.open(str(CALLS / f"{name}.{speaker}.wav"), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)


def pii_spans(name: str, speaker: str) -> list[tuple[int, int]]:
    timeline = json.loads((CALLS / f"{name}.timeline.json").read_text())
    return [
        (turn["start_ms"], turn["end_ms"])
        for turn in timeline["turns"]
        if turn["speaker"] == speaker and turn.get("pii")
    ]


def inner(span: tuple[int, int], length_ms: int) -> tuple[int, int]:
    """A piece of a turn from its middle: real PII spans are a few words, not whole turns."""
    middle = (span[0] + span[1]) // 2
    return middle - length_ms // 2, middle + length_ms - length_ms // 2


def passed(checks: list[SpanCheck]) -> bool:
    return all(c.passed and c.beep_present and not c.residual_speech for c in checks)


@pytest.mark.parametrize("name", ["card_update", "address_change", "insurance_card_replacement"])
def test_beeped_pii_spans_pass_and_beep_nowhere_else(name: str) -> None:
    customer = track(name, "customer")
    spans = pii_spans(name, "customer")
    assert spans
    spans += [inner(spans[0], 700), inner(spans[-1], 240)]  # overlapping spans are merged
    beeped = beep_spans(customer, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ, padding_ms=40)

    checks = check_beeped(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ, padding_ms=40)
    assert [(c.start_ms, c.end_ms) for c in checks] == spans
    assert passed(checks), [c.reason for c in checks if c.reason]
    assert (
        beeps_outside(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ, padding_ms=40) == []
    )
    # The original call has no beep anywhere, and its PII turns are speech.
    assert beeps_outside(customer, sample_rate=RATE, spans=[], beep_hz=BEEP_HZ) == []
    original = check_beeped(customer, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ)
    assert all(c.residual_speech and not c.beep_present for c in original)


def test_speech_is_replaced_not_covered_and_the_rest_is_untouched() -> None:
    customer = track("card_update", "customer")
    span = inner(pii_spans("card_update", "customer")[1], 1500)
    beeped = beep_spans(customer, sample_rate=RATE, spans=[span], padding_ms=20)
    start, end = (span[0] - 20) * RATE // 1000, (span[1] + 20) * RATE // 1000
    assert beeped.dtype == np.int16 and len(beeped) == len(customer)
    assert np.array_equal(beeped[:start], customer[:start])
    assert np.array_equal(beeped[end:], customer[end:])
    assert not np.array_equal(beeped[start:end], customer[start:end])
    # Nothing of the speech is left: the beeped samples do not follow the original at all.
    correlation = np.corrcoef(beeped[start:end].astype(float), customer[start:end])[0, 1]
    assert abs(correlation) < 0.05
    # -12 dBFS peak by default, a 1 kHz tone
    assert abs(np.abs(beeped[start:end]).max() - 32767 * 10 ** (-12 / 20)) < 2
    assert customer is not beeped and not np.array_equal(customer, beeped)


def test_a_span_left_unbeeped_fails_with_residual_speech() -> None:
    customer = track("card_update", "customer")
    spans = pii_spans("card_update", "customer")
    left_out = spans[2]
    beeped = beep_spans(customer, sample_rate=RATE, spans=[s for s in spans if s != left_out])

    checks = check_beeped(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ)
    failed = [c for c in checks if not c.passed]
    assert [(c.start_ms, c.end_ms) for c in failed] == [left_out]
    assert failed[0].residual_speech and not failed[0].beep_present
    assert failed[0].reason and "original audio remains" in failed[0].reason


def test_a_beep_laid_over_speech_leaves_residual_speech() -> None:
    customer = track("card_update", "customer")
    span = pii_spans("card_update", "customer")[0]
    beep_only = beep_spans(np.zeros_like(customer), sample_rate=RATE, spans=[span])
    mixed = np.clip(customer.astype(np.int32) + beep_only, -32768, 32767).astype(np.int16)
    [check] = check_beeped(mixed, sample_rate=RATE, spans=[span], beep_hz=BEEP_HZ)
    assert check.residual_speech and not check.passed


def test_a_beep_outside_the_spans_is_found() -> None:
    agent = track("card_update", "agent")
    spans = [(10_600, 12_000)]
    stray = (20_000, 20_400)
    beeped = beep_spans(agent, sample_rate=RATE, spans=[*spans, stray])

    assert passed(check_beeped(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ))
    [(start, end)] = beeps_outside(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ)
    assert abs(start - stray[0]) <= 32 and abs(end - stray[1]) <= 32
    # Beeps shorter than min_ms are not reported; a beep at another pitch is not this beep.
    assert beeps_outside(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ, min_ms=500) == []
    assert beeps_outside(beeped, sample_rate=RATE, spans=[], beep_hz=1500) == []


def test_sixteen_khz_tracks() -> None:
    customer = track("address_change", "customer")
    wide = np.clip(np.round(soxr.resample(customer, RATE, 16000)), -32768, 32767).astype(np.int16)
    spans = [inner(s, 900) for s in pii_spans("address_change", "customer")]
    beeped = beep_spans(wide, sample_rate=16000, spans=spans[1:], beep_hz=1000)

    checks = check_beeped(beeped, sample_rate=16000, spans=spans, beep_hz=1000)
    assert not checks[0].passed and checks[0].residual_speech
    assert passed(checks[1:])
    assert beeps_outside(beeped, sample_rate=16000, spans=spans, beep_hz=1000) == []
    assert len(beeps_outside(beeped, sample_rate=16000, spans=spans[2:], beep_hz=1000)) == 1


def test_silence() -> None:
    silence = np.zeros(5 * RATE, dtype=np.int16)
    [check] = check_beeped(silence, sample_rate=RATE, spans=[(1000, 2000)], beep_hz=BEEP_HZ)
    assert not check.beep_present and not check.residual_speech
    assert check.reason and "no beep" in check.reason
    assert beeps_outside(silence, sample_rate=RATE, spans=[], beep_hz=BEEP_HZ) == []
    beeped = beep_spans(silence, sample_rate=RATE, spans=[(1000, 2000)])
    assert passed(check_beeped(beeped, sample_rate=RATE, spans=[(1000, 2000)], beep_hz=BEEP_HZ))


@pytest.mark.parametrize("length_ms", [2, 3, 10, 20, 31, 35, 49])
def test_very_short_spans(length_ms: int) -> None:
    customer = track("card_update", "customer")
    span = inner(pii_spans("card_update", "customer")[1], length_ms)
    beeped = beep_spans(customer, sample_rate=RATE, spans=[span])
    assert passed(check_beeped(beeped, sample_rate=RATE, spans=[span], beep_hz=BEEP_HZ))
    [unbeeped] = check_beeped(customer, sample_rate=RATE, spans=[span], beep_hz=BEEP_HZ)
    assert unbeeped.residual_speech and not unbeeped.passed


def test_spans_too_short_to_verify_fail_with_a_reason() -> None:
    customer = track("card_update", "customer")
    beeped = beep_spans(customer, sample_rate=RATE, spans=[(20_000, 20_001), (21_000, 21_000)])
    checks = check_beeped(
        beeped, sample_rate=RATE, spans=[(20_000, 20_001), (21_000, 21_000)], beep_hz=BEEP_HZ
    )
    assert all(c.reason and "too short" in c.reason for c in checks)
    # Padding makes them long enough, in the beep and in the check alike.
    padded = beep_spans(customer, sample_rate=RATE, spans=[(21_000, 21_000)], padding_ms=30)
    checks = check_beeped(
        padded, sample_rate=RATE, spans=[(21_000, 21_000)], beep_hz=BEEP_HZ, padding_ms=30
    )
    assert passed(checks)


def test_spans_past_the_end_of_the_track() -> None:
    agent = track("card_update", "agent")
    duration_ms = len(agent) * 1000 // RATE
    spans = [(duration_ms - 500, duration_ms + 2000), (duration_ms + 100, duration_ms + 900)]
    beeped = beep_spans(agent, sample_rate=RATE, spans=spans, padding_ms=50)
    assert len(beeped) == len(agent)
    checks = check_beeped(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ, padding_ms=50)
    assert [c.passed for c in checks] == [False, False]
    assert all(c.reason and "past the end of the track" in c.reason for c in checks)
    # A span ending at the track's end (its padding clipped) is fine.
    end = [(duration_ms - 400, duration_ms)]
    beeped = beep_spans(agent, sample_rate=RATE, spans=end, padding_ms=50)
    assert passed(check_beeped(beeped, sample_rate=RATE, spans=end, beep_hz=BEEP_HZ, padding_ms=50))
    assert beeps_outside(beeped, sample_rate=RATE, spans=end, beep_hz=BEEP_HZ, padding_ms=50) == []


def test_empty_tracks() -> None:
    empty = np.zeros(0, dtype=np.int16)
    assert len(beep_spans(empty, sample_rate=RATE, spans=[(0, 100)])) == 0
    [check] = check_beeped(empty, sample_rate=RATE, spans=[(0, 100)], beep_hz=BEEP_HZ)
    assert not check.passed and check.reason and "past the end" in check.reason
    assert check_beeped(empty, sample_rate=RATE, spans=[], beep_hz=BEEP_HZ) == []
    assert beeps_outside(empty, sample_rate=RATE, spans=[], beep_hz=BEEP_HZ) == []
    customer, agent, rate = read_stereo_wav(stereo_wav(empty, empty))
    assert (len(customer), len(agent), rate) == (0, 0, RATE)


def test_invalid_spans() -> None:
    customer = track("card_update", "customer")
    with pytest.raises(ValueError, match="ends before it starts"):
        beep_spans(customer, sample_rate=RATE, spans=[(2000, 1000)])
    checks = check_beeped(customer, sample_rate=RATE, spans=[(2000, 1000), (-5, 10)], beep_hz=1000)
    assert all(c.reason and "not a valid time range" in c.reason for c in checks)
    with pytest.raises(ValueError, match="beep_hz"):
        beep_spans(customer, sample_rate=RATE, spans=[], beep_hz=4000)
    with pytest.raises(ValueError, match="padding_ms"):
        check_beeped(customer, sample_rate=RATE, spans=[], beep_hz=1000, padding_ms=-5)
    with pytest.raises(ValueError, match="int16"):
        beep_spans(customer.astype(np.float32), sample_rate=RATE, spans=[])


def test_stereo_wav_round_trip() -> None:
    customer, agent = track("card_update", "customer"), track("card_update", "agent")
    spans = pii_spans("card_update", "customer")
    beeped = beep_spans(customer, sample_rate=RATE, spans=spans)
    data = stereo_wav(beeped, agent[:-800], sample_rate=RATE)

    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, RATE)
        assert wav.getnframes() == len(customer)
    left, right, rate = read_stereo_wav(data)
    assert rate == RATE
    assert np.array_equal(left, beeped)
    assert np.array_equal(right[:-800], agent[:-800]) and not right[-800:].any()
    assert passed(check_beeped(left, sample_rate=rate, spans=spans, beep_hz=BEEP_HZ))


def test_read_stereo_wav_rejects_other_formats() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"\0\0" * 10)
    with pytest.raises(ValueError, match="stereo"):
        read_stereo_wav(buffer.getvalue())
    with pytest.raises(ValueError, match="WAV"):
        read_stereo_wav(b"not a wav")


def test_short_spans_inside_a_longer_beep_and_its_fades() -> None:
    """A short span merged into a longer one is checked where its fades are, too."""
    customer = track("address_change", "customer")
    long_span = inner(pii_spans("address_change", "customer")[2], 2000)
    spans = [
        long_span,
        (long_span[0], long_span[0] + 3),
        (long_span[1] - 4, long_span[1]),
        (long_span[0] + 700, long_span[0] + 712),
    ]
    beeped = beep_spans(customer, sample_rate=RATE, spans=spans)
    assert passed(check_beeped(beeped, sample_rate=RATE, spans=spans, beep_hz=BEEP_HZ))
