"""Composition root for workers: builds clients and registers work per task queue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import aioboto3
from temporalio.client import Client
from temporalio.worker import Worker

from activities.audio import AudioActivities
from activities.calls import CallActivities
from callguide.resources import Stores, open_stores
from callguide.settings import Settings
from callguide.temporal_client import connect_temporal
from voice.asr.base import StreamingAsr
from voice.asr.deepgram import DeepgramAsr
from voice.kvs_reader import KvsCallReader, ReaderCheckpoint
from workflows.call import CallWorkflow
from workflows.call_types import StreamCallAudio

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
    if "audio" in queues:
        workers.append(audio_worker(client, settings, stores, asr=build_asr(settings)))
    idle = [q for q in queues if q in ("ml", "redaction")]
    if idle:
        log.info("no work is registered on %s yet", ", ".join(idle))
    return workers


def build_asr(settings: Settings) -> StreamingAsr:
    if not settings.asr_url and not settings.deepgram_api_key:
        raise ValueError(
            "the audio queue needs CALLGUIDE_ASR_URL (a Deepgram-protocol endpoint such as "
            "`callguide asr-server`) or CALLGUIDE_DEEPGRAM_API_KEY"
        )
    return DeepgramAsr(api_key=settings.deepgram_api_key or "local", url=settings.asr_url)


def audio_worker(
    client: Client, settings: Settings, stores: Stores, *, asr: StreamingAsr
) -> Worker:
    session = aioboto3.Session()

    def reader(request: StreamCallAudio, resume: ReaderCheckpoint | None) -> KvsCallReader:
        return KvsCallReader(
            stream_arn=request.media.stream_arn,
            contact_id=request.contact_id,
            start_fragment_number=request.media.start_fragment_number,
            start_timestamp_ms=request.media.start_timestamp_ms,
            stop_fragment_number=request.media.stop_fragment_number,
            checkpoint=resume,
            region=request.region,
            session=session,
            end_of_stream_idle_s=settings.kvs_end_of_stream_idle_s,
        )

    activities = AudioActivities(asr=asr, streams=stores.streams, reader_factory=reader)
    return Worker(
        client,
        task_queue=settings.task_queue("audio"),
        activities=[activities.stream_call_audio],
        max_concurrent_activities=settings.audio_max_concurrent_calls,
    )


async def run_workers(settings: Settings, queues: Sequence[str]) -> None:
    client = await connect_temporal(settings)
    async with open_stores(settings) as stores:
        workers = build_workers(client, settings, stores, queues)
        log.info("worker polling %s", ", ".join(settings.task_queue(q) for q in queues))
        await asyncio.gather(*(w.run() for w in workers))
