"""Runs sample calls through the whole voice path: emulator → GetMedia → ASR → workflow."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client

from callguide.connect_events import contact_event, contact_flow_event
from callguide.sse_client import ServerEvent, server_events
from tests.conftest import TenantKey
from voice.kvs_emulator import RunningEmulator
from workflows.call import CallWorkflow
from workflows.call_types import CallResult

CALLS = Path(__file__).resolve().parents[2] / "examples" / "calls"


@contextlib.contextmanager
def emulator_aws_env(kvs: RunningEmulator) -> Iterator[None]:
    """Points boto3 at the emulator (which accepts any credentials) for the block."""
    values = {
        "AWS_ENDPOINT_URL_KINESIS_VIDEO": kvs.endpoint_url,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class CallRun:
    call_id: str
    stream_name: str
    result: CallResult | None
    failure: str | None
    transcript: list[dict[str, Any]]
    events: list[ServerEvent]

    def lines(self) -> list[tuple[str, str]]:
        return [(u["speaker"], u["text"]) for u in self.transcript]

    def text(self, speaker: str) -> str:
        return " ".join(u["text"] for u in self.transcript if u["speaker"] == speaker)


def sample_call(name: str) -> dict[str, Any]:
    timeline: dict[str, Any] = json.loads((CALLS / f"{name}.timeline.json").read_text())
    return timeline


def script_text(timeline: dict[str, Any], speaker: str) -> str:
    return " ".join(t["text"] for t in timeline["turns"] if t["speaker"] == speaker)


async def run_sample_call(
    *,
    name: str,
    http: httpx.AsyncClient,
    tenant: TenantKey,
    client: Client,
    kvs: RunningEmulator,
    speed: float,
    corrupt_before_fragments: tuple[int, ...] = (),
    drop_get_media_after_bytes: int | None = None,
    while_streaming: Any = None,
) -> CallRun:
    """Feeds the call live, sends the Lambda event and the hang-up, waits for the end."""
    timeline = sample_call(name)
    contact_id = str(uuid.uuid4())
    stream = f"connect-test-contact-{contact_id}"
    kvs.emulator.create_stream(stream)
    if drop_get_media_after_bytes is not None:
        kvs.emulator.set_faults(stream, drop_after_bytes=drop_get_media_after_bytes)
    started: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    loop = asyncio.get_running_loop()
    feed = kvs.emulator.start_feed(
        stream,
        customer_wav=str(CALLS / timeline["tracks"]["customer"]),
        agent_wav=str(CALLS / timeline["tracks"]["agent"]),
        contact_id=contact_id,
        speed=speed,
        corrupt_before_fragments=corrupt_before_fragments,
        on_start=lambda start: loop.call_soon_threadsafe(started.set_result, start),
    )
    start = await asyncio.wait_for(started, 30)
    event = contact_flow_event(
        contact_id=contact_id,
        stream_arn=start.stream_arn,
        start_fragment_number=start.start_fragment_number,
        start_timestamp_ms=start.start_timestamp_ms,
    )
    response = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
    assert response.status_code == 200, response.text
    events: list[ServerEvent] = []
    watcher = asyncio.create_task(_collect(http, tenant, contact_id, events))
    if while_streaming is not None:
        await while_streaming()
    await asyncio.wrap_future(feed)
    hangup = contact_event(contact_id=contact_id, event_type="DISCONNECTED")
    await http.post("/v1/connect/events", json=hangup, headers=tenant.headers)
    handle = client.get_workflow_handle_for(CallWorkflow.run, response.json()["workflow_id"])
    result, failure = None, None
    try:
        result = await asyncio.wait_for(handle.result(), 180)
    except Exception as exc:  # the workflow failed: keep its reason for the test to read
        failure = str(getattr(exc, "cause", None) or exc)
    await asyncio.wait_for(watcher, 30)
    transcript = await http.get(f"/v1/calls/{contact_id}/transcript", headers=tenant.headers)
    return CallRun(contact_id, stream, result, failure, transcript.json()["utterances"], events)


async def _collect(
    http: httpx.AsyncClient, tenant: TenantKey, call_id: str, events: list[ServerEvent]
) -> None:
    url = f"/v1/calls/{call_id}/events"
    async with http.stream("GET", url, headers=tenant.headers, timeout=None) as response:
        async for event in server_events(response):
            events.append(event)
