"""Knowledge search: the articles of the tenant's guidance policy that answer a question,
for agents who search by hand (and for the tests of knowledge assist).

Hybrid retrieval (PostgreSQL full text and an offline embedding model), the same ranking
that knowledge hints use; see storage.knowledge.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import StoresDep, TenantDep
from api.schemas import DocumentRoute, error_responses

router = APIRouter(prefix="/v1/knowledge", tags=["guidance"], route_class=DocumentRoute)

MAX_QUERY_CHARS = 1000
MAX_RESULTS = 20
DEFAULT_RESULTS = 5


class KnowledgeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        # Not blank: at least one character that is not white space.
        pattern=r"\S",
        description="What the customer asked, as said or typed (redacted text is fine)",
    )
    limit: int = Field(
        default=DEFAULT_RESULTS, ge=1, le=MAX_RESULTS, description="At most this many results"
    )


class KnowledgeResult(BaseModel):
    article_id: str
    title: str
    score: float = Field(ge=0, le=1, description="How well the article answers, 0..1")
    snippet: str = Field(description="The article's sentence closest to the query")


class KnowledgeResults(BaseModel):
    results: list[KnowledgeResult] = Field(
        description="Best first; only articles scoring above the relevance threshold, so a "
        "question no article answers gets none"
    )


@router.post("/search", response_model=KnowledgeResults, responses=error_responses(422))
async def search_knowledge(
    search: KnowledgeQuery, tenant: TenantDep, stores: StoresDep
) -> KnowledgeResults:
    """The tenant's knowledge articles (those of its guidance policy in force) that answer
    `query`, best first. Matching is by meaning as well as by words, so "my phone won't
    work in Spain" finds an article on international roaming. A tenant without articles
    gets an empty list. A missing or blank query, a limit outside 1..20 or an unknown field
    is refused with 422 naming the field."""
    hits = await stores.knowledge.search(tenant.id, search.query, search.limit)
    return KnowledgeResults(
        results=[
            KnowledgeResult(
                article_id=h.article_id, title=h.title, score=h.score, snippet=h.snippet
            )
            for h in hits
        ]
    )
