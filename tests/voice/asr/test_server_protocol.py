"""The local ASR server speaks Deepgram's live protocol: the SDK's own message types
parse what it sends, and it rejects and times out connections the way Deepgram does."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from deepgram import AsyncDeepgramClient
from deepgram.listen.v1.types import (
    ListenV1Metadata,
    ListenV1Results,
    ListenV1SpeechStarted,
    ListenV1UtteranceEnd,
)
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.voice.asr.test_streaming import LINES, RATE, Dialogue, synthesize_dialogue
from voice.asr.deepgram import _environment
from voice.asr.local_engine import WhisperEngine
from voice.asr.server import RunningServer, running_server

API_KEY = "protocol-key"
QUERY = (
    "model=nova-3&encoding=linear16&sample_rate=8000&channels=2&multichannel=true"
    "&interim_results=true&endpointing=300&utterance_end_ms=1000&vad_events=true"
    "&smart_format=true"
)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server(engine=WhisperEngine.shared(), api_key=API_KEY, idle_timeout_s=1.0) as s:
        yield s


@pytest.fixture(scope="module")
def first_turn(tmp_path_factory: pytest.TempPathFactory) -> Dialogue:
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("test speech needs espeak-ng and sox (`make system-deps` installs them)")
    return synthesize_dialogue(tmp_path_factory.mktemp("turn"), LINES[:1])


async def _sdk_session(server: RunningServer, pcm: bytes) -> list[Any]:
    """Send audio, Finalize and CloseStream with the SDK; return every parsed message."""
    client = AsyncDeepgramClient(api_key=API_KEY, environment=_environment(server.url))
    received: list[Any] = []
    async with client.listen.v1.connect(
        model="nova-3",
        encoding="linear16",
        sample_rate=RATE,
        channels=2,
        multichannel="true",
        interim_results="true",
        endpointing=300,
        utterance_end_ms=1000,
        vad_events="true",
        smart_format="true",
    ) as conn:

        async def receive() -> None:
            async for message in conn:
                received.append(message)

        receiver = asyncio.create_task(receive())
        chunk = RATE * 4 // 10
        for begin in range(0, len(pcm), chunk):
            await conn.send_media(pcm[begin : begin + chunk])
            await asyncio.sleep(0.01)
        await conn.send_keep_alive()
        await conn.send_finalize()
        await conn.send_close_stream()
        await asyncio.wait_for(receiver, 30)
    return received


async def test_sdk_parses_every_message_the_server_sends(
    server: RunningServer, first_turn: Dialogue
) -> None:
    # Cut the audio in mid-sentence so the Finalize has speech to flush.
    pcm = first_turn.pcm[: int(5.2 * RATE) * 4]
    messages = await _sdk_session(server, pcm)

    kinds = {type(m) for m in messages}
    assert {ListenV1Results, ListenV1SpeechStarted, ListenV1Metadata} <= kinds
    assert isinstance(messages[-1], ListenV1Metadata)
    assert messages[-1].channels == 2
    assert messages[-1].duration == pytest.approx(len(pcm) / (4 * RATE))

    results = [m for m in messages if isinstance(m, ListenV1Results)]
    customer = [r for r in results if r.channel_index == [0, 2]]
    assert any(not r.is_final for r in customer), "interim results"
    finals = [r for r in customer if r.is_final and r.channel.alternatives[0].words]
    assert finals and finals[0].speech_final
    assert any(r.from_finalize for r in results)
    word = finals[0].channel.alternatives[0].words[0]
    assert word.word == word.word.lower() and word.punctuated_word
    assert 0.0 <= word.start <= word.end
    assert all(r.metadata.model_info.name for r in results)
    speech = next(m for m in messages if isinstance(m, ListenV1SpeechStarted))
    assert speech.channel == [0, 2] and speech.timestamp > 0.5


async def test_utterance_end_is_sent_after_a_pause(
    server: RunningServer, first_turn: Dialogue
) -> None:
    messages = await _sdk_session(server, first_turn.pcm)
    turn_ends = [m for m in messages if isinstance(m, ListenV1UtteranceEnd)]
    assert turn_ends and turn_ends[0].channel == [0, 2]
    finals = [m for m in messages if isinstance(m, ListenV1Results) and m.is_final]
    last_words = [
        f.channel.alternatives[0].words[-1].end for f in finals if f.channel.alternatives[0].words
    ]
    # The turn ends after the sentence whose last word it names.
    assert min(abs(turn_ends[0].last_word_end - end) for end in last_words) < 0.01


@pytest.mark.parametrize(
    ("headers", "path", "status"),
    [
        ({"Authorization": "Token wrong"}, f"/v1/listen?{QUERY}", 401),
        ({}, f"/v1/listen?{QUERY}", 401),
        ({"Authorization": f"Token {API_KEY}"}, f"/v2/listen?{QUERY}", 404),
        ({"Authorization": f"Token {API_KEY}"}, "/v1/listen?encoding=opus", 400),
        (
            {"Authorization": f"Token {API_KEY}"},
            "/v1/listen?encoding=linear16&sample_rate=8000&utterance_end_ms=1000",
            400,
        ),
    ],
)
async def test_handshake_is_rejected_like_deepgram(
    server: RunningServer, headers: dict[str, str], path: str, status: int
) -> None:
    with pytest.raises(InvalidStatus) as caught:
        async with connect(server.url + path, additional_headers=headers):
            pass
    response = caught.value.response
    assert response.status_code == status
    assert json.loads(response.body)["err_msg"]


async def test_key_may_come_as_a_subprotocol(server: RunningServer) -> None:
    async with connect(f"{server.url}/v1/listen?{QUERY}", subprotocols=["token", API_KEY]) as ws:
        await ws.send(json.dumps({"type": "CloseStream"}))
        last = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert last["type"] == "Metadata"


async def test_silent_connection_is_closed_after_the_idle_timeout(server: RunningServer) -> None:
    headers = {"Authorization": f"Token {API_KEY}"}
    async with connect(f"{server.url}/v1/listen?{QUERY}", additional_headers=headers) as ws:
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 1011
    assert "NET-0001" in (ws.close_reason or "")


async def test_unknown_text_message_gets_an_error_and_the_session_goes_on(
    server: RunningServer,
) -> None:
    headers = {"Authorization": f"Token {API_KEY}"}
    async with connect(f"{server.url}/v1/listen?{QUERY}", additional_headers=headers) as ws:
        await ws.send("not json")
        error = json.loads(await asyncio.wait_for(ws.recv(), 5))
        await ws.send(json.dumps({"type": "CloseStream"}))
        metadata = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert error["type"] == "Error" and error["variant"] == "SchemaError"
    assert metadata["type"] == "Metadata"
