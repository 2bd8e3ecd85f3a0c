"""The Connect endpoints: starting calls from contact-flow events, ending them on DISCONNECTED."""

from __future__ import annotations

import copy
import uuid

import httpx
import pytest
from temporalio.client import Client

from callguide.connect_events import contact_event, contact_flow_event
from callguide.resources import Stores
from tests.conftest import TenantKey
from workflows.call import CallWorkflow

STREAM = (
    "arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-demo-contact-7f2ad9f3/1700000000000"
)


def flow_event(contact_id: str | None = None) -> dict:
    return contact_flow_event(
        contact_id=contact_id or str(uuid.uuid4()),
        stream_arn=STREAM,
        start_fragment_number="91343852333181432392682062622220590765191907586",
    )


async def test_same_event_twice_starts_one_call(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client
) -> None:
    event = flow_event()
    contact_id = event["Details"]["ContactData"]["ContactId"]
    first = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
    second = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)

    assert first.status_code == 200, first.text
    assert first.json() == {
        "call_id": contact_id,
        "workflow_id": f"call-{tenant.tenant_id}-{contact_id}",
        "created": True,
    }
    assert second.status_code == 200 and second.json()["created"] is False
    runs = [w async for w in client.list_workflows(f"WorkflowId = '{first.json()['workflow_id']}'")]
    assert len(runs) == 1


def _drop(event: dict, path: list[str]) -> None:
    node = event
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (
            lambda e: _drop(e, ["Details", "ContactData", "ContactId"]),
            "Details.ContactData.ContactId",
        ),
        (
            lambda e: e["Details"]["ContactData"].update(Channel="CHAT"),
            "Details.ContactData.Channel",
        ),
        (
            lambda e: e["Details"]["ContactData"]["MediaStreams"]["Customer"].update(Audio=None),
            "Details.ContactData.MediaStreams.Customer.Audio",
        ),
        (
            lambda e: _drop(e, ["Details", "ContactData", "MediaStreams", "Customer", "Audio"]),
            "Details.ContactData.MediaStreams.Customer.Audio",
        ),
        (
            lambda e: e["Details"]["ContactData"].update(
                InstanceARN="arn:aws:connect:eu-west-2:111122223333:instance/x"
            ),
            "Details.ContactData.InstanceARN",
        ),
    ],
)
async def test_bad_event_is_400_naming_the_field(
    http: httpx.AsyncClient, tenant: TenantKey, mutate, field: str
) -> None:
    event = copy.deepcopy(flow_event())
    mutate(event)
    response = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(field), response.json()


async def test_disconnected_event_ends_the_call_and_others_are_recorded(
    http: httpx.AsyncClient, tenant: TenantKey, worker: None, client: Client, stores: Stores
) -> None:
    event = flow_event()
    contact_id = event["Details"]["ContactData"]["ContactId"]
    started = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
    assert started.status_code == 200

    connected = contact_event(contact_id=contact_id, event_type="CONNECTED_TO_AGENT")
    response = await http.post("/v1/connect/events", json=connected, headers=tenant.headers)
    assert response.status_code == 202 and response.json()["ending_call"] is False

    disconnected = contact_event(contact_id=contact_id, event_type="DISCONNECTED")
    response = await http.post("/v1/connect/events", json=disconnected, headers=tenant.headers)
    assert response.status_code == 202 and response.json()["ending_call"] is True

    handle = client.get_workflow_handle_for(CallWorkflow.run, started.json()["workflow_id"])
    result = await handle.result()
    assert result.status == "ended" and result.end_reason == "disconnected"
    recorded = await stores.calls.contact_events(tenant.tenant_id, contact_id)
    assert [e["event_type"] for e in recorded] == ["CONNECTED_TO_AGENT", "DISCONNECTED"]


async def test_contact_event_without_type_is_400(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    event = contact_event(contact_id=str(uuid.uuid4()), event_type="DISCONNECTED")
    del event["detail"]["eventType"]
    response = await http.post("/v1/connect/events", json=event, headers=tenant.headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("detail.eventType")
