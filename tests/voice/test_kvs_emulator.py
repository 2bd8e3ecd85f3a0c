"""The KVS emulator, driven by real boto3 / aioboto3 clients over HTTP."""

from __future__ import annotations

import asyncio
import math
import os
import re
import time
import uuid
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aioboto3
import boto3
import httpx
import numpy as np
import pytest
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError, ResponseStreamingError

from tests.voice.test_mkv_writer import CONTINUATION, WalkedFragment, walk_fragments
from voice.kvs_emulator import EmulatorConfig, RunningEmulator, running_emulator
from voice.mkv_writer import TrackLayout

FRAGMENT_NUMBER_TAG = "AWS_KINESISVIDEO_FRAGMENT_NUMBER"
CLIENT_OPTIONS: dict[str, Any] = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    # One attempt: the tests want to see each error, not botocore's retries.
    "config": Config(retries={"total_max_attempts": 1}),
}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def noise(seconds: float) -> bytes:
    """Random PCM: any lost, repeated or reordered byte shows up in comparisons."""
    return os.urandom(round(seconds * 8000) * 2)


def unique_name() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def fragment_numbers(fragments: list[WalkedFragment]) -> list[str | None]:
    return [fragment.tag(FRAGMENT_NUMBER_TAG) for fragment in fragments]


@pytest.fixture(scope="module")
def kvs() -> Iterator[RunningEmulator]:
    # Rate limits off here: these tests call GetMedia on one stream many times a second.
    # test_rate_limits checks the defaults on an emulator of its own.
    config = EmulatorConfig(get_media_tps=None, get_data_endpoint_tps=None)
    with running_emulator(config=config) as running:
        yield running


@pytest.fixture(scope="module")
def control(kvs: RunningEmulator) -> BaseClient:
    return boto3.client("kinesisvideo", endpoint_url=kvs.endpoint_url, **CLIENT_OPTIONS)


@pytest.fixture(scope="module")
def media(kvs: RunningEmulator, control: BaseClient) -> BaseClient:
    control.create_stream(StreamName="endpoint-probe")
    endpoint = control.get_data_endpoint(StreamName="endpoint-probe", APIName="GET_MEDIA")
    return boto3.client(
        "kinesis-video-media", endpoint_url=endpoint["DataEndpoint"], **CLIENT_OPTIONS
    )


def read_media(media: BaseClient, arn: str, selector: dict[str, Any]) -> bytes:
    response = media.get_media(StreamARN=arn, StartSelector=selector)
    assert response["ContentType"] == "video/webm"
    data: bytes = response["Payload"].read()
    return data


def error_code(call: Callable[[], object]) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    code: str = caught.value.response["Error"]["Code"]
    return code


# --- control plane ----------------------------------------------------------------------


