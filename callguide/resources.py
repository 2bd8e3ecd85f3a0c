"""Opens and closes the stores every process shares: Postgres pool and Redis clients."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from callguide.settings import Settings
from storage.admissions import AdmissionStore
from storage.analytics_outbox import AnalyticsOutbox
from storage.calls import CallStore
from storage.contact_records import ContactRecordStore
from storage.guidance_policies import GuidancePolicyStore
from storage.hints import HintStore
from storage.knowledge import KnowledgeSearch
from storage.postgres import connect_and_migrate
from storage.redactions import CallRedactionStore, RedactionPolicyStore
from storage.redis_streams import CallEventHub, CallEventStreams
from storage.search import TranscriptSearch
from storage.tenants import TenantStore

REDIS_SOCKET_TIMEOUT_S = 10.0
EVENT_HUB_BLOCK_MS = 5000


@dataclass
class Stores:
    pool: asyncpg.Pool
    redis: Redis
    calls: CallStore
    tenants: TenantStore
    streams: CallEventStreams
    # Live event fan-out for SSE viewers; it opens its connection on the first subscriber.
    events: CallEventHub
    # Each tenant's versioned redaction policy, and each call's redaction verdict.
    policies: RedactionPolicyStore
    redactions: CallRedactionStore
    # Each tenant's versioned guidance policy (moments, knowledge, model route).
    guidance_policies: GuidancePolicyStore
    # Search over each tenant's current knowledge articles; its embedding model loads on
    # the first search that needs it, and its article vectors are cached per policy version.
    knowledge: KnowledgeSearch
    # Hints shown to agents, their feedback, and post-call summaries.
    hints: HintStore
    # Analytics events on their way to ClickHouse (the API's ingester moves them).
    analytics_outbox: AnalyticsOutbox
    # Each tenant's cap on concurrent calls and the calls holding a place under it.
    admissions: AdmissionStore
    # Full-text search over each tenant's redacted transcripts.
    search: TranscriptSearch
    # Connect's contact records (agent, queue, durations), the newest version per contact.
    contact_records: ContactRecordStore


def event_hub(settings: Settings, control: Redis) -> CallEventHub:
    reader = Redis.from_url(
        settings.require_redis_url(),
        # One connection the hub owns: CLIENT UNBLOCK names it, and no viewer holds the pool.
        single_connection_client=True,
        client_name="callguide-event-hub",
        socket_timeout=EVENT_HUB_BLOCK_MS / 1000 + REDIS_SOCKET_TIMEOUT_S,
        # The hub retries with its own backoff and must learn of every reconnect.
        retry=Retry(NoBackoff(), 0),
    )
    return CallEventHub(
        reader=reader,
        control=control,
        max_per_call=settings.sse_max_subscribers_per_call,
        max_per_tenant=settings.sse_max_subscribers_per_tenant,
        block_ms=EVENT_HUB_BLOCK_MS,
    )


@contextlib.asynccontextmanager
async def open_stores(settings: Settings) -> AsyncIterator[Stores]:
    pool = await connect_and_migrate(settings.require_database_url())
    redis = Redis.from_url(settings.require_redis_url(), socket_timeout=REDIS_SOCKET_TIMEOUT_S)
    events = event_hub(settings, redis)
    try:
        yield Stores(
            pool=pool,
            redis=redis,
            calls=CallStore(pool=pool),
            tenants=TenantStore(pool=pool),
            streams=CallEventStreams(
                redis=redis,
                maxlen=settings.redis_stream_maxlen,
                interim_maxlen=settings.redis_interim_stream_maxlen,
            ),
            events=events,
            policies=RedactionPolicyStore(pool=pool),
            redactions=CallRedactionStore(pool=pool),
            guidance_policies=GuidancePolicyStore(pool=pool),
            knowledge=KnowledgeSearch(pool=pool),
            hints=HintStore(pool=pool),
            analytics_outbox=AnalyticsOutbox(pool=pool),
            admissions=AdmissionStore(pool=pool),
            search=TranscriptSearch(pool=pool),
            contact_records=ContactRecordStore(pool=pool),
        )
    finally:
        await events.close()
        await redis.aclose()
        await pool.close()
