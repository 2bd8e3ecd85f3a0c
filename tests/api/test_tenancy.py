"""Sealed tenants: instances, streams and hosts; no route lets one tenant touch another's call."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from api.tenancy import (
    EVENT_INSTANCE_FIELD,
    INSTANCE_FIELD,
    STREAM_FIELD,
    HostTarget,
    TenancyError,
    check_contact_event,
    check_contact_flow,
    check_host,
    check_stream,
    host_target,
)
from callguide.connect_events import contact_event, contact_flow_event
from callguide.resources import Stores
from callguide.settings import Settings
from storage.tenants import Tenant
from tests.conftest import running_api

ACCOUNT = "111122223333"
DOMAIN = "callguide.example"


def instance_arn(account: str = ACCOUNT, region: str = "us-east-1") -> str:
    return f"arn:aws:connect:{region}:{account}:instance/{uuid.uuid4()}"


def stream_arn(
    contact_id: str, account: str = ACCOUNT, region: str = "us-east-1", alias: str = "acme"
) -> str:
    return (
        f"arn:aws:kinesisvideo:{region}:{account}:stream/"
        f"connect-{alias}-contact-{contact_id}/1700000000000"
    )


def tenant_of(*instances: str, slug: str = "probe-a", region: str = "us-east-1") -> Tenant:
    return Tenant("t1", slug, region, datetime.now(UTC), slug, instances)


def refused(check: object, *args: object) -> TenancyError:
    with pytest.raises(TenancyError) as caught:
        check(*args)  # type: ignore[operator]
    return caught.value


# --- the pure checks -------------------------------------------------------------------


def test_an_instance_of_the_tenant_with_its_own_stream_passes() -> None:
    ours = instance_arn()
    check_contact_flow(tenant_of(ours), ours, stream_arn(str(uuid.uuid4())))
    # The streams Connect names after an alias with digits and hyphens, and the drills' ones.
    check_stream(ours, stream_arn("x", alias="my-center-2"))
    check_stream(
        ours,
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/connect-test-contact-{uuid.uuid4()}/1",
    )


def test_a_foreign_instance_is_403_naming_the_field() -> None:
    error = refused(check_contact_flow, tenant_of(instance_arn()), instance_arn(), stream_arn("c"))
    assert error.status == 403 and error.message.startswith(INSTANCE_FIELD)
    assert "not bound to this tenant" in error.message


def test_a_tenant_without_instances_is_told_to_bind_one() -> None:
    error = refused(check_contact_flow, tenant_of(), instance_arn(), stream_arn("c"))
    assert error.status == 403 and error.message.startswith(INSTANCE_FIELD)
    assert "callguide tenants update" in error.message


@pytest.mark.parametrize(
    "stream",
    [
        stream_arn("c", account="444455556666"),
        stream_arn("c", region="us-west-2"),
        stream_arn("c").replace("arn:aws:", "arn:aws-cn:"),
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/never-created/1",
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/connect-demo-contact/1",
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/connect-demo-contact-x",
        f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/connect-demo-contact-x/1/2",
        f"arn:aws:s3:us-east-1:{ACCOUNT}:stream/connect-demo-contact-x/1",
        stream_arn("c") + "\n",
        "",
    ],
)
def test_a_stream_not_connects_or_not_the_instances_is_400(stream: str) -> None:
    ours = instance_arn()
    error = refused(check_contact_flow, tenant_of(ours), ours, stream)
    assert error.status == 400 and error.message.startswith(STREAM_FIELD)


def test_contact_events_from_foreign_instances_are_403() -> None:
    ours = instance_arn()
    check_contact_event(tenant_of(ours), ours)
    check_contact_event(tenant_of(ours), None)  # Connect leaves it out of some events
    error = refused(check_contact_event, tenant_of(ours), instance_arn())
    assert error.status == 403 and error.message.startswith(EVENT_INSTANCE_FIELD)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (f"probe-a.us-east-1.{DOMAIN}", HostTarget("probe-a", "us-east-1")),
        (f"Probe-A.US-EAST-1.{DOMAIN}.:443", HostTarget("probe-a", "us-east-1")),
        ("127.0.0.1:8000", None),
        (f"probe-a.us-east-1.not{DOMAIN}", None),
        ("[::1]:8000", None),
    ],
)
def test_host_targets(host: str, expected: HostTarget | None) -> None:
    assert host_target(host, DOMAIN) == expected
    assert host_target(host, None) is None


@pytest.mark.parametrize(
    "host",
    [
        f"x.probe-b.us-east-1.{DOMAIN}",
        f"probe-b.{DOMAIN}",
        DOMAIN,
        f".us-east-1.{DOMAIN}",
        f"{DOMAIN}:8443",
    ],
)
def test_hosts_under_our_domain_that_are_no_tenant_host_are_refused(host: str) -> None:
    assert refused(host_target, host, DOMAIN).status == 403


@pytest.mark.parametrize(
    ("host", "status"),
    [
        (f"probe-a.us-east-1.{DOMAIN}", None),
        (f"probe_a.us-east-1.{DOMAIN}", 401),  # never re-slugged at request time
        (f"probea.us-east-1.{DOMAIN}", 401),
        (f"probe-a.eu-west-1.{DOMAIN}", 401),
        (f"probe-b.us-east-1.{DOMAIN}", 401),
        (f"t1.us-east-1.{DOMAIN}", 401),  # the id is no host name
        (f"x.probe-a.us-east-1.{DOMAIN}", 403),
    ],
)
def test_a_tenant_host_must_be_exactly_the_stored_slug_and_region(
    host: str, status: int | None
) -> None:
    tenant = tenant_of()
    if status is None:
        check_host(tenant, host, DOMAIN)
    else:
        assert refused(check_host, tenant, host, DOMAIN).status == status
    # A tenant whose name is not its slug is still addressed by the slug alone.
    named = replace(tenant, name="Probe A")
    check_host(named, f"probe-a.us-east-1.{DOMAIN}", DOMAIN)


# --- over HTTP: every route, two sealed tenants ------------------------------------------


@dataclass(frozen=True)
class Sealed:
    id: str
    slug: str
    api_key: str
    instance: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


async def sealed_tenant(stores: Stores, prefix: str = "sealed") -> Sealed:
    instance = instance_arn()
    issued = await stores.tenants.create(
        f"{prefix}-{uuid.uuid4().hex[:8]}", "us-east-1", [instance]
    )
    return Sealed(issued.tenant.id, issued.tenant.slug, issued.api_key, instance)


def flow(tenant: Sealed, contact_id: str | None = None, stream: str | None = None) -> dict:
    contact_id = contact_id or str(uuid.uuid4())
    return contact_flow_event(
        contact_id=contact_id,
        stream_arn=stream or stream_arn(contact_id),
        instance_arn=tenant.instance,
    )


async def workflow_exists(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def is_running(client: Client, workflow_id: str) -> bool:
    described = await client.get_workflow_handle(workflow_id).describe()
    return described.status == WorkflowExecutionStatus.RUNNING


@pytest_asyncio.fixture(loop_scope="session")
async def a_call(
    http: httpx.AsyncClient, stores: Stores, worker: None
) -> AsyncIterator[tuple[Sealed, str, str]]:
    """Tenant A with a live call: (A, call id, workflow id); the call is ended afterwards."""
    owner = await sealed_tenant(stores, "owner")
    started = await http.post("/v1/connect/contact-flow", json=flow(owner), headers=owner.headers)
    assert started.status_code == 200, started.text
    body = started.json()
    yield owner, body["call_id"], body["workflow_id"]
    await http.post(f"/v1/calls/{body['call_id']}/end", headers=owner.headers)


async def test_another_tenant_never_reads_ends_or_streams_the_call(
    http: httpx.AsyncClient, stores: Stores, client: Client, a_call: tuple[Sealed, str, str]
) -> None:
    owner, call_id, workflow_id = a_call
    intruder = await sealed_tenant(stores, "intruder")

    for path in ("", "/transcript"):
        assert (
            await http.get(f"/v1/calls/{call_id}{path}", headers=owner.headers)
        ).status_code == 200
        response = await http.get(f"/v1/calls/{call_id}{path}", headers=intruder.headers)
        assert response.status_code == 404, (path, response.text)
    async with http.stream("GET", f"/v1/calls/{call_id}/events", headers=intruder.headers) as sse:
        assert sse.status_code == 404
    listed = await http.get("/v1/calls", headers=intruder.headers)
    assert call_id not in [c["call_id"] for c in listed.json()["calls"]]
    assert (
        await http.post(f"/v1/calls/{call_id}/end", headers=intruder.headers)
    ).status_code == 404

    # Contact events: naming the owner's instance is refused; naming none ends nothing of A's.
    hangup = contact_event(
        contact_id=call_id, event_type="DISCONNECTED", instance_arn=owner.instance
    )
    refused_event = await http.post("/v1/connect/events", json=hangup, headers=intruder.headers)
    assert refused_event.status_code == 403
    assert refused_event.json()["detail"].startswith(EVENT_INSTANCE_FIELD)
    recorded = await stores.pool.fetchval(
        "SELECT count(*) FROM call_events WHERE call_id = $1", call_id
    )
    assert recorded == 0  # the refused event left nothing behind
    del hangup["detail"]["instanceArn"]
    anonymous = await http.post("/v1/connect/events", json=hangup, headers=intruder.headers)
    assert anonymous.status_code == 202 and anonymous.json()["ending_call"] is False

    # The owner's contact-flow event replayed by the intruder starts nothing anywhere.
    replay = flow(owner, contact_id=call_id)
    replayed = await http.post("/v1/connect/contact-flow", json=replay, headers=intruder.headers)
    assert replayed.status_code == 403 and replayed.json()["detail"].startswith(INSTANCE_FIELD)
    assert not await workflow_exists(client, f"call-{intruder.id}-{call_id}")
    assert await is_running(client, workflow_id)


async def test_a_foreign_instance_or_stream_starts_nothing(
    http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    tenant = await sealed_tenant(stores)
    other = await sealed_tenant(stores, "other")
    cases = [
        (flow(other), 403, INSTANCE_FIELD),
        (flow(tenant, stream=stream_arn("c", account="444455556666")), 400, STREAM_FIELD),
        (flow(tenant, stream=stream_arn("c", region="us-west-2")), 400, STREAM_FIELD),
        (
            flow(tenant, stream=f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/mine/1"),
            400,
            STREAM_FIELD,
        ),
    ]
    for event, status, field in cases:
        contact_id = event["Details"]["ContactData"]["ContactId"]
        response = await http.post("/v1/connect/contact-flow", json=event, headers=tenant.headers)
        assert response.status_code == status, response.text
        assert field in response.json()["detail"], response.text
        assert not await workflow_exists(client, f"call-{tenant.id}-{contact_id}")
        listed = await http.get("/v1/calls", headers=tenant.headers)
        assert contact_id not in [c["call_id"] for c in listed.json()["calls"]]


async def test_a_tenant_without_instances_cannot_start_calls(
    http: httpx.AsyncClient, stores: Stores, client: Client
) -> None:
    issued = await stores.tenants.create(f"unbound-{uuid.uuid4().hex[:8]}", "us-east-1")
    bare = Sealed(issued.tenant.id, issued.tenant.slug, issued.api_key, instance_arn())
    event = flow(bare)
    response = await http.post("/v1/connect/contact-flow", json=event, headers=bare.headers)
    assert response.status_code == 403
    assert "--connect-instance" in response.json()["detail"]
    contact_id = event["Details"]["ContactData"]["ContactId"]
    assert not await workflow_exists(client, f"call-{bare.id}-{contact_id}")


async def test_tenant_hosts_are_exact(settings: Settings, stores: Stores) -> None:
    suffix = uuid.uuid4().hex[:8]
    probe_a = await stores.tenants.create(f"probe-a-{suffix}", "us-east-1")
    probe_b = await stores.tenants.create(f"Probe B {suffix}", "us-east-1")
    a_key = {"Authorization": f"Bearer {probe_a.api_key}"}
    b_key = {"Authorization": f"Bearer {probe_b.api_key}"}
    a_host, b_host = f"probe-a-{suffix}.us-east-1.{DOMAIN}", f"probe-b-{suffix}.us-east-1.{DOMAIN}"
    cases = [
        (a_key, a_host, 200),
        (b_key, b_host, 200),  # 'Probe B x' is reached at its stored slug
        (a_key, b_host, 401),
        (b_key, a_host, 401),
        (a_key, f"probe_a_{suffix}.us-east-1.{DOMAIN}", 401),
        (a_key, f"probe-a-{suffix}.eu-west-1.{DOMAIN}", 401),
        (a_key, f"{probe_a.tenant.id}.us-east-1.{DOMAIN}", 401),
        (a_key, f"x.{a_host}", 403),
        (b_key, f"x.{b_host}", 403),
        (b_key, f"probe-b-{suffix}.{DOMAIN}", 403),
        (b_key, DOMAIN, 403),
        ({}, f"x.{a_host}", 403),  # refused before any key is looked at
    ]
    async with running_api(settings.model_copy(update={"public_domain": DOMAIN})) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            for headers, host, status in cases:
                response = await http.get("/v1/calls", headers={**headers, "Host": host})
                assert response.status_code == status, (host, response.text)
                if status == 403:
                    assert "not a tenant host" in response.json()["detail"]
                for route in ("/v1/connect/contact-flow", "/v1/connect/events"):
                    posted = await http.post(route, json={}, headers={**headers, "Host": host})
                    assert posted.status_code in ((status,) if status != 200 else (400, 422))


def test_an_instance_of_another_region_is_400() -> None:
    ours = instance_arn()
    theirs = instance_arn(region="eu-west-2")
    error = refused(
        check_contact_flow, tenant_of(ours), theirs, stream_arn("c", region="eu-west-2")
    )
    assert error.status == 400 and error.message.startswith(INSTANCE_FIELD)
    assert "eu-west-2" in error.message


async def test_codec_routes_obey_the_tenant_host_rule(settings: Settings, stores: Stores) -> None:
    probe = await stores.tenants.create(f"probe-c-{uuid.uuid4().hex[:8]}", "us-east-1")
    other = await stores.tenants.create(f"probe-d-{uuid.uuid4().hex[:8]}", "us-east-1")
    key = {"Authorization": f"Bearer {probe.api_key}"}
    own_host = f"{probe.tenant.slug}.us-east-1.{DOMAIN}"
    cases = [
        (own_host, 200),
        (f"{other.tenant.slug}.us-east-1.{DOMAIN}", 401),
        (f"{probe.tenant.slug}.eu-west-1.{DOMAIN}", 401),
        (f"x.{own_host}", 403),
        (f"{probe.tenant.slug}.{DOMAIN}", 403),
        (DOMAIN, 403),
    ]
    async with running_api(settings.model_copy(update={"public_domain": DOMAIN})) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            for route in ("/codec/encode", "/codec/decode"):
                for host, status in cases:
                    response = await http.post(
                        route, json={"payloads": []}, headers={**key, "Host": host}
                    )
                    assert response.status_code == status, (route, host, response.text)


def test_a_stream_named_after_the_instances_streaming_prefix_is_accepted() -> None:
    ours = instance_arn()
    prefixed = f"arn:aws:kinesisvideo:us-east-1:{ACCOUNT}:stream/callguide-connect-demo-contact-x/1"
    check_contact_flow(tenant_of(ours), ours, prefixed)
