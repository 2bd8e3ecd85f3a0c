"""Audio redaction: beep PII spans out of a call's tracks, write them as stereo WAV, and check
the result (every span beeped, no speech left under a beep, no beep anywhere else).

Pure functions on int16 mono numpy arrays and WAV bytes: no I/O, no Temporal.

Times are milliseconds from the track's first sample. A span (start_ms, end_ms) covers
samples floor(start_ms * rate / 1000) up to, not including, ceil(end_ms * rate / 1000), after
it is widened by the padding on both sides and clipped to the track; `beep_spans` and the
checks use the same rule, so a check looks at exactly the samples the beep replaced.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FULL_SCALE = 32768.0
# Fades at both ends of a beep so it does not click: raised-cosine, within the span (the
# span's original samples are all replaced, the fade only shapes the tone's own amplitude).
FADE_MS = 5.0
# Fades take at most this fraction of a short beep, so most of it still sounds at full level.
MAX_FADE_FRACTION = 0.125

# Spectral analysis: 32 ms frames (256 samples at 8 kHz), the usual window for speech, long
# enough to separate a beep from speech and short enough to find a beep 100 ms long.
FRAME_MS = 32.0
# 4-term Blackman-Harris window: its sidelobes are 92 dB down, so the beep's own energy does
# not leak out of its band and look like speech; its main lobe is 4 bins each side.
TONE_HALF_BAND_BINS = 4
# A beep is audible and a replacement for speech only at this level or louder (RMS, per frame).
# The default beep (-12 dBFS peak) is about -15 dBFS RMS, and sample calls' line hiss is about
# -80 dBFS, so the margin is wide both ways.
MIN_TONE_DBFS = -40.0
# Energy left once the beep's band is taken out counts as speech from this level (RMS, per
# frame). Voiced speech is -35 to -15 dBFS and even quiet consonants are above -50, while line
# hiss is about -80, and what a beep leaves itself (window leakage, fades, 16-bit rounding)
# stays under -65 even at 0 dBFS (measured on every turn of the sample calls, 8 and 16 kHz).
RESIDUAL_SPEECH_DBFS = -50.0
# Within a beeped span the beep's band carries at least this share of all the energy.
SPAN_TONE_FRACTION = 0.9
# A frame outside the spans is a beep when its band holds this share of the frame's energy: a
# pure tone holds nearly all of it; speech spreads over many harmonics and formants, and no
# frame of the sample calls' speech is taken for a 100 ms beep.
BEEP_TONE_FRACTION = 0.9
# Shorter spans are too short to tell a beep from speech: 1 ms of telephone speech (8 samples
# at 8 kHz) now and then fits a sine at the beep's pitch; 2 ms never did on the sample calls.
# Widen shorter spans with padding.
MIN_CHECK_MS = 2.0
# A span may end this much past the track: ASR word times and track lengths are both rounded
# to milliseconds (and ASR times to 10 ms steps). Further out, the audio is short of the span.
END_TOLERANCE_MS = 10.0


@dataclass(frozen=True)
class SpanCheck:
    """The verdict for one span: it passes when the beep is present and no speech is left."""

    start_ms: int
    end_ms: int
    beep_present: bool
    residual_speech: bool
    reason: str | None = None

    @property
    def passed(self) -> bool:
        return self.reason is None


# --- beeping ------------------------------------------------------------------------------


def beep_spans(
    samples: np.ndarray,
    *,
    sample_rate: int,
    spans: Sequence[tuple[int, int]],
    beep_hz: int = 1000,
    padding_ms: int = 0,
    level_dbfs: float = -12.0,
) -> np.ndarray:
    """A copy of the int16 mono track with every span replaced by a sine beep.

    Spans are widened by padding_ms on both sides, clipped to the track and merged where they
    overlap or touch; spans wholly outside the track change nothing. Raises ValueError on
    a span that ends before it starts or on arguments no beep can be made from.
    """
    track = _int16_track(samples)
    _check_tone(sample_rate, beep_hz, padding_ms)
    if level_dbfs > 0:
        raise ValueError(f"level_dbfs must be at most 0, got {level_dbfs}")
    for start_ms, end_ms in spans:
        if end_ms < start_ms:
            raise ValueError(f"span ({start_ms}, {end_ms}) ends before it starts")
    out = track.copy()
    amplitude = (FULL_SCALE - 1) * 10 ** (level_dbfs / 20)
    for start, end in merged_ranges(
        spans, sample_rate=sample_rate, padding_ms=padding_ms, length=len(track)
    ):
        out[start:end] = np.round(amplitude * _beep(start, end, sample_rate, beep_hz))
    return out


def merged_ranges(
    spans: Sequence[tuple[int, int]], *, sample_rate: int, padding_ms: int, length: int
) -> list[tuple[int, int]]:
    """Sample ranges [start, end) of the padded spans, clipped to the track, merged, sorted."""
    ranges = sorted(
        r
        for r in (
            _sample_range(s, e, sample_rate=sample_rate, padding_ms=padding_ms, length=length)
            for s, e in spans
            if e >= s
        )
        if r[1] > r[0]
    )
    return _runs(ranges)


def _sample_range(
    start_ms: float, end_ms: float, *, sample_rate: int, padding_ms: float, length: int
) -> tuple[int, int]:
    start = math.floor((start_ms - padding_ms) * sample_rate / 1000)
    end = math.ceil((end_ms + padding_ms) * sample_rate / 1000)
    return max(0, start), min(length, end)


def _beep(start: int, end: int, sample_rate: int, beep_hz: int) -> np.ndarray:
    """Unit-amplitude sine over samples [start, end), phase from the track's start, faded."""
    tone = np.sin(_phase(start, end, sample_rate, beep_hz))
    return tone * _envelope(end - start, sample_rate)