def test_create_describe_list_tag_delete(kvs: RunningEmulator, control: BaseClient) -> None:
    name = unique_name()
    arn = control.create_stream(
        StreamName=name,
        MediaType="audio/x-matroska",
        DataRetentionInHours=24,
        Tags={"team": "voice"},
    )["StreamARN"]

    assert re.fullmatch(rf"arn:aws:kinesisvideo:us-east-1:111122223333:stream/{name}/\d{{13}}", arn)
    by_name = control.describe_stream(StreamName=name)["StreamInfo"]
    assert by_name == control.describe_stream(StreamARN=arn)["StreamInfo"]
    assert by_name["Status"] == "ACTIVE"
    assert by_name["DataRetentionInHours"] == 24
    assert isinstance(by_name["CreationTime"], datetime)

    control.create_stream(StreamName=f"{name}-b")
    listed = control.list_streams(
        MaxResults=1,
        StreamNameCondition={"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": name},
    )
    assert [info["StreamName"] for info in listed["StreamInfoList"]] == [name]
    rest = control.list_streams(
        NextToken=listed["NextToken"],
        StreamNameCondition={"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": name},
    )
    assert [info["StreamName"] for info in rest["StreamInfoList"]] == [f"{name}-b"]
    assert "NextToken" not in rest

    control.tag_stream(StreamARN=arn, Tags={"tenant": "t1"})
    assert control.list_tags_for_stream(StreamName=name)["Tags"] == {
        "team": "voice",
        "tenant": "t1",
    }
    control.untag_stream(StreamARN=arn, TagKeyList=["team"])
    assert control.list_tags_for_stream(StreamARN=arn)["Tags"] == {"tenant": "t1"}

    endpoint = control.get_data_endpoint(StreamARN=arn, APIName="GET_MEDIA")["DataEndpoint"]
    assert endpoint == kvs.endpoint_url

    assert error_code(lambda: control.delete_stream(StreamARN=arn, CurrentVersion="stale")) == (
        "VersionMismatchException"
    )
    control.delete_stream(StreamARN=arn, CurrentVersion=by_name["Version"])
    with pytest.raises(ClientError) as caught:
        control.describe_stream(StreamName=name)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_control_plane_errors(control: BaseClient) -> None:
    name = unique_name()
    control.create_stream(StreamName=name)

    assert error_code(lambda: control.create_stream(StreamName=name)) == "ResourceInUseException"
    assert error_code(lambda: control.create_stream(StreamName="bad name!")) == (
        "InvalidArgumentException"
    )
    assert error_code(lambda: control.describe_stream(StreamName="missing")) == (
        "ResourceNotFoundException"
    )
    assert (
        error_code(lambda: control.get_data_endpoint(StreamName="missing", APIName="GET_MEDIA"))
        == "ResourceNotFoundException"
    )
    many_tags = {f"k{index}": "v" for index in range(51)}
    assert error_code(lambda: control.tag_stream(StreamName=name, Tags=many_tags)) == (
        "TagsPerResourceExceededLimitException"
    )


def test_rate_limits_like_kvs() -> None:
    with running_emulator() as limited:  # default config: 5 TPS per stream and API
        control = boto3.client("kinesisvideo", endpoint_url=limited.endpoint_url, **CLIENT_OPTIONS)
        media = boto3.client(
            "kinesis-video-media", endpoint_url=limited.endpoint_url, **CLIENT_OPTIONS
        )
        name = unique_name()
        arn = control.create_stream(StreamName=name)["StreamARN"]
        limited.emulator.start_feed(name, customer_pcm=noise(1), speed=0).result(timeout=5)

        endpoint_codes, media_codes = set(), set()
        for _ in range(7):
            try:
                control.get_data_endpoint(StreamARN=arn, APIName="GET_MEDIA")
            except ClientError as error:
                endpoint_codes.add(error.response["Error"]["Code"])
            try:
                read_media(media, arn, {"StartSelectorType": "EARLIEST"})
            except ClientError as error:
                media_codes.add(error.response["Error"]["Code"])

    assert endpoint_codes == {"ClientLimitExceededException"}
    assert media_codes == {"ClientLimitExceededException"}


# --- GetMedia start selectors -----------------------------------------------------------

CALL_A_START = 1_700_000_000.0
CALL_B_START = 1_700_000_100.0


class TwoCalls:
    """A stream that carried two calls: A (6 fragments), then B (3), stored in two bursts
    on either side of a whole second of server time (botocore sends whole seconds)."""

    def __init__(self, kvs: RunningEmulator) -> None:
        self.name = unique_name()
        emulator = kvs.emulator
        self.a_customer, self.a_agent = noise(6), noise(6)
        call_a = emulator.start_feed(
            self.name,
            customer_pcm=self.a_customer,
            agent_pcm=self.a_agent,
            speed=0,
            contact_id="call-a",
            start_timestamp=CALL_A_START,
            finish=False,
        ).result(timeout=5)
        self.server_boundary = math.floor(time.time()) + 1
        time.sleep(max(0.0, self.server_boundary - time.time()) + 0.01)
        call_b = emulator.start_feed(
            self.name,
            customer_pcm=noise(3),
            agent_pcm=noise(3),
            speed=0,
            contact_id="call-b",
            start_timestamp=CALL_B_START,
        ).result(timeout=5)
        self.arn = call_a.stream_arn
        self.a = call_a.fragment_numbers
        self.b = call_b.fragment_numbers


@pytest.fixture(scope="module")
def two_calls(kvs: RunningEmulator) -> TwoCalls:
    return TwoCalls(kvs)


def _at(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC)


