"""Knowledge retrieval (the in-memory `KnowledgeIndex`) with the real offline
all-MiniLM-L6-v2 model on the labelled knowledge base."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from guidance.embeddings import MiniLMEmbedder, default_embedder
from guidance.knowledge import Article, KnowledgeIndex, clean_text, fuse, split_sentences

DATA = Path(__file__).resolve().parent.parent / "data" / "knowledge"


class CachingEmbedder:
    """The default model, embedding each distinct text once per test process, and counting
    the texts asked for. Embedding the labelled articles is most of the time the knowledge
    tests take; the indexes here and the PostgreSQL searches of tests/storage, built from
    some of the same articles, reuse their vectors (each text's vector is the same alone or
    in any batch: tests/guidance/test_embeddings.py)."""

    def __init__(self) -> None:
        self.model = default_embedder()
        self.texts = 0

    @property
    def dim(self) -> int:
        return self.model.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
        if missing:
            _VECTORS.update(zip(missing, self.model.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([_VECTORS[t] for t in texts])


_VECTORS: dict[str, np.ndarray] = {}


@pytest.fixture(scope="module")
def embedder() -> CachingEmbedder:
    return CachingEmbedder()


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [Article.from_dict(json.loads(line)) for line in open(DATA / "articles.jsonl")]


@pytest.fixture(scope="module")
def index(articles: list[Article], embedder: CachingEmbedder) -> KnowledgeIndex:
    """Every labelled article, embedded once for the module."""
    return KnowledgeIndex(articles=articles, embedder=embedder)


def test_the_default_embedder_is_minilm() -> None:
    index = KnowledgeIndex(articles=[Article(id="kb-x", title="X", body="Something.")])
    assert isinstance(index._vectors.embedder, MiniLMEmbedder)
    assert index._vectors.embedder is default_embedder()


def test_dev_split_accuracy_holds(index: KnowledgeIndex, embedder: CachingEmbedder) -> None:
    """A floor under the dev split's figures (bench/bench_knowledge.py prints them all), so
    a change that breaks retrieval fails here; the test split is left to the benchmark."""
    questions = [json.loads(line) for line in open(DATA / "questions.jsonl")]
    dev = [q for q in questions if q["split"] == "dev" and q["article_id"]]
    # The queries as the index embeds them, in one batch rather than one pass each.
    embedder.embed([clean_text(q["question"]) for q in dev])
    found = [[h.article_id for h in index.search(q["question"], 3)] for q in dev]
    top1 = sum(ids[:1] == [q["article_id"]] for ids, q in zip(found, dev, strict=True)) / len(dev)
    top3 = sum(q["article_id"] in ids for ids, q in zip(found, dev, strict=True)) / len(dev)
    assert top1 >= 0.6 and top3 >= 0.8, (top1, top3)


def test_fusion_weights_and_bounds() -> None:
    assert fuse(0.0, 0.0) == 0.0
    assert fuse(1.0, 1.0) == 1.0
    assert fuse(0.0, 1.0) > fuse(1.0, 0.0)  # meaning counts far more than shared words


@pytest.mark.parametrize(
    ("question", "article_id"),
    [
        ("the electricity went off in my whole neighbourhood", "kb-power-outage"),
        ("how do i send money abroad to another bank", "kb-wire-transfer"),
        ("can i get my money back for this, i don't want it", "kb-returns"),
        ("there's a gas smell in my house", "kb-gas-leak"),
        ("um i forgot my password and can't log in", "kb-password-reset"),
    ],
)
def test_spoken_questions_find_their_article(
    index: KnowledgeIndex, articles: list[Article], question: str, article_id: str
) -> None:
    hits = index.search(question, 3)
    assert hits[0].article_id == article_id
    assert 0.0 <= hits[-1].score <= hits[0].score <= 1.0
    body = next(a.body for a in articles if a.id == article_id)
    assert hits[0].snippet in split_sentences(body)
    assert hits[0].title == next(a.title for a in articles if a.id == article_id)


def test_redaction_placeholders_do_not_break_search(index: KnowledgeIndex) -> None:
    hits = index.search("my card number is [CREDIT_CARD] and i lost it, somebody stole my wallet")
    assert hits[0].article_id == "kb-lost-card"
    assert "CREDIT_CARD" not in hits[0].snippet
    assert index.search("[PERSON] [PHONE_NUMBER:0a1b2c3d] ****") == []


@pytest.mark.parametrize(
    "question", ["what's the weather like", "who won the football game", "um uh", ""]
)
def test_a_question_no_article_answers_gets_nothing(index: KnowledgeIndex, question: str) -> None:
    assert index.search(question, 3) == []
    assert not index.relevant(question)


def test_relevant_and_limit(index: KnowledgeIndex) -> None:
    assert index.relevant("where is my package, it hasn't arrived")
    assert len(index.search("where is my package, it hasn't arrived", 1)) == 1
    assert index.search("where is my package", 0) == []


def test_an_index_knows_only_its_own_articles(
    articles: list[Article], embedder: CachingEmbedder
) -> None:
    bank = [a for a in articles if a.id in {"kb-lost-card", "kb-wire-transfer", "kb-overdraft"}]
    other_tenant = KnowledgeIndex(articles=bank, embedder=embedder)
    assert len(other_tenant) == 3
    for question in ["there's a gas smell in my house", "my phone won't work in Spain"]:
        assert {h.article_id for h in other_tenant.search(question, 5, min_score=0.0)} <= {
            a.id for a in bank
        }


def test_empty_index() -> None:
    empty = KnowledgeIndex(articles=[])
    assert len(empty) == 0
    assert empty.search("i lost my card") == []
    assert not empty.relevant("i lost my card")


def test_duplicate_ids_are_refused() -> None:
    a = Article(id="kb-x", title="X", body="Something.")
    with pytest.raises(ValueError, match="duplicate"):
        KnowledgeIndex(articles=[a, a])


def test_ties_are_ordered_by_article_id(embedder: CachingEmbedder) -> None:
    twins = [
        Article(id=i, title="Lost card", body="Lock the card and order a new one.")
        for i in ("kb-b", "kb-c", "kb-a")
    ]
    index = KnowledgeIndex(articles=twins, embedder=embedder)
    hits = index.search("i lost my card", 3)
    assert [h.article_id for h in hits] == ["kb-a", "kb-b", "kb-c"]
    assert len({h.score for h in hits}) == 1
    assert hits == index.search("i lost my card", 3)
