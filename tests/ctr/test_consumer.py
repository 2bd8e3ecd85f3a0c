"""The CTR consumer against a real Kinesis Data Stream (moto's server, the suite's `s3`
fixture): the newest version of each contact is kept whatever order versions arrive in,
bad records and unknown instances are skipped without stopping anything or leaking PII,
the position survives a restart, and the call's GET shows agent, queue and disconnect."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aioboto3
import httpx
import pytest
import pytest_asyncio

from callguide.backoff import Backoff
from callguide.resources import Stores
from ctr.consumer import ContactRecordConsumer
from tests.conftest import TenantKey

REGION = "us-east-1"
ACCOUNT = "111122223333"
T0 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
# What a CTR carries about the customer: none of it may be stored or logged.
CUSTOMER_PHONE = "+15557654321"
CUSTOMER_NAME = "Margarethe Vandersloot"
CUSTOMER_ADDRESS = "42 Wallaby Way"
FAST_BACKOFF = Backoff(initial_s=0.02, max_s=0.1)


def instance_arn() -> str:
    return f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{uuid.uuid4()}"


def ctr(
    contact_id: str,
    instance: str,
    updated: datetime,
    *,
    username: str = "jdoe",
    disconnect_reason: str = "CUSTOMER_DISCONNECT",
    **top: Any,
) -> dict[str, Any]:
    """A voice contact's record as Connect exports it (admin guide, ctr-data-model)."""
    iso = "%Y-%m-%dT%H:%M:%SZ"
    agent_id = uuid.uuid5(uuid.NAMESPACE_DNS, username)
    record: dict[str, Any] = {
        "AWSAccountId": ACCOUNT,
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Agent": {
            "ARN": f"{instance}/agent/{agent_id}",
            "AfterContactWorkDuration": 32,
            "AfterContactWorkEndTimestamp": (T0 + timedelta(seconds=420)).strftime(iso),
            "AfterContactWorkStartTimestamp": (T0 + timedelta(seconds=388)).strftime(iso),
            "AgentInteractionDuration": 341,
            "ConnectedToAgentTimestamp": (T0 + timedelta(seconds=27)).strftime(iso),
            "CustomerHoldDuration": 18,
            "HierarchyGroups": None,
            "LongestHoldDuration": 12,
            "NumberOfHolds": 2,
            "RoutingProfile": {"ARN": f"{instance}/routing-profile/rp1", "Name": "Basic"},
            "Username": username,
        },
        "AgentConnectionAttempts": 1,
        "Attributes": {"customerName": CUSTOMER_NAME, "address": CUSTOMER_ADDRESS},
        "Channel": "VOICE",
        "ConnectedToSystemTimestamp": (T0 + timedelta(seconds=1)).strftime(iso),
        "ContactDetails": {"Description": f"callback for {CUSTOMER_NAME}"},
        "ContactId": contact_id,
        "CustomerEndpoint": {"Address": CUSTOMER_PHONE, "Type": "TELEPHONE_NUMBER"},
        "DisconnectReason": disconnect_reason,
        "DisconnectTimestamp": (T0 + timedelta(seconds=388)).strftime(iso),
        "InitialContactId": None,
        "InitiationMethod": "INBOUND",
        "InitiationTimestamp": T0.strftime(iso),
        "InstanceARN": instance,
        "LastUpdateTimestamp": updated.strftime(iso),
        "MediaStreams": [{"Type": "AUDIO"}],
        "NextContactId": None,
        "PreviousContactId": None,
        "Queue": {
            "ARN": f"{instance}/queue/{uuid.uuid5(uuid.NAMESPACE_DNS, 'billing')}",
            "DequeueTimestamp": (T0 + timedelta(seconds=27)).strftime(iso),
            "Duration": 19,
            "EnqueueTimestamp": (T0 + timedelta(seconds=8)).strftime(iso),
            "Name": "Billing",
        },
        "Recording": {"Location": f"bucket/{contact_id}.wav", "Status": "AVAILABLE"},
        "References": [{"Name": "note", "Value": f"{CUSTOMER_NAME} {CUSTOMER_PHONE}"}],
        "SystemEndpoint": {"Address": "+15550001111", "Type": "TELEPHONE_NUMBER"},
        "TransferCompletedTimestamp": None,
        "TransferredToEndpoint": None,
    }
    record.update(top)
    return record


