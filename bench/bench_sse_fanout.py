"""SSE fan-out: many viewers across tenants receive a published event; health stays fast.

Starts a dev stack (API and worker as their own processes) on free ports, creates TENANTS
tenants with CALLS calls each, connects VIEWERS SSE viewers spread evenly over the calls,
then publishes ROUNDS interim events to every call (straight to Redis, as the audio
activity does) and measures, per viewer, publish → receipt latency. While the viewers are
connected it also times /healthz and /readyz. Prints p50/p95 of each.

    .venv/bin/python bench/bench_sse_fanout.py [--viewers 500] [--tenants 5] [--calls 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

import httpx
from redis.asyncio import Redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_call_latency import create_tenant, event_path_stack, percentile
from callguide.connect_events import contact_flow_event, demo_stream_arn
from callguide.sse_client import server_events
from storage.redis_streams import CallEventStreams


async def start_call(http: httpx.AsyncClient, headers: dict[str, str]) -> str:
    call_id = str(uuid.uuid4())
    event = contact_flow_event(contact_id=call_id, stream_arn=demo_stream_arn(call_id, "bench"))
    response = await http.post("/v1/connect/contact-flow", json=event, headers=headers)
    response.raise_for_status()
    return call_id


async def watch(
    http: httpx.AsyncClient,
    call_id: str,
    headers: dict[str, str],
    rounds: int,
    connected: asyncio.Semaphore,
    latencies: list[float],
) -> int:
    """Records publish → receipt of each round's interim; returns how many arrived."""
    received = 0
    url = f"/v1/calls/{call_id}/events"
    async with http.stream("GET", url, headers=headers, timeout=None) as response:
        response.raise_for_status()
        async for event in server_events(response):
            if event.type == "status":
                connected.release()
            elif event.type == "interim":
                latencies.append(time.time() - float(event.data["data"]["sent_at"]))
                received += 1
                if received == rounds:
                    return received
    return received


async def time_get(http: httpx.AsyncClient, path: str, samples: list[float]) -> int:
    t0 = time.perf_counter()
    status = (await http.get(path)).status_code
    samples.append(time.perf_counter() - t0)
    return status


async def main(args: argparse.Namespace) -> None:
    async with event_path_stack() as (env, _, state):
        redis = Redis.from_url(state["redis_url"])
        streams = CallEventStreams(redis=redis)
        limits = httpx.Limits(max_connections=args.viewers + 50, max_keepalive_connections=50)
        async with httpx.AsyncClient(base_url=state["api_url"], limits=limits, timeout=60) as http:
            calls: list[tuple[str, str, dict[str, str]]] = []
            for n in range(args.tenants):
                tenant = create_tenant(env, f"bench-{n}")
                headers = {"Authorization": f"Bearer {tenant['api_key']}"}
                for _ in range(args.calls):
                    calls.append((tenant["id"], await start_call(http, headers), headers))
            connected = asyncio.Semaphore(0)
            latencies: list[float] = []
            viewers = [
                asyncio.create_task(
                    watch(http, call_id, headers, args.rounds, connected, latencies)
                )
                for i in range(args.viewers)
                for _, call_id, headers in [calls[i % len(calls)]]
            ]
            t0 = time.perf_counter()
            for _ in range(args.viewers):
                await asyncio.wait_for(connected.acquire(), 60)
            print(f"viewers={args.viewers} connected in {time.perf_counter() - t0:.1f}s")

            health: list[float] = []
            ready: list[float] = []
            statuses = set()
            for round_no in range(args.rounds):
                sent_at = time.time()
                for tenant_id, call_id, _ in calls:
                    event = {"type": "interim", "data": {"sent_at": sent_at, "round": round_no}}
                    await streams.publish_transient(tenant_id, call_id, event)
                for _ in range(5):  # health checks while events fan out
                    statuses.add(await time_get(http, "/healthz", health))
                    statuses.add(await time_get(http, "/readyz", ready))
                await asyncio.sleep(args.interval)
            received = await asyncio.wait_for(asyncio.gather(*viewers), 60)
        await redis.aclose()

    expected = args.viewers * args.rounds
    print(
        f"tenants={args.tenants} calls={len(calls)} rounds={args.rounds} "
        f"delivered={sum(received)}/{expected} health_statuses={sorted(statuses)}"
    )
    print(
        f"delivery_ms p50={percentile(latencies, 0.5) * 1000:.1f} "
        f"p95={percentile(latencies, 0.95) * 1000:.1f} max={max(latencies) * 1000:.1f}"
    )
    for name, samples in (("healthz_ms", health), ("readyz_ms", ready)):
        print(
            f"{name} p50={percentile(samples, 0.5) * 1000:.1f} "
            f"p95={percentile(samples, 0.95) * 1000:.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--calls", type=int, default=10, help="calls per tenant")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.5)
    asyncio.run(main(parser.parse_args()))
