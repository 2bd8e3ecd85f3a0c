"""Speed of the embedded local model (SmolLM2-135M-Instruct Q4_1 on llama.cpp's server) as
guidance uses it: suggested replies and one call summary.

Run from the repo root::

    .venv/bin/python bench/bench_llm.py [--prompts 20] [--threads N] [--url URL]

Without --url it starts the dev stack's embedded server (callguide.devstack.EmbeddedLlm,
the same command `callguide dev up` runs, with its default thread count unless --threads
says otherwise) and stops it at the end; with --url it measures that OpenAI-compatible
server instead. Every call goes through guidance's own path: `ModelRouter` with a local
route, the OpenAI-compatible adapter, streaming.

* warm-up: one reply request (loads the weights into the caches), not counted;
* replies: `--prompts` different short calls (3-4 turns each, customer last), each asked
  for the agent's next sentence with the prompt `guidance.generation.suggest_reply` sends
  (up to 48 tokens, greedy). First-token time is from sending the request to the
  first streamed content token (prompt processing included); tokens/s is the decode rate
  after it, (completion tokens - 1) / (total - first token). p50 and p95 of each;
* summary: one post-call summary of a 7-turn call with the JSON schema
  (`guidance.generation.summarize_call`'s request, grammar-constrained), timed whole, and
  whether its JSON was usable.

The machine's load average is printed with the figures: on a small machine the model
shares its cores with everything else, and llama.cpp's speed follows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from callguide.devstack import EmbeddedLlm, llm_threads
from guidance.generation import parse_summary, reply_request, summary_request
from guidance.llm.base import ChatResult
from guidance.llm.router import ModelRouter
from guidance.policy import ModelRoute

# A bench measures speed, not the policy's deadline: slow answers are waited for (past
# the 10 s a policy may set) and show in the p95.
ROUTE = ModelRoute().model_copy(update={"timeout_ms": 120_000})

OPENERS = [
    "Thanks for calling, how can I help you today?",
    "Good morning, you're through to billing. What can I do for you?",
    "Hello, customer support, this is Alex speaking.",
    "Thank you for holding. How can I help?",
]
ASKS = [
    "I want to cancel my contract, the price went up again.",
    "My phone doesn't work since I landed in Spain.",
    "I was charged twice for the same month.",
    "I need to change the address on my account.",
    "The internet keeps dropping every evening.",
    "Can I upgrade to the new phone before my contract ends?",
    "I never received the refund you promised last week.",
    "How do I set up voicemail on my new phone?",
    "My bill is much higher than usual this month.",
    "I'd like to add my daughter to my plan.",
]
FOLLOW_UPS = [
    ("I'm sorry about that. Can you tell me a bit more?", "It started about a week ago."),
    ("Let me look into that for you.", "Thanks, I've been waiting a while."),
]

SUMMARY_CALL = [
    ("agent", "Thank you for calling Acme Mobile, this is Sam. How can I help?"),
    ("customer", "Hi. I want to cancel my contract, my bill went up again this month."),
    ("agent", "I'm sorry to hear that. How long have you been with us?"),
    ("customer", "About five years, and the price keeps going up."),
    ("agent", "I can offer you a loyalty discount of twenty percent for a year."),
    ("customer", "OK, that sounds fair. I'll stay then."),
    ("agent", "Great. I will email you the new terms within two business days."),
]


def reply_calls(count: int) -> list[list[tuple[str, str]]]:
    calls = []
    for i in range(count):
        turns = [("agent", OPENERS[i % len(OPENERS)]), ("customer", ASKS[i % len(ASKS)])]
        if i >= len(ASKS):  # the second round goes one exchange further
            agent, customer = FOLLOW_UPS[i % len(FOLLOW_UPS)]
            turns += [("agent", agent), ("customer", customer)]
        calls.append(turns)
    return calls


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def decode_rate(result: ChatResult) -> float | None:
    if result.first_token_ms is None or result.completion_tokens < 2:
        return None
    decoding_s = (result.total_ms - result.first_token_ms) / 1000
    return (result.completion_tokens - 1) / decoding_s if decoding_s > 0 else None


@contextlib.contextmanager
def model_server(url: str | None, threads: int | None) -> Iterator[str]:
    if url:
        yield url
        return
    server = EmbeddedLlm(threads=threads or llm_threads())
    started = time.perf_counter()
    server.start()
    print(f"embedded server up in {time.perf_counter() - started:.1f} s ({server.threads} threads)")
    try:
        yield server.url
    finally:
        server.stop()


async def measure(url: str, prompts: int) -> None:
    router = ModelRouter(local_url=url)
    try:
        await router.complete(ROUTE, reply_request(reply_calls(1)[0]))

        first_token_ms: list[float] = []
        rates: list[float] = []
        tokens: list[int] = []
        for turns in reply_calls(prompts):
            result = await router.complete(ROUTE, reply_request(turns))
            if result.first_token_ms is not None:
                first_token_ms.append(result.first_token_ms)
            rate = decode_rate(result)
            if rate is not None:
                rates.append(rate)
            tokens.append(result.completion_tokens)
        print(f"replies: {prompts} prompts, {statistics.mean(tokens):.0f} tokens on average")
        print(
            f"  first token  p50 {percentile(first_token_ms, 0.5):6.0f} ms"
            f"   p95 {percentile(first_token_ms, 0.95):6.0f} ms"
        )
        print(
            f"  tokens/s     p50 {percentile(rates, 0.5):6.1f}"
            f"      p95 (slowest 5%) {percentile(rates, 0.05):6.1f}"
        )

        result = await router.complete(ROUTE, summary_request(SUMMARY_CALL))
        usable = parse_summary(result.text) is not None
        print(
            f"summary (JSON schema, {len(SUMMARY_CALL)} turns): total {result.total_ms:.0f} ms, "
            f"first token {result.first_token_ms or 0:.0f} ms, {result.completion_tokens} "
            f"tokens, {decode_rate(result) or 0:.1f} tokens/s, usable JSON: {usable}"
        )
    finally:
        await router.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=20)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--url", default=None, help="an OpenAI-compatible base URL (with /v1)")
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with model_server(args.url, args.threads) as url:
        asyncio.run(measure(url, args.prompts))
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
