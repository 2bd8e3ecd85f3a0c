"""`callguide simulate-call`: a call as Amazon Connect would make it, against the KVS emulator.

Connect starts media streaming, then its contact flow's Lambda posts the event; when the
caller hangs up, a DISCONNECTED contact event follows. This does the same with WAV files.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from callguide.connect_events import contact_event, contact_flow_event
from callguide.sse_client import ServerEvent, server_events

FINISH_POLL_S = 0.5


@dataclass(frozen=True)
class SimulatedCall:
    call_id: str
    workflow_id: str
    stream_name: str
    # Producer time (ms since the epoch) of the call's first sample: audio at offset t ms
    # was produced at start_timestamp_ms + t / speed.
    start_timestamp_ms: int = 0


async def _create_stream(kvs: httpx.AsyncClient, name: str) -> None:
    response = await kvs.post(
        "/createStream", json={"StreamName": name, "DataRetentionInHours": 24}
    )
    if response.status_code >= 400 and "ResourceInUse" not in response.text:
        response.raise_for_status()


async def _wait_until_fed(kvs: httpx.AsyncClient, stream_name: str) -> None:
    while True:
        status = (await kvs.get(f"/_emulator/streams/{stream_name}")).json()
        if status["Finished"]:
            return
        await asyncio.sleep(FINISH_POLL_S)


async def simulate_call(
    *,
    api_url: str,
    api_key: str,
    kvs_url: str,
    customer_wav: Path,
    agent_wav: Path,  # absolute: the emulator opens them
    speed: float = 1.0,
    on_event: Callable[[ServerEvent], None] | None = None,
) -> SimulatedCall:
    """Streams the two WAVs as a live call and returns once the call has ended."""
    contact_id = str(uuid.uuid4())
    stream_name = f"connect-callguide-contact-{contact_id}"
    headers = {"Authorization": f"Bearer {api_key}"}
    async with (
        httpx.AsyncClient(base_url=kvs_url, timeout=60) as kvs,
        httpx.AsyncClient(base_url=api_url, headers=headers, timeout=60) as api,
    ):
        await _create_stream(kvs, stream_name)
        feed: dict[str, Any] = {
            "customer_wav": str(customer_wav),
            "agent_wav": str(agent_wav),
            "contact_id": contact_id,
            "speed": speed,
        }
        started = (await kvs.post(f"/_emulator/streams/{stream_name}/feed", json=feed)).json()
        event = contact_flow_event(
            contact_id=contact_id,
            stream_arn=started["StreamARN"],
            start_fragment_number=started["StartFragmentNumber"],
            start_timestamp_ms=int(started["StartTimestamp"]),
        )
        response = await api.post("/v1/connect/contact-flow", json=event)
        if response.status_code != 200:
            raise RuntimeError(
                f"the API refused the call ({response.status_code}): {response.text}"
            )
        call = response.json()
        watcher = asyncio.create_task(_watch(api, contact_id, on_event))
        await _wait_until_fed(kvs, stream_name)
        hangup = contact_event(contact_id=contact_id, event_type="DISCONNECTED")
        (await api.post("/v1/connect/events", json=hangup)).raise_for_status()
        await watcher
    return SimulatedCall(
        call["call_id"], call["workflow_id"], stream_name, int(started["StartTimestamp"])
    )


async def _watch(
    api: httpx.AsyncClient, call_id: str, on_event: Callable[[ServerEvent], None] | None
) -> None:
    async with api.stream("GET", f"/v1/calls/{call_id}/events", timeout=None) as response:
        async for event in server_events(response):
            if on_event is not None:
                on_event(event)
