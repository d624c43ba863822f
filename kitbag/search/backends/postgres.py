"""PostgreSQL: a weighted tsvector column, search_vector, on the SearchDocument table (GIN index)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import PART_WEIGHT, Alternative, ParsedQuery


def tsquery_expression(query: ParsedQuery) -> str:
    # to_tsquery rather than websearch_to_tsquery: the words are already parsed and checked, and
    # only to_tsquery can say "this last word is a prefix" (:*).
    parts = [f"'{term}'" for term in query.terms]
    if query.prefix:
        parts.append(f"'{query.prefix}':*")
    return " & ".join(parts)


def tsquery_match_expression(query: ParsedQuery, *, every_concept: bool = False) -> str:
    """Any alternative of any (or every) concept, as fts5_match_expression says for SQLite."""
    if every_concept:
        # A lone word of a phrase ("tax" of "council tax") does not count as the concept here.
        return " & ".join(
            "(" + _any_of([a for a in concept if a.weight > PART_WEIGHT]) + ")"
            for concept in query.concepts
        )
    return _any_of(query.alternatives())


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


class PostgresBackend(SearchBackend):
    code_point_collation = "C"

    def write(self, document: SearchDocument) -> None:
        self.write_terms(document)
        title, extra, body = self.folded_fields(document)
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "UPDATE search_searchdocument SET search_vector ="
                " setweight(to_tsvector('english', %s), 'A')"
                " || setweight(to_tsvector('english', %s), 'B')"
                " || setweight(to_tsvector('english', %s), 'C')"
                " WHERE id = %s",
                [title, extra, body, document.pk],
            )

    def delete(self, document_id: int) -> None:
        # The vector is a column of the document's own row: deleting the row removes it.
        return None

    def matching_ids(self, query: ParsedQuery, *, every_concept: bool = False) -> RawSQL:
        return RawSQL(
            "SELECT id FROM search_searchdocument WHERE search_vector @@ to_tsquery('english', %s)",
            [tsquery_match_expression(query, every_concept=every_concept)],
        )

    def best_matches(
        self, query: ParsedQuery, *, every_concept: bool, limit: int, offset: int
    ) -> list[int]:
        # ts_rank_cd with the weights stored in the vector (A title, B extra, C body), divided
        # by 1 + log(length) (normalisation 1) so that long bodies do not win by length alone.
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_searchdocument, to_tsquery('english', %s) query"
                " WHERE search_vector @@ query"
                " ORDER BY ts_rank_cd(search_vector, query, 1) DESC, id LIMIT %s OFFSET %s",
                [tsquery_match_expression(query, every_concept=every_concept), limit, offset],
            )
            return [int(row[0]) for row in cursor.fetchall()]
