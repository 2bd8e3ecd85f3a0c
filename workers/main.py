"""Composition root for workers: builds clients and registers work per task queue.

The audio worker shares one set of KVS clients among all its calls (``KvsClientPool``),
opened and closed around the worker's run. ``run_workers`` turns SIGTERM / SIGINT into
``Worker.shutdown()``: polling stops, in-flight activities get
``GRACEFUL_SHUTDOWN_TIMEOUT`` to finish, then they are cancelled (an audio activity hands
its checkpoint over and is retried on another worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.plugin import SimplePlugin
from temporalio.worker import Worker

from activities.audio import AudioActivities, ContactEnded, ReaderFactory
from activities.calls import CallActivities
from activities.guidance import GuidanceActivities
from activities.guidance_feed import EarlyPhrases
from activities.live_redaction import LiveRedactor
from activities.redaction import RedactionActivities
from analytics.latency import LatencyRecorder
from callguide.metrics import serving_metrics
from callguide.resources import Stores, open_stores
from callguide.settings import Settings, parse_codec_keys
from callguide.temporal_client import connect_temporal
from guidance.embeddings import default_embedder
from guidance.llm.router import ModelRouter
from storage.object_store import ObjectStore, ObjectStoreError
from voice.asr.base import StreamingAsr
from voice.asr.deepgram import DeepgramAsr
from voice.kvs_clients import KvsClientPool
from voice.kvs_reader import KvsCallReader, ReaderCheckpoint
from workflows.call import CallWorkflow
from workflows.call_types import StreamCallAudio
from workflows.guidance import GuidanceWorkflow
from workflows.redaction import AudioRedactionWorkflow, VerificationWorkflow
from workflows.redaction_types import RedactCallAudio

ALL_QUEUES = ("calls", "audio", "ml", "redaction")
# A tenant's model route may name its own queue (a GPU or CPU shard, "ml-gpu" say): a
# worker started on it makes only that route's model calls.
MODEL_QUEUE_PREFIX = "ml-"
# A deploy (SIGTERM) lets activities finish for this long before cancelling them. Store
# and publish activities take well under a second; audio activities last as long as their
# call, so they are cancelled after it and resume elsewhere from their checkpoint. It stays
# under Kubernetes' default 30 s termination grace period, leaving time to report.
GRACEFUL_SHUTDOWN_TIMEOUT = timedelta(seconds=20)
log = logging.getLogger(__name__)


def build_workers(
    client: Client, settings: Settings, stores: Stores, queues: Sequence[str]
) -> list[Worker]:
    unknown = {q for q in queues if q not in ALL_QUEUES and not q.startswith(MODEL_QUEUE_PREFIX)}
    if unknown:
        raise ValueError(f"unknown task queues: {', '.join(sorted(unknown))}")
    workers = []
    if "calls" in queues:
        latency = LatencyRecorder(outbox=stores.analytics_outbox)
        call_activities = CallActivities(
            calls=stores.calls,
            streams=stores.streams,
            hints=stores.hints,
            outbox=stores.analytics_outbox,
            latency=latency,
        )
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
                graceful_shutdown_timeout=GRACEFUL_SHUTDOWN_TIMEOUT,
                # Latency samples flush to the outbox while the worker runs, and at its end.
                plugins=[SimplePlugin("callguide.latency", run_context=latency.running)],
            )
        )
    if "audio" in queues:
        workers.append(audio_worker(client, settings, stores, asr=build_asr(settings)))
    if "redaction" in queues:
        workers.append(redaction_worker(client, settings, stores))
    if "ml" in queues:
        workers.append(ml_worker(client, settings, stores))
    for queue in queues:
        if queue.startswith(MODEL_QUEUE_PREFIX):
            workers.append(ml_worker(client, settings, stores, model_queue=queue))
    return workers


def build_asr(settings: Settings) -> StreamingAsr:
    deepgram_api_key = settings.deepgram_api_key.get_secret_value()
    if not settings.asr_url and not deepgram_api_key:
        raise ValueError(
            "the audio queue needs CALLGUIDE_ASR_URL (a Deepgram-protocol endpoint such as "
            "`callguide asr-server`) or CALLGUIDE_DEEPGRAM_API_KEY"
        )
    return DeepgramAsr(api_key=deepgram_api_key or "local", url=settings.asr_url)


def kvs_reader_factory(settings: Settings, clients: KvsClientPool) -> ReaderFactory:
    def reader(
        request: StreamCallAudio, resume: ReaderCheckpoint | None, *, contact_ended: ContactEnded
    ) -> KvsCallReader:
        return KvsCallReader(
            stream_arn=request.media.stream_arn,
            contact_id=request.contact_id,
            start_fragment_number=request.media.start_fragment_number,
            start_timestamp_ms=request.media.start_timestamp_ms,
            stop_fragment_number=request.media.stop_fragment_number,
            checkpoint=resume,
            region=request.region,
            clients=clients,
            end_of_stream_idle_s=settings.kvs_end_of_stream_idle_s,
            stall_limit_s=settings.kvs_stall_limit_s,
            contact_ended=contact_ended,
        )

    return reader


def live_redactor(settings: Settings, stores: Stores) -> LiveRedactor:
    keys = parse_codec_keys(settings.codec_keys)
    return LiveRedactor(policies=stores.policies, master_key=keys[0][1] if keys else None)


def kvs_client_pool(settings: Settings) -> KvsClientPool:
    # Each call holds one GetMedia connection; leave room for reconnects overlapping.
    return KvsClientPool(max_connections=2 * settings.audio_max_concurrent_calls)


def audio_worker(
    client: Client,
    settings: Settings,
    stores: Stores,
    *,
    asr: StreamingAsr,
    activities: AudioActivities | None = None,
    kvs: KvsClientPool | None = None,
) -> Worker:
    """The audio queue's worker; `activities` (built on `kvs`) lets drills inject faults."""
    kvs = kvs or kvs_client_pool(settings)
    activities = activities or AudioActivities(
        asr=asr,
        streams=stores.streams,
        reader_factory=kvs_reader_factory(settings, kvs),
        redactor=live_redactor(settings, stores),
        early=EarlyPhrases(policies=stores.guidance_policies),
    )
    redactor = activities.redactor
    return Worker(
        client,
        task_queue=settings.task_queue("audio"),
        activities=[activities.stream_call_audio],
        max_concurrent_activities=settings.audio_max_concurrent_calls,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN_TIMEOUT,
        plugins=[
            SimplePlugin("callguide.kvs-clients", run_context=lambda: _open_for_run(kvs, redactor))
        ],
    )


