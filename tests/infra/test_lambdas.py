"""The Connect Lambdas (infra/lambda/) against the real API, with the tenant's key in a
real (moto) Secrets Manager, on recorded Connect, EventBridge and Kinesis event shapes.

Each test loads the handlers afresh: a new Lambda container, with an empty key cache.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import importlib
import json
import logging
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import boto3
import httpx
import pytest

from callguide.connect_events import DEMO_INSTANCE_ARN, contact_event
from callguide.devstack import free_port
from callguide.resources import Stores
from tests.conftest import TenantKey, new_tenant

LAMBDA_DIR = Path(__file__).resolve().parents[2] / "infra" / "lambda"
RECORDED_FLOW_EVENT = Path(__file__).resolve().parents[2] / "examples/events/contact-flow.json"
HANDLERS = ("callguide_api", "contact_flow", "contact_events", "ctr_feeder")
REGION = "us-east-1"
# Slack over a handler's budget for the interpreter and the loopback, on a busy machine.
SLACK_S = 1.0


def new_container() -> SimpleNamespace:
    """The handler modules as a fresh Lambda container imports them."""
    if str(LAMBDA_DIR) not in sys.path:
        sys.path.insert(0, str(LAMBDA_DIR))
    for name in HANDLERS:
        sys.modules.pop(name, None)
    modules: dict[str, ModuleType] = {n: importlib.import_module(n) for n in HANDLERS}
    return SimpleNamespace(**modules)


def recorded_flow_event(contact_id: str) -> dict[str, Any]:
    """The recorded 'Invoke AWS Lambda function' event, as a new contact."""
    event: dict[str, Any] = json.loads(RECORDED_FLOW_EVENT.read_text())
    data = event["Details"]["ContactData"]
    data["ContactId"] = data["InitialContactId"] = data["PreviousContactId"] = contact_id
    return event


class LambdaContext:
    """The part of Lambda's context object the handlers read."""

    def __init__(self, remaining_s: float) -> None:
        self._ends_at = time.monotonic() + remaining_s

    def get_remaining_time_in_millis(self) -> int:
        return int((self._ends_at - time.monotonic()) * 1000)


class Secrets:
    def __init__(self, endpoint_url: str) -> None:
        self.client = boto3.client("secretsmanager", endpoint_url=endpoint_url, region_name=REGION)

    def create(self, value: str) -> str:
        name = f"callguide/tenants/t-{uuid.uuid4().hex[:8]}/api-key"
        return str(self.client.create_secret(Name=name, SecretString=value)["ARN"])

    def put(self, arn: str, value: str) -> None:
        self.client.put_secret_value(SecretId=arn, SecretString=value)


@pytest.fixture
def secrets(s3: str, monkeypatch: pytest.MonkeyPatch) -> Secrets:
    # The moto server serves every AWS service; the handlers' boto3 finds it this way.
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", s3)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("CALLGUIDE_TIMEOUT_S", raising=False)
    monkeypatch.delenv("CALLGUIDE_CONNECT_INSTANCE_ARN", raising=False)
    return Secrets(s3)


def configure(monkeypatch: pytest.MonkeyPatch, secrets: Secrets, api_url: str, api_key: str) -> str:
    arn = secrets.create(api_key)
    monkeypatch.setenv("CALLGUIDE_API_URL", api_url)
    monkeypatch.setenv("CALLGUIDE_API_KEY_SECRET_ARN", arn)
    return arn


