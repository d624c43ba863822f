from __future__ import annotations

import numpy as np
import pytest

from kitbag.semantic import vectors


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_bytes_round_trip_is_exact() -> None:
    v = unit(0.1, -0.2, 0.3)
    data = vectors.to_bytes(v)
    assert len(data) == 12
    assert np.array_equal(vectors.from_bytes(data), v)
    assert np.array_equal(vectors.stack([data, data], 3), np.stack([v, v]))


def test_top_k_is_cosine_best_first_and_ties_by_row() -> None:
    matrix = np.stack([unit(1, 0), unit(0, 1), unit(1, 1), unit(1, 0)])
    found = vectors.top_k(matrix, unit(1, 0), 3)
    assert [row for row, _ in found] == [0, 3, 2]
    assert found[0][1] == 1.0
    assert abs(found[2][1] - 2**-0.5) < 1e-6


def test_top_k_never_returns_rows_not_allowed() -> None:
    matrix = np.stack([unit(1, 0), unit(0, 1), unit(1, 1)])
    allowed = np.array([False, True, True])
    assert [row for row, _ in vectors.top_k(matrix, unit(1, 0), 5, allowed=allowed)] == [2, 1]
    assert vectors.top_k(matrix, unit(1, 0), 5, allowed=allowed, min_score=0.5) == [
        (2, vectors.top_k(matrix, unit(1, 0), 1, allowed=allowed)[0][1])
    ]
    assert vectors.top_k(matrix[:0], unit(1, 0), 5) == []


def test_reciprocal_rank_fusion() -> None:
    fused = vectors.reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=1)
    assert fused == {"a": 1 / 2, "b": 1 / 3 + 1 / 2, "c": 1 / 3}
    assert vectors.ordered(fused) == ["b", "a", "c"]


def test_weighted_fusion_scales_text_by_its_best() -> None:
    fused = vectors.weighted_fusion({"a": 10.0, "b": 5.0}, {"b": 0.8, "c": 0.6}, alpha=0.5)
    assert fused == {"a": 0.5, "b": 0.25 + 0.4, "c": 0.3}
    assert vectors.ordered(fused) == ["b", "a", "c"]
    assert vectors.weighted_fusion({}, {"c": -0.2}, alpha=0.5) == {"c": 0.0}


def test_weighted_fusion_gives_text_only_the_share_of_the_query_it_covers() -> None:
    fused = vectors.weighted_fusion({"a": 10.0}, {"a": 0.2, "c": 0.6}, alpha=0.5, coverage=0.2)
    assert fused == pytest.approx({"a": 0.5 * 0.2 + 0.1, "c": 0.3})
    assert vectors.ordered(fused) == ["c", "a"]
    whole = vectors.weighted_fusion({"a": 10.0}, {"a": 0.2, "c": 0.6}, alpha=0.5, coverage=1.0)
    assert whole == vectors.weighted_fusion({"a": 10.0}, {"a": 0.2, "c": 0.6}, alpha=0.5)
