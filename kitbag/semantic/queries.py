"""Reads by meaning: the nearest search documents to a text, over a per-process matrix.

- nearest(*, text, doc_type, k, allowed_ids=None, outside=frozenset()) -> [(document id, cosine)]
- similar_to_document(*, document_id, ...) -> the same, from a stored vector.

Each process keeps, per database and kind of document, the stored vectors of the current model
as one float32 matrix (100,000 x 384 floats: 147 MB; the cosine with all of them is one
matrix-vector product, a few milliseconds). It is checked at every call against the table's
count and newest `updated_at`, and re-read in full when either moved: a handful of milliseconds
for a cheap aggregate query (docs/decisions/0027-finding-by-meaning.md). pgvector with an HNSW
index is the path past this scale (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from kitbag.semantic import encoding, vectors
from kitbag.semantic.models import Embedding
from kitbag.semantic.services import current_generation


@dataclass
class _Matrix:
    stamp: tuple[int, dt.datetime | None]
    ids: npt.NDArray[np.int64]
    rows: vectors.Matrix
    position: dict[int, int]
    # The generation (services.generation_key) this matrix was last checked at.
    generation: str | None = None
    # The rows a search may not show, per `outside` set: the search keeps one frozenset per
    # generation of its index (search/queries._id_set), so the same object comes back until a
    # write, and its mask (np.isin over 100,000 ids) is worked out once.
    masks: dict[int, tuple[Collection[int], npt.NDArray[np.bool_]]] = field(default_factory=dict)

    def outside_mask(self, outside: Collection[int]) -> npt.NDArray[np.bool_]:
        kept = self.masks.get(id(outside))
        if kept is not None and kept[0] is outside:
            return kept[1]
        mask = np.isin(self.ids, np.fromiter(outside, dtype=np.int64, count=len(outside)))
        if isinstance(outside, frozenset):
            if len(self.masks) > 8:
                self.masks.clear()
            self.masks[id(outside)] = (outside, mask)
        return mask


_MATRICES: dict[str, _Matrix] = {}
_LOCK = threading.Lock()


def _key(doc_type: str, model: str) -> str:
    return f"{connection.alias}:{settings.DATABASES[connection.alias]['NAME']}:{doc_type}:{model}"


def matrix(doc_type: str) -> _Matrix | None:
    """The current vectors of this kind of document, refreshed if the table changed.

    Every write of vectors sets a new generation in the shared cache (services.py): while it is
    the one this matrix was checked at, nothing is asked of the database (at 100,000 vectors the
    count-and-newest query cost far more than the search by meaning itself).
    """
    encoder = encoding.encoder()
    if encoder is None:
        return None
    key = _key(doc_type, encoder.name)
    generation = current_generation()
    with _LOCK:
        current = _MATRICES.get(key)
        if current is not None and generation is not None and current.generation == generation:
            return current
    # The stamp over every kind of document: no join with the documents, so it reads only the
    # model's index.
    found = Embedding.objects.filter(model=encoder.name).aggregate(
        n=Count("pk"), latest=Max("updated_at")
    )
    stamp = (int(found["n"]), found["latest"])
    if current is not None and current.stamp == stamp:
        current.generation = generation
        return current
    held = Embedding.objects.filter(document__doc_type=doc_type, model=encoder.name)
    pairs = list(held.order_by("pk").values_list("pk", "vector"))
    ids = np.array([pk for pk, _ in pairs], dtype=np.int64)
    rows = vectors.stack([vector for _, vector in pairs], encoder.dimensions)
    fresh = _Matrix(
        stamp=stamp,
        ids=ids,
        rows=rows,
        position={int(pk): n for n, pk in enumerate(ids)},
        generation=generation,
    )
    with _LOCK:
        _MATRICES[key] = fresh
    return fresh


def forget_matrices() -> None:
    with _LOCK:
        _MATRICES.clear()


def encode_query(text: str) -> npt.NDArray[np.float32] | None:
    encoder = encoding.encoder()
    if encoder is None or not text.strip():
        return None
    return encoder.encode([text])[0]


def nearest_to_vector(
    query: npt.NDArray[np.float32],
    *,
    doc_type: str,
    k: int,
    allowed_ids: Collection[int] | None = None,
    outside: Collection[int] = frozenset(),
    min_score: float = -1.0,
) -> list[tuple[int, float]]:
    """Search document ids nearest the vector, best first. Only documents in `allowed_ids` (when
    given) and not in `outside` come back: the caller's visibility rules, applied before top-k."""
    held = matrix(doc_type)
    if held is None:
        return []
    return nearest_in(
        held, query, k=k, allowed_ids=allowed_ids, outside=outside, min_score=min_score
    )


def nearest_in(
    held: _Matrix,
    query: npt.NDArray[np.float32],
    *,
    k: int,
    allowed_ids: Collection[int] | None = None,
    outside: Collection[int] = frozenset(),
    min_score: float = -1.0,
) -> list[tuple[int, float]]:
    if not len(held.ids):
        return []
    mask = np.ones(len(held.ids), dtype=bool)
    if allowed_ids is not None:
        mask = np.isin(held.ids, np.fromiter(allowed_ids, dtype=np.int64, count=len(allowed_ids)))
    if outside:
        mask &= ~held.outside_mask(outside)
    found = vectors.top_k(held.rows, query, k, allowed=mask, min_score=min_score)
    return [(int(held.ids[row]), score) for row, score in found]


def nearest(
    *,
    text: str,
    doc_type: str,
    k: int,
    allowed_ids: Collection[int] | None = None,
    outside: Collection[int] = frozenset(),
    min_score: float = -1.0,
) -> list[tuple[int, float]]:
    query = encode_query(text)
    if query is None:
        return []
    return nearest_to_vector(
        query, doc_type=doc_type, k=k, allowed_ids=allowed_ids, outside=outside, min_score=min_score
    )


def vector_of(document_id: int, doc_type: str) -> npt.NDArray[np.float32] | None:
    held = matrix(doc_type)
    if held is not None and document_id in held.position:
        return held.rows[held.position[document_id]]
    encoder = encoding.encoder()
    row = (
        Embedding.objects.filter(document_id=document_id, model=encoder.name).first()
        if encoder is not None
        else None
    )
    return vectors.from_bytes(row.vector) if row is not None else None
