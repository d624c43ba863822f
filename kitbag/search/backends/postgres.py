"""PostgreSQL: a weighted tsvector column, search_vector, on the SearchDocument table (GIN index),
holding the facet words at weight D, and search_head of titles and summaries alone (migration
0007), whose rankings take the facet filters from search_vector."""

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
    return f"({matched}) & {facet_expression(required)}"


def facet_expression(required: FacetFilter) -> str:
    """The facet words a filter asks for (text.facet_filter), as a tsquery: one of each group."""
    return " & ".join("(" + " | ".join(f"'{t}'" for t in group) + ")" for group in required)


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


# The title (A) and summary words (B) of one document in search_head (migration 0005). Not its
# facet words (migration 0007): ranking reads every matching row of this table, and with them the
# rows were twice as wide and a broad word's ranking took twice as long (docs/performance.md).
HEAD_UPSERT = (
    "INSERT INTO search_head (document_id, vector) VALUES (%s,"
    " setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B'))"
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
            cursor.execute(HEAD_UPSERT, [document.pk, title, extra])

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
        words = tsquery_match_expression(query, every_concept=every_concept)
        matched = tsquery_match_expression(query, every_concept=every_concept, required=required)
        return self._ids(
            "SELECT id FROM search_searchdocument, to_tsquery('english', %s) query,"
            " to_tsquery('english', %s) matched"
            " WHERE search_vector @@ matched"
            " ORDER BY ts_rank_cd(search_vector, query, 1) DESC, id LIMIT %s OFFSET %s",
            [words, matched, limit, offset],
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
        # The facet filters come from the whole vectors' index, as a set the planner hashes: at
        # 100,000 documents that costs a few milliseconds more than facet words in these rows
        # did, where their width cost every broad search twenty.
        words = tsquery_match_expression(query, every_concept=every_concept)
        params: list[str | int] = [words]
        filtered = ""
        if required:
            filtered = (
                " AND document_id IN (SELECT id FROM search_searchdocument"
                " WHERE search_vector @@ to_tsquery('simple', %s))"
            )
            params.append(facet_expression(required))
        # `filtered` is one of the two fixed clauses above, never input; values are parameters.
        return self._ids(
            "SELECT document_id FROM search_head, to_tsquery('english', %s) query"  # noqa: S608
            f" WHERE vector @@ query{filtered}"
            " ORDER BY ts_rank(vector, query, 1) DESC, document_id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def _ids(self, sql: str, params: Sequence[str | int]) -> list[int]:
        with self.text_index_cursor() as cursor:
            cursor.execute(sql, params)
            return [int(row[0]) for row in cursor.fetchall()]