class Stream:
    def __init__(self, kinesis: Any, name: str) -> None:
        self.kinesis = kinesis
        self.name = name
        # Each shard's newest sequence number put.
        self.newest: dict[str, str] = {}

    async def put(self, record: dict[str, Any] | bytes, key: str = "contact") -> str:
        data = record if isinstance(record, bytes) else json.dumps(record).encode()
        sent = await self.kinesis.put_record(StreamName=self.name, Data=data, PartitionKey=key)
        self.newest[sent["ShardId"]] = str(sent["SequenceNumber"])
        return str(sent["SequenceNumber"])


@pytest_asyncio.fixture(loop_scope="session")
async def kinesis(s3: str) -> AsyncIterator[Any]:
    async with aioboto3.Session().client("kinesis", endpoint_url=s3, region_name=REGION) as client:
        yield client


async def new_stream(kinesis: Any, shards: int = 1) -> Stream:
    name = f"ctr-{uuid.uuid4().hex[:10]}"
    await kinesis.create_stream(StreamName=name, ShardCount=shards)
    return Stream(kinesis, name)


def consumer(stores: Stores, s3: str, stream: Stream) -> ContactRecordConsumer:
    return ContactRecordConsumer(
        stream_name=stream.name,
        store=stores.contact_records,
        endpoint_url=s3,
        region=REGION,
        idle_poll_s=0.05,
        backoff=FAST_BACKOFF,
    )


async def tenant_bound_to(stores: Stores, *instances: str) -> TenantKey:
    issued = await stores.tenants.create(f"ctr-{uuid.uuid4().hex[:8]}", REGION, instances)
    return TenantKey(issued.tenant.id, issued.tenant.name, issued.api_key)


async def all_rows_as_text(stores: Stores, table: str) -> str:
    rows = await stores.pool.fetch(f"SELECT row_to_json(t)::text AS row FROM {table} t")
    return "\n".join(r["row"] for r in rows)


