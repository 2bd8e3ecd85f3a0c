"""How fast a hint reaches the agent: from the words that trigger it to an SSE subscriber.

Part 1, live (`--live-calls 1,8`): a detached dev stack with the KVS emulator, the local
ASR (faster-whisper) and the local LLM, as `make demo` runs. N copies of the demo call
(cancel_subscription) stream at real time in 1 s fragments, each through the API and an SSE
subscriber, under the demo's guidance policy (examples/demo-guidance-policy.yaml). For
every hint that a phrase moment gave, latency = wall time the hint reached the subscriber -
wall time the phrase's last word was produced (the emulator's StartTimestamp + the word's
end in the call's audio, from the triggering utterance's word times). Target: p95 <= 2.0 s.
The calls start together by default: every customer then says the trigger phrase in the
same second, the worst burst for the shared ASR. `--live-stagger S` starts them S seconds
apart, as independent callers arrive.

Part 2, replayed (`--replay-calls 1,20,50`): a detached dev stack whose calls carry no
audio; the utterances an ASR would give are signalled to each call and its guidance
directly (as the audio worker does), one every --interval s, each saying a phrase of a
reminder moment (cooldown 0, so every turn gives a hint; no model involved), once the
call's guidance has loaded its policy (a call's greeting gives it that time). Latency =
wall time the hint reached the call's SSE subscriber - wall time its utterance reached the
same subscriber ("turn event to hint"; negative when the hint came first), and - wall time
the turn was signalled ("signal to hint", the stricter one). Target: p95 <= 150 ms at 50
calls.

The local model's own first-token time and tokens/s are bench/bench_llm.py's.

    .venv/bin/python bench/bench_guidance.py [--live-calls 1,8] [--live-stagger S]
        [--replay-calls 1,20,50] [--interval 2] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from temporalio.service import RPCError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_call_latency import cli, create_tenant, event_path_stack, open_call, percentile

from activities.guidance_feed import GuidanceFeed
from callguide.dev_state import dev_codec_keys
from callguide.model import Speaker, Utterance
from callguide.settings import Settings
from callguide.simulate import simulate_call
from callguide.sse_client import ServerEvent, server_events
from callguide.temporal_client import connect_temporal
from workflows.call import CallWorkflow
from workflows.call_types import EndCallRequest
from workflows.guidance import GuidanceWorkflow
from workflows.guidance_types import guidance_workflow_id

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "examples" / "calls"
DEMO_POLICY = ROOT / "examples" / "demo-guidance-policy.yaml"
LIVE_CALL = "cancel_subscription"
LIVE_TARGET_P95_S = 2.0
REPLAY_TARGET_P95_MS = 150.0
_WORD = re.compile(r"[a-z0-9']+")

REPLAY_POLICY: dict[str, Any] = {
    "moments": [
        {
            "id": "cancel-intent",
            "speaker": "customer",
            "phrases": ["cancel my"],
            "cooldown_s": 0,
            "hint": {"type": "reminder", "title": "Retention offer", "body": "Offer it."},
        }
    ],
    "model": {"provider": "local", "generate": []},
}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ms(values: list[float], q: float) -> float:
    return percentile(values, q) * 1000


def apply_policy(env: dict[str, str], tenant: str, policy: dict[str, Any] | Path) -> None:
    if isinstance(policy, Path):
        path = policy
    else:
        path = Path(tempfile.mkdtemp(prefix="callguide-bench-")) / "policy.yaml"
        path.write_text(yaml.safe_dump(policy))
    cli(env, "policies", "apply", str(path), "--tenant", tenant)


# -- part 1: live ----------------------------------------------------------------------------


@dataclass
class LiveCall:
    events: list[tuple[float, ServerEvent]] = field(default_factory=list)


def phrase_end_ms(utterance: dict[str, Any], phrases: list[str]) -> int | None:
    """Where in the call's audio the first of the moment's phrases the utterance says ends."""
    said = [(w, word["end_ms"]) for word in utterance["words"] for w in words(word["word"])]
    tokens = [w for w, _ in said]
    for phrase in phrases:
        target = words(phrase)
        for i in range(len(tokens) - len(target) + 1):
            if tokens[i : i + len(target)] == target:
                return int(said[i + len(target) - 1][1])
    return None


def live_latencies(
    call: LiveCall, start_timestamp_ms: int, phrases: dict[str, list[str]]
) -> list[float]:
    """Seconds from each phrase hint's trigger words to its arrival."""
    utterances = {
        (e.data["data"]["speaker"], e.data["data"]["start_ms"]): e.data["data"]
        for _, e in call.events
        if e.type == "utterance"
    }
    latencies = []
    for arrived, event in call.events:
        if event.type != "hint":
            continue
        hint = event.data["data"]
        trigger = hint.get("trigger")
        if not trigger or hint["moment_id"] not in phrases:
            continue
        utterance = utterances.get((trigger["speaker"], trigger["start_ms"]))
        end = phrase_end_ms(utterance, phrases[hint["moment_id"]]) if utterance else None
        if end is None:
            continue  # fired by an example or a question, not a phrase
        latencies.append(arrived - (start_timestamp_ms + end) / 1000)
    return latencies


