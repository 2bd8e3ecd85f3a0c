"""Transcript search: the tenant's redacted utterances that match a query, best first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import AwareDatetime, BaseModel, Field

from api.deps import StoresDep, TenantDep
from api.schemas import error_responses
from callguide.model import CallStatus
from storage.search import TranscriptHit

router = APIRouter(prefix="/v1/search", tags=["search"])

MAX_QUERY_CHARS = 200
# Printable text only: PostgreSQL refuses NUL in text, and no search needs control bytes.
QUERY_PATTERN = r"^[^\x00-\x1f\x7f]+$"


class SearchHit(BaseModel):
    call_id: str
    speaker: str = Field(description='"customer" or "agent"')
    start_ms: int = Field(description="Where the utterance starts in the call's audio")
    end_ms: int
    call_status: str = Field(description="The call's status: active, ending, ended or failed")
    call_started_at: datetime
    snippet: str = Field(
        description="HTML: the redacted utterance text (escaped) around its matches, each "
        "match in <mark>...</mark>"
    )
    rank: float = Field(ge=0, description="PostgreSQL ts_rank; higher is a better match")

    @classmethod
    def of(cls, hit: TranscriptHit) -> SearchHit:
        return cls(
            call_id=hit.call_id,
            speaker=hit.speaker,
            start_ms=hit.start_ms,
            end_ms=hit.end_ms,
            call_status=hit.call_status,
            call_started_at=hit.call_started_at,
            snippet=hit.snippet,
            rank=hit.rank,
        )


class SearchResults(BaseModel):
    query: str
    results: list[SearchHit]


def _bad_query(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", field), "msg": message, "type": "value"}])


@router.get("", response_model=SearchResults, responses=error_responses())
async def search_transcripts(
    tenant: TenantDep,
    stores: StoresDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            pattern=QUERY_PATTERN,
            description='Words to find, as in a web search: "a quoted phrase", -excluded, or',
        ),
    ],
    started_from: Annotated[
        AwareDatetime | None,
        Query(alias="from", description="Only calls that started at or after this time"),
    ] = None,
    started_before: Annotated[
        AwareDatetime | None,
        Query(alias="to", description="Only calls that started before this time"),
    ] = None,
    status_filter: Annotated[
        CallStatus | None, Query(alias="status", description="Only calls with this status")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    """Utterances of the tenant's stored transcripts matching `q`, best match first, each
    with its call's status and start and a snippet with the matches marked."""
    if not q.strip():
        raise _bad_query("q", "must contain a word to search for")
    if started_from and started_before and started_before <= started_from:
        raise _bad_query("to", "must be later than from")
    hits = await stores.search.search(
        tenant.id,
        q,
        started_from=started_from,
        started_before=started_before,
        status=status_filter.value if status_filter else None,
        limit=limit,
    )
    return SearchResults(query=q, results=[SearchHit.of(h) for h in hits])