async def test_newest_version_wins_bad_records_are_skipped_and_nothing_pii_is_kept(
    stores: Stores, s3: str, kinesis: Any, caplog: pytest.LogCaptureFixture
) -> None:
    instance = instance_arn()
    tenant = await tenant_bound_to(stores, instance)
    stream = await new_stream(kinesis)
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    minute = timedelta(minutes=1)
    # first: v1, then v2, then v1 re-delivered; second: v2 arrives before v1.
    await stream.put(ctr(first, instance, T0 + minute, username="asmith"))
    await stream.put(
        ctr(first, instance, T0 + 2 * minute, username="jdoe", disconnect_reason="AGENT_DISCONNECT")
    )
    await stream.put(ctr(first, instance, T0 + minute, username="asmith"))
    await stream.put(ctr(second, instance, T0 + 3 * minute, username="jdoe"))
    bad_json = await stream.put(b'{"ContactId": "' + CUSTOMER_PHONE.encode() + b'", trunc')
    bad_field = await stream.put(ctr(str(uuid.uuid4()), instance, T0, ContactId=CUSTOMER_PHONE))
    await stream.put(ctr(second, instance, T0 + minute, username="asmith"))
    no_tenant = str(uuid.uuid4())
    await stream.put(ctr(no_tenant, instance_arn(), T0 + minute))

    with caplog.at_level(logging.INFO):
        report = await consumer(stores, s3, stream).catch_up()

    assert report.records == 8 and report.invalid == 2
    stored = report.stored
    assert (stored.stored, stored.stale, stored.unknown_instance) == (3, 2, 1)
    newest = await stores.contact_records.for_contact(tenant.tenant_id, first)
    assert newest is not None
    assert newest.last_update == T0 + 2 * minute
    assert (newest.agent_username, newest.disconnect_reason) == ("jdoe", "AGENT_DISCONNECT")
    assert newest.agent_arn is not None and newest.agent_arn.startswith(f"{instance}/agent/")
    assert (newest.queue_name, newest.queue_duration_s) == ("Billing", 19)
    assert (newest.agent_interaction_duration_s, newest.customer_hold_duration_s) == (341, 18)
    assert (newest.longest_hold_duration_s, newest.number_of_holds) == (12, 2)
    assert (newest.channel, newest.initiation_method) == ("VOICE", "INBOUND")
    assert newest.initiation_at == T0 and newest.disconnect_at == T0 + timedelta(seconds=388)
    later = await stores.contact_records.for_contact(tenant.tenant_id, second)
    assert later is not None and later.last_update == T0 + 3 * minute
    assert later.agent_username == "jdoe"
    unclaimed = await stores.pool.fetchval(
        "SELECT count(*) FROM contact_records WHERE contact_id = $1", no_tenant
    )
    assert unclaimed == 0

    table = await all_rows_as_text(stores, "contact_records")
    for secret in (CUSTOMER_PHONE, CUSTOMER_PHONE[2:], CUSTOMER_NAME, CUSTOMER_ADDRESS):
        assert secret not in table
    logged = "\n".join(
        f"{r.getMessage()} {r.__dict__}" for r in caplog.records if r.name.startswith("ctr")
    )
    for secret in (CUSTOMER_PHONE, CUSTOMER_PHONE[2:], CUSTOMER_NAME, CUSTOMER_ADDRESS):
        assert secret not in logged
    skipped = [r for r in caplog.records if r.getMessage() == "ctr: skipped a bad contact record"]
    assert [r.__dict__["sequence_number"] for r in skipped] == [bad_json, bad_field]
    assert skipped[1].__dict__["problem"].startswith("ContactId:")


async def test_the_position_survives_a_restart(stores: Stores, s3: str, kinesis: Any) -> None:
    instance = instance_arn()
    tenant = await tenant_bound_to(stores, instance)
    stream = await new_stream(kinesis, shards=2)
    contacts = [str(uuid.uuid4()) for _ in range(6)]
    for contact in contacts[:4]:
        await stream.put(ctr(contact, instance, T0), key=contact)

    first_run = await consumer(stores, s3, stream).catch_up()
    assert first_run.records == 4 and first_run.stored.stored == 4
    assert len(first_run.shards) == 2
    nothing_new = await consumer(stores, s3, stream).catch_up()
    assert nothing_new.records == 0

    for contact in contacts[4:]:
        await stream.put(ctr(contact, instance, T0), key=contact)
    restarted = await consumer(stores, s3, stream).catch_up()
    assert restarted.records == 2 and restarted.stored.stored == 2  # only the new ones
    positions = await stores.pool.fetch(
        "SELECT shard_id, sequence_number FROM ctr_consumer_positions WHERE stream_name = $1",
        stream.name,
    )
    assert {p["shard_id"]: str(int(p["sequence_number"])) for p in positions} == stream.newest
    for contact in contacts:
        assert await stores.contact_records.for_contact(tenant.tenant_id, contact) is not None


async def test_a_shared_instance_gives_the_record_to_the_tenant_with_the_call(
    stores: Stores, s3: str, kinesis: Any
) -> None:
    instance = instance_arn()
    with_call = await tenant_bound_to(stores, instance)
    without = await tenant_bound_to(stores, instance)
    contact, orphan = str(uuid.uuid4()), str(uuid.uuid4())
    await stores.calls.record_started(
        tenant_id=with_call.tenant_id,
        call_id=contact,
        contact_id=contact,
        workflow_id=f"call-{with_call.tenant_id}-{contact}",
        started_at=T0,
        instance_arn=instance,
        stream_arn=None,
    )
    stream = await new_stream(kinesis)
    await stream.put(ctr(contact, instance, T0))
    await stream.put(ctr(orphan, instance, T0))
    report = await consumer(stores, s3, stream).catch_up()
    assert (report.stored.stored, report.stored.ambiguous_instance) == (1, 1)
    assert await stores.contact_records.for_contact(with_call.tenant_id, contact) is not None
    assert await stores.contact_records.for_contact(without.tenant_id, contact) is None
    for tenant in (with_call, without):
        assert await stores.contact_records.for_contact(tenant.tenant_id, orphan) is None


