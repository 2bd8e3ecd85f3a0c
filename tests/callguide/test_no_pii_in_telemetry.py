"""A PII-heavy sample call through the real stack (KVS emulator, local ASR, audio and calls
workers, API) leaves none of its PII in any log line or metric, and its utterances carry
their stage timing.

Every record every logger makes at the level the CLI's processes log (INFO) is captured,
formatted as `callguide api`/`worker` write it (JSON, tracebacks included), together
with the API's whole /metrics exposition, and grepped for what the caller read out: the
digits of the phone, card, expiry, security code and ZIP, the street and the names.
"""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
import pytest_asyncio
from pydantic import SecretStr
from temporalio.client import Client

from callguide.logging import configure_logging
from callguide.metrics import ACTIVE_CALLS, STAGE_LATENCY
from callguide.resources import Stores
from redaction.policy import DEFAULT_POLICY
from tests.activities import test_audio_stream as audio_stream
from tests.activities.test_audio_stream import voice_settings, voice_stack
from tests.activities.test_live_redaction import machine_leaks, spoken_pii_digits
from tests.activities.voice_harness import CallRun, sample_call
from tests.conftest import Stack, new_tenant
from voice.asr.server import RunningServer
from voice.kvs_emulator import RunningEmulator

pytestmark = pytest.mark.slow

kvs = audio_stream.kvs
asr = audio_stream.asr
aws_env = audio_stream.aws_env

CALL = "card_update"
OPERATOR_TOKEN = "operator-token-for-the-pii-test"
# Words of the call's PII and names that no log line or metric has reason to hold: the
# customer's name and street (from the script: "Thanks, Mr. Lopez", "Four twenty two
# Maple Street, Springfield") and the agent's name.
PII_WORDS = ("lopez", "maple", "springfield", "laura")


# Addresses and ports of the test's servers and AWS resource names (the stream's account
# and creation time) are digits too, but no one's said them.
TENANT_LABEL = re.compile(r'tenant_id="[^"]*"')
ENDPOINTS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?|\blocalhost:\d+|\barn:aws:[^\s\"']+")


def leaks_in(line: str, digits: list[str]) -> list[str]:
    return machine_leaks(ENDPOINTS.sub(" ", line), digits)


def pii_words_in(name: str) -> list[str]:
    """PII_WORDS that the sample call really says (so the list cannot go stale)."""
    said = " ".join(turn["text"] for turn in sample_call(name)["turns"]).lower()
    return [word for word in PII_WORDS if re.search(rf"\b{word}\b", said)]


Telemetry = tuple[CallRun, list[str], str, float]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def telemetry(
    stack: Stack, client: Client, stores: Stores, kvs: RunningEmulator, asr: RunningServer
) -> Telemetry:
    """The call, every log line written meanwhile, the /metrics exposition after it, and
    how many ASR-final latencies it observed."""
    settings = voice_settings(stack, asr).model_copy(
        update={"operator_token": SecretStr(OPERATOR_TOKEN)}
    )
    tenant = await new_tenant(stores)
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("json", stream=stream)
    finals_before = _asr_final_count()
    try:
        async with voice_stack(
            client, stores, kvs, tenant, settings, ("calls", "audio"), policy=DEFAULT_POLICY
        ) as voice:
            run = await voice.call(CALL)
            response = await voice.http.get(
                "/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}
            )
            assert response.status_code == 200, response.text
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    return run, lines, response.text, _asr_final_count() - finals_before


def _asr_final_count() -> float:
    for metric in STAGE_LATENCY.collect():
        for sample in metric.samples:
            if sample.name.endswith("_count") and sample.labels.get("stage") == "asr_final":
                return sample.value
    return 0.0


async def test_the_call_ran_and_was_logged(telemetry: Telemetry) -> None:
    run, lines, _, _ = telemetry
    assert run.result is not None and run.result.status == "ended", run.failure
    assert run.transcript, "the call was transcribed"
    assert lines, "something was logged"
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message", "tenant_id", "call_id"} <= record.keys()


async def test_no_spoken_pii_in_any_log_line(telemetry: Telemetry) -> None:
    _, lines, _, _ = telemetry
    digits = spoken_pii_digits(CALL)
    words = pii_words_in(CALL)
    assert digits and words, "the sample call reads PII out"
    planted = json.dumps({"message": f"card {max(digits, key=len)} for {words[0].title()}"})
    assert leaks_in(planted, digits), "the check sees a leak when there is one"
    leaked = [
        line
        for line in lines
        if leaks_in(line, digits) or any(re.search(rf"\b{w}\b", line.lower()) for w in words)
    ]
    assert not leaked, "\n".join(leaked)


async def test_no_spoken_pii_in_any_metric(telemetry: Telemetry) -> None:
    _, _, exposition, _ = telemetry
    digits = spoken_pii_digits(CALL)
    assert "callguide_stage_latency_seconds" in exposition
    for line in exposition.splitlines():
        if line.startswith("#"):  # HELP and TYPE lines are ours, and fixed
            continue
        # Only a sample's labels can carry data; its value is a count or a time. A tenant
        # id is an identifier we issue (12 random digits), not something said on a call:
        # it may hold three digits of the card by chance.
        labels = TENANT_LABEL.sub("", line.partition("{")[2].rpartition("}")[0])
        assert not leaks_in(labels, digits), line
        for word in pii_words_in(CALL):
            assert word not in labels.lower(), line


async def test_utterances_carry_their_stage_timing_and_feed_the_histogram(
    telemetry: Telemetry,
) -> None:
    run, _, _, observed = telemetry
    utterances = [e.data["data"] for e in run.events if e.type == "utterance"]
    assert utterances
    for data in utterances:
        timing = data["timing"]
        received, final, signalled = (
            timing["audio_received_ms"],
            timing["asr_final_ms"],
            timing["signalled_ms"],
        )
        # One machine's clock: the audio arrives, then the ASR finalises, then the call
        # takes the signal (workflow time is the server's, so allow it a little slack).
        assert received <= final <= signalled + 1000, timing
    assert observed >= len(utterances)
    active = [s.value for m in ACTIVE_CALLS.collect() for s in m.samples]
    assert active == [0.0], "the call's stream has ended"
