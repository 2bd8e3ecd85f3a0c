"""Turn WAV files or raw PCM into the 8 kHz mono s16le tracks Connect streams."""

from __future__ import annotations

import wave
from os import PathLike

import numpy as np

from voice.mkv_writer import SAMPLE_RATE_HZ

_BYTES_PER_SAMPLE = 2
_LOWPASS_TAPS = 101


def read_wav_as_pcm(path: str | PathLike[str]) -> bytes:
    """Read a PCM WAV file as 8 kHz mono s16le, mixing down and resampling as needed."""
    with wave.open(str(path), "rb") as wav:
        channels = wav.getnchannels()
        sample_width = wav.getsampwidth()
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    samples = _to_float(frames, sample_width).reshape(-1, channels).mean(axis=1)
    return _to_s16le(_resample(samples, rate, SAMPLE_RATE_HZ))


def _to_float(frames: bytes, sample_width: int) -> np.ndarray:
    """Samples scaled to [-1, 1)."""
    if sample_width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if sample_width == 2:
        return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    if sample_width == 3:
        raw = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype(np.float64) / float(1 << 23)
    if sample_width == 4:
        return np.frombuffer(frames, dtype="<i4").astype(np.float64) / float(1 << 31)
    raise ValueError(f"unsupported WAV sample width: {sample_width} bytes")


def _lowpass(samples: np.ndarray, cutoff_ratio: float) -> np.ndarray:
    """Windowed-sinc low-pass; `cutoff_ratio` is the cutoff over the sample rate."""
    n = np.arange(_LOWPASS_TAPS) - (_LOWPASS_TAPS - 1) / 2
    taps = 2 * cutoff_ratio * np.sinc(2 * cutoff_ratio * n) * np.hamming(_LOWPASS_TAPS)
    taps /= taps.sum()
    return np.convolve(samples, taps, mode="same")


def _resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    if source_rate == target_rate or samples.size == 0:
        return samples
    if source_rate > target_rate:
        # Filter first so content above the new Nyquist frequency does not alias.
        samples = _lowpass(samples, 0.45 * target_rate / source_rate)
    duration = samples.size / source_rate
    target_count = round(duration * target_rate)
    source_times = np.arange(samples.size) / source_rate
    target_times = np.arange(target_count) / target_rate
    resampled: np.ndarray = np.interp(target_times, source_times, samples)
    return resampled


def _to_s16le(samples: np.ndarray) -> bytes:
    scaled = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    return scaled.tobytes()


def pad_tracks(customer_pcm: bytes, agent_pcm: bytes) -> tuple[bytes, bytes]:
    """Pad the shorter track with silence so both tracks tick together."""
    for name, pcm in (("customer", customer_pcm), ("agent", agent_pcm)):
        if len(pcm) % _BYTES_PER_SAMPLE:
            raise ValueError(f"{name} PCM must be whole 16-bit samples")
    length = max(len(customer_pcm), len(agent_pcm))
    return customer_pcm.ljust(length, b"\x00"), agent_pcm.ljust(length, b"\x00")


def split_fragments(pcm: bytes, *, fragment_ms: int) -> list[bytes]:
    """Cut a track into fragment-sized pieces; the last one may be shorter."""
    fragment_bytes = SAMPLE_RATE_HZ * fragment_ms // 1000 * _BYTES_PER_SAMPLE
    if fragment_bytes <= 0:
        raise ValueError("fragment_ms is too small")
    return [pcm[offset : offset + fragment_bytes] for offset in range(0, len(pcm), fragment_bytes)]
