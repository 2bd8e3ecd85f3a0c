"""/v1/compliance: each call's redaction verdict, listed by status, read whole; another
tenant's call is answered exactly as a call that never was."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from api.schemas import Verdict
from callguide.resources import Stores
from storage.redactions import CallRedaction, RedactedSpan, RedactionStatus
from tests.conftest import TenantKey, new_tenant

LIST = "/v1/compliance/calls"
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def redaction_url(call_id: str) -> str:
    return f"/v1/compliance/calls/{call_id}/redaction"


async def record(
    stores: Stores, tenant: TenantKey, status: str, minute: int, **fields: object
) -> str:
    call_id = str(uuid.uuid4())
    await stores.redactions.record(
        CallRedaction(
            tenant_id=tenant.tenant_id,
            call_id=call_id,
            status=status,
            updated_at=T0 + timedelta(minutes=minute),
            **fields,  # type: ignore[arg-type]
        )
    )
    return call_id


def test_the_verdicts_are_the_stores_statuses() -> None:
    assert tuple(v.value for v in Verdict) == RedactionStatus.ALL


async def test_a_verdict_is_read_whole(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    call_id = await record(
        stores,
        tenant,
        RedactionStatus.VERIFIED,
        minute=5,
        policy_version=3,
        reasons=["audio: every span is silent"],
        spans=[
            RedactedSpan("customer", 12_040, 15_900, "CREDIT_CARD"),
            RedactedSpan("agent", 20_000, 20_750, "PERSON"),
        ],
        bucket="callguide-redacted",
        object_key=f"{tenant.tenant_id}/redacted/call.wav",
        audio_ms=95_000,
    )
    response = await http.get(redaction_url(call_id), headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {
        "call_id": call_id,
        "status": "verified",
        "policy_version": 3,
        "reasons": ["audio: every span is silent"],
        "spans": [
            {"track": "customer", "start_ms": 12_040, "end_ms": 15_900, "type": "CREDIT_CARD"},
            {"track": "agent", "start_ms": 20_000, "end_ms": 20_750, "type": "PERSON"},
        ],
        "bucket": "callguide-redacted",
        "object_key": f"{tenant.tenant_id}/redacted/call.wav",
        "audio_ms": 95_000,
        "updated_at": body["updated_at"],
    }
    assert datetime.fromisoformat(body["updated_at"]) == T0 + timedelta(minutes=5)


async def test_a_pending_verdict_has_no_audio_yet(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    call_id = await record(stores, tenant, RedactionStatus.PENDING, minute=0)
    body = (await http.get(redaction_url(call_id), headers=tenant.headers)).json()
    assert body["status"] == "pending" and body["spans"] == [] and body["reasons"] == []
    assert body["bucket"] is None and body["object_key"] is None and body["policy_version"] is None


async def test_calls_are_listed_by_verdict_newest_first(
    http: httpx.AsyncClient, stores: Stores
) -> None:
    tenant = await new_tenant(stores)
    verified_old = await record(stores, tenant, RedactionStatus.VERIFIED, minute=1)
    failed = await record(
        stores,
        tenant,
        RedactionStatus.FAILED,
        minute=2,
        policy_version=1,
        reasons=["verification: CREDIT_CARD found in the redacted transcript"],
        spans=[RedactedSpan("customer", 0, 900, "CREDIT_CARD")],
    )
    verified_new = await record(stores, tenant, RedactionStatus.VERIFIED, minute=3)

    everything = await http.get(LIST, headers=tenant.headers)
    assert everything.status_code == 200, everything.text
    calls = everything.json()["calls"]
    assert [c["call_id"] for c in calls] == [verified_new, failed, verified_old]
    assert calls[1] == {
        "call_id": failed,
        "status": "failed",
        "policy_version": 1,
        "reasons": ["verification: CREDIT_CARD found in the redacted transcript"],
        "span_count": 1,
        "updated_at": calls[1]["updated_at"],
    }

    verified = await http.get(LIST, params={"redaction_status": "verified"}, headers=tenant.headers)
    assert [c["call_id"] for c in verified.json()["calls"]] == [verified_new, verified_old]
    one = await http.get(LIST, params={"limit": 1}, headers=tenant.headers)
    assert [c["call_id"] for c in one.json()["calls"]] == [verified_new]
    redacted = await http.get(LIST, params={"redaction_status": "redacted"}, headers=tenant.headers)
    assert redacted.json() == {"calls": []}


async def test_bad_filters_are_refused_naming_them(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    for params, field in [
        ({"redaction_status": "done"}, "query.redaction_status"),
        ({"redaction_status": "VERIFIED"}, "query.redaction_status"),
        ({"limit": "0"}, "query.limit"),
        ({"limit": "501"}, "query.limit"),
        ({"status": "verified"}, "query.status"),  # the filter is named redaction_status
    ]:
        response = await http.get(LIST, params=params, headers=tenant.headers)
        # The API answers every invalid input 400 (see api.app._bad_request), never 422.
        assert response.status_code == 400, (params, response.text)
        assert response.json()["detail"].startswith(f"{field}:"), response.json()
    bad_id = await http.get(redaction_url("-no"), headers=tenant.headers)
    assert bad_id.status_code == 400 and bad_id.json()["detail"].startswith("path.call_id")


async def test_another_tenants_call_is_answered_as_no_call(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    call_id = await record(stores, tenant, RedactionStatus.FAILED, minute=0, reasons=["x"])
    intruder = await new_tenant(stores)
    theirs = await http.get(redaction_url(call_id), headers=intruder.headers)
    never = await http.get(redaction_url(str(uuid.uuid4())), headers=intruder.headers)
    assert theirs.status_code == never.status_code == 404
    assert theirs.json()["detail"].replace(call_id, "?") == never.json()["detail"].replace(
        never.url.path.split("/")[-2], "?"
    )
    for params in ({}, {"redaction_status": "failed"}):
        listed = await http.get(LIST, params=params, headers=intruder.headers)
        assert listed.json() == {"calls": []}
    assert (await http.get(redaction_url(call_id), headers=tenant.headers)).status_code == 200


async def test_compliance_needs_a_tenant_key(http: httpx.AsyncClient) -> None:
    for path in (LIST, redaction_url(str(uuid.uuid4()))):
        assert (await http.get(path)).status_code == 401
