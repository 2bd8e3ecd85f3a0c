"""End to end: sample calls read out card numbers, dates of birth, SSNs and addresses;
none of it may reach PostgreSQL, the live event stream, the logs or the search
attributes, and every redacted utterance says where in its track the PII was spoken."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import Client

from callguide.model import call_workflow_id
from callguide.resources import Stores
from redaction.policy import DEFAULT_POLICY
from tests.activities import test_audio_stream as audio_stream
from tests.activities.test_audio_stream import voice_settings, voice_stack
from tests.activities.voice_harness import CallRun, sample_call
from tests.conftest import Stack, new_tenant
from voice.asr.server import RunningServer
from voice.kvs_emulator import RunningEmulator
from voice.transcript_metrics import digit_runs

pytestmark = pytest.mark.slow

kvs = audio_stream.kvs
asr = audio_stream.asr
aws_env = audio_stream.aws_env

# Two voices, two kinds of PII each way: espeak-ng reads a Visa number, expiry, CVV and
# street address; festival reads a Mastercard in four groups, expiry and CVV.
CALLS = ("card_update", "electric_bill_payment", "insurance_card_replacement")
# A digit run this long that also occurs in what was read out as PII is a leak; shorter
# runs ("2", "15") are too common in harmless speech to attribute.
LEAK_RUN = 3


def spoken_pii_digits(name: str) -> list[str]:
    """The digit strings of every scripted turn that reads PII out."""
    turns = sample_call(name)["turns"]
    return [run for t in turns if t.get("pii") for run in digit_runs(t["text"]) if run]


def leaks(text: str, pii_digits: list[str]) -> list[str]:
    return [
        run
        for run in digit_runs(text)
        if len(run) >= LEAK_RUN
        and any(
            run[i : i + LEAK_RUN] in digits
            for digits in pii_digits
            for i in range(len(run) - LEAK_RUN + 1)
        )
    ]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def redacted_runs(
    stack: Stack,
    client: Client,
    stores: Stores,
    kvs: RunningEmulator,
    asr: RunningServer,
) -> dict[str, tuple[CallRun, str, list[logging.LogRecord]]]:
    """Each call under the default policy, with what the workers logged meanwhile."""
    settings = voice_settings(stack, asr)
    tenant = await new_tenant(stores)
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(keep)
    runs = {}
    try:
        async with voice_stack(
            client, stores, kvs, tenant, settings, policy=DEFAULT_POLICY
        ) as voice:
            for name in CALLS:
                before = len(records)
                run = await voice.call(name)
                runs[name] = (run, tenant.tenant_id, records[before:])
    finally:
        root.removeHandler(keep)
    return runs


@pytest.mark.parametrize("name", CALLS)
async def test_spoken_pii_reaches_no_store_stream_or_log(
    redacted_runs: dict[str, tuple[CallRun, str, list[logging.LogRecord]]],
    stores: Stores,
    client: Client,
    name: str,
) -> None:
    run, tenant_id, logged = redacted_runs[name]
    assert run.result is not None and run.result.status == "ended", run.failure
    pii = spoken_pii_digits(name)
    assert pii, "the sample call reads PII out"

    stored = await stores.calls.transcript(tenant_id, run.call_id)
    assert stored, "the call was transcribed"
    for utterance in stored:
        assert not leaks(utterance.text, pii), (utterance.text, pii)
        assert not leaks(" ".join(w.word for w in utterance.words), pii), utterance.words
    for event in run.events:
        text = str(event.data.get("data", {}).get("text", ""))
        assert not leaks(text, pii), (event.type, text)
    for record in logged:
        assert not leaks(record.getMessage(), pii), record.getMessage()

    description = await client.get_workflow_handle(
        call_workflow_id(tenant_id, run.call_id)
    ).describe()
    attributes: dict[str, Any] = {
        key.name: value for key, value in description.typed_search_attributes
    }
    assert not any(leaks(str(value), pii) for value in attributes.values()), attributes

    # What was redacted says where it was spoken, by type, so the audio can be beeped.
    marked = [u for u in stored if u.pii]
    assert marked, [u.text for u in stored]
    for utterance in marked:
        assert "[" in utterance.text, utterance.text
        for span in utterance.pii:
            assert utterance.start_ms <= span.start_ms < span.end_ms <= utterance.end_ms
    types = {span.type for u in marked for span in u.pii}
    assert "CREDIT_CARD" in types or name == "insurance_card_replacement", types
