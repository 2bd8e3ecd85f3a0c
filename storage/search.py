"""Full-text search over a tenant's stored (redacted) utterances, on PostgreSQL.

Queries use websearch_to_tsquery, so people type what they would type into a search box
("card declined", "refund -fee", "\"cancel my account\""); hits are ranked with ts_rank and
shown as snippets with every match wrapped in <mark>...</mark>.

Snippets are HTML: the utterance text is escaped first and only our own <mark> elements
are added, so a transcript that says "<script>" is shown, never run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import asyncpg

TEXT_SEARCH_CONFIG = "english"
# ts_headline marks matches with these; no transcript holds control characters, so they
# survive HTML escaping untouched and become <mark> afterwards.
_START, _STOP = "\x02", "\x03"
# An utterance is one speaker's turn, mostly a sentence or two: up to 35 words of it are
# shown whole, around the best match; a longer turn is cut to the words around it.
_HEADLINE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15"
# The best hits are found first and only they get a snippet: ts_headline re-parses the
# text, the costly part, so it runs on `limit` rows, not on every match.
_SEARCH = f"""
WITH query AS (SELECT websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', $2) AS q),
hits AS (
    SELECT u.call_id, u.speaker, u.start_ms, u.end_ms, u.text, c.status, c.started_at,
           ts_rank(u.search_vector, query.q) AS rank
    FROM utterances u
    JOIN calls c ON c.tenant_id = u.tenant_id AND c.call_id = u.call_id
    CROSS JOIN query
    WHERE u.tenant_id = $1 AND u.search_vector @@ query.q
      AND ($3::timestamptz IS NULL OR c.started_at >= $3)
      AND ($4::timestamptz IS NULL OR c.started_at < $4)
      AND ($5::text IS NULL OR c.status = $5)
    ORDER BY rank DESC, c.started_at DESC, u.call_id, u.start_ms, u.speaker
    LIMIT $6
)
SELECT hits.*, ts_headline('{TEXT_SEARCH_CONFIG}', hits.text, query.q, '{_HEADLINE_OPTIONS}')
       AS snippet
FROM hits CROSS JOIN query
ORDER BY rank DESC, started_at DESC, call_id, start_ms, speaker
"""


@dataclass(frozen=True)
class TranscriptHit:
    call_id: str
    speaker: str
    start_ms: int
    end_ms: int
    call_status: str
    call_started_at: datetime
    # HTML: the escaped utterance text around its matches, each in <mark>...</mark>.
    snippet: str
    rank: float


def html_snippet(headline: str) -> str:
    escaped = html.escape(headline, quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


class TranscriptSearch:
    def __init__(self, *, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def search(
        self,
        tenant_id: str,
        query: str,
        *,
        started_from: datetime | None = None,
        started_before: datetime | None = None,
        status: str | None = None,
        limit: int = 20,
    ) -> list[TranscriptHit]:
        """The tenant's utterances matching query, best first; calls filtered by when they
        started (from inclusive, before exclusive) and their status."""
        rows = await self._pool.fetch(
            _SEARCH, tenant_id, query, started_from, started_before, status, limit
        )
        return [
            TranscriptHit(
                call_id=r["call_id"],
                speaker=r["speaker"],
                start_ms=r["start_ms"],
                end_ms=r["end_ms"],
                call_status=r["status"],
                call_started_at=r["started_at"],
                snippet=html_snippet(r["snippet"]),
                rank=float(r["rank"]),
            )
            for r in rows
        ]
