"""Transcript search on PostgreSQL full text: query latency as a tenant's transcripts grow.

Run from the repo root::

    .venv/bin/python bench/bench_search.py [--utterances 30000,100000,300000]
        [--database-url URL] [--runs 9]

The database is `--database-url`, else CALLGUIDE_DATABASE_URL, else PostgreSQL on
127.0.0.1:5432 when one listens there, else an embedded one (pgserver). In it, a scratch
database is created, migrated with callguide's own migrations, filled and dropped at the
end, so nothing else is touched.

Utterances look like stored (redacted) contact-center turns: sentences drawn from a few
dozen agent and customer templates with varying slots, 12 per call, calls spread over 30
days and 10 tenants, one of which holds half the calls. Rows go in with COPY (ingest is
not what is measured); PostgreSQL computes each row's tsvector, as it does for the
worker's inserts. Then, at each size, every query below runs `--runs` times through
`storage.search.TranscriptSearch.search` (the route's code: websearch_to_tsquery,
ts_rank, ts_headline snippets for the top 20) for the largest tenant, without and with a
7-day time filter, and the median and slowest run are printed, with the number of
matching utterances. Prints plain lines.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from callguide.devstack import postgres_url
from storage.postgres import migrate
from storage.search import TranscriptSearch

TENANTS = [f"tenant-{n}" for n in range(10)]
START = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 30
PER_CALL = 12
QUERIES = (
    "cancel subscription",
    '"late fee"',
    "refund -shipping",
    "card declined",
    "supervisor",
    "roaming international charges",
)
AGENT = (
    "Thank you for calling {company}, this is [PERSON]. How can I help you today?",
    "I can help with that. What is the phone number on the account?",
    "I see a {fee} on your last bill from {month}.",
    "Let me check the status of your {item} order.",
    "I have waived the {fee} this time as a courtesy.",
    "Your refund of {amount} dollars should arrive in five to seven business days.",
    "I can transfer you to a supervisor if you would like.",
    "The card ending [CREDIT_CARD] was declined by the bank.",
    "We also have a basic plan for {amount} dollars a month.",
    "Is there anything else I can help you with today?",
)
CUSTOMER = (
    "Hi, I want to cancel my subscription, please.",
    "There is a {fee} I did not expect on my bill.",
    "My {item} arrived damaged and I want a refund.",
    "I was charged for international roaming on my trip to {place}.",
    "The card keeps getting declined when I pay online.",
    "Can I speak to a supervisor about the shipping charge?",
    "It is [PHONE_NUMBER].",
    "I have been a customer for {years} years and this is the first time.",
    "The technician never showed up on {month} {day}.",
    "Okay, that works. Thank you so much.",
)
SLOTS = {
    "company": ("Northgate Bank", "Brightline Wireless", "River Bend Power", "Streamnist"),
    "fee": ("late fee", "service fee", "activation fee", "overdraft fee", "restocking fee"),
    "month": ("March", "April", "June", "September", "October"),
    "item": ("router", "phone", "blender", "sofa", "laptop", "tablet"),
    "amount": ("six", "twelve", "forty two", "ninety nine"),
    "place": ("Mexico", "Canada", "Spain", "Japan"),
    "years": ("two", "five", "ten", "twenty"),
    "day": ("third", "ninth", "twentieth"),
}


def sentence(rng: random.Random, templates: tuple[str, ...]) -> str:
    template = rng.choice(templates)
    return template.format(**{k: rng.choice(v) for k, v in SLOTS.items()})


def call_rows(
    rng: random.Random, tenant: str, call_id: str
) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    started = START + timedelta(seconds=rng.uniform(0, DAYS * 86400))
    call: tuple[object, ...] = (
        tenant,
        call_id,
        call_id,
        f"call-{tenant}-{call_id}",
        "ended",
        started,
    )
    utterances: list[tuple[object, ...]] = []
    for n in range(PER_CALL):
        agent = n % 2 == 0
        text = sentence(rng, AGENT if agent else CUSTOMER)
        speaker = "agent" if agent else "customer"
        utterances.append((tenant, call_id, speaker, n * 5000, n * 5000 + 4000, text, 0.9))
    return call, utterances


def tenant_for(rng: random.Random) -> str:
    return TENANTS[0] if rng.random() < 0.5 else rng.choice(TENANTS[1:])


async def fill(pool: asyncpg.Pool, rng: random.Random, calls: int, first: int) -> None:
    call_batch: list[tuple[object, ...]] = []
    utterance_batch: list[tuple[object, ...]] = []
    for n in range(first, first + calls):
        call, utterances = call_rows(rng, tenant_for(rng), f"c{n:07d}")
        call_batch.append(call)
        utterance_batch += utterances
    async with pool.acquire() as conn:
        await conn.copy_records_to_table(
            "calls",
            records=call_batch,
            columns=["tenant_id", "call_id", "contact_id", "workflow_id", "status", "started_at"],
        )
        await conn.copy_records_to_table(
            "utterances",
            records=utterance_batch,
            columns=["tenant_id", "call_id", "speaker", "start_ms", "end_ms", "text", "confidence"],
        )
        await conn.execute("ANALYZE calls; ANALYZE utterances")


async def measure(search: TranscriptSearch, pool: asyncpg.Pool, runs: int) -> None:
    week = (START + timedelta(days=DAYS - 7), START + timedelta(days=DAYS))
    for query in QUERIES:
        matching = await pool.fetchval(
            "SELECT count(*) FROM utterances WHERE tenant_id = $1"
            " AND search_vector @@ websearch_to_tsquery('english', $2)",
            TENANTS[0],
            query,
        )
        for label, (since, before) in (("all time", (None, None)), ("last 7 days", week)):
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                await search.search(
                    TENANTS[0], query, started_from=since, started_before=before, limit=20
                )
                times.append((time.perf_counter() - began) * 1000)
            print(
                f"  {query!r:34} {label:11} median {statistics.median(times):7.1f} ms,"
                f" slowest {max(times):7.1f} ms ({matching} matching utterances)"
            )


@contextlib.contextmanager
def server(url: str | None) -> Iterator[str]:
    configured = url or os.environ.get("CALLGUIDE_DATABASE_URL")
    with tempfile.TemporaryDirectory() as scratch:
        with postgres_url(configured, Path(scratch) / "pgdata", probe_local=True) as found:
            yield found


async def run(url: str, sizes: list[int], runs: int) -> None:
    name = f"callguide_bench_search_{os.getpid()}"
    admin = await asyncpg.connect(url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        pool = await asyncpg.create_pool(url.rsplit("/", 1)[0] + f"/{name}", min_size=1, max_size=2)
        try:
            await migrate(pool)
            await pool.executemany(
                "INSERT INTO tenants (id, name, region, slug) VALUES ($1, $1, 'us-east-1', $1)",
                [(t,) for t in TENANTS],
            )
            rng = random.Random(7)
            search = TranscriptSearch(pool=pool)
            loaded = 0
            for size in sizes:
                calls = (size - loaded * PER_CALL) // PER_CALL
                began = time.perf_counter()
                await fill(pool, rng, calls, loaded)
                loaded += calls
                print(
                    f"{loaded * PER_CALL} utterances in {loaded} calls"
                    f" (loaded in {time.perf_counter() - began:.1f} s); largest tenant:"
                )
                await measure(search, pool, runs)
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", default="30000,100000,300000")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.utterances.split(","))
    with server(args.database_url) as url:
        asyncio.run(run(url, sizes, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
