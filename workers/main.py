"""Composition root for workers: builds clients and registers work per task queue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from temporalio.client import Client
from temporalio.worker import Worker

from activities.calls import CallActivities
from callguide.resources import Stores, open_stores
from callguide.settings import Settings
from callguide.temporal_client import connect_temporal
from workflows.call import CallWorkflow

ALL_QUEUES = ("calls", "audio", "ml", "redaction")
log = logging.getLogger(__name__)


def build_workers(
    client: Client, settings: Settings, stores: Stores, queues: Sequence[str]
) -> list[Worker]:
    unknown = set(queues) - set(ALL_QUEUES)
    if unknown:
        raise ValueError(f"unknown task queues: {', '.join(sorted(unknown))}")
    workers = []
    if "calls" in queues:
        call_activities = CallActivities(calls=stores.calls, streams=stores.streams)
        workers.append(
            Worker(
                client,
                task_queue=settings.task_queue("calls"),
                workflows=[CallWorkflow],
                activities=[
                    call_activities.record_call_started,
                    call_activities.persist_utterances,
                    call_activities.publish_call_events,
                    call_activities.record_call_finished,
                ],
            )
        )
    return workers


async def run_workers(settings: Settings, queues: Sequence[str]) -> None:
    client = await connect_temporal(settings)
    async with open_stores(settings) as stores:
        workers = build_workers(client, settings, stores, queues)
        log.info("worker polling %s", ", ".join(settings.task_queue(q) for q in queues))
        await asyncio.gather(*(w.run() for w in workers))