def _phase(start: int, end: int, sample_rate: int, beep_hz: int) -> np.ndarray:
    return 2 * np.pi * beep_hz * np.arange(start, end, dtype=np.float64) / sample_rate


def _envelope(length: int, sample_rate: int) -> np.ndarray:
    """The beep's amplitude over its length: raised-cosine fades in and out, 1 between."""
    envelope = np.ones(length)
    fade = min(int(FADE_MS * sample_rate / 1000), int(length * MAX_FADE_FRACTION))
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)
        envelope[:fade] *= ramp
        envelope[-fade:] *= ramp[::-1]
    return envelope


# --- stereo WAV ---------------------------------------------------------------------------


def stereo_wav(customer: np.ndarray, agent: np.ndarray, *, sample_rate: int = 8000) -> bytes:
    """16-bit PCM WAV, customer on the left channel and agent on the right; the shorter track
    is padded with silence at its end."""
    left, right = _int16_track(customer), _int16_track(agent)
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, got {sample_rate}")
    frames = np.zeros((max(len(left), len(right)), 2), dtype="<i2")
    frames[: len(left), 0] = left
    frames[: len(right), 1] = right
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(frames.tobytes())
    return buffer.getvalue()


def read_stereo_wav(data: bytes) -> tuple[np.ndarray, np.ndarray, int]:
    """(customer, agent, sample_rate) from a stereo 16-bit WAV; ValueError on anything else."""
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            channels, width = source.getnchannels(), source.getsampwidth()
            rate = source.getframerate()
            raw = source.readframes(source.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"not a readable WAV file: {error}") from error
    if channels != 2 or width != 2:
        raise ValueError(
            f"expected stereo 16-bit PCM, got {channels} channel(s) of {8 * width} bit"
        )
    frames = np.frombuffer(raw[: len(raw) - len(raw) % 4], dtype="<i2").reshape(-1, 2)
    return frames[:, 0].astype(np.int16), frames[:, 1].astype(np.int16), rate


# --- verification -------------------------------------------------------------------------


def check_beeped(
    samples: np.ndarray,
    *,
    sample_rate: int,
    spans: Sequence[tuple[int, int]],
    beep_hz: int,
    padding_ms: int = 0,
) -> list[SpanCheck]:
    """One check per span, in the order given: is the span (with its padding) all beep?

    The beep's tone is separated from everything else in the span's samples. The beep is
    present when the tone is audible throughout and carries nearly all the span's energy;
    speech is left when what remains has speech-level energy anywhere. Spans that cannot be
    checked (past the track's end, inverted, too short) fail with a reason, never raise.

    Spans of a frame (32 ms) or more are cut into frames and each frame's spectrum is split
    into the beep's band and the rest. Shorter spans have too few samples for a band narrow
    enough to leave speech out of it: there the beep itself, as `beep_spans` makes it from
    the same spans and padding (fades included), is fitted by least squares and taken out.
    """
    _check_tone(sample_rate, beep_hz, padding_ms)
    track = _float_track(samples)
    duration_ms = len(track) * 1000 / sample_rate
    regions = merged_ranges(
        spans, sample_rate=sample_rate, padding_ms=padding_ms, length=len(track)
    )
    checks = []
    for start_ms, end_ms in spans:
        problem = _uncheckable(start_ms, end_ms, duration_ms)
        start, end = _sample_range(
            start_ms, end_ms, sample_rate=sample_rate, padding_ms=padding_ms, length=len(track)
        )
        if problem is None and (end - start) * 1000 < MIN_CHECK_MS * sample_rate:
            problem = (
                f"span is {max(end - start, 0) * 1000 / sample_rate:.1f} ms long, too short to "
                f"verify (at least {MIN_CHECK_MS:g} ms; widen it with padding)"
            )
        if problem is not None:
            checks.append(SpanCheck(start_ms, end_ms, False, False, problem))
            continue
        if end - start >= _frame_length(sample_rate):
            tone, rest = _framed_powers(track[start:end], sample_rate, beep_hz)
        else:
            tone, rest = _fitted_powers(track, start, end, regions, sample_rate, beep_hz)
        checks.append(_verdict(tone, rest, start_ms, end_ms, beep_hz))
    return checks


