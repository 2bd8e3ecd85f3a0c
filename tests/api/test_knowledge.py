"""POST /v1/knowledge/search: a tenant's current articles, found by meaning; never another
tenant's; a new policy version's articles replace the old; bad bodies are refused naming
the field; a tenant without a policy gets no results."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from callguide.resources import Stores
from tests.conftest import TenantKey, new_tenant

URL = "/v1/knowledge/search"

ROAMING = {
    "id": "kb-roaming",
    "title": "International roaming",
    "tags": ["roaming", "travel"],
    "body": "Roaming lets a mobile line make calls and use data outside the country. "
    "To turn it on, add the Travel Pass for $10 per day. "
    "If the handset shows no service after landing, restart it and turn data roaming on.",
}
LOST_CARD = {
    "id": "kb-lost-card",
    "title": "Lost or stolen debit or credit card",
    "tags": ["card", "fraud"],
    "body": "Lock the card at once in the app or by phone. "
    "A replacement arrives in five to seven business days.",
}
GAS_LEAK = {
    "id": "kb-gas-leak",
    "title": "Gas leak or smell of gas",
    "tags": ["gas", "safety", "emergency"],
    "body": "Leave the building right away and do not use light switches. "
    "Call the emergency line from outside; a technician comes within an hour.",
}


async def put_articles(
    http: httpx.AsyncClient, tenant: TenantKey, *articles: dict[str, Any]
) -> None:
    response = await http.put(
        "/v1/policies", json={"knowledge": {"articles": list(articles)}}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text


async def search(
    http: httpx.AsyncClient, tenant: TenantKey, query: str, limit: int | None = None
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"query": query}
    if limit is not None:
        body["limit"] = limit
    response = await http.post(URL, json=body, headers=tenant.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


async def test_a_paraphrase_with_no_shared_word_finds_its_article(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    await put_articles(http, tenant, ROAMING, LOST_CARD, GAS_LEAK)
    # No word of the question is in the roaming article.
    results = await search(http, tenant, "um so i'm flying to spain will my cell still work")
    assert results[0]["article_id"] == "kb-roaming"
    assert set(results[0]) == {"article_id", "title", "score", "snippet"}
    assert results[0]["title"] == "International roaming"
    assert 0 < results[0]["score"] <= 1
    assert results[0]["snippet"] in ROAMING["body"]
    assert [
        r["article_id"]
        for r in await search(
            http, tenant, "i smell something odd, like rotten eggs in my kitchen", 1
        )
    ] == ["kb-gas-leak"]
    assert await search(http, tenant, "who won the football game last night") == []


async def test_another_tenant_never_sees_the_articles(
    http: httpx.AsyncClient, stores: Stores
) -> None:
    acme, other = await new_tenant(stores), await new_tenant(stores)
    await put_articles(http, acme, ROAMING, LOST_CARD)
    await put_articles(http, other, GAS_LEAK)
    for question in ["my phone won't work in spain", "somebody stole my wallet", "gas smell"]:
        assert {r["article_id"] for r in await search(http, other, question, 20)} <= {"kb-gas-leak"}
    assert (await search(http, acme, "somebody stole my wallet"))[0]["article_id"] == (
        "kb-lost-card"
    )


async def test_a_new_policy_version_replaces_the_articles(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    await put_articles(http, tenant, ROAMING, LOST_CARD)
    assert (await search(http, tenant, "my phone won't work in spain"))[0]["article_id"] == (
        "kb-roaming"
    )
    await put_articles(http, tenant, GAS_LEAK, {**LOST_CARD, "id": "kb-card-lost"})
    found = {r["article_id"] for r in await search(http, tenant, "my phone won't work in spain")}
    assert "kb-roaming" not in found
    stolen = await search(http, tenant, "somebody stole my wallet")
    assert stolen[0]["article_id"] == "kb-card-lost"
    # A policy without articles: nothing to find.
    response = await http.put("/v1/policies", json={}, headers=tenant.headers)
    assert response.status_code == 200
    assert await search(http, tenant, "somebody stole my wallet") == []


async def test_a_tenant_without_a_policy_gets_no_results(
    http: httpx.AsyncClient, tenant: TenantKey
) -> None:
    assert await search(http, tenant, "my phone won't work in spain") == []


async def test_limit(http: httpx.AsyncClient, tenant: TenantKey) -> None:
    await put_articles(http, tenant, ROAMING, LOST_CARD, GAS_LEAK)
    response = await http.post(
        URL, json={"query": "my card is gone", "limit": 1}, headers=tenant.headers
    )
    assert response.status_code == 200 and len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "query"),
        ({"limit": 3}, "query"),
        ({"query": ""}, "query"),
        ({"query": "   \n\t"}, "query"),
        ({"query": "x" * 1001}, "query"),
        ({"query": 42}, "query"),
        ({"query": "roaming", "limit": 0}, "limit"),
        ({"query": "roaming", "limit": 999}, "limit"),
        ({"query": "roaming", "limit": "many"}, "limit"),
        ({"query": "roaming", "tenant_id": "someone-else"}, "tenant_id"),
    ],
)
async def test_bad_bodies_are_refused_naming_the_field(
    http: httpx.AsyncClient, tenant: TenantKey, body: dict[str, Any], field: str
) -> None:
    response = await http.post(URL, json=body, headers=tenant.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{field}: ")


async def test_not_json_and_no_key_are_refused(http: httpx.AsyncClient, tenant: TenantKey) -> None:
    response = await http.post(
        URL, content=b"{not json", headers={**tenant.headers, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert (await http.post(URL, json={"query": "roaming"})).status_code == 401


async def test_the_openapi_document_states_the_rules(http: httpx.AsyncClient) -> None:
    doc = (await http.get("/openapi.json")).json()
    operation = doc["paths"][URL]["post"]
    assert {"200", "400", "401", "422"} <= set(operation["responses"])
    schema = doc["components"]["schemas"]["KnowledgeQuery"]
    assert schema["required"] == ["query"]
    assert schema["additionalProperties"] is False
    query, limit = schema["properties"]["query"], schema["properties"]["limit"]
    assert (query["minLength"], query["maxLength"], query["pattern"]) == (1, 1000, r"\S")
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 20, 5)
