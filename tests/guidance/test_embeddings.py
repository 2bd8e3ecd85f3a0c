"""The offline all-MiniLM-L6-v2 embedder (a NumPy forward pass) computes what the model
computes: the published similarities of its own usage example, paraphrases above unrelated
pairs, and the same vector for a text alone or in any batch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from guidance.embeddings import (
    MINILM_MAX_TOKENS,
    Embedder,
    MiniLMEmbedder,
    _erf,
    default_embedder,
    wordllama_embedder,
)


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    return default_embedder()


def test_loads_once_per_process_from_the_package(minilm: MiniLMEmbedder) -> None:
    assert default_embedder() is minilm
    assert isinstance(minilm, Embedder) and minilm.dim == 384


def test_the_models_published_example(minilm: MiniLMEmbedder) -> None:
    """sentence-transformers' usage example for this model prints these similarities (to
    four decimals); a mistake anywhere in the forward pass would move them."""
    vectors = minilm.embed(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    expected = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    assert np.allclose(vectors @ vectors.T, expected, atol=2e-4)


def test_paraphrases_are_closer_than_unrelated_sentences(minilm: MiniLMEmbedder) -> None:
    pairs = [
        ("I want to stop my subscription", "please cancel my membership"),
        ("my phone has no signal abroad", "my cell doesn't work since I landed in Spain"),
        ("there's a gas smell in my kitchen", "I think I have a gas leak at home"),
    ]
    unrelated = [
        ("I want to stop my subscription", "there's a gas smell in my kitchen"),
        ("my phone has no signal abroad", "how do I return these shoes"),
        ("there's a gas smell in my kitchen", "my card was declined at the store"),
    ]

    texts = list(dict.fromkeys(t for pair in pairs + unrelated for t in pair))
    vectors = dict(zip(texts, minilm.embed(texts), strict=True))  # one forward pass

    def cosine(a: str, b: str) -> float:
        return float(vectors[a] @ vectors[b])

    lowest_paraphrase = min(cosine(a, b) for a, b in pairs)
    highest_unrelated = max(cosine(a, b) for a, b in unrelated)
    assert lowest_paraphrase > 0.5 > 0.25 > highest_unrelated


def test_a_batch_gives_each_text_its_own_vector(
    minilm: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Padding, length sorting and batch splitting change nothing: each text's vector is
    the one it gets alone (texts of very different lengths, more than one batch). Batches
    of four make a dozen texts span several batches, as 40 would at the default size."""
    monkeypatch.setattr(minilm, "_batch_size", 4)
    batches: list[int] = []
    encode_batch = minilm._encode_batch

    def counted(token_ids: list[list[int]]) -> np.ndarray:
        batches.append(len(token_ids))
        return encode_batch(token_ids)

    monkeypatch.setattr(minilm, "_encode_batch", counted)
    texts = [f"question number {i} about {'roaming charges ' * (i % 7)}" for i in range(9)]
    texts += ["short", "word " * 600, ""]
    together = minilm.embed(texts)
    assert len(batches) >= 3 and max(batches) > 1
    alone = np.stack([minilm.embed([t])[0] for t in texts])
    assert together.shape == (len(texts), 384) and together.dtype == np.float32
    assert np.abs(together - alone).max() < 1e-5
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert minilm.embed([]).shape == (0, 384)


def test_long_texts_are_truncated(minilm: MiniLMEmbedder) -> None:
    long_text = "the customer called about a refund " * 200
    assert minilm.token_count(long_text) == MINILM_MAX_TOKENS
    assert not np.any(np.isnan(minilm.embed([long_text])))


def test_erf_is_accurate_enough_for_gelu() -> None:
    x = np.linspace(-6, 6, 2001, dtype=np.float32)
    exact = np.array([math.erf(float(v)) for v in x])
    # 1.5e-7 for the approximation, the rest float32 rounding.
    assert np.abs(_erf(x) - exact).max() < 5e-7


def test_wordllama_stays_available() -> None:
    embedder = wordllama_embedder()
    assert embedder is wordllama_embedder() and isinstance(embedder, Embedder)
    vectors = embedder.embed(["lost my credit card", "my card number is [CREDIT_CARD]", ""])
    assert vectors.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 256)