@pytest.fixture
def hanging_api() -> Iterator[str]:
    """A server that accepts connections (the kernel completes the handshake) and never
    answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


async def invoke(handler: Any, event: dict[str, Any], context: object = None) -> Any:
    return await asyncio.to_thread(handler, event, context)


# --- contact flow -------------------------------------------------------------------------


async def test_flow_starts_the_call_once_and_answers_flat_strings(
    api_url: str,
    http: httpx.AsyncClient,
    tenant: TenantKey,
    worker: None,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    lam = new_container()
    contact_id = str(uuid.uuid4())
    event = recorded_flow_event(contact_id)

    first = await invoke(lam.contact_flow.handler, event, LambdaContext(3.0))
    again = await invoke(lam.contact_flow.handler, copy.deepcopy(event), LambdaContext(3.0))

    assert first == {"callguide": "started", "callId": contact_id, "httpStatus": "200"}
    assert again == {"callguide": "already_started", "callId": contact_id, "httpStatus": "200"}
    for answer in (first, again):  # Connect takes a flat map of strings only
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items())
    call = await http.get(f"/v1/calls/{contact_id}", headers=tenant.headers)
    assert call.status_code == 200 and call.json()["status"] == "active"
    await http.post(f"/v1/calls/{contact_id}/end", headers=tenant.headers)
    # The Lambda's log names the contact and the outcome, never the caller's number.
    lambda_lines = [r.getMessage() for r in caplog.records if r.name.startswith("callguide.")]
    assert any(contact_id in line and "started" in line for line in lambda_lines)
    caller = event["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
    assert caller not in caplog.text and caller.lstrip("+") not in caplog.text


async def test_key_is_fetched_once_per_container_and_again_after_rotation(
    api_url: str,
    tenant: TenantKey,
    stores: Stores,
    worker: None,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arn = configure(monkeypatch, secrets, api_url, tenant.api_key)
    lam = new_container()
    handler = lam.contact_flow.handler
    assert (await invoke(handler, recorded_flow_event(str(uuid.uuid4()))))["callguide"] == "started"

    # A warm container does not read the secret again: a wrong value there goes unnoticed.
    secrets.put(arn, "not-a-callguide-key")
    assert (await invoke(handler, recorded_flow_event(str(uuid.uuid4()))))["callguide"] == "started"
    assert lam.callguide_api.API_KEYS.fetches == 1

    # The key is rotated: the cached one gets a 401, the secret is read again, and the
    # same invocation goes through with the new key.
    rotated = await stores.tenants.rotate_key(tenant.tenant_id)
    secrets.put(arn, rotated.api_key)
    answer = await invoke(handler, recorded_flow_event(str(uuid.uuid4())))
    assert answer["callguide"] == "started"
    assert lam.callguide_api.API_KEYS.fetches == 2

    # A secret still holding a revoked key is a configuration to fix, not an outage.
    secrets.put(arn, tenant.api_key)
    stale = await invoke(new_container().contact_flow.handler, recorded_flow_event("c-1"))
    assert stale["callguide"] == "rejected" and stale["httpStatus"] == "401"


async def test_tenant_at_its_limit_is_refused_and_nothing_starts(
    api_url: str,
    http: httpx.AsyncClient,
    tenant: TenantKey,
    stores: Stores,
    worker: None,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    await stores.tenants.set_max_concurrent_calls(tenant.tenant_id, 1)
    handler = new_container().contact_flow.handler
    running, over = str(uuid.uuid4()), str(uuid.uuid4())
    assert (await invoke(handler, recorded_flow_event(running)))["callguide"] == "started"

    refused = await invoke(handler, recorded_flow_event(over))

    assert refused["callguide"] == "refused" and refused["httpStatus"] == "429"
    assert refused["callId"] == over and refused["retryAfter"] == "30"
    assert "limit of 1 concurrent calls" in refused["reason"]
    assert (await http.get(f"/v1/calls/{over}", headers=tenant.headers)).status_code == 404
    await http.post(f"/v1/calls/{running}/end", headers=tenant.headers)


async def test_bad_event_is_rejected_naming_the_field(
    api_url: str, tenant: TenantKey, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    handler = new_container().contact_flow.handler
    chat = recorded_flow_event(str(uuid.uuid4()))
    chat["Details"]["ContactData"]["Channel"] = "CHAT"
    no_id = recorded_flow_event("x")
    del no_id["Details"]["ContactData"]["ContactId"]

    for event, field in ((chat, "Channel"), (no_id, "ContactId")):
        answer = await invoke(handler, event)
        assert answer["callguide"] == "rejected" and answer["httpStatus"] == "400"
        assert field in answer["reason"]
    assert (await invoke(handler, {"not": "a contact flow event"}))["callguide"] == "rejected"


async def test_another_tenants_key_starts_nothing_for_either(
    api_url: str,
    http: httpx.AsyncClient,
    tenant: TenantKey,
    stores: Stores,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tenant B is in the EU and not bound to tenant A's (US) Connect instance.
    other = await new_tenant(stores, region="eu-west-1")
    configure(monkeypatch, secrets, api_url, other.api_key)
    contact_id = str(uuid.uuid4())

    answer = await invoke(new_container().contact_flow.handler, recorded_flow_event(contact_id))

    assert answer["callguide"] == "rejected" and answer["httpStatus"] in {"400", "403"}
    for who in (tenant, other):
        assert (await http.get(f"/v1/calls/{contact_id}", headers=who.headers)).status_code == 404


@pytest.mark.parametrize("api", ["closed_port", "hanging"])
async def test_flow_answers_unavailable_within_its_timeout(
    api: str,
    hanging_api: str,
    tenant: TenantKey,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = hanging_api if api == "hanging" else f"http://127.0.0.1:{free_port()}"
    configure(monkeypatch, secrets, url, tenant.api_key)
    monkeypatch.setenv("CALLGUIDE_TIMEOUT_S", "0.8")
    handler = new_container().contact_flow.handler
    contact_id = str(uuid.uuid4())

    started = time.monotonic()
    answer = await invoke(handler, recorded_flow_event(contact_id), LambdaContext(3.0))
    elapsed = time.monotonic() - started

    assert answer["callguide"] == "unavailable" and answer["callId"] == contact_id
    assert elapsed < 0.8 + SLACK_S


async def test_flow_keeps_within_the_lambdas_own_remaining_time(
    hanging_api: str, tenant: TenantKey, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, secrets, hanging_api, tenant.api_key)
    monkeypatch.setenv("CALLGUIDE_TIMEOUT_S", "10")
    handler = new_container().contact_flow.handler

    started = time.monotonic()
    answer = await invoke(handler, recorded_flow_event(str(uuid.uuid4())), LambdaContext(1.5))

    assert answer["callguide"] == "unavailable"
    # Gave up 0.5 s before Lambda's limit, and answered before Lambda would kill it.
    assert time.monotonic() - started < 1.5


async def test_flow_answers_unavailable_when_the_key_cannot_be_read(
    api_url: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLGUIDE_API_URL", api_url)
    monkeypatch.setenv("CALLGUIDE_API_KEY_SECRET_ARN", "callguide/tenants/nobody/api-key")

    answer = await invoke(new_container().contact_flow.handler, recorded_flow_event("c-2"))

    assert answer == {
        "callguide": "unavailable",
        "callId": "c-2",
        "reason": "API key secret unreadable: ResourceNotFoundException",
    }


# --- contact events -----------------------------------------------------------------------


async def test_disconnected_event_ends_the_call(
    api_url: str,
    http: httpx.AsyncClient,
    tenant: TenantKey,
    worker: None,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    lam = new_container()
    contact_id = str(uuid.uuid4())
    assert (await invoke(lam.contact_flow.handler, recorded_flow_event(contact_id)))[
        "callguide"
    ] == "started"

    connected = await invoke(
        lam.contact_events.handler,
        contact_event(contact_id=contact_id, event_type="CONNECTED_TO_AGENT"),
    )
    ended = await invoke(
        lam.contact_events.handler, contact_event(contact_id=contact_id, event_type="DISCONNECTED")
    )

    assert connected["callguide"] == "recorded" and connected["endingCall"] == "false"
    assert ended == {
        "callguide": "recorded",
        "callId": contact_id,
        "eventType": "DISCONNECTED",
        "endingCall": "true",
        "httpStatus": "202",
    }
    for _ in range(200):
        call = (await http.get(f"/v1/calls/{contact_id}", headers=tenant.headers)).json()
        if call["status"] == "ended":
            break
        await asyncio.sleep(0.05)
    assert call["status"] == "ended"


async def test_bad_contact_event_is_rejected_naming_the_field(
    api_url: str, tenant: TenantKey, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    event = contact_event(contact_id=str(uuid.uuid4()), event_type="DISCONNECTED")
    del event["detail"]["eventType"]

    answer = await invoke(new_container().contact_events.handler, event)

    assert answer["callguide"] == "rejected" and answer["httpStatus"] == "400"
    assert "eventType" in answer["reason"]


async def test_contact_event_raises_within_its_timeout_when_callguide_is_down(
    hanging_api: str, tenant: TenantKey, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Raising makes Lambda deliver the event again (async retries, then the DLQ).
    configure(monkeypatch, secrets, hanging_api, tenant.api_key)
    monkeypatch.setenv("CALLGUIDE_TIMEOUT_S", "0.8")
    lam = new_container()
    event = contact_event(contact_id=str(uuid.uuid4()), event_type="DISCONNECTED")

    started = time.monotonic()
    with pytest.raises(lam.callguide_api.CallguideUnavailable, match="did not answer in time"):
        await invoke(lam.contact_events.handler, event, LambdaContext(10.0))
    assert time.monotonic() - started < 0.8 + SLACK_S


# --- contact records (Kinesis) ------------------------------------------------------------


def contact_record(contact_id: str, instance: str = DEMO_INSTANCE_ARN) -> dict[str, Any]:
    """The fields of a voice contact's record (Connect's CTR data model) the feeder reads,
    with the customer's number as Connect writes it."""
    return {
        "AWSAccountId": instance.split(":")[4],
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Channel": "VOICE",
        "ContactId": contact_id,
        "CustomerEndpoint": {"Address": "+15557654321", "Type": "TELEPHONE_NUMBER"},
        "DisconnectReason": "CUSTOMER_DISCONNECT",
        "InitiationMethod": "INBOUND",
        "InitiationTimestamp": "2026-11-30T20:00:00Z",
        "DisconnectTimestamp": "2026-11-30T20:06:28Z",
        "InstanceARN": instance,
        "LastUpdateTimestamp": "2026-11-30T20:07:00Z",
    }


