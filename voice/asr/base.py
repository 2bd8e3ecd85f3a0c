"""The streaming ASR interface shared by every engine (Deepgram, local whisper, replay).

Times are seconds from the start of the audio sent on one stream, and they stay on
that clock across reconnects, so callers can use them as stable audio positions.
Nothing here knows about Temporal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

CUSTOMER_CHANNEL = 0
AGENT_CHANNEL = 1


@dataclass(frozen=True, slots=True)
class AsrWord:
    """One recognised word; `word` is the display form (with casing and punctuation)."""

    word: str
    start_s: float
    end_s: float
    confidence: float


@dataclass(frozen=True, slots=True)
class AsrResult:
    """A transcript of one channel over [start_s, end_s].

    Interim results (is_final=False) may be revised; a final result is never repeated.
    speech_final is set when the engine saw the speaker stop (endpointing).
    """

    channel: int
    is_final: bool
    speech_final: bool
    text: str
    words: list[AsrWord] = field(default_factory=list)
    start_s: float = 0.0
    end_s: float = 0.0
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class AsrUtteranceEnd:
    """The channel has been silent long enough after its last word to end the turn."""

    channel: int
    last_word_end_s: float


@dataclass(frozen=True, slots=True)
class AsrSpeechStarted:
    """Voice activity began on a channel (only engines asked for VAD events emit it)."""

    channel: int
    timestamp_s: float


AsrEvent = AsrResult | AsrUtteranceEnd


class AsrError(Exception):
    """Any failure of an ASR stream."""


class AsrAuthError(AsrError):
    """The ASR service rejected the credentials."""


class AsrConnectionError(AsrError):
    """The ASR service could not be reached, or the connection failed for good."""


@runtime_checkable
class AsrStream(Protocol):
    """One live transcription session over interleaved s16le audio.

    Channel 0 is the customer, channel 1 the agent.
    """

    async def send_audio(self, pcm: bytes) -> None: ...

    async def finalize(self) -> None:
        """Ask the engine to flush pending speech as final results."""
        ...

    def events(self) -> AsyncIterator[AsrResult | AsrUtteranceEnd]:
        """Results in order; ends once the stream is closed and everything is flushed."""
        ...


@runtime_checkable
class StreamingAsr(Protocol):
    """A factory of live transcription sessions."""

    def stream(
        self, *, sample_rate: int = 8000, channels: int = 2
    ) -> AbstractAsyncContextManager[AsrStream]: ...