@contextlib.asynccontextmanager
async def _open_for_run(kvs: KvsClientPool, redactor: LiveRedactor) -> AsyncIterator[None]:
    """The worker's KVS clients live as long as its run. It polls for calls only once its
    PII detector is loaded (a few seconds): a call taken earlier would have its first
    lines wait, and its interims dropped, until then."""
    try:
        await redactor.warm()
        async with kvs:
            yield
    finally:
        redactor.close()


# --- the redaction queue ----------------------------------------------------------------

# Each redaction holds one call's audio in memory and beeps it, and each verification
# re-transcribes one (the Whisper model decodes one track at a time per process): a few at
# once keep the CPU busy without piling calls' audio up in memory.
REDACTION_MAX_CONCURRENT_ACTIVITIES = 4


def object_store(settings: Settings) -> ObjectStore:
    return ObjectStore(
        bucket=settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region
    )


def redaction_reader_factory(
    settings: Settings, clients: KvsClientPool
) -> Callable[[RedactCallAudio], KvsCallReader]:
    """Re-reads an ended call from its start fragment to the end of its contact's audio."""

    async def contact_ended() -> bool:
        return True  # the call is over: a quiet stream is the end of its audio

    def reader(request: RedactCallAudio) -> KvsCallReader:
        return KvsCallReader(
            stream_arn=request.media.stream_arn,
            contact_id=request.contact_id,
            start_fragment_number=request.media.start_fragment_number,
            start_timestamp_ms=request.media.start_timestamp_ms,
            stop_fragment_number=request.media.stop_fragment_number,
            region=request.region,
            clients=clients,
            end_of_stream_idle_s=settings.kvs_end_of_stream_idle_s,
            stall_limit_s=settings.kvs_stall_limit_s,
            contact_ended=contact_ended,
        )

    return reader


def guidance_activities(
    settings: Settings, stores: Stores, *, router: ModelRouter
) -> GuidanceActivities:
    return GuidanceActivities(
        policies=stores.guidance_policies,
        calls=stores.calls,
        hints=stores.hints,
        knowledge=stores.knowledge,
        router=router,
        embedder=default_embedder,
        task_queue=settings.task_queue,
        streams=stores.streams,
    )


def ml_worker(
    client: Client,
    settings: Settings,
    stores: Stores,
    *,
    router: ModelRouter | None = None,
    model_queue: str | None = None,
) -> Worker:
    """Guidance (its workflow, turn matching and model calls) on `ml`; on a model queue
    (`model_queue`, e.g. ml-gpu), only the model calls of the routes that name it."""
    router = router or ModelRouter.from_settings(settings)
    activities = guidance_activities(settings, stores, router=router)
    model_calls: list[Callable[..., Any]] = [activities.suggest_reply, activities.summarize_call]
    if model_queue is None:
        queue = settings.task_queue("ml")
        workflows: list[type] = [GuidanceWorkflow]
        registered: list[Callable[..., Any]] = [
            activities.load_guidance_plan,
            activities.match_turn,
            activities.publish_hint,
            *model_calls,
        ]
    else:
        queue, workflows, registered = settings.task_queue(model_queue), [], model_calls
    return Worker(
        client,
        task_queue=queue,
        workflows=workflows,
        activities=registered,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN_TIMEOUT,
        plugins=[SimplePlugin("callguide.guidance", run_context=lambda: _guidance_ready(router))],
    )


