"""Streaming speech recognition for live calls.

`base` holds the engine-neutral interface; `deepgram.DeepgramAsr` is the production
engine (and, pointed at `server`, the local one too); `local_engine.LocalAsr` runs
faster-whisper in-process; `replay.ReplayAsr` plays back recorded results. Engines are
imported from their modules so that importing the interface stays cheap.
"""

from voice.asr.base import (
    AGENT_CHANNEL,
    CUSTOMER_CHANNEL,
    AsrAuthError,
    AsrConnectionError,
    AsrError,
    AsrEvent,
    AsrResult,
    AsrSpeechStarted,
    AsrStream,
    AsrUtteranceEnd,
    AsrWord,
    StreamingAsr,
)

__all__ = [
    "AGENT_CHANNEL",
    "CUSTOMER_CHANNEL",
    "AsrAuthError",
    "AsrConnectionError",
    "AsrError",
    "AsrEvent",
    "AsrResult",
    "AsrSpeechStarted",
    "AsrStream",
    "AsrUtteranceEnd",
    "AsrWord",
    "StreamingAsr",
]
