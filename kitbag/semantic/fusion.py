"""Search by meaning and by words: the text ranking of a search fused with vector similarity.

`fuse()` is called by `kitbag.search.queries.search` for a ranked query when finding by meaning is
on. The nearest documents to the query are found among those the search may show (the same
`outside` set and facet filters as the text search: a draft's vector can never surface it), the
ones the text did not match are read like the text's own rows, and both rankings are combined:

    score = ALPHA x coverage x (text score / best text score) + (1 - ALPHA) x cosine   (ALPHA = 0.3)

where `coverage` is the share of the query's weight (each word's IDF, a word no document holds
weighing as the rarest) held by the text match that holds most of it. A query in the cases' own
words has a match covering it all, and the text keeps its full share; a paraphrase whose only
matches are incidental words ("people", "home") leaves the ranking to meaning, where the words
have nothing to say for it (docs/performance.md, 2026-12-07).

Text-only matches keep their words' weight; a document the words missed enters on meaning alone
when its cosine passes MIN_COSINE (a query of a synonym nobody listed). Ties: the search's own
order (newest first, then object id), so both databases give one order. Tuned on
benchmarks/relevance/judgments.json, checked on held_out.json and paraphrase.json
(docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from kitbag.semantic import encoding, queries, vectors

Row = dict[str, Any]
Ranked = list[tuple[float, Row]]

ALPHA = 0.3
# Nearest documents asked for beside the text's matches.
CANDIDATES = 100
# A document no word of the query matched is shown only if it is at least this close in meaning.
MIN_COSINE = 0.3


def fuse(
    *,
    query: str,
    doc_type: str,
    ranked: Ranked,
    outside: Collection[int],
    allowed: Collection[int] | None,
    read_rows: Callable[[list[int]], list[Row]],
    tie: Callable[[Row], Any],
    alpha: float = ALPHA,
    min_cosine: float = MIN_COSINE,
) -> Ranked | None:
    """The fused ranking, best first; None when finding by meaning is off (the text's stands)."""
    if not encoding.is_on():
        return None
    query_vector = queries.encode_query(query)
    held = queries.matrix(doc_type)
    if query_vector is None or held is None:
        return None
    neighbours = queries.nearest_in(
        held, query_vector, k=CANDIDATES, allowed_ids=allowed, outside=outside
    )
    if not neighbours:
        return None
    cosine = dict(neighbours)
    rows: dict[int, Row] = {int(row["id"]): row for _, row in ranked}
    text_scores = {int(row["id"]): score for score, row in ranked}
    extra = sorted(pk for pk, score in cosine.items() if pk not in rows and score >= min_cosine)
    for row in read_rows(extra):
        rows[int(row["id"])] = row
    # A text match outside the vector's top CANDIDATES still has its own cosine.
    for pk in text_scores:
        if pk not in cosine and pk in held.position:
            cosine[pk] = float(held.rows[held.position[pk]] @ query_vector)
    # Rows ranked without it (none today) count as covering the query, as before.
    coverage = max((float(row.get("coverage", 1.0)) for _, row in ranked), default=0.0)
    scores = vectors.weighted_fusion(
        text_scores,
        {pk: cosine[pk] for pk in rows if pk in cosine},
        alpha=alpha,
        coverage=coverage,
    )
    kept = [pk for pk in scores if pk in rows]
    kept.sort(key=lambda pk: (-round(scores[pk], 6), tie(rows[pk])))
    return [(scores[pk], rows[pk]) for pk in kept]
