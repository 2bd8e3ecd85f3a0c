"""Knowledge assist retrieval: which of a tenant's articles answers what the customer asked.

Pure library: no Temporal, no network, no database. A `KnowledgeIndex` is built from one
tenant's articles and knows nothing else, so another tenant's articles can never be
returned from it. `search(query, limit)` gives `SearchHit`s (article id, title, a score in
0..1, and the sentence of the body that best matches), best first, and only those whose
score reaches the index's threshold: a question no article answers gives nothing, so
guidance never pushes an irrelevant article. `relevant(query)` says whether anything would.

Retrieval is hybrid, two scores per article fused by a weighted sum:

* lexical: BM25 (k1 1.2, b 0.75) over the title and tags (counted twice) and the body,
  after light normalisation: lower case, contractions expanded, redaction placeholders
  such as ``[CREDIT_CARD]`` and masks removed, stop words and speech fillers ("um", "you
  know") dropped, a small suffix-stripping stemmer. The BM25 score is divided by the
  query's own best possible score (every term matched at saturation), which gives 0..1;
* dense: the article is embedded as chunks (the whole article; its title with tags; each
  body sentence), the query once, as cleaned text (stop words kept: WordLlama averages
  token vectors and does better with them, measured on the dev split). The article's
  similarity is 0.75 x the whole article's cosine + 0.25 x the title chunk's, mapped from
  [DENSE_FLOOR, DENSE_CEIL] onto 0..1. Sentence chunks only choose the snippet: scoring
  with the best sentence was worse on dev (a static model matches single sentences on
  incidental words).

Customers on the phone rarely use the article's words ("my phone won't work in Spain" for
international roaming), so the dense part carries most of the weight (0.9); the lexical part
(0.1) breaks near-ties towards articles that share the customer's exact terms; more
lexical weight lowered dev accuracy, whose questions are mostly paraphrases. Ties are
broken by article id, so the ordering is deterministic. The threshold (0.1) rejects most
off-topic questions on dev while dropping few answerable ones.

WordLlama is a static word-embedding model, and it is the limit here: on the labelled set
(bench/bench_knowledge.py) it is far below the issue's targets for paraphrased questions;
the `Embedder` protocol lets a stronger model replace it without touching the index.

The text seen here is already PII-redacted; placeholders carry no meaning for retrieval
and are removed before either score.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from guidance.embeddings import Embedder, wordllama_embedder

# Fusion weights and the dense similarity's mapping onto 0..1 (tuned on the dev split of
# tests/data/knowledge/questions.jsonl only; bench/bench_knowledge.py measures them).
DENSE_WEIGHT = 0.9
LEXICAL_WEIGHT = 0.1
HEAD_WEIGHT = 0.25  # the title-and-tags chunk's share of the dense similarity
DENSE_FLOOR = 0.1
DENSE_CEIL = 0.7
DEFAULT_MIN_SCORE = 0.1
BM25_K1 = 1.2
BM25_B = 0.75
FIELD_REPEAT = 2  # title and tags count this many times in the lexical document

_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9_]*(?::[0-9A-Za-z]+)?\]|\*{2,}")
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_CONTRACTIONS = (
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bain'?t\b"), "is not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'(s|re|ve|ll|d|m)\b"), ""),
)

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got getting gets gonna wanna gotta kinda sorta
    um uh umm uhh er erm hmm ah oh okay ok yeah yes yep hi hello hey well like actually
    basically literally really please thanks thank guys sir maam ma'am know mean think
    said say says tell told need want wanted trying try just still even ever anything
    something everything thing things stuff one lot way going go went want would've
    can't cannot could've i'm im i've ive i'd id i'll ill you're youre it's let me s t
    """.split()
)


