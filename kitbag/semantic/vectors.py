"""The vector maths of finding by meaning, in NumPy (no Django): storage bytes, exact top-k by
cosine over a matrix of unit rows, and fusing two rankings into one.

Vectors are stored as little-endian float32 bytes (384 x 4 = 1,536 bytes for MiniLM): the same
bytes on SQLite and PostgreSQL, so both databases give the same scores and the same order.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

K = TypeVar("K", bound=Hashable)
Matrix = npt.NDArray[np.float32]

DTYPE = np.dtype("<f4")


def to_bytes(vector: npt.NDArray[np.floating]) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(data: bytes | memoryview) -> npt.NDArray[np.float32]:
    return np.frombuffer(bytes(data), dtype=DTYPE).astype(np.float32)


def stack(rows: Sequence[bytes | memoryview], dimensions: int) -> Matrix:
    if not rows:
        return np.zeros((0, dimensions), dtype=np.float32)
    return np.frombuffer(b"".join(bytes(r) for r in rows), dtype=DTYPE).reshape(-1, dimensions)


def top_k(
    matrix: Matrix,
    query: npt.NDArray[np.float32],
    k: int,
    *,
    allowed: npt.NDArray[np.bool_] | None = None,
    min_score: float = -1.0,
) -> list[tuple[int, float]]:
    """Row numbers of the k rows most like `query` (cosine: rows and query are unit length),
    best first, ties by row number; rows not `allowed` never come back."""
    if k <= 0 or matrix.shape[0] == 0:
        return []
    scores = matrix @ query.astype(np.float32)
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    k = min(k, scores.shape[0])
    # argpartition for the k best, then an exact, stable sort of those (row number breaks ties,
    # so the order does not depend on the partition).
    candidates = np.argpartition(-scores, k - 1)[:k] if k < scores.shape[0] else np.arange(k)
    order = sorted(candidates.tolist(), key=lambda row: (-float(scores[row]), row))
    return [
        (row, float(scores[row]))
        for row in order
        if scores[row] > -np.inf and scores[row] >= min_score
    ]


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[K]], *, weights: Sequence[float] | None = None, k: int = 60
) -> dict[K, float]:
    """Each item scores sum(weight / (k + rank)) over the rankings it appears in (rank from 1)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def weighted_fusion(
    text: Mapping[K, float],
    vector: Mapping[K, float],
    *,
    alpha: float,
    coverage: float = 1.0,
) -> dict[K, float]:
    """alpha x coverage x (text score / best text score) + (1 - alpha) x cosine; an item missing
    from one side scores 0 there. Text scores are on no fixed scale, so they are divided by the
    best; `coverage` (0 to 1) says how much of the query the text's matches hold at all, so a
    best match on one incidental word does not take the text's full share."""
    best = max(text.values(), default=0.0)
    weight = alpha * min(1.0, max(0.0, coverage))
    fused: dict[K, float] = {}
    for item in set(text) | set(vector):
        share = text.get(item, 0.0) / best if best > 0 else 0.0
        fused[item] = weight * share + (1.0 - alpha) * max(0.0, vector.get(item, 0.0))
    return fused


def ordered(scores: Mapping[K, float], tie: Mapping[K, object] | None = None) -> list[K]:
    """Keys best first; ties by `tie` (or by the key itself) so every run gives one order."""
    return sorted(scores, key=lambda key: (-scores[key], tie[key] if tie else key))
