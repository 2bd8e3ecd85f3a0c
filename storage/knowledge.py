"""Knowledge search over PostgreSQL: what `POST /v1/knowledge/search` answers with.

`KnowledgeSearch.search(tenant_id, query, limit)` ranks the articles of the tenant's
guidance policy version in force (table knowledge_articles, written with each version by
storage.guidance_policies) and gives `guidance.knowledge.SearchHit`s, best first, those
scoring below the threshold left out. A tenant without a policy, or whose policy has no
articles, gets an empty list (and no model is loaded for it).

It is the same hybrid ranking as the in-memory `guidance.knowledge.KnowledgeIndex` (the
library the benchmark measures), sharing its code for everything but the lexical half:

* lexical: PostgreSQL full text instead of BM25. The query's content words (fillers and
  stop words dropped, as the index does) are OR-ed into one tsquery (english
  configuration, so PostgreSQL stems them), matched against the articles' tsvector
  (title and tags weigh above the body), ranked with `ts_rank_cd` and mapped onto 0..1
  by rank / (rank + 1);
* dense: `guidance.knowledge.ArticleVectors`: the same chunks, the same embedder
  (`guidance.embeddings.default_embedder()` unless given, loaded on the first search that
  needs it), the same dense score and snippet;
* the two fused by `guidance.knowledge.fuse`, with the same weights and threshold.

The lexical half carries 5% of the score, so both rankers put the same article first for
nearly every question (tests/storage/test_knowledge.py checks it on the labelled set).

Embedding a tenant's articles takes a while (tens of milliseconds per article on a CPU),
so the chunk vectors are kept per (tenant, policy version) in a bounded LRU cache, built
in a worker thread (`asyncio.to_thread`) like every embedding here, so the event loop never
waits on the model. A new policy version is a new key: the old entry is simply never used
again and ages out. Every SQL statement names the tenant, and the cache is keyed by it, so
another tenant's articles can never come back.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping

import asyncpg

from guidance.embeddings import Embedder, default_embedder
from guidance.knowledge import (
    DEFAULT_MIN_SCORE,
    Article,
    ArticleVectors,
    SearchHit,
    clean_text,
    content_words,
)

# Tenants' article vectors kept at once: by count, and by size (a policy may hold 1,000
# articles, some 10,000 chunks of 384 floats: about 15 MB).
DEFAULT_CACHE_ENTRIES = 32
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
# ts_rank_cd's weights for D, C, B and A positions: the body (B) counts half of a title or
# tag (A), as in the in-memory index's BM25, where title and tags are counted twice.
_RANK_WEIGHTS = "{0, 0, 0.5, 1}"
# Normalisation 32: rank / (rank + 1), which maps any rank onto 0..1.
_RANK_NORMALISATION = 32

_CURRENT_VERSION = "SELECT max(version) FROM guidance_policies WHERE tenant_id = $1"
_ARTICLES = (
    "SELECT article_id, title, body, tags FROM knowledge_articles"
    " WHERE tenant_id = $1 AND policy_version = $2 ORDER BY article_id"
)
_LEXICAL = (
    f"SELECT article_id, ts_rank_cd('{_RANK_WEIGHTS}', document, query, {_RANK_NORMALISATION})"
    " AS rank"
    " FROM knowledge_articles, to_tsquery('english', $3) AS query"
    " WHERE tenant_id = $1 AND policy_version = $2 AND document @@ query"
)


def lexical_query(query: str) -> str:
    """The tsquery text for `query`: its content words OR-ed (empty when it has none).
    Content words are runs of [a-z0-9], so none can carry tsquery syntax."""
    words = list(dict.fromkeys(content_words(query)))
    return " | ".join(words)


class KnowledgeSearch:
    """Hybrid knowledge search over each tenant's current articles (see the module doc)."""

    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        embedder: Embedder | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        cache_entries: int = DEFAULT_CACHE_ENTRIES,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self._pool = pool
        self._embedder = embedder  # None: default_embedder(), on the first search needing it
        self.min_score = min_score
        self._cache_entries = cache_entries
        self._cache_bytes = cache_bytes
        self._cache: OrderedDict[tuple[str, int], ArticleVectors] = OrderedDict()
        # Builds under way, so concurrent first searches of one tenant embed its articles once.
        self._building: dict[tuple[str, int], asyncio.Future[ArticleVectors | None]] = {}

    async def search(self, tenant_id: str, query: str, limit: int) -> list[SearchHit]:
        """The tenant's best `limit` articles for `query`, best first (see the module doc)."""
        if limit <= 0 or not clean_text(query).strip():
            return []  # nothing to compare: no need to read or embed the articles
        version = await self._pool.fetchval(_CURRENT_VERSION, tenant_id)
        if version is None:
            return []
        vectors = await self._vectors(tenant_id, version)
        if vectors is None:
            return []
        lexical = await self._lexical(tenant_id, version, query)
        return await asyncio.to_thread(vectors.rank, query, lexical, limit, self.min_score)

    def cached(self, tenant_id: str) -> list[int]:
        """The policy versions whose vectors are cached for the tenant (for tests and ops)."""
        return [version for tenant, version in self._cache if tenant == tenant_id]

    async def _lexical(self, tenant_id: str, version: int, query: str) -> Mapping[str, float]:
        text = lexical_query(query)
        if not text:
            return {}
        rows = await self._pool.fetch(_LEXICAL, tenant_id, version, text)
        return {row["article_id"]: float(row["rank"]) for row in rows}

    async def _vectors(self, tenant_id: str, version: int) -> ArticleVectors | None:
        """The version's article vectors, or None when it has no articles."""
        key = (tenant_id, version)
        vectors = self._cache.get(key)
        if vectors is not None:
            self._cache.move_to_end(key)
            return vectors
        building = self._building.get(key)
        if building is not None:
            return await asyncio.shield(building)
        future: asyncio.Future[ArticleVectors | None] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        try:
            vectors = await self._build(tenant_id, version)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so an unawaited failure is not logged
            raise
        else:
            future.set_result(vectors)
            # Nothing is cached for no articles: the read may have come just after a newer
            # put removed this version's rows, and there is nothing to save anyway.
            if vectors is not None:
                self._remember(key, vectors)
            return vectors
        finally:
            del self._building[key]

    async def _build(self, tenant_id: str, version: int) -> ArticleVectors | None:
        rows = await self._pool.fetch(_ARTICLES, tenant_id, version)
        articles = [
            Article(id=r["article_id"], title=r["title"], body=r["body"], tags=tuple(r["tags"]))
            for r in rows
        ]
        if not articles:
            return None
        embedder = self._embedder
        if embedder is None:
            embedder = self._embedder = await asyncio.to_thread(default_embedder)
        return await asyncio.to_thread(ArticleVectors, articles, embedder)

    def _remember(self, key: tuple[str, int], vectors: ArticleVectors) -> None:
        self._cache[key] = vectors
        self._cache.move_to_end(key)
        while len(self._cache) > 1 and (
            len(self._cache) > self._cache_entries
            or sum(v.vectors.nbytes for v in self._cache.values()) > self._cache_bytes
        ):
            self._cache.popitem(last=False)
