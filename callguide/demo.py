"""`make demo`: a whole sample call through the real API, workflow, stores and SSE."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from callguide.connect_events import contact_event
from callguide.dev_state import read_dev_state
from callguide.model import Speaker, Utterance, Word
from callguide.settings import Settings
from callguide.sse_client import server_events
from callguide.temporal_client import connect_temporal
from storage.postgres import connect_and_migrate
from storage.tenants import TenantExistsError, TenantStore
from workflows.call import CallWorkflow

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEMO_TENANT = "demo"
DEMO_REGION = "us-east-1"
COLOURS = {"customer": "\033[36m", "agent": "\033[33m"}
RESET = "\033[0m"


def utterance_from_turn(turn: dict[str, Any]) -> Utterance:
    """Spreads the turn's words evenly over its span, as a recognizer's timings would."""
    words = turn["text"].split()
    start, end = turn["start_ms"], turn["end_ms"]
    step = (end - start) / max(len(words), 1)
    return Utterance(
        speaker=Speaker(turn["speaker"]),
        text=turn["text"],
        start_ms=start,
        end_ms=end,
        confidence=1.0,
        words=[
            Word(w, int(start + i * step), int(start + (i + 1) * step)) for i, w in enumerate(words)
        ],
    )


async def demo_api_key(settings: Settings) -> str:
    pool = await connect_and_migrate(settings.require_database_url(), max_size=2)
    try:
        store = TenantStore(pool=pool)
        try:
            return (await store.create(DEMO_TENANT, DEMO_REGION)).api_key
        except TenantExistsError:
            return (await store.rotate_key(DEMO_TENANT)).api_key
    finally:
        await pool.close()


async def show_live(http: httpx.AsyncClient, call_id: str) -> int:
    shown = 0
    async with http.stream("GET", f"/v1/calls/{call_id}/events", timeout=None) as response:
        async for event in server_events(response):
            data = event.data.get("data", {})
            if event.type == "utterance":
                shown += 1
                at = data["start_ms"] / 1000
                colour = COLOURS.get(data["speaker"], "")
                print(
                    f"  [{at:6.1f}s] {colour}{data['speaker']:>8}{RESET}: {data['text']}",
                    flush=True,
                )
            elif event.type == "status":
                print(f"  -- call {data['status']}", flush=True)
    return shown


async def run_demo(settings: Settings, *, call: str, speed: float) -> None:
    state = read_dev_state(settings.state_dir) or {}
    timeline = json.loads((EXAMPLES / "calls" / f"{call}.timeline.json").read_text())
    event = json.loads((EXAMPLES / "events" / "contact-flow.json").read_text())
    contact_id = str(uuid.uuid4())
    event["Details"]["ContactData"]["ContactId"] = contact_id
    api_key = await demo_api_key(settings)
    headers = {"Authorization": f"Bearer {api_key}"}
    temporal = await connect_temporal(settings)

    print(f"\nSample call: {timeline['title']}\n{timeline['description']}\n")
    async with httpx.AsyncClient(base_url=state["api_url"], headers=headers, timeout=30) as http:
        started = (
            (await http.post("/v1/connect/contact-flow", json=event)).raise_for_status().json()
        )
        viewer = asyncio.create_task(show_live(http, contact_id))
        handle = temporal.get_workflow_handle(started["workflow_id"])
        began = time.monotonic()
        for turn in timeline["turns"]:
            await asyncio.sleep(max(0.0, began + turn["end_ms"] / 1000 / speed - time.monotonic()))
            await handle.signal(CallWorkflow.add_utterance, utterance_from_turn(turn))
        disconnected = contact_event(contact_id=contact_id, event_type="DISCONNECTED")
        (await http.post("/v1/connect/events", json=disconnected)).raise_for_status()
        shown = await asyncio.wait_for(viewer, timeout=60)
        transcript = (await http.get(f"/v1/calls/{contact_id}/transcript")).json()

    ui = state.get("temporal_ui_url", settings.temporal_ui_url)
    print(f"\n{shown} utterances streamed live; {len(transcript['utterances'])} stored.")
    print("Where to look:")
    print(f"  Temporal UI  {ui}/namespaces/default/workflows/{started['workflow_id']}")
    print(
        f"  Call state   curl -H 'Authorization: Bearer {api_key}' "
        f"{state['api_url']}/v1/calls/{contact_id}"
    )
    print(f"  Transcript   {state['api_url']}/v1/calls/{contact_id}/transcript")
    print(f"  API docs     {state['api_url']}/docs")
    print("  Stop stack   .venv/bin/callguide dev down")