def _stem(word: str) -> str:
    """A small suffix stripper: plural, -ing, -ed, -ly, -ation, final e, doubled consonant."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, keep in (("ations", 5), ("ation", 5), ("ies", 3), ("ing", 4), ("ed", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep - 2:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    else:
        if word.endswith("sses"):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        elif word.endswith("ly") and len(word) > 5:
            word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]
    if len(word) > 4 and word.endswith("ll"):
        word = word[:-1]
    return word


def clean_text(text: str) -> str:
    """Lower case, placeholders and masks removed, contractions expanded."""
    text = _PLACEHOLDER.sub(" ", text).lower().replace("\u2019", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def content_words(text: str) -> list[str]:
    """The words that carry meaning: cleaned, without stop words and fillers (not stemmed)."""
    return [w for w in _WORD.findall(clean_text(text)) if w not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """The lexical terms of a text: its content words, stemmed."""
    return [_stem(w) for w in content_words(text)]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an article needs an id")
        object.__setattr__(self, "tags", tuple(self.tags))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            body=str(data.get("body", "")),
            tags=tuple(str(t) for t in data.get("tags") or ()),
        )


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str
    score: float
    snippet: str
    lexical: float = field(default=0.0, compare=False)
    dense: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class _Doc:
    article: Article
    sentences: tuple[str, ...]
    term_counts: Counter[str]
    length: int
    chunk_start: int  # rows of the chunk matrix that belong to this article
    chunk_end: int
    sentence_start: int  # rows (within the chunk matrix) of its body sentences
    sentence_terms: tuple[frozenset[str], ...]


class KnowledgeIndex:
    """One tenant's articles, indexed for hybrid search. Build once; `search` is read-only
    and safe to call from several threads."""

    def __init__(
        self,
        *,
        articles: Iterable[Article],
        embedder: Embedder | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> None:
        self._embedder = embedder if embedder is not None else wordllama_embedder()
        self.min_score = min_score
        docs: list[_Doc] = []
        chunks: list[str] = []
        seen: set[str] = set()
        for article in articles:
            if article.id in seen:
                raise ValueError(f"duplicate article id {article.id!r}")
            seen.add(article.id)
            head = " ".join([article.title, *article.tags])
            sentences = tuple(split_sentences(article.body))
            lexical = terms(head) * FIELD_REPEAT + terms(article.body)
            start = len(chunks)
            chunks.append(" ".join([head, article.body]))
            chunks.append(head)
            sentence_start = len(chunks)
            chunks.extend(sentences)
            docs.append(
                _Doc(
                    article=article,
                    sentences=sentences,
                    term_counts=Counter(lexical),
                    length=len(lexical),
                    chunk_start=start,
                    chunk_end=len(chunks),
                    sentence_start=sentence_start,
                    sentence_terms=tuple(frozenset(terms(s)) for s in sentences),
                )
            )
        self._docs = docs
        n = len(docs)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.term_counts.keys())
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._avg_len = (sum(d.length for d in docs) / n) if n else 0.0
        self._chunks = self._embedder.embed([_dense_text(c) for c in chunks])

    def __len__(self) -> int:
        return len(self._docs)

    @property
    def article_ids(self) -> list[str]:
        return [d.article.id for d in self._docs]

    def search(
        self, query: str, limit: int = 3, *, min_score: float | None = None
    ) -> list[SearchHit]:
        """The best `limit` articles for `query` scoring at least `min_score` (the index's
        threshold unless given), best first; ties in score go by article id."""
        threshold = self.min_score if min_score is None else min_score
        if limit <= 0 or not self._docs:
            return []
        scored = self._score(query)
        hits = [h for h in scored if h[0] >= threshold]
        hits.sort(key=lambda h: (-h[0], self._docs[h[3]].article.id))
        return [self._hit(query, *h) for h in hits[:limit]]

    def relevant(self, query: str) -> bool:
        """Whether some article answers `query` well enough to be shown."""
        return bool(self.search(query, 1))

    # -- scoring --------------------------------------------------------------------------

    def _score(self, query: str) -> list[tuple[float, float, float, int, np.ndarray]]:
        q_terms = terms(query)
        lexical = self._bm25(q_terms)
        q_text = _dense_text(query)
        if q_text.strip():
            q_vec = self._embedder.embed([q_text])[0]
            sims = self._chunks @ q_vec
        else:
            sims = np.zeros(len(self._chunks), dtype=np.float32)
        out = []
        for i, doc in enumerate(self._docs):
            whole, head = float(sims[doc.chunk_start]), float(sims[doc.chunk_start + 1])
            best = (1 - HEAD_WEIGHT) * whole + HEAD_WEIGHT * head
            dense = min(1.0, max(0.0, (best - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR)))
            score = DENSE_WEIGHT * dense + LEXICAL_WEIGHT * lexical[i]
            score = round(min(1.0, max(0.0, score)), 6)
            out.append((score, lexical[i], dense, i, sims))
        return out

    def _bm25(self, q_terms: Sequence[str]) -> list[float]:
        counts = Counter(q_terms)
        ceiling = sum(self._idf.get(t, 0.0) * (BM25_K1 + 1) for t in counts)
        if ceiling <= 0:
            return [0.0] * len(self._docs)
        scores = []
        for doc in self._docs:
            norm = BM25_K1 * (1 - BM25_B + BM25_B * doc.length / (self._avg_len or 1.0))
            s = 0.0
            for t in counts:
                tf = doc.term_counts.get(t, 0)
                if tf:
                    s += self._idf[t] * tf * (BM25_K1 + 1) / (tf + norm)
            scores.append(min(1.0, s / ceiling))
        return scores

    def _hit(
        self, query: str, score: float, lexical: float, dense: float, i: int, sims: np.ndarray
    ) -> SearchHit:
        doc = self._docs[i]
        return SearchHit(
            article_id=doc.article.id,
            title=doc.article.title,
            score=score,
            snippet=self._snippet(doc, set(terms(query)), sims),
            lexical=round(lexical, 6),
            dense=round(dense, 6),
        )

    @staticmethod
    def _snippet(doc: _Doc, q_terms: set[str], sims: np.ndarray) -> str:
        """The body sentence most like the query: its cosine plus a share of query terms."""
        if not doc.sentences:
            return doc.article.body.strip()
        best, best_score = 0, -math.inf
        for j, sentence_terms in enumerate(doc.sentence_terms):
            overlap = len(q_terms & sentence_terms) / len(q_terms) if q_terms else 0.0
            value = float(sims[doc.sentence_start + j]) + 0.5 * overlap
            if value > best_score:
                best, best_score = j, value
        return doc.sentences[best]


def _dense_text(text: str) -> str:
    return clean_text(text)


def load_articles(rows: Iterable[Mapping[str, Any]]) -> list[Article]:
    return [Article.from_dict(r) for r in rows]
