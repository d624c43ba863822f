"""SQLite: an FTS5 table, search_fts, whose rowid is the SearchDocument id, and search_head_fts
of titles and summaries; each has a column of the document's facet words (migration 0006)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import FIELD_WEIGHTS, PART_WEIGHT, Alternative, FacetFilter, ParsedQuery


def fts5_expression(query: ParsedQuery) -> str:
    # Each word is a quoted FTS5 string, so FTS5 operators (NEAR, AND, OR, NOT, column filters)
    # typed by a person can never be read as syntax; phrases are checked in Python (queries.py)
    # after stop words are dropped, the same way on both databases.
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts.append(f'"{query.prefix}"*')
    return " AND ".join(parts)


def fts5_match_expression(
    query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
) -> str:
    """Any alternative of any concept (or of every concept): what the shared ranking orders;
    with the facet words required, one of each group."""
    if every_concept:
        # A lone word of a phrase ("tax" of "council tax") does not count as the concept here.
        matched = " AND ".join(
            "(" + _any_of([a for a in concept if a.weight > PART_WEIGHT]) + ")"
            for concept in query.concepts
        )
    else:
        matched = _any_of(query.alternatives())
    if not required:
        return matched
    groups = " AND ".join("(" + " OR ".join(f'"{t}"' for t in group) + ")" for group in required)
    return f"({matched}) AND {groups}"


def _any_of(alternatives: Sequence[Alternative]) -> str:
    parts = []
    for alternative in alternatives:
        quoted = [f'"{word}"' for word in alternative.words]
        if alternative.is_prefix:
            parts.append(f"{quoted[0]}*")
        elif len(quoted) == 1:
            parts.append(quoted[0])
        else:
            # Words of a run, in any order: ranking (text.py) checks that they are consecutive,
            # the same way on both databases, with stop words dropped.
            parts.append("(" + " AND ".join(quoted) + ")")
    return " OR ".join(parts)


class SqliteBackend(SearchBackend):
    code_point_collation = "BINARY"

    def write(self, document: SearchDocument) -> None:
        self.write_terms(document)
        title, extra, body = self.folded_fields(document)
        facets = self.facet_words(document)
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, extra, body, facets)"
                " VALUES (%s, %s, %s, %s, %s)",
                [document.pk, title, extra, body, facets],
            )
            # The title and summary index (migration 0005).
            cursor.execute("DELETE FROM search_head_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_head_fts (rowid, title, extra, facets) VALUES (%s, %s, %s, %s)",
                [document.pk, title, extra, facets],
            )

    def delete(self, document_id: int) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])
            cursor.execute("DELETE FROM search_head_fts WHERE rowid = %s", [document_id])

    def matching_ids(
        self, query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
    ) -> RawSQL:
        return RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [fts5_match_expression(query, every_concept=every_concept, required=required)],
        )

    def best_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        # bm25() with the ranking's own field weights (title, extra, body: text.FIELD_WEIGHTS).
        expression = fts5_match_expression(query, every_concept=every_concept, required=required)
        return self._by_bm25("search_fts", _weights(), expression, limit=limit, offset=offset)

    def best_head_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        expression = fts5_match_expression(query, every_concept=every_concept, required=required)
        weights = [FIELD_WEIGHTS["title"], FIELD_WEIGHTS["extra"], 0.0]
        return self._by_bm25("search_head_fts", weights, expression, limit=limit, offset=offset)

    def _by_bm25(
        self, table: str, weights: list[float], expression: str, *, limit: int, offset: int
    ) -> list[int]:
        # `table` is one of this module's two FTS5 tables, never input; the rest are parameters.
        columns = ", ".join(["%s"] * len(weights))
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
                f" ORDER BY bm25({table}, {columns}), rowid LIMIT %s OFFSET %s",
                [expression, *weights, limit, offset],
            )
            return [int(row[0]) for row in cursor.fetchall()]


def _weights() -> list[float]:
    # The facet column weighs nothing: a filter chooses documents, it never ranks them.
    return [FIELD_WEIGHTS["title"], FIELD_WEIGHTS["extra"], FIELD_WEIGHTS["body"], 0.0]
