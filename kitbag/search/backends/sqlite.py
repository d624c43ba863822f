"""SQLite: an FTS5 table, search_fts, whose rowid is the SearchDocument id."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import FIELD_WEIGHTS, PART_WEIGHT, Alternative, ParsedQuery


def fts5_expression(query: ParsedQuery) -> str:
    # Each word is a quoted FTS5 string, so FTS5 operators (NEAR, AND, OR, NOT, column filters)
    # typed by a person can never be read as syntax; phrases are checked in Python (queries.py)
    # after stop words are dropped, the same way on both databases.
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts.append(f'"{query.prefix}"*')
    return " AND ".join(parts)


def fts5_match_expression(query: ParsedQuery, *, every_concept: bool = False) -> str:
    """Any alternative of any concept (or of every concept): what the shared ranking orders."""
    if every_concept:
        # A lone word of a phrase ("tax" of "council tax") does not count as the concept here.
        return " AND ".join(
            "(" + _any_of([a for a in concept if a.weight > PART_WEIGHT]) + ")"
            for concept in query.concepts
        )
    return _any_of(query.alternatives())


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


# From this many matches, counting and filtering them reads an index rather than the table.
MANY_MATCHES = 5000


class SqliteBackend(SearchBackend):
    code_point_collation = "BINARY"

    def write(self, document: SearchDocument) -> None:
        self.write_terms(document)
        title, extra, body = self.folded_fields(document)
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, extra, body) VALUES (%s, %s, %s, %s)",
                [document.pk, title, extra, body],
            )

    def delete(self, document_id: int) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])

    def matching_ids(self, query: ParsedQuery, *, every_concept: bool = False) -> RawSQL:
        return RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [fts5_match_expression(query, every_concept=every_concept)],
        )

    def restrict(
        self,
        documents: QuerySet[SearchDocument],
        query: ParsedQuery,
        *,
        every_concept: bool = False,
    ) -> QuerySet[SearchDocument]:
        matching = self.matching_ids(query, every_concept=every_concept)
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({matching.sql})", matching.params)  # noqa: S608
            many = int(cursor.fetchone()[0]) >= MANY_MATCHES
        if not many:
            return documents.filter(pk__in=matching)
        # With many matches, "id + 0" keeps SQLite from looking each one up in the table (wide
        # rows: the text is stored there) and has it read the narrow (doc_type, is_public, ...)
        # index instead: three times faster at 30,000 matches, slower at a few hundred.
        return documents.alias(_search_id=F("id") + 0).filter(_search_id__in=matching)

    def ranked_ids(
        self,
        query: ParsedQuery,
        *,
        among: QuerySet[SearchDocument],
        limit: int,
        every_concept: bool = False,
        matches: int = 0,
    ) -> list[int]:
        # bm25() with the ranking's own field weights (title, extra, body: text.FIELD_WEIGHTS).
        # FTS5 ranks best alone: an IN (subquery) beside MATCH makes SQLite probe the index row by
        # row. So take the best matches, keep those the filters allow, and look further down the
        # ranking only while too few are kept.
        kept: list[int] = []
        expression = fts5_match_expression(query, every_concept=every_concept)
        with connections[self.using].cursor() as cursor:
            # Fetch as many as the filters' share of the matches suggests, in one go if we can.
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression]
            )
            in_index = int(cursor.fetchone()[0])
            share = min(1.0, matches / in_index) if matches and in_index else 1.0
            fetch = max(limit * 2, int(limit * 1.5 / share))
            offset = 0
            while len(kept) < limit:
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
                    " ORDER BY bm25(search_fts, %s, %s, %s), rowid LIMIT %s OFFSET %s",
                    [expression, *_weights(), fetch, offset],
                )
                batch = [int(row[0]) for row in cursor.fetchall()]
                allowed = set(among.filter(pk__in=batch).values_list("id", flat=True))
                kept += [i for i in batch if i in allowed]
                if len(batch) < fetch:
                    break
                offset += fetch
                fetch *= 4
        return kept[:limit]


def _weights() -> list[float]:
    return [FIELD_WEIGHTS["title"], FIELD_WEIGHTS["extra"], FIELD_WEIGHTS["body"]]
