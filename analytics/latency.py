"""Per-stage latency samples from the live path, buffered in process and written to the
analytics outbox in batches by a background task.

The publish activity runs on the live path and must never wait on PostgreSQL, so
``record`` only appends to a bounded buffer. A full buffer, or an outbox that cannot be
written (PostgreSQL down), drops samples and counts them: latency figures may thin out,
the calls never slow down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from analytics import events
from callguide.metrics import STAGE_LATENCY
from storage.analytics_outbox import AnalyticsOutbox, OutboxEvent

log = logging.getLogger(__name__)

# Stages whose Prometheus histogram this process observes; asr_final is observed where
# it happens (the audio worker) and only stored from here.
OBSERVED_STAGES = frozenset({"signal", "persisted", "published", "hint_delivered"})


class LatencyRecorder:
    def __init__(
        self,
        *,
        outbox: AnalyticsOutbox,
        max_pending: int = 20_000,
        flush_interval_s: float = 1.0,
        batch_size: int = 2_000,
    ) -> None:
        self._outbox = outbox
        self._pending: deque[OutboxEvent] = deque()
        self._max_pending = max_pending
        self._flush_interval_s = flush_interval_s
        self._batch_size = batch_size
        self.dropped = 0
        self.written = 0

    def record(
        self, *, tenant_id: str, call_id: str, stage: str, sample_key: str, ms: float
    ) -> None:
        """Never blocks: observes the histogram and queues the sample (or drops it)."""
        if ms < 0:  # clocks of two machines disagree; a negative stage time is no sample
            return
        if stage in OBSERVED_STAGES:
            STAGE_LATENCY.labels(stage).observe(ms / 1000)
        if len(self._pending) >= self._max_pending:
            self.dropped += 1
            return
        self._pending.append(
            events.latency_sample(
                tenant_id=tenant_id,
                call_id=call_id,
                stage=stage,
                sample_key=sample_key,
                ms=ms,
                at=datetime.now(UTC),
            )
        )

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self) -> int:
        """Writes what is queued, a batch at a time; a failed batch is dropped and counted."""
        written = 0
        while self._pending:
            batch = [self._pending.popleft() for _ in range(min(self._batch_size, self.pending))]
            try:
                written += await self._outbox.add(batch)
            except Exception as error:
                self.dropped += len(batch)
                log.warning(
                    "latency samples dropped (%d so far): %s", self.dropped, type(error).__name__
                )
                break
        self.written += written
        return written

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_interval_s)
            await self.flush()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Flushes in the background while the block runs, and once more at its end."""
        task = asyncio.create_task(self.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            with contextlib.suppress(Exception):
                await self.flush()