SELECTOR_CASES: dict[str, Callable[[TwoCalls], tuple[dict[str, Any], list[str]]]] = {
    "earliest": lambda s: ({"StartSelectorType": "EARLIEST"}, s.a + s.b),
    "fragment number: the one after": lambda s: (
        {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": s.a[2]},
        s.a[3:] + s.b,
    ),
    "fragment number: after the last of call A": lambda s: (
        {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": s.a[-1]},
        s.b,
    ),
    "continuation token: right after its fragment": lambda s: (
        {"StartSelectorType": "CONTINUATION_TOKEN", "ContinuationToken": s.a[1]},
        s.a[2:] + s.b,
    ),
    "producer timestamp: exact fragment start": lambda s: (
        {"StartSelectorType": "PRODUCER_TIMESTAMP", "StartTimestamp": _at(CALL_A_START + 2)},
        s.a[2:] + s.b,
    ),
    "producer timestamp: first fragment after it": lambda s: (
        {"StartSelectorType": "PRODUCER_TIMESTAMP", "StartTimestamp": _at(CALL_A_START + 50)},
        s.b,
    ),
    "server timestamp": lambda s: (
        {"StartSelectorType": "SERVER_TIMESTAMP", "StartTimestamp": _at(s.server_boundary)},
        s.b,
    ),
    "now on a finished stream: nothing": lambda s: ({"StartSelectorType": "NOW"}, []),
}


@pytest.mark.parametrize("case", SELECTOR_CASES)
def test_start_selectors(media: BaseClient, two_calls: TwoCalls, case: str) -> None:
    selector, expected = SELECTOR_CASES[case](two_calls)

    fragments = walk_fragments(read_media(media, two_calls.arn, selector))

    assert fragment_numbers(fragments) == expected
    assert [fragment.tag(CONTINUATION) for fragment in fragments] == expected


def test_fragment_number_selector_skips_nothing(media: BaseClient, two_calls: TwoCalls) -> None:
    """AfterFragmentNumber=N starts with the fragment after N: a consumer that checkpoints
    the last fragment it finished gets every later fragment exactly once."""
    everything = two_calls.a + two_calls.b
    for index, number in enumerate(everything):
        selector = {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": number}
        fragments = walk_fragments(read_media(media, two_calls.arn, selector))
        assert fragment_numbers(fragments) == everything[index + 1 :]


def test_served_fragments_carry_the_call(media: BaseClient, two_calls: TwoCalls) -> None:
    fragments = walk_fragments(read_media(media, two_calls.arn, {"StartSelectorType": "EARLIEST"}))

    assert [fragment.tag("ContactId") for fragment in fragments] == ["call-a"] * 6 + ["call-b"] * 3
    assert b"".join(fragment.track_pcm(1) for fragment in fragments[:6]) == two_calls.a_customer
    assert b"".join(fragment.track_pcm(2) for fragment in fragments[:6]) == two_calls.a_agent
    assert [fragment.tag("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP") for fragment in fragments[:2]] == [
        "1700000000.000",
        "1700000001.000",
    ]
    assert all(
        int(fragment.tag("AWS_KINESISVIDEO_MILLIS_BEHIND_NOW") or -1) >= 0 for fragment in fragments
    )
    numbers = [int(number) for number in two_calls.a + two_calls.b]
    assert numbers == sorted(numbers) and all(len(str(number)) == 47 for number in numbers)


def test_get_media_errors(media: BaseClient, two_calls: TwoCalls) -> None:
    arn = two_calls.arn

    def get(selector: dict[str, Any], **target: str) -> Callable[[], object]:
        return lambda: media.get_media(StartSelector=selector, **(target or {"StreamARN": arn}))

    assert error_code(get({"StartSelectorType": "EARLIEST"}, StreamName="missing")) == (
        "ResourceNotFoundException"
    )
    unknown_number = {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": "12345"}
    assert error_code(get(unknown_number)) == "InvalidArgumentException"
    assert error_code(get({"StartSelectorType": "CONTINUATION_TOKEN"})) == (
        "InvalidArgumentException"
    )


# --- live streaming ---------------------------------------------------------------------


async def test_live_tail_read_incrementally_with_aioboto3(kvs: RunningEmulator) -> None:
    name = unique_name()
    arn = kvs.emulator.create_stream(name)
    customer, agent = noise(5), noise(5)
    session = aioboto3.Session()
    async with session.client(
        "kinesisvideo", endpoint_url=kvs.endpoint_url, **CLIENT_OPTIONS
    ) as control:
        endpoint = await control.get_data_endpoint(StreamARN=arn, APIName="GET_MEDIA")
    async with session.client(
        "kinesis-video-media", endpoint_url=endpoint["DataEndpoint"], **CLIENT_OPTIONS
    ) as media:
        response = await media.get_media(StreamARN=arn, StartSelector={"StartSelectorType": "NOW"})
        loop = asyncio.get_running_loop()
        feed = asyncio.create_task(
            kvs.emulator.feed_call(name, customer_pcm=customer, agent_pcm=agent, speed=10)
        )
        data, reads, first_fragment_at = bytearray(), 0, None
        while chunk := await response["Payload"].read(4096):
            data += chunk
            reads += 1
            if first_fragment_at is None and CONTINUATION.encode() in data:
                first_fragment_at = loop.time()
        ended_at = loop.time()
        result = await feed

    fragments = walk_fragments(bytes(data))
    assert fragment_numbers(fragments) == result.fragment_numbers
    assert len(fragments) == 5
    assert reads > len(fragments)  # the body arrived piece by piece, not at the end
    assert first_fragment_at is not None and ended_at - first_fragment_at > 0.25
    assert b"".join(fragment.track_pcm(1) for fragment in fragments) == customer
    assert b"".join(fragment.track_pcm(2) for fragment in fragments) == agent
    _assert_parser_round_trip(bytes(data), customer=customer, agent=agent)


def _assert_parser_round_trip(data: bytes, *, customer: bytes, agent: bytes) -> None:
    """The project's streaming parser reads the emulator's output byte-exact per role."""
    mkv = pytest.importorskip("voice.mkv")
    parser = mkv.MkvStreamParser()
    events = []
    for offset in range(0, len(data), 1500):
        events += parser.feed(data[offset : offset + 1500])
    events += parser.close()
    audio: dict[str, bytearray] = {"customer": bytearray(), "agent": bytearray()}
    for event in events:
        if isinstance(event, mkv.TrackAudio):
            audio[event.role] += event.payload
    assert bytes(audio["customer"]) == customer
    assert bytes(audio["agent"]) == agent


def test_session_limit_reconnect_with_continuation_token(
    kvs: RunningEmulator, media: BaseClient
) -> None:
    name = unique_name()
    arn = kvs.emulator.create_stream(name)
    kvs.emulator.set_faults(name, session_limit_seconds=0.25)
    customer, agent = noise(10), noise(10)
    feed = kvs.emulator.start_feed(name, customer_pcm=customer, agent_pcm=agent, speed=10)

    collected: list[WalkedFragment] = []
    selector: dict[str, Any] = {"StartSelectorType": "EARLIEST"}
    sessions = 0
    while len(collected) < 10 and sessions < 40:
        # Sessions end at fragment boundaries, so every response walks cleanly.
        collected += walk_fragments(read_media(media, arn, selector))
        sessions += 1
        if collected:
            token = collected[-1].tag(CONTINUATION)
            selector = {"StartSelectorType": "CONTINUATION_TOKEN", "ContinuationToken": token}
    result = feed.result(timeout=5)

    assert sessions >= 3
    assert fragment_numbers(collected) == result.fragment_numbers
    assert b"".join(fragment.track_pcm(1) for fragment in collected) == customer
    assert b"".join(fragment.track_pcm(2) for fragment in collected) == agent


def test_network_drop_once_then_resume(kvs: RunningEmulator, media: BaseClient) -> None:
    name = unique_name()
    customer, agent = noise(6), noise(6)
    result = kvs.emulator.start_feed(name, customer_pcm=customer, agent_pcm=agent, speed=0).result(
        timeout=5
    )
    kvs.emulator.set_faults(name, drop_after_bytes=50_000)  # inside the 2nd fragment

    payload = media.get_media(
        StreamARN=result.stream_arn, StartSelector={"StartSelectorType": "EARLIEST"}
    )["Payload"]
    received = bytearray()
    with pytest.raises(ResponseStreamingError):
        while chunk := payload.read(4096):
            received += chunk
    before_drop = walk_fragments(bytes(received), allow_truncated_tail=True)
    token = before_drop[-1].tag(CONTINUATION)
    after_drop = walk_fragments(
        read_media(
            media,
            result.stream_arn,
            {"StartSelectorType": "CONTINUATION_TOKEN", "ContinuationToken": token},
        )
    )

    assert len(before_drop) == 1
    assert fragment_numbers(before_drop + after_drop) == result.fragment_numbers
    assert b"".join(f.track_pcm(1) for f in before_drop + after_drop) == customer


def test_fourth_connection_is_refused(kvs: RunningEmulator, media: BaseClient) -> None:
    name = unique_name()
    arn = kvs.emulator.create_stream(name)
    now = {"StartSelectorType": "NOW"}
    open_responses = [media.get_media(StreamARN=arn, StartSelector=now) for _ in range(3)]

    assert error_code(lambda: media.get_media(StreamARN=arn, StartSelector=now)) == (
        "ConnectionLimitExceededException"
    )

    open_responses.pop()["Payload"].close()  # the client hangs up: its slot frees
    stream = kvs.emulator.get_stream(name=name)
    deadline = time.monotonic() + 5
    while stream.active_sessions > 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    open_responses.append(media.get_media(StreamARN=arn, StartSelector=now))
    kvs.emulator.finish_stream(name)
    assert all(response["Payload"].read() == b"" for response in open_responses)


# --- faults and feeding -----------------------------------------------------------------


def test_corrupt_fragments_are_served_as_they_are(kvs: RunningEmulator, media: BaseClient) -> None:
    name = unique_name()
    result = kvs.emulator.start_feed(
        name,
        customer_pcm=noise(4),
        agent_pcm=noise(4),
        speed=0,
        corrupt_before_fragments=[2],
    ).result(timeout=5)
    garbage_number = kvs.emulator.inject_corrupt_fragment(name, kind="garbage")
    stored = {f.fragment_number: f.data for f in kvs.emulator.get_stream(name=name).fragments()}

    data = read_media(media, result.stream_arn, {"StartSelectorType": "EARLIEST"})

    [truncated_number] = result.corrupt_fragment_numbers
    truncated = stored[truncated_number]
    assert data.endswith(stored[garbage_number])
    before, _, after = data[: -len(stored[garbage_number])].partition(truncated)
    assert fragment_numbers(walk_fragments(before)) == result.fragment_numbers[:2]
    assert fragment_numbers(walk_fragments(after)) == result.fragment_numbers[2:]
    assert len(walk_fragments(truncated, allow_truncated_tail=True)) == 0


async def test_fault_routes_over_http(kvs: RunningEmulator) -> None:
    name = unique_name()
    arn = kvs.emulator.create_stream(name)
    media = boto3.client("kinesis-video-media", endpoint_url=kvs.endpoint_url, **CLIENT_OPTIONS)
    async with httpx.AsyncClient(base_url=kvs.endpoint_url) as http:
        faults = await http.post(
            f"/_emulator/streams/{name}/faults", json={"session_limit_seconds": 0.2}
        )
        corrupt = await http.post(f"/_emulator/streams/{name}/corrupt", json={"kind": "garbage"})
        bad_kind = await http.post(f"/_emulator/streams/{name}/corrupt", json={"kind": "odd"})
        status = (await http.get(f"/_emulator/streams/{name}")).json()
        missing = await http.get("/_emulator/streams/missing")

    started = time.monotonic()
    # The stream is live (not finished): only the session limit ends this response.
    data = await asyncio.to_thread(read_media, media, arn, {"StartSelectorType": "NOW"})
    assert data == b""
    assert 0.15 < time.monotonic() - started < 2
    assert faults.status_code == 200
    assert [fragment["Corrupt"] for fragment in status["Fragments"]] == [True]
    assert status["Fragments"][0]["FragmentNumber"] == corrupt.json()["FragmentNumber"]
    assert bad_kind.status_code == 400
    assert bad_kind.headers["x-amzn-ErrorType"] == "InvalidArgumentException"
    assert missing.status_code == 404


def test_legacy_single_track_feed(kvs: RunningEmulator, media: BaseClient) -> None:
    name = unique_name()
    customer = noise(2)
    result = kvs.emulator.start_feed(
        name, customer_pcm=customer, speed=0, track_layout=TrackLayout.LEGACY_SINGLE_TRACK
    ).result(timeout=5)

    fragments = walk_fragments(
        read_media(media, result.stream_arn, {"StartSelectorType": "EARLIEST"})
    )

    assert [fragment.tracks[1]["name"] for fragment in fragments] == ["Track_audio/L16"] * 2
    assert all(list(fragment.tracks) == [1] for fragment in fragments)
    assert b"".join(fragment.track_pcm(1) for fragment in fragments) == customer


def _write_wav(path: Path, samples: np.ndarray, *, rate: int, channels: int) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype("<i2").tobytes())


async def test_http_feed_from_wav_files_then_finish(kvs: RunningEmulator, tmp_path: Path) -> None:
    name = unique_name()
    # Customer: 1.5 s of a 440 Hz tone, 16 kHz stereo (converted to 8 kHz mono).
    tone = (np.sin(2 * np.pi * 440 * np.arange(24_000) / 16_000) * 12_000).astype(np.int16)
    _write_wav(tmp_path / "customer.wav", np.repeat(tone, 2), rate=16_000, channels=2)
    # Agent: 2.5 s at 8 kHz mono, copied through unchanged.
    agent = np.frombuffer(noise(2.5), dtype="<i2")
    _write_wav(tmp_path / "agent.wav", agent, rate=8000, channels=1)

    async with httpx.AsyncClient(base_url=kvs.endpoint_url) as http:
        started = await http.post(
            f"/_emulator/streams/{name}/feed",
            json={
                "customer_wav": str(tmp_path / "customer.wav"),
                "agent_wav": str(tmp_path / "agent.wav"),
                "contact_id": "wav-call",
                "speed": 0,
            },
        )
        assert started.status_code == 200, started.text
        call = started.json()
        status = (await http.get(f"/_emulator/streams/{name}")).json()
        while not status["Finished"]:
            await asyncio.sleep(0.02)
            status = (await http.get(f"/_emulator/streams/{name}")).json()

    assert call["ContactId"] == "wav-call"
    assert call["StartFragmentNumber"] == status["Fragments"][0]["FragmentNumber"]
    assert call["StreamARN"] == kvs.emulator.get_stream(name=name).arn
    media = boto3.client("kinesis-video-media", endpoint_url=kvs.endpoint_url, **CLIENT_OPTIONS)
    data = await asyncio.to_thread(
        read_media, media, call["StreamARN"], {"StartSelectorType": "EARLIEST"}
    )
    fragments = walk_fragments(data)
    assert len(fragments) == 3
    for fragment in fragments:  # the tracks tick together, fragment by fragment
        assert len(fragment.track_pcm(1)) == len(fragment.track_pcm(2))
    customer_pcm = b"".join(fragment.track_pcm(1) for fragment in fragments)
    assert b"".join(fragment.track_pcm(2) for fragment in fragments) == agent.tobytes()
    assert customer_pcm[24_000:] == bytes(16_000)  # shorter track padded with silence
    spectrum = np.abs(np.fft.rfft(np.frombuffer(customer_pcm[:24_000], dtype="<i2")))
    assert abs(np.argmax(spectrum) * 8000 / 12_000 - 440) < 2


async def test_finish_hangs_up_a_live_feed(kvs: RunningEmulator) -> None:
    name = unique_name()
    first_fragment_stored = asyncio.Event()
    feed = asyncio.create_task(
        kvs.emulator.feed_call(
            name,
            customer_pcm=noise(30),
            speed=5,
            on_start=lambda _call_start: first_fragment_stored.set(),
        )
    )
    await asyncio.wait_for(first_fragment_stored.wait(), timeout=2)
    async with httpx.AsyncClient(base_url=kvs.endpoint_url) as http:
        finished = await http.post(f"/_emulator/streams/{name}/finish")
    result = await asyncio.wait_for(feed, timeout=2)

    assert finished.json() == {"Finished": True}
    assert result.hung_up
    assert 1 <= len(result.fragment_numbers) < 30
    assert kvs.emulator.get_stream(name=name).fragment_count() == len(result.fragment_numbers)