def _uncheckable(start_ms: float, end_ms: float, duration_ms: float) -> str | None:
    if start_ms < 0 or end_ms < start_ms:
        return f"span ({start_ms}, {end_ms}) is not a valid time range"
    if end_ms > duration_ms + END_TOLERANCE_MS:
        return (
            f"span ends at {end_ms} ms, past the end of the track ({duration_ms:.0f} ms): "
            "the audio is shorter than the call's transcript says"
        )
    return None


def _framed_powers(
    segment: np.ndarray, sample_rate: int, beep_hz: int
) -> tuple[np.ndarray, np.ndarray]:
    frame = _frame_length(sample_rate)
    frames = np.lib.stride_tricks.sliding_window_view(segment, frame)
    return _band_powers(frames[_frame_starts(len(segment), frame)], sample_rate, beep_hz)


def _fitted_powers(
    track: np.ndarray,
    start: int,
    end: int,
    regions: list[tuple[int, int]],
    sample_rate: int,
    beep_hz: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Mean-square power of the best-fitting beep (any amplitude and phase) and of the rest.

    The beep's power is its level at full amplitude: a span inside a fade is quiet by design.
    """
    region = next(((s, e) for s, e in regions if s <= start and end <= e), (start, end))
    envelope = _envelope(region[1] - region[0], sample_rate)[start - region[0] : end - region[0]]
    phase = _phase(start, end, sample_rate, beep_hz)
    basis = np.column_stack([envelope * np.sin(phase), envelope * np.cos(phase)])
    segment = track[start:end]
    coefficients = np.linalg.lstsq(basis, segment, rcond=None)[0]
    residual = segment - basis @ coefficients
    return np.array([np.sum(coefficients**2) / 2]), np.array([np.mean(residual**2)])


def _verdict(
    tone: np.ndarray, rest: np.ndarray, start_ms: int, end_ms: int, beep_hz: int
) -> SpanCheck:
    tone_db, rest_db = _dbfs(tone), _dbfs(rest)
    total = float(tone.sum() + rest.sum())
    tone_fraction = float(tone.sum()) / total if total > 0 else 0.0
    quiet = int(np.sum(tone_db < MIN_TONE_DBFS))
    beep_present = quiet == 0 and tone_fraction >= SPAN_TONE_FRACTION
    residual_speech = bool(np.any(rest_db >= RESIDUAL_SPEECH_DBFS))
    reasons = []
    if not beep_present:
        if quiet:
            reasons.append(
                f"no beep at {beep_hz} Hz in {quiet} of {len(tone)} frame(s) "
                f"(tone below {MIN_TONE_DBFS:g} dBFS)"
            )
        else:
            reasons.append(f"the beep carries only {tone_fraction:.0%} of the span's energy")
    if residual_speech:
        reasons.append(
            f"energy outside the beep up to {float(rest_db.max()):.1f} dBFS "
            f"(speech from {RESIDUAL_SPEECH_DBFS:g} dBFS): original audio remains"
        )
    return SpanCheck(
        start_ms, end_ms, beep_present, residual_speech, "; ".join(reasons) if reasons else None
    )


def beeps_outside(
    samples: np.ndarray,
    *,
    sample_rate: int,
    spans: Sequence[tuple[int, int]],
    beep_hz: int,
    padding_ms: int = 0,
    min_ms: int = 100,
) -> list[tuple[int, int]]:
    """Stretches (start_ms, end_ms) of beep tone at least min_ms long outside the padded spans.

    A beep found where no span is means redaction beeped audio it should have kept, or the
    spans handed to verification are not those that were beeped.
    """
    _check_tone(sample_rate, beep_hz, padding_ms)
    track = _float_track(samples)
    frame = _frame_length(sample_rate)
    if len(track) < frame:
        return []
    starts = _frame_starts(len(track), frame)
    frames = np.lib.stride_tricks.sliding_window_view(track, frame)[starts]
    tone, rest = _band_powers(frames, sample_rate, beep_hz)
    total = tone + rest
    fraction = np.divide(tone, total, out=np.zeros_like(tone), where=total > 0)
    is_beep = (_dbfs(tone) >= MIN_TONE_DBFS) & (fraction >= BEEP_TONE_FRACTION)
    runs = _runs([(int(s), int(s) + frame) for s, b in zip(starts, is_beep, strict=True) if b])
    allowed = merged_ranges(
        spans, sample_rate=sample_rate, padding_ms=padding_ms, length=len(track)
    )
    found = []
    min_samples = min_ms * sample_rate / 1000
    for start, end in runs:
        for piece_start, piece_end in _subtract((start, end), allowed):
            if piece_end - piece_start >= min_samples:
                found.append(
                    (
                        math.floor(piece_start * 1000 / sample_rate),
                        math.ceil(piece_end * 1000 / sample_rate),
                    )
                )
    return found


def _runs(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges, sorted by start, joined into runs."""
    runs: list[tuple[int, int]] = []
    for start, end in ranges:
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def _subtract(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, (start, end) = [], span
    for hole_start, hole_end in holes:
        if hole_end <= start or hole_start >= end:
            continue
        if hole_start > start:
            pieces.append((start, hole_start))
        start = max(start, hole_end)
    if start < end:
        pieces.append((start, end))
    return pieces


# --- spectral helpers ---------------------------------------------------------------------


def _frame_length(sample_rate: int) -> int:
    return max(1, round(FRAME_MS * sample_rate / 1000))


def _frame_starts(length: int, frame: int) -> np.ndarray:
    """Half-overlapping frames over [0, length), the last one ending exactly at length."""
    starts = np.arange(0, length - frame + 1, frame // 2)
    if starts[-1] != length - frame:
        starts = np.append(starts, length - frame)
    return starts


def _blackman_harris(n: int) -> np.ndarray:
    if n == 1:
        return np.ones(1)
    x = 2 * np.pi * np.arange(n) / (n - 1)
    return 0.35875 - 0.48829 * np.cos(x) + 0.14128 * np.cos(2 * x) - 0.01168 * np.cos(3 * x)


def _band_powers(
    frames: np.ndarray, sample_rate: int, beep_hz: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: mean-square power (int16 full scale = 1) in the beep's band and outside it."""
    n = frames.shape[1]
    window = _blackman_harris(n)
    spectrum = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    # Parseval on a one-sided spectrum: every bin but DC (and Nyquist, for even n) counts twice.
    weights = np.full(spectrum.shape[1], 2.0)
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    spectrum *= weights / (n * float(np.sum(window**2)))
    freqs = np.fft.rfftfreq(n, 1 / sample_rate)
    in_band = np.abs(freqs - beep_hz) <= TONE_HALF_BAND_BINS * sample_rate / n
    return spectrum[:, in_band].sum(axis=1), spectrum[:, ~in_band].sum(axis=1)


def _dbfs(power: np.ndarray) -> np.ndarray:
    return 10 * np.log10(np.maximum(power, 1e-20))


def _check_tone(sample_rate: int, beep_hz: int, padding_ms: float) -> None:
    if padding_ms < 0:
        raise ValueError(f"padding_ms must not be negative, got {padding_ms}")
    if sample_rate <= 0:
        raise ValueError(f"sample_rate must be positive, got {sample_rate}")
    if not 0 < beep_hz < sample_rate / 2:
        raise ValueError(f"beep_hz must be between 0 and {sample_rate // 2} Hz, got {beep_hz}")


def _int16_track(samples: np.ndarray) -> np.ndarray:
    track = np.asarray(samples)
    if track.dtype != np.int16 or track.ndim != 1:
        raise ValueError(f"expected a mono int16 track, got {track.dtype} of shape {track.shape}")
    return track


def _float_track(samples: np.ndarray) -> np.ndarray:
    track = np.asarray(samples)
    if track.ndim != 1:
        raise ValueError(f"expected a mono track, got shape {track.shape}")
    return track.astype(np.float64) / FULL_SCALE
