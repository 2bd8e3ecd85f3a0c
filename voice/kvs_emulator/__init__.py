"""A local Kinesis Video Streams emulator for Amazon Connect call audio.

It speaks the real KVS wire protocol (boto3 / the AWS CLI work with `endpoint_url`),
serves GetMedia as a live chunked MKV stream built like Connect's, is fed from WAV files
or PCM, and can inject the faults consumers must survive (session limits, dropped
connections, corrupt fragments).

    with running_emulator() as kvs:
        await kvs.emulator.feed_call("my-stream", customer_wav="a.wav", agent_wav="b.wav")
        boto3.client("kinesisvideo", endpoint_url=kvs.endpoint_url, ...)

From a shell: ``python -m voice.kvs_emulator --port 4567``.
"""

from voice.kvs_emulator.app import create_app
from voice.kvs_emulator.emulator import (
    DEFAULT_INSTANCE_ID,
    CallStart,
    CorruptionKind,
    EmulatorConfig,
    FeedResult,
    KvsEmulator,
)
from voice.kvs_emulator.errors import KvsApiError
from voice.kvs_emulator.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    RunningEmulator,
    run,
    running_emulator,
)
from voice.kvs_emulator.store import StreamFaults

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_INSTANCE_ID",
    "DEFAULT_PORT",
    "CallStart",
    "CorruptionKind",
    "EmulatorConfig",
    "FeedResult",
    "KvsApiError",
    "KvsEmulator",
    "RunningEmulator",
    "StreamFaults",
    "create_app",
    "run",
    "running_emulator",
]