async def live_part(counts: list[int], stagger_s: float = 0.0) -> None:
    policy = yaml.safe_load(DEMO_POLICY.read_text())
    phrases = {m["id"]: m["phrases"] for m in policy["moments"] if m.get("phrases")}
    phrases = {k: v for k, v in phrases.items() if "absent_within_s" not in _moment(policy, k)}
    timeline = CALLS / f"{LIVE_CALL}.timeline.json"
    tracks = yaml.safe_load(timeline.read_text())["tracks"]
    async with event_path_stack(audio=True) as (env, _, state):
        for n in counts:
            tenant = create_tenant(env, f"bench-live-{uuid.uuid4().hex[:6]}")
            apply_policy(env, tenant["id"], DEMO_POLICY)
            runs = [LiveCall() for _ in range(n)]

            async def one(run: LiveCall, api_key: str, delay_s: float) -> tuple[LiveCall, int]:
                await asyncio.sleep(delay_s)

                def keep(event: ServerEvent) -> None:
                    run.events.append((time.time(), event))

                simulated = await simulate_call(
                    api_url=state["api_url"],
                    api_key=api_key,
                    kvs_url=state["kvs_endpoint_url"],
                    customer_wav=(CALLS / tracks["customer"]).resolve(),
                    agent_wav=(CALLS / tracks["agent"]).resolve(),
                    on_event=keep,
                )
                return run, simulated.start_timestamp_ms

            done = await asyncio.gather(
                *(one(r, tenant["api_key"], i * stagger_s) for i, r in enumerate(runs))
            )
            latencies = [x for run, t0 in done for x in live_latencies(run, t0, phrases)]
            hints = sum(1 for run, _ in done for _, e in run.events if e.type == "hint")
            if not latencies:
                print(f"live calls={n}: no phrase hint arrived ({hints} hints in all)")
                continue
            p95 = percentile(latencies, 0.95)
            verdict = "met" if p95 <= LIVE_TARGET_P95_S else "MISSED"
            print(
                f"live calls={n} hints={hints} phrase_hints={len(latencies)} "
                f"words_to_hint_s p50={percentile(latencies, 0.5):.2f} p95={p95:.2f} "
                f"max={max(latencies):.2f} (target p95 <= {LIVE_TARGET_P95_S} s: {verdict})"
            )


def _moment(policy: dict[str, Any], moment_id: str) -> dict[str, Any]:
    return next(m for m in policy["moments"] if m["id"] == moment_id)


# -- part 2: replayed turns --------------------------------------------------------------


@dataclass
class Timings:
    sent: dict[str, float] = field(default_factory=dict)
    turn_seen: dict[str, float] = field(default_factory=dict)
    hint_seen: dict[str, float] = field(default_factory=dict)
    # When guidance put the hint on the call's stream (the hint's delivered_at).
    hint_shown: dict[str, float] = field(default_factory=dict)