@contextlib.asynccontextmanager
async def _guidance_ready(router: ModelRouter) -> AsyncIterator[None]:
    """Loads the embedding model before the worker polls, so a call's first turns are not
    late for it; the router's HTTP clients close with the worker."""
    await asyncio.to_thread(lambda: default_embedder().embed(["warming up"]))
    try:
        yield
    finally:
        await router.close()


def redaction_activities(
    settings: Settings,
    stores: Stores,
    *,
    kvs: KvsClientPool,
    objects: ObjectStore,
    kind: type[RedactionActivities] = RedactionActivities,
) -> RedactionActivities:
    """The redaction queue's activities; `kind` lets drills substitute a broken redactor."""
    return kind(
        calls=stores.calls,
        policies=stores.policies,
        redactions=stores.redactions,
        streams=stores.streams,
        objects=objects,
        bucket=settings.s3_bucket,
        quarantine_prefix=settings.s3_quarantine_prefix,
        reader_factory=redaction_reader_factory(settings, kvs),
        outbox=stores.analytics_outbox,
    )


def redaction_worker(
    client: Client,
    settings: Settings,
    stores: Stores,
    *,
    activities: RedactionActivities | None = None,
    kvs: KvsClientPool | None = None,
    objects: ObjectStore | None = None,
) -> Worker:
    """Audio redaction and verification; `activities` (built on `kvs` and `objects`) lets
    drills break the redactor."""
    kvs = kvs or KvsClientPool(max_connections=2 * REDACTION_MAX_CONCURRENT_ACTIVITIES)
    objects = objects or object_store(settings)
    activities = activities or redaction_activities(settings, stores, kvs=kvs, objects=objects)
    return Worker(
        client,
        task_queue=settings.task_queue("redaction"),
        workflows=[AudioRedactionWorkflow, VerificationWorkflow],
        activities=[
            activities.load_redaction_policy,
            activities.redact_call_audio,
            activities.verify_redacted_audio,
            activities.settle_redaction,
        ],
        max_concurrent_activities=REDACTION_MAX_CONCURRENT_ACTIVITIES,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN_TIMEOUT,
        plugins=[
            SimplePlugin(
                "callguide.redaction-clients",
                run_context=lambda: _open_redaction_clients(
                    kvs, objects, create_bucket=settings.s3_endpoint_url is not None
                ),
            )
        ],
    )


@contextlib.asynccontextmanager
async def _open_redaction_clients(
    kvs: KvsClientPool, objects: ObjectStore, *, create_bucket: bool
) -> AsyncIterator[None]:
    """KVS and S3 clients live as long as the worker's run. A local S3-compatible server
    gets its bucket here; real S3 buckets are made by the deployment (infra/terraform)."""
    async with kvs, objects:
        if create_bucket:
            try:
                await objects.ensure_bucket()
            except ObjectStoreError as error:  # down at start: uploads retry until it is back
                log.warning("cannot make the redaction bucket yet: %s", error)
        yield


async def run_workers(settings: Settings, queues: Sequence[str]) -> None:
    client = await connect_temporal(settings)
    async with open_stores(settings) as stores, _serving_metrics(settings):
        workers = build_workers(client, settings, stores, queues)
        log.info("worker polling %s", ", ".join(settings.task_queue(q) for q in queues))
        stop = asyncio.Event()
        with _stop_on_signals(stop):
            async with asyncio.TaskGroup() as tasks:
                for worker in workers:
                    tasks.create_task(worker.run())
                await stop.wait()
                log.info(
                    "shutting down: in-flight activities get %ss to finish",
                    GRACEFUL_SHUTDOWN_TIMEOUT.total_seconds(),
                )
                await asyncio.gather(*(worker.shutdown() for worker in workers))
        log.info("worker stopped")


@contextlib.asynccontextmanager
async def _serving_metrics(settings: Settings) -> AsyncIterator[None]:
    """Prometheus metrics on CALLGUIDE_METRICS_PORT while the worker runs (0: none)."""
    with serving_metrics(host=settings.metrics_host, port=settings.metrics_port) as port:
        if port is not None:
            log.info("metrics on http://%s:%d/metrics", settings.metrics_host, port)
        yield


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for number in signals:
        loop.add_signal_handler(number, stop.set)
    try:
        yield
    finally:
        for number in signals:
            loop.remove_signal_handler(number)
