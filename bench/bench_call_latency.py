"""Utterance signal → SSE subscriber latency with many concurrent calls, against a floor.

Starts a dev stack (API and worker as their own processes, as in production) on free
ports, opens N calls through the Connect endpoint, subscribes to each call's SSE stream,
and signals an utterance on every call every INTERVAL seconds. Prints p50/p95 of the
signal-to-SSE latency and of the bare Temporal signal round trip measured in the same run.

    .venv/bin/python bench/bench_call_latency.py [--calls 50] [--interval 2] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from callguide.connect_events import DEMO_INSTANCE_ARN, contact_flow_event, demo_stream_arn
from callguide.dev_state import dev_codec_keys, read_dev_state
from callguide.dev_supervisor import DevPorts
from callguide.devstack import LOCAL_POSTGRES_URL, LOCAL_REDIS_URL, port_open
from callguide.model import Speaker, Utterance
from callguide.settings import Settings
from callguide.sse_client import server_events
from callguide.temporal_client import connect_temporal
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "callguide.cli", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"callguide {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


async def fresh_database() -> str | None:
    if not port_open("127.0.0.1", 5432):
        return None
    name = f"callguide_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(LOCAL_POSTGRES_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return LOCAL_POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


@contextlib.asynccontextmanager
async def event_path_stack(
    *, audio: bool = False
) -> AsyncIterator[tuple[dict[str, str], Path, dict[str, Any]]]:
    """A detached dev stack: (its environment, state dir, state). Its calls carry no audio
    unless `audio`: the event-path benches (signal or publish → SSE) stream nothing."""
    state_dir = Path(tempfile.mkdtemp(prefix="callguide-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLGUIDE_")}
    env["CALLGUIDE_STATE_DIR"] = str(state_dir)
    env["CALLGUIDE_STREAM_AUDIO"] = "true" if audio else "false"
    database = await fresh_database()
    if database:
        env["DATABASE_URL"] = database
    if port_open("127.0.0.1", 6379):
        env["REDIS_URL"] = LOCAL_REDIS_URL
    cli(env, "dev", "up", "--detach", *DevPorts.free().cli_args())
    try:
        state = read_dev_state(state_dir)
        assert state
        yield env, state_dir, state
    finally:
        cli(env, "dev", "down")


def create_tenant(env: dict[str, str], name: str) -> dict[str, Any]:
    """A tenant bound to the demo instance, whose Connect-shaped events it may send."""
    options = ("--region", "us-east-1", "--connect-instance", DEMO_INSTANCE_ARN, "--json")
    tenant: dict[str, Any] = json.loads(cli(env, "tenants", "create", name, *options))
    return tenant


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Timings:
    """Per utterance text: when it was signalled and seen, and where its time went."""

    sent: dict[str, float] = field(default_factory=dict)
    got: dict[str, float] = field(default_factory=dict)
    sent_wall: dict[str, float] = field(default_factory=dict)
    published: dict[str, float] = field(default_factory=dict)
    received: dict[str, float] = field(default_factory=dict)
    rtts: list[float] = field(default_factory=list)


async def open_call(
    http: httpx.AsyncClient, temporal: Any, headers: dict[str, str]
) -> tuple[str, Any]:
    """A call opened as the contact-flow Lambda opens one: (its id, its workflow handle)."""
    call_id = str(uuid.uuid4())
    event = contact_flow_event(contact_id=call_id, stream_arn=demo_stream_arn(call_id, "bench"))
    started = (await http.post("/v1/connect/contact-flow", json=event, headers=headers)).json()
    return call_id, temporal.get_workflow_handle(started["workflow_id"])


async def run_call(
    http: httpx.AsyncClient, temporal, headers: dict, args, timings: Timings
) -> None:
    sent, got, sent_wall = timings.sent, timings.got, timings.sent_wall
    published, received, rtts = timings.published, timings.received, timings.rtts
    call_id, handle = await open_call(http, temporal, headers)

    async def subscribe() -> None:
        url = f"/v1/calls/{call_id}/events"
        async with http.stream("GET", url, headers=headers, timeout=None) as response:
            async for event in server_events(response):
                if event.type == "utterance":
                    got[event.data["data"]["text"]] = time.perf_counter()
                    # A durable event's id starts with the Redis time of its XADD, in ms.
                    published[event.data["data"]["text"]] = int(event.id.split("-")[0]) / 1000
                    received[event.data["data"]["text"]] = time.time()

    subscriber = asyncio.create_task(subscribe())
    await asyncio.sleep(random.uniform(0, args.interval))
    deadline = time.perf_counter() + args.seconds
    i = 0
    while time.perf_counter() < deadline:
        text = f"{call_id} {i}"
        utterance = Utterance(Speaker.CUSTOMER, text, i * 2000, i * 2000 + 1500, 0.9, [])
        t0 = time.perf_counter()
        sent[text] = t0
        sent_wall[text] = time.time()
        await handle.signal(CallWorkflow.add_utterance, utterance)
        rtts.append(time.perf_counter() - t0)
        i += 1
        await asyncio.sleep(max(0.0, t0 + args.interval - time.perf_counter()))
    await asyncio.sleep(2)
    await handle.signal(CallWorkflow.end_call, EndCallRequest("bench"))
    await asyncio.wait_for(subscriber, 30)


def report(args, timings: Timings) -> None:
    sent, got, rtts = timings.sent, timings.got, timings.rtts
    latencies = [got[t] - sent[t] for t in sent if t in got]
    to_redis = [timings.published[t] - timings.sent_wall[t] for t in timings.published]
    to_viewer = [timings.received[t] - timings.published[t] for t in timings.published]

    def ms(values: list[float], q: float) -> float:
        return percentile(values, q) * 1000

    print(
        f"calls={args.calls} interval={args.interval}s duration={args.seconds}s "
        f"utterances={len(sent)} lost={len(sent) - len(latencies)}"
    )
    print(
        f"signal_to_sse_ms p50={ms(latencies, 0.5):.1f} p95={ms(latencies, 0.95):.1f} "
        f"max={max(latencies) * 1000:.1f}"
    )
    print(
        f"signal_round_trip_ms p50={ms(rtts, 0.5):.1f} p95={ms(rtts, 0.95):.1f} "
        f"mean={statistics.mean(rtts) * 1000:.1f}"
    )
    print(
        f"  of which signal_to_xadd_ms p50={ms(to_redis, 0.5):.1f} p95={ms(to_redis, 0.95):.1f}"
        f", xadd_to_sse_ms p50={ms(to_viewer, 0.5):.1f} p95={ms(to_viewer, 0.95):.1f}"
        " (Redis clock, ms resolution)"
    )
    print(f"p95_ratio_to_floor={ms(latencies, 0.95) / ms(rtts, 0.95):.2f} (target <= 3)")


async def main(args) -> None:
    async with event_path_stack() as (env, state_dir, state):
        key = create_tenant(env, "bench")["api_key"]
        settings = Settings(
            temporal_address=state["temporal_address"], codec_keys=dev_codec_keys(state_dir)
        )
        temporal = await connect_temporal(settings)
        timings = Timings()
        limits = httpx.Limits(max_connections=args.calls * 3)
        async with httpx.AsyncClient(base_url=state["api_url"], limits=limits, timeout=30) as http:
            headers = {"Authorization": f"Bearer {key}"}
            await asyncio.gather(
                *(run_call(http, temporal, headers, args, timings) for _ in range(args.calls))
            )
        report(args, timings)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    asyncio.run(main(parser.parse_args()))