async def guidance_ready(guidance: Any, within_s: float = 60.0) -> None:
    """Until the call's guidance has loaded its policy (or gives up quietly)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with contextlib.suppress(RPCError):
            if await guidance.query(GuidanceWorkflow.ready):
                return
        await asyncio.sleep(0.2)


async def replay_call(
    http: httpx.AsyncClient,
    temporal: Any,
    tenant_id: str,
    headers: dict[str, str],
    args: Any,
    timings: Timings,
) -> None:
    call_id, handle = await open_call(http, temporal, headers)
    # What the audio worker does with a final: the call and its guidance get it at once.
    guidance = temporal.get_workflow_handle(guidance_workflow_id(tenant_id, call_id))
    feed = GuidanceFeed(guidance=guidance)

    async def subscribe() -> None:
        url = f"/v1/calls/{call_id}/events"
        async with http.stream("GET", url, headers=headers, timeout=None) as response:
            async for event in server_events(response):
                data = event.data.get("data", {})
                if event.type == "utterance":
                    timings.turn_seen[data["text"]] = time.time()
                elif event.type == "hint" and data.get("trigger"):
                    text = data["trigger"]["text"]
                    timings.hint_seen[text] = time.time()
                    timings.hint_shown[text] = _epoch(data["delivered_at"])

    subscriber = asyncio.create_task(subscribe())
    await guidance_ready(guidance)  # as a call's greeting gives it time to be
    await asyncio.sleep(1.0 + (hash(call_id) % 1000) / 1000 * args.interval)
    deadline = time.monotonic() + args.seconds
    i = 0
    while time.monotonic() < deadline:
        text = f"I want to cancel my plan {call_id} {i}"
        utterance = Utterance(Speaker.CUSTOMER, text, i * 2000, i * 2000 + 1500, 0.9, [])
        t0 = time.time()
        timings.sent[text] = t0
        stamped = feed.stamp(utterance)
        await asyncio.gather(
            handle.signal(CallWorkflow.add_utterance, stamped), feed.hand_over(stamped)
        )
        i += 1
        await asyncio.sleep(max(0.0, t0 + args.interval - time.time()))
    await asyncio.sleep(3)
    await handle.signal(CallWorkflow.end_call, EndCallRequest("bench"))
    await asyncio.wait_for(subscriber, 60)


async def replay_part(counts: list[int], args: Any) -> None:
    async with event_path_stack() as (env, state_dir, state):
        settings = Settings(
            temporal_address=state["temporal_address"], codec_keys=dev_codec_keys(state_dir)
        )
        temporal = await connect_temporal(settings)
        for n in counts:
            tenant = create_tenant(env, f"bench-replay-{uuid.uuid4().hex[:6]}")
            apply_policy(env, tenant["id"], REPLAY_POLICY)
            headers = {"Authorization": f"Bearer {tenant['api_key']}"}
            timings = Timings()
            limits = httpx.Limits(max_connections=n * 3)
            async with httpx.AsyncClient(
                base_url=state["api_url"], limits=limits, timeout=30
            ) as http:
                await asyncio.gather(
                    *(
                        replay_call(http, temporal, tenant["id"], headers, args, timings)
                        for _ in range(n)
                    )
                )
            seen = [t for t in timings.sent if t in timings.hint_seen and t in timings.turn_seen]
            if not seen:
                print(
                    f"replay calls={n}: no hint arrived ({len(timings.sent)} turns sent, "
                    f"{len(timings.turn_seen)} seen, {len(timings.hint_seen)} hints)"
                )
                continue
            # (a hint's created_at is its turn's accepted time, so it marks no stage)
            stages = {
                "signal->shown": [timings.hint_shown[t] - timings.sent[t] for t in seen],
                "shown->subscriber": [timings.hint_seen[t] - timings.hint_shown[t] for t in seen],
            }
            print(
                f"replay calls={n} stages p50/p95 ms: "
                + ", ".join(f"{k} {ms(v, 0.5):.0f}/{ms(v, 0.95):.0f}" for k, v in stages.items())
            )
            turn_to_hint = [timings.hint_seen[t] - timings.turn_seen[t] for t in seen]
            signal_to_hint = [timings.hint_seen[t] - timings.sent[t] for t in seen]
            p95 = ms(turn_to_hint, 0.95)
            verdict = "met" if p95 <= REPLAY_TARGET_P95_MS else "MISSED"
            print(
                f"replay calls={n} turns={len(timings.sent)} hints={len(seen)} "
                f"(the rest dropped as late or lost) "
                f"turn_event_to_hint_ms p50={ms(turn_to_hint, 0.5):.0f} p95={p95:.0f} "
                f"(target at 50 calls: p95 <= {REPLAY_TARGET_P95_MS:.0f} ms: {verdict}); "
                f"signal_to_hint_ms p50={ms(signal_to_hint, 0.5):.0f} "
                f"p95={ms(signal_to_hint, 0.95):.0f}"
            )


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def ladder(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


async def main(args: Any) -> None:
    if args.replay_calls:
        await replay_part(ladder(args.replay_calls), args)
    if args.live_calls:
        await live_part(ladder(args.live_calls), args.live_stagger)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live-calls", default="1,8")
    parser.add_argument(
        "--live-stagger",
        type=float,
        default=0.0,
        help="seconds between live calls' starts (0: all start together, the worst burst)",
    )
    parser.add_argument("--replay-calls", default="1,20,50")
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    asyncio.run(main(parser.parse_args()))
