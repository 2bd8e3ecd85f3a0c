"""Text embeddings for guidance: a small `Embedder` protocol and the offline WordLlama model.

WordLlama (the `wordllama` package) is a static token-embedding model: a text's vector is
the average of its tokens' vectors, so embedding is a table look-up and a mean, well under a
millisecond per sentence on a CPU. The wheel ships one set of weights, `l2_supercat` at 256
dimensions (the Llama-2 tokenizer's 32,000 tokens), with its tokenizer; 64 and 128
dimensions are truncations of the same weights. Nothing is ever downloaded: the model is
loaded from the package's own folder with downloads disabled, so a missing file is an error,
not a network request. (`WordLlama.load()` alone would look in `wordllama/tokenizer/`
while the wheel ships `wordllama/tokenizers/`, miss, and try Hugging Face; pointing its
cache directory at the package folder finds both files.)

Importing wordllama calls `logging.basicConfig(level=INFO)` on the root logger; the import
here puts the root logger back as it was, so loading the model does not change the
process's logging.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIM = 256
WORDLLAMA_DIMS = (64, 128, 256)  # what the shipped 256-d weights can give, by truncation


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text (`(len(texts), dim)`)."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _import_wordllama() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return wordllama


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length; an all-zero row (a text with no tokens) stays zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12)


class WordLlamaEmbedder:
    """The shipped WordLlama model. Use `wordllama_embedder()` for the per-process instance."""

    def __init__(self, dim: int = WORDLLAMA_DIM) -> None:
        if dim not in WORDLLAMA_DIMS:
            raise ValueError(f"dim must be one of {WORDLLAMA_DIMS} (the weights shipped offline)")
        wordllama = _import_wordllama()
        package_dir = Path(wordllama.__file__).parent
        self._model = wordllama.WordLlama.load(
            config=WORDLLAMA_CONFIG,
            cache_dir=package_dir,
            dim=WORDLLAMA_DIM,
            trunc_dim=None if dim == WORDLLAMA_DIM else dim,
            disable_download=True,
        )
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        raw = self._model.embed(list(texts), norm=False)
        return normalise_rows(raw)


_lock = threading.Lock()
_cache: dict[int, WordLlamaEmbedder] = {}


def wordllama_embedder(dim: int = WORDLLAMA_DIM) -> WordLlamaEmbedder:
    """The process's WordLlama model at `dim` dimensions, loaded on first use (~1 s)."""
    with _lock:
        embedder = _cache.get(dim)
        if embedder is None:
            embedder = _cache[dim] = WordLlamaEmbedder(dim)
        return embedder
