"""GET /v1/search: full-text search over the tenant's stored, redacted transcripts, best
match first, with marked snippets, time and status filters; another tenant's utterances
never show; bad input is a 400 naming the field."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from callguide.model import Speaker, Utterance
from callguide.resources import Stores
from tests.conftest import TenantKey, new_tenant

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def stored_call(
    stores: Stores,
    tenant: TenantKey,
    lines: list[tuple[Speaker, str]],
    *,
    started_at: datetime = T0,
    status: str | None = "ended",
) -> str:
    """A call with its transcript stored as the call workflow stores it; status None
    leaves it active."""
    call_id = str(uuid.uuid4())
    await stores.calls.record_started(
        tenant_id=tenant.tenant_id,
        call_id=call_id,
        contact_id=call_id,
        workflow_id=f"call-{tenant.tenant_id}-{call_id}",
        started_at=started_at,
        instance_arn="",
        stream_arn=None,
    )
    utterances = [
        Utterance(speaker=speaker, text=text, start_ms=i * 3000, end_ms=i * 3000 + 2500)
        for i, (speaker, text) in enumerate(lines)
    ]
    await stores.calls.add_utterances(
        tenant_id=tenant.tenant_id, call_id=call_id, utterances=utterances
    )
    if status is not None:
        await stores.calls.record_finished(
            tenant_id=tenant.tenant_id,
            call_id=call_id,
            status=status,
            ended_at=started_at + timedelta(minutes=5),
            utterance_count=len(utterances),
            end_reason="test",
            failure_reason=None,
        )
    return call_id


def day(n: int) -> str:
    return (T0 + timedelta(days=n)).isoformat()


async def search(http: httpx.AsyncClient, tenant: TenantKey, **params: str | int) -> list[dict]:
    response = await http.get("/v1/search", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == params["q"]
    results: list[dict] = body["results"]
    return results


async def test_the_better_match_comes_first_with_its_words_marked(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    word = f"zephyrine{uuid.uuid4().hex[:6]}"  # this test's own term, in no other test
    weak = await stored_call(
        stores, tenant, [(Speaker.CUSTOMER, f"I asked about the {word} plan last year")]
    )
    strong = await stored_call(
        stores,
        tenant,
        [
            (Speaker.AGENT, "Good morning, how can I help?"),
            (Speaker.CUSTOMER, f"My {word} refund never arrived, the {word} refund is late"),
        ],
    )
    results = await search(http, tenant, q=f"{word} refund")
    assert [r["call_id"] for r in results] == [strong]  # every word must match
    hit = results[0]
    assert (hit["speaker"], hit["start_ms"], hit["end_ms"]) == ("customer", 3000, 5500)
    assert hit["call_status"] == "ended"
    assert datetime.fromisoformat(hit["call_started_at"]) == T0
    assert f"<mark>{word}</mark> <mark>refund</mark>" in hit["snippet"]
    assert hit["rank"] > 0

    either = await search(http, tenant, q=f"{word} or refund")
    assert [r["call_id"] for r in either] == [strong, weak]
    assert either[0]["rank"] > either[1]["rank"]
    phrase = await search(http, tenant, q=f'"{word} plan"')
    assert [r["call_id"] for r in phrase] == [weak]
    excluded = await search(http, tenant, q=f"{word} -refund")
    assert [r["call_id"] for r in excluded] == [weak]
    stemmed = await search(http, tenant, q=f"{word} refunds")  # english stemming
    assert [r["call_id"] for r in stemmed] == [strong]


async def test_snippets_are_escaped_html_and_redaction_tags_are_searchable(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    word = f"quillon{uuid.uuid4().hex[:6]}"
    await stored_call(
        stores,
        tenant,
        [(Speaker.CUSTOMER, f"<script>alert(1)</script> {word} & 5 < 6, card is [CREDIT_CARD]")],
    )
    [hit] = await search(http, tenant, q=word)
    assert "<script" not in hit["snippet"]
    assert f"<mark>{word}</mark> &amp; 5 &lt; 6, card is [CREDIT_CARD" in hit["snippet"]
    assert hit["snippet"].replace("<mark>", "").replace("</mark>", "").count("<") == 0
    tagged = await search(http, tenant, q=f"{word} credit_card")
    assert len(tagged) == 1


async def test_time_range_status_and_limit_filter_the_calls(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    word = f"marlinspike{uuid.uuid4().hex[:6]}"
    line = [(Speaker.CUSTOMER, f"the {word} is broken")]
    early = await stored_call(stores, tenant, line, started_at=T0)
    late = await stored_call(stores, tenant, line, started_at=T0 + timedelta(days=2))
    failed = await stored_call(
        stores, tenant, line, started_at=T0 + timedelta(days=1), status="failed"
    )
    active = await stored_call(stores, tenant, line, started_at=T0 + timedelta(days=3), status=None)

    everything = await search(http, tenant, q=word)
    # Equal ranks: the most recent call first.
    assert [r["call_id"] for r in everything] == [active, late, failed, early]
    assert [r["call_status"] for r in everything] == ["active", "ended", "failed", "ended"]
    window = await search(
        http,
        tenant,
        q=word,
        **{"from": day(1), "to": day(3)},
    )
    assert [r["call_id"] for r in window] == [late, failed]  # from inclusive, to exclusive
    assert [r["call_id"] for r in await search(http, tenant, q=word, status="failed")] == [failed]
    assert [r["call_id"] for r in await search(http, tenant, q=word, status="active")] == [active]
    ended_before = await search(http, tenant, q=word, status="ended", to=day(1))
    assert [r["call_id"] for r in ended_before] == [early]
    assert len(await search(http, tenant, q=word, limit=2)) == 2
    assert await search(http, tenant, q="the is a") == []  # only stop words: no match


async def test_another_tenants_utterances_never_show(
    http: httpx.AsyncClient, tenant: TenantKey, stores: Stores
) -> None:
    word = f"gallimaufry{uuid.uuid4().hex[:6]}"
    other = await new_tenant(stores)
    mine = await stored_call(stores, tenant, [(Speaker.AGENT, f"your {word} is ready")])
    theirs = await stored_call(stores, other, [(Speaker.AGENT, f"your {word} shipped")])
    assert [r["call_id"] for r in await search(http, tenant, q=word)] == [mine]
    assert [r["call_id"] for r in await search(http, other, q=word)] == [theirs]
    assert await search(http, other, q=f"{word} ready") == []
    unauthenticated = await http.get("/v1/search", params={"q": word})
    assert unauthenticated.status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "card\x00number"}, "q"),
        ({"q": "card", "status": "sleeping"}, "status"),
        ({"q": "card", "from": "yesterday"}, "from"),
        ({"q": "card", "from": "2026-11-02T09:00:00"}, "from"),  # no time zone
        ({"q": "card", "to": "2026-13-40T00:00:00Z"}, "to"),
        ({"q": "card", "from": "2026-11-03T00:00:00Z", "to": "2026-11-02T00:00:00Z"}, "to"),
        ({"q": "card", "limit": 0}, "limit"),
        ({"q": "card", "limit": 101}, "limit"),
        ({"q": "card", "page": 2}, "page"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(
    http: httpx.AsyncClient, tenant: TenantKey, params: dict, field: str
) -> None:
    response = await http.get("/v1/search", params=params, headers=tenant.headers)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(f"query.{field}:"), response.json()


async def test_openapi_documents_the_search(http: httpx.AsyncClient) -> None:
    spec = (await http.get("/openapi.json")).json()
    operation = spec["paths"]["/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "from", "to", "status", "limit"}
    assert "SearchResults" in spec["components"]["schemas"]
