"""`make demo`: a sample call, live, from the KVS emulator through ASR to the agent's view."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from callguide.dev_state import read_dev_state
from callguide.live_view import LiveTranscriptView
from callguide.settings import Settings
from callguide.simulate import simulate_call
from storage.postgres import connect_and_migrate
from storage.tenants import TenantExistsError, TenantStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEMO_TENANT = "demo"
DEMO_REGION = "us-east-1"


async def demo_api_key(settings: Settings) -> str:
    pool = await connect_and_migrate(settings.require_database_url(), max_size=2)
    try:
        store = TenantStore(pool=pool)
        try:
            return (await store.create(DEMO_TENANT, DEMO_REGION)).api_key
        except TenantExistsError:
            return (await store.issue_key(DEMO_TENANT)).api_key
    finally:
        await pool.close()


async def run_demo(settings: Settings, *, call: str, speed: float) -> None:
    state = read_dev_state(settings.state_dir) or {}
    calls = EXAMPLES / "calls"
    timeline = json.loads((calls / f"{call}.timeline.json").read_text())
    api_key = await demo_api_key(settings)
    print(f"\nSample call: {timeline['title']}\n{timeline['description']}")
    print("Streaming it into the KVS emulator as Connect would; transcribing live:\n")
    view = LiveTranscriptView()
    simulated = await simulate_call(
        api_url=state["api_url"],
        api_key=api_key,
        kvs_url=state["kvs_endpoint_url"],
        customer_wav=(calls / timeline["tracks"]["customer"]).resolve(),
        agent_wav=(calls / timeline["tracks"]["agent"]).resolve(),
        speed=speed,
        on_event=view,
    )
    headers = {"Authorization": f"Bearer {api_key}"}
    async with httpx.AsyncClient(base_url=state["api_url"], headers=headers) as http:
        transcript = (await http.get(f"/v1/calls/{simulated.call_id}/transcript")).json()

    api, call_id = state["api_url"], simulated.call_id
    workflow_url = (
        f"{state['temporal_ui_url']}/namespaces/default/workflows/{simulated.workflow_id}"
    )
    print(f"\n{view.utterances} utterances streamed live; {len(transcript['utterances'])} stored.")
    print("Where to look:")
    print(f"  Temporal UI  {workflow_url}")
    print(f"  Call state   curl -H 'Authorization: Bearer {api_key}' {api}/v1/calls/{call_id}")
    print(f"  Transcript   {api}/v1/calls/{call_id}/transcript")
    print(f"  API docs     {api}/docs")
    print("  Stop stack   .venv/bin/callguide dev down")