async def test_following_waits_out_a_missing_stream_and_picks_up_records(
    stores: Stores, s3: str, kinesis: Any
) -> None:
    instance = instance_arn()
    tenant = await tenant_bound_to(stores, instance)
    name = f"ctr-{uuid.uuid4().hex[:10]}"
    follower = ContactRecordConsumer(
        stream_name=name,
        store=stores.contact_records,
        endpoint_url=s3,
        region=REGION,
        idle_poll_s=0.05,
        backoff=FAST_BACKOFF,
    )
    running = asyncio.create_task(follower.run())
    try:
        await asyncio.sleep(0.5)  # the stream does not exist yet: listing fails, retried
        assert not running.done()
        await kinesis.create_stream(StreamName=name, ShardCount=1)
        stream = Stream(kinesis, name)
        await stream.put(b"not json at all")
        contact = str(uuid.uuid4())
        await stream.put(ctr(contact, instance, T0))
        for _ in range(200):
            if await stores.contact_records.for_contact(tenant.tenant_id, contact):
                break
            await asyncio.sleep(0.05)
        assert await stores.contact_records.for_contact(tenant.tenant_id, contact) is not None
        assert follower.report.invalid == 1 and not running.done()
    finally:
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running


async def test_the_calls_get_shows_its_contact_record_to_its_tenant_only(
    http: httpx.AsyncClient, stores: Stores, s3: str, kinesis: Any
) -> None:
    mine_instance, their_instance = instance_arn(), instance_arn()
    mine = await tenant_bound_to(stores, mine_instance)
    theirs = await tenant_bound_to(stores, their_instance)
    contact = str(uuid.uuid4())
    # Both tenants have a call with this contact id; the record's instance decides.
    for tenant, instance in ((mine, mine_instance), (theirs, their_instance)):
        await stores.calls.record_started(
            tenant_id=tenant.tenant_id,
            call_id=contact,
            contact_id=contact,
            workflow_id=f"call-{tenant.tenant_id}-{contact}",
            started_at=T0,
            instance_arn=instance,
            stream_arn=None,
        )
        await stores.calls.record_finished(
            tenant_id=tenant.tenant_id,
            call_id=contact,
            status="ended",
            ended_at=T0 + timedelta(minutes=7),
            utterance_count=0,
            end_reason="disconnected",
            failure_reason=None,
        )
    before = (await http.get(f"/v1/calls/{contact}", headers=mine.headers)).json()
    assert before["contact_record"] is None

    stream = await new_stream(kinesis)
    await stream.put(ctr(contact, mine_instance, T0, disconnect_reason="AGENT_DISCONNECT"))
    await consumer(stores, s3, stream).catch_up()

    response = await http.get(f"/v1/calls/{contact}", headers=mine.headers)
    assert response.status_code == 200, response.text
    record = response.json()["contact_record"]
    assert record["agent_username"] == "jdoe"
    assert record["agent_arn"].startswith(f"{mine_instance}/agent/")
    assert record["queue_name"] == "Billing" and record["queue_duration_s"] == 19
    assert record["disconnect_reason"] == "AGENT_DISCONNECT"
    assert record["agent_interaction_duration_s"] == 341
    assert record["customer_hold_duration_s"] == 18
    assert CUSTOMER_PHONE not in response.text and CUSTOMER_NAME not in response.text
    other = (await http.get(f"/v1/calls/{contact}", headers=theirs.headers)).json()
    assert other["contact_record"] is None
