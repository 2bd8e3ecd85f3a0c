"""`make demo`: a sample call, live, from the KVS emulator through ASR to the agent's view."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from callguide.connect_events import DEMO_INSTANCE_ARN
from callguide.dev_state import read_dev_state
from callguide.live_view import LiveTranscriptView
from callguide.policy_file import GUIDANCE
from callguide.settings import Settings
from callguide.simulate import simulate_call
from storage.guidance_policies import GuidancePolicyStore
from storage.postgres import connect_and_migrate
from storage.tenants import TenantExistsError, TenantStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Post-call redaction re-reads the call, beeps it and re-transcribes it: about a tenth of
# the call's length on two cores. The demo waits this long for the verdict.
REDACTION_WAIT_S = 180.0
# The summary is written by the local model after the call, beside the redaction.
SUMMARY_WAIT_S = 90.0
DEMO_GUIDANCE_POLICY = EXAMPLES / "demo-guidance-policy.yaml"
DEMO_TENANT = "demo"
DEMO_REGION = "us-east-1"


@contextlib.asynccontextmanager
async def demo_api_key(settings: Settings) -> AsyncIterator[str]:
    """A key of the one demo tenant for this run, revoked when the run ends.

    Every run reuses the demo tenant (bound to the demo Connect instance the simulated
    events name) and leaves no live key behind, however the run ends.
    """
    pool = await connect_and_migrate(settings.require_database_url(), max_size=2)
    try:
        store = TenantStore(pool=pool)
        try:
            created = await store.create(DEMO_TENANT, DEMO_REGION, [DEMO_INSTANCE_ARN])
            # Creating mints a key; it is not needed, so it does not outlive this line.
            await store.revoke_key(created.api_key)
        except TenantExistsError:
            tenant = await store.get(DEMO_TENANT)
            if DEMO_INSTANCE_ARN not in tenant.connect_instances:
                await store.set_connect_instances(
                    DEMO_TENANT, [*tenant.connect_instances, DEMO_INSTANCE_ARN]
                )
        # The demo's guidance (hints, summary), applied afresh so the file is what runs.
        demo = await store.get(DEMO_TENANT)
        await GuidancePolicyStore(pool=pool).put(demo.id, GUIDANCE.load(DEMO_GUIDANCE_POLICY))
        async with store.temporary_key(DEMO_TENANT) as issued:
            yield issued.api_key
    finally:
        await pool.close()


async def run_demo(settings: Settings, *, call: str, speed: float) -> None:
    state = read_dev_state(settings.state_dir) or {}
    calls = EXAMPLES / "calls"
    timeline = json.loads((calls / f"{call}.timeline.json").read_text())
    print(f"\nSample call: {timeline['title']}\n{timeline['description']}")
    print("Streaming it into the KVS emulator as Connect would; transcribing live:\n")
    view = LiveTranscriptView()
    async with demo_api_key(settings) as api_key:
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
            print("\nThe call ended: its audio is being redacted and the result verified...")
            verdict = await redaction_verdict(http, simulated.call_id)
            summary = await call_summary(http, simulated.call_id)
    print_verdict(verdict)
    print_summary(summary)

    api, call_id = state["api_url"], simulated.call_id
    workflow_url = (
        f"{state['temporal_ui_url']}/namespaces/default/workflows/{simulated.workflow_id}"
    )
    print(
        f"\n{view.utterances} utterances streamed live; {len(transcript['utterances'])} stored;"
        f" {view.hints} hints shown to the agent."
    )
    print("Where to look:")
    print(f"  Temporal UI  {workflow_url}")
    # The run's own key is revoked by now; a lasting key is the operator's explicit choice.
    print(f"  API key      .venv/bin/callguide tenants rotate-key {DEMO_TENANT}")
    print(f"  Call state   curl -H 'Authorization: Bearer <key>' {api}/v1/calls/{call_id}")
    print(f"  Transcript   {api}/v1/calls/{call_id}/transcript")
    print(f"  Hints        {api}/v1/calls/{call_id}/hints")
    print(f"  Redaction    {api}/v1/compliance/calls/{call_id}/redaction")
    print(f"  API docs     {api}/docs")
    print("  Stop stack   .venv/bin/callguide dev down")


async def redaction_verdict(http: httpx.AsyncClient, call_id: str) -> dict[str, Any] | None:
    """The call's redaction verdict once verification has decided, None if it did not in time."""
    deadline = time.monotonic() + REDACTION_WAIT_S
    verdict = None
    while time.monotonic() < deadline:
        response = await http.get(f"/v1/compliance/calls/{call_id}/redaction")
        if response.status_code == 200:
            verdict = response.json()
            if verdict["status"] in ("verified", "failed"):
                return verdict
        await asyncio.sleep(1.0)
    return verdict


def print_verdict(verdict: dict[str, Any] | None) -> None:
    if verdict is None:
        print("No redaction verdict yet: see the worker log (.callguide/logs/worker.log).")
        return
    spans = verdict["spans"]
    kinds = Counter(span["type"] for span in spans)
    print(f"Redaction: {verdict['status']}; {len(spans)} spans beeped ({dict(kinds)})")
    for reason in verdict["reasons"]:
        print(f"  reason: {reason}")
    if verdict.get("object_key"):
        print(f"  redacted audio  s3://{verdict['bucket']}/{verdict['object_key']}")


async def call_summary(http: httpx.AsyncClient, call_id: str) -> dict[str, Any] | None:
    deadline = time.monotonic() + SUMMARY_WAIT_S
    while time.monotonic() < deadline:
        response = await http.get(f"/v1/calls/{call_id}")
        if response.status_code == 200 and response.json().get("summary"):
            summary: dict[str, Any] = response.json()["summary"]
            return summary
        await asyncio.sleep(1.0)
    return None


def print_summary(summary: dict[str, Any] | None) -> None:
    if summary is None:
        print("No call summary yet: see the worker log (.callguide/logs/worker.log).")
        return
    written_by = summary["model"] if summary["source"] == "model" else summary["source"]
    print(f"Summary ({written_by}):")
    print(f"  reason      {summary['reason']}")
    print(f"  resolution  {summary['resolution']}")
    for follow_up in summary["follow_ups"]:
        print(f"  follow-up   {follow_up}")
