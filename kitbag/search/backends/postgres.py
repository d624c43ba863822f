"""PostgreSQL: a weighted tsvector column, search_vector, on the SearchDocument table (GIN index),
and search_head of titles and summaries; each vector holds the facet words at weight D."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import PART_WEIGHT, Alternative, FacetFilter, ParsedQuery


def tsquery_expression(query: ParsedQuery) -> str:
    # to_tsquery rather than websearch_to_tsquery: the words are already parsed and checked, and
    # only to_tsquery can say "this last word is a prefix" (:*).
    parts = [f"'{term}'" for term in query.terms]
    if query.prefix:
        parts.append(f"'{query.prefix}':*")
    return " & ".join(parts)


def tsquery_match_expression(
    query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
) -> str:
    """Any alternative of any (or every) concept, with the facet words required, as
    fts5_match_expression says for SQLite."""
    if every_concept:
        # A lone word of a phrase ("tax" of "council tax") does not count as the concept here.
        matched = " & ".join(
            "(" + _any_of([a for a in concept if a.weight > PART_WEIGHT]) + ")"
            for concept in query.concepts
        )
    else:
        matched = _any_of(query.alternatives())
    if not required:
        return matched
    groups = " & ".join("(" + " | ".join(f"'{t}'" for t in group) + ")" for group in required)
    return f"({matched}) & {groups}"


def _any_of(alternatives: Sequence[Alternative]) -> str:
    parts = []
    for alternative in alternatives:
        quoted = [f"'{word}'" for word in alternative.words]
        if alternative.is_prefix:
            parts.append(f"{quoted[0]}:*")
        elif len(quoted) == 1:
            parts.append(quoted[0])
        else:
            parts.append("(" + " & ".join(quoted) + ")")
    return " | ".join(parts)


# The title (A) and summary words (B) of one document, and its facet words (D, never stemmed),
# in search_head (migrations 0005 and 0006).
HEAD_UPSERT = (
    "INSERT INTO search_head (document_id, vector) VALUES (%s,"
    " setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B')"
    " || setweight(to_tsvector('simple', %s), 'D'))"
    " ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector"
)


# Ranking whole vectors reads each out of line: 4,000 of them cost 90 ms at 100,000 documents,
# where the title and summary vectors cost a third of that (docs/performance.md, 2026-12-02).
FULL_VECTOR_RANKING_LIMIT = 2500


class PostgresBackend(SearchBackend):
    code_point_collation = "C"

    def full_ranking_limit(self) -> int:
        return min(super().full_ranking_limit(), FULL_VECTOR_RANKING_LIMIT)

    def write(self, document: SearchDocument) -> None:
        self.write_terms(document)
        title, extra, body = self.folded_fields(document)
        facets = self.facet_words(document)
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "UPDATE search_searchdocument SET search_vector ="
                " setweight(to_tsvector('english', %s), 'A')"
                " || setweight(to_tsvector('english', %s), 'B')"
                " || setweight(to_tsvector('english', %s), 'C')"
                " || setweight(to_tsvector('simple', %s), 'D')"
                " WHERE id = %s",
                [title, extra, body, facets, document.pk],
            )
            cursor.execute(HEAD_UPSERT, [document.pk, title, extra, facets])

    def delete(self, document_id: int) -> None:
        # The vector is a column of the document's own row, and a trigger removes its
        # search_head row (migration 0005): deleting the row removes both.
        return None

    def matching_ids(
        self, query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
    ) -> RawSQL:
        return RawSQL(
            "SELECT id FROM search_searchdocument WHERE search_vector @@ to_tsquery('english', %s)",
            [tsquery_match_expression(query, every_concept=every_concept, required=required)],
        )

    @contextmanager
    def text_index_cursor(self) -> Iterator[CursorWrapper]:
        # The planner does not count reading vectors stored out of line (migration 0004): for a
        # common word or a prefix it may scan the table and read every vector (450 ms at
        # 100,000 documents) where the GIN index takes 20 ms. Only for this statement.
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            try:
                yield cursor
            finally:
                # Inside a longer transaction (a request's, a test's), what follows plans as usual.
                cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")

    def best_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        # ts_rank_cd with the weights stored in the vector (A title, B extra, C body), divided
        # by 1 + log(length) (normalisation 1) so that long bodies do not win by length alone.
        # The documents are those with the facet words; the rank is of the query's words alone.
        return self._ranked(
            "SELECT id FROM search_searchdocument, to_tsquery('english', %s) query,"
            " to_tsquery('english', %s) matched"
            " WHERE search_vector @@ matched"
            " ORDER BY ts_rank_cd(search_vector, query, 1) DESC, id LIMIT %s OFFSET %s",
            query,
            every_concept=every_concept,
            required=required,
            limit=limit,
            offset=offset,
        )

    def best_head_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        # ts_rank, not ts_rank_cd: these vectors are short, and cover density adds little there.
        return self._ranked(
            "SELECT document_id FROM search_head, to_tsquery('english', %s) query,"
            " to_tsquery('english', %s) matched"
            " WHERE vector @@ matched"
            " ORDER BY ts_rank(vector, query, 1) DESC, document_id LIMIT %s OFFSET %s",
            query,
            every_concept=every_concept,
            required=required,
            limit=limit,
            offset=offset,
        )

    def _ranked(
        self,
        sql: str,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        words = tsquery_match_expression(query, every_concept=every_concept)
        matched = tsquery_match_expression(query, every_concept=every_concept, required=required)
        with self.text_index_cursor() as cursor:
            cursor.execute(sql, [words, matched, limit, offset])
            return [int(row[0]) for row in cursor.fetchall()]