def kinesis_batch(s3: str, payloads: list[bytes]) -> dict[str, Any]:
    """Puts the payloads on a (moto) Kinesis stream, reads them back and wraps them as the
    Kinesis event source mapping invokes a Lambda."""
    kinesis = boto3.client("kinesis", endpoint_url=s3, region_name=REGION)
    name = f"ctr-{uuid.uuid4().hex[:8]}"
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    for payload in payloads:
        kinesis.put_record(StreamName=name, Data=payload, PartitionKey="contact")
    shard = kinesis.list_shards(StreamName=name)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator)["Records"]
    return {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": r["PartitionKey"],
                    "sequenceNumber": r["SequenceNumber"],
                    "data": base64.b64encode(r["Data"]).decode(),
                    "approximateArrivalTimestamp": r["ApproximateArrivalTimestamp"].timestamp(),
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"{shard}:{r['SequenceNumber']}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": f"arn:aws:iam::{DEMO_INSTANCE_ARN.split(':')[4]}:role/feeder",
                "awsRegion": REGION,
                "eventSourceARN": arn,
            }
            for r in records
        ]
    }


def sequences(batch: dict[str, Any]) -> list[str]:
    return [r["kinesis"]["sequenceNumber"] for r in batch["Records"]]


async def test_feeder_stores_its_instances_records_and_skips_the_rest(
    s3: str,
    api_url: str,
    tenant: TenantKey,
    stores: Stores,
    secrets: Secrets,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(monkeypatch, secrets, api_url, tenant.api_key)
    monkeypatch.setenv("CALLGUIDE_CONNECT_INSTANCE_ARN", DEMO_INSTANCE_ARN)
    other_instance = DEMO_INSTANCE_ARN.replace("5f1c0c8e-demo", "00000000-othr")
    first, second, foreign = (str(uuid.uuid4()) for _ in range(3))
    batch = kinesis_batch(
        s3,
        [
            json.dumps(contact_record(first)).encode(),
            b"\x00not json",
            json.dumps(contact_record(foreign, other_instance)).encode(),
            json.dumps(contact_record(second)).encode(),
        ],
    )

    answer = await invoke(new_container().ctr_feeder.handler, batch, LambdaContext(30.0))

    # Taken whole: nothing comes back for redelivery; the junk and the other instance's
    # record were never sent.
    assert answer == {"batchItemFailures": []}
    for contact in (first, second):
        stored = await stores.contact_records.for_contact(tenant.tenant_id, contact)
        assert stored is not None and stored.disconnect_reason == "CUSTOMER_DISCONNECT"
    assert await stores.contact_records.for_contact(tenant.tenant_id, foreign) is None
    rows = await stores.pool.fetch(
        "SELECT * FROM contact_records WHERE tenant_id = $1", tenant.tenant_id
    )
    assert rows and "5557654321" not in json.dumps([dict(r) for r in rows], default=str)


async def test_contact_records_of_other_instances_or_not_ctrs_are_refused_by_index(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    other_instance = DEMO_INSTANCE_ARN.replace("5f1c0c8e-demo", "00000000-othr")
    response = await http.post(
        "/v1/connect/contact-records",
        json={
            "records": [
                contact_record(str(uuid.uuid4())),
                contact_record(str(uuid.uuid4()), other_instance),
                {"ContactId": "x"},
            ]
        },
        headers=tenant.headers,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["stored"] == 1 and [r["index"] for r in answer["refused"]] == [1, 2]
    assert "5557654321" not in response.text
    empty = await http.post(
        "/v1/connect/contact-records", json={"records": []}, headers=tenant.headers
    )
    assert empty.status_code == 400 and empty.json()["detail"].startswith("records")


async def test_feeder_reports_the_batch_for_redelivery_when_callguide_is_down(
    s3: str, hanging_api: str, tenant: TenantKey, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, secrets, hanging_api, tenant.api_key)
    monkeypatch.setenv("CALLGUIDE_TIMEOUT_S", "0.8")
    batch = kinesis_batch(s3, [json.dumps(contact_record(str(uuid.uuid4()))).encode()])

    started = time.monotonic()
    answer = await invoke(new_container().ctr_feeder.handler, batch, LambdaContext(30.0))

    assert answer == {"batchItemFailures": [{"itemIdentifier": sequences(batch)[0]}]}
    assert time.monotonic() - started < 0.8 + SLACK_S


async def test_feeder_sends_nothing_for_a_batch_without_contact_records(
    s3: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No API and no secret at all: a batch of junk must not need either.
    monkeypatch.setenv("CALLGUIDE_API_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CALLGUIDE_API_KEY_SECRET_ARN", "callguide/tenants/nobody/api-key")
    batch = kinesis_batch(s3, [b"[]", b"plain text"])

    answer = await invoke(new_container().ctr_feeder.handler, batch)

    assert answer == {"batchItemFailures": []}
