"""The CTR consumer: reads the Kinesis Data Stream Connect writes contact records to and
stores each contact's newest record (storage.contact_records).

Each shard is read from just after its stored position (TRIM_HORIZON the first time);
every batch is stored together with the shard's new position in one transaction, so a
restart resumes right after the last stored batch. Records are upserted keeping the
newest LastUpdateTimestamp, so reading a batch twice, re-delivered records, or a child
shard read before its parent after a reshard all end with the same rows.

A bad record is logged by shard and sequence number (never its content: a CTR holds the
customer's phone number) and skipped. Throttling, an unreachable endpoint or a store that
is down make the shard's reader back off and retry; nothing stops the consumer but
cancelling it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from callguide.backoff import Backoff
from ctr.records import ContactRecord, InvalidContactRecord, parse_contact_record
from storage.contact_records import BatchOutcome, ContactRecordStore, ShardPosition

log = logging.getLogger(__name__)

# GetRecords allows 5 calls per second per shard, shared by every reader of the stream;
# an idle shard is asked once a second, as AWS recommends.
IDLE_POLL_S = 1.0
# Up to 10,000; CTRs are a few KB each, so a batch stays well under GetRecords' 10 MB.
RECORDS_PER_CALL = 1000
# New shards (after a reshard) are picked up this often.
SHARD_REFRESH_S = 60.0
# Kinesis answers in milliseconds; a long wait means the endpoint is unreachable.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
# Consecutive failures catch_up() tolerates per shard before it gives up.
CATCH_UP_ATTEMPTS = 6
# Errors where waiting and asking again is the fix.
_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "LimitExceededException",
    "KMSThrottlingException",
    "ThrottlingException",
}
# An iterator unused for five minutes expires; a new one is asked for.
_EXPIRED_ITERATOR = "ExpiredIteratorException"


@dataclass
class ConsumerReport:
    """Counts of one run; no record content."""

    records: int = 0
    invalid: int = 0
    stored: BatchOutcome = field(default_factory=BatchOutcome)
    shards: set[str] = field(default_factory=set)


class ContactRecordConsumer:
    """Follows every shard of one stream. `catch_up()` reads until each shard is drained
    (tests, one-off backfills); `run()` follows the stream until cancelled."""

    def __init__(
        self,
        *,
        stream_name: str,
        store: ContactRecordStore,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        session: aioboto3.Session | None = None,
        idle_poll_s: float = IDLE_POLL_S,
        records_per_call: int = RECORDS_PER_CALL,
        backoff: Backoff = Backoff(initial_s=0.5, max_s=30.0),
    ) -> None:
        self._stream_name = stream_name
        self._store = store
        self._endpoint_url = endpoint_url
        self._region = region
        self._session = session or aioboto3.Session()
        self._idle_poll_s = idle_poll_s
        self._records_per_call = records_per_call
        self._backoff = backoff
        self.report = ConsumerReport()

    @contextlib.asynccontextmanager
    async def _kinesis(self) -> AsyncIterator[Any]:
        config = Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"max_attempts": 3, "mode": "standard"},
        )
        # endpoint_url None lets botocore use AWS_ENDPOINT_URL_KINESIS, else real Kinesis.
        async with self._session.client(
            "kinesis", endpoint_url=self._endpoint_url, region_name=self._region, config=config
        ) as client:
            yield client

    async def catch_up(self) -> ConsumerReport:
        """Reads every shard up to its latest record, then returns what it did."""
        async with self._kinesis() as kinesis:
            shard_ids = await self._shard_ids(kinesis)
            await asyncio.gather(
                *(self._follow(kinesis, shard, until_caught_up=True) for shard in shard_ids)
            )
        return self.report

    async def run(self) -> None:
        """Follows the stream until cancelled, picking up new shards as they appear."""
        async with self._kinesis() as kinesis, asyncio.TaskGroup() as group:
            following: set[str] = set()
            attempts = self._backoff.attempts()
            while True:
                try:
                    shard_ids = await self._shard_ids(kinesis)
                except (ClientError, BotoCoreError) as exc:
                    delay = attempts.failed()
                    log.warning(
                        "ctr: listing the stream's shards failed; retrying",
                        extra={"stream": self._stream_name, "error": _error_code(exc)},
                    )
                    await asyncio.sleep(delay)
                    continue
                attempts.reset()
                for shard_id in shard_ids:
                    if shard_id not in following:
                        following.add(shard_id)
                        group.create_task(self._follow(kinesis, shard_id, until_caught_up=False))
                await asyncio.sleep(SHARD_REFRESH_S)

    async def _shard_ids(self, kinesis: Any) -> list[str]:
        shard_ids: list[str] = []
        request: dict[str, Any] = {"StreamName": self._stream_name}
        while True:
            page = await kinesis.list_shards(**request)
            shard_ids += [shard["ShardId"] for shard in page.get("Shards", [])]
            token = page.get("NextToken")
            if not token:
                return shard_ids
            request = {"NextToken": token}

    async def _iterator(self, kinesis: Any, shard_id: str) -> str | None:
        after = await self._store.position(self._stream_name, shard_id)
        request: dict[str, Any] = {"StreamName": self._stream_name, "ShardId": shard_id}
        if after is None:
            request["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER"
            request["StartingSequenceNumber"] = after
        try:
            response = await kinesis.get_shard_iterator(**request)
        except ClientError as exc:
            if after is None or _error_code(exc) != "InvalidArgumentException":
                raise
            # Kinesis refuses a sequence number that is not in the shard (a stream deleted
            # and made again under the same name): read it from its oldest record instead
            # (the upsert makes any record read again harmless), and keep its new position.
            log.warning(
                "ctr: the stored position is not in the shard; reading it from its start",
                extra={"stream": self._stream_name, "shard_id": shard_id},
            )
            await self._store.forget_position(self._stream_name, shard_id)
            del request["StartingSequenceNumber"]
            request["ShardIteratorType"] = "TRIM_HORIZON"
            response = await kinesis.get_shard_iterator(**request)
        iterator: str | None = response.get("ShardIterator")
        return iterator

    async def _follow(self, kinesis: Any, shard_id: str, *, until_caught_up: bool) -> None:
        """Reads one shard until it is closed and drained (or, with until_caught_up, until
        it has nothing newer); failures are retried with backoff, never raised."""
        self.report.shards.add(shard_id)
        # Catching up is a bounded job that reports failure; following never gives up.
        attempts = self._backoff.attempts(CATCH_UP_ATTEMPTS if until_caught_up else None)
        iterator: str | None = None
        while True:
            try:
                if iterator is None:
                    iterator = await self._iterator(kinesis, shard_id)
                    if iterator is None:
                        return  # a closed shard read to its end
                response = await kinesis.get_records(
                    ShardIterator=iterator, Limit=self._records_per_call
                )
                records = response.get("Records", [])
                if records:
                    await self._store_batch(shard_id, records)
                attempts.reset()
            except Exception as exc:  # any failure is retried: none may stop the consumer
                code = _error_code(exc)
                if code not in _THROTTLED:
                    # The iterator may be stale (expired, or after an outage): start again
                    # from the stored position, which no unstored batch has moved.
                    iterator = None
                delay = attempts.failed()
                if code == _EXPIRED_ITERATOR and attempts.failures == 1:
                    continue  # routine after a long pause: a fresh iterator at once
                log.warning(
                    "ctr: reading a shard failed; backing off",
                    extra={"stream": self._stream_name, "shard_id": shard_id, "error": code},
                )
                await asyncio.sleep(delay)
                continue
            iterator = response.get("NextShardIterator")
            if iterator is None:
                return  # the shard was closed (a reshard) and is read to its end
            caught_up = not records and response.get("MillisBehindLatest", 0) == 0
            if caught_up and until_caught_up:
                return
            if not records:
                await asyncio.sleep(self._idle_poll_s)

    async def _store_batch(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        parsed: list[ContactRecord] = []
        for record in records:
            try:
                parsed.append(parse_contact_record(record["Data"]))
            except InvalidContactRecord as exc:
                self.report.invalid += 1
                # The problem names a field and a rule, never a value.
                log.warning(
                    "ctr: skipped a bad contact record",
                    extra={
                        "stream": self._stream_name,
                        "shard_id": shard_id,
                        "sequence_number": record["SequenceNumber"],
                        "problem": str(exc),
                    },
                )
        position = ShardPosition(self._stream_name, shard_id, records[-1]["SequenceNumber"])
        outcome = await self._store.store_batch(parsed, position)
        self.report.records += len(records)
        self.report.stored.add(outcome)
        if outcome.unknown_instance or outcome.ambiguous_instance:
            log.warning(
                "ctr: skipped records of instances no single tenant is bound to",
                extra={
                    "stream": self._stream_name,
                    "shard_id": shard_id,
                    "unknown_instance": outcome.unknown_instance,
                    "ambiguous_instance": outcome.ambiguous_instance,
                },
            )


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__


async def run_consumer(
    *, database_url: str, stream_name: str, endpoint_url: str | None, region: str
) -> None:
    """`callguide ctr-consumer`: follows the stream into PostgreSQL until cancelled."""
    from storage.postgres import connect_and_migrate

    pool = await connect_and_migrate(database_url, max_size=2)
    try:
        consumer = ContactRecordConsumer(
            stream_name=stream_name,
            store=ContactRecordStore(pool=pool),
            endpoint_url=endpoint_url,
            region=region,
        )
        log.info("ctr: following stream", extra={"stream": stream_name})
        await consumer.run()
    finally:
        await pool.close()
