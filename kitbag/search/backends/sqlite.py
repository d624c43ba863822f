"""SQLite: an FTS5 table, search_fts, whose rowid is the SearchDocument id."""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import FIELD_WEIGHTS, ParsedQuery


def fts5_expression(query: ParsedQuery) -> str:
    # Each word is a quoted FTS5 string, so FTS5 operators (NEAR, AND, OR, NOT, column filters)
    # typed by a person can never be read as syntax; phrases are checked in Python (queries.py)
    # after stop words are dropped, the same way on both databases.
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts.append(f'"{query.prefix}"*')
    return " AND ".join(parts)


def fts5_match_expression(query: ParsedQuery) -> str:
    """Any alternative of any concept: the candidates that the shared ranking then orders."""
    parts = []
    for alternative in query.alternatives():
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
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, extra, body) VALUES (%s, %s, %s, %s)",
                [document.pk, title, extra, body],
            )

    def delete(self, document_id: int) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])

    def matching_ids(self, query: ParsedQuery) -> RawSQL:
        return RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [fts5_match_expression(query)],
        )

    def ranked_ids(
        self, query: ParsedQuery, *, among: QuerySet[SearchDocument], limit: int
    ) -> list[int]:
        # bm25() with the ranking's own field weights (title, extra, body: text.FIELD_WEIGHTS).
        within, params = among.values("id").query.sql_with_params()
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                # `within` is the SQL Django compiled for the queryset; its values are parameters.
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"  # noqa: S608
                f" AND rowid IN ({within})"
                " ORDER BY bm25(search_fts, %s, %s, %s), rowid LIMIT %s",
                [fts5_match_expression(query), *params, *_weights(), limit],
            )
            return [int(row[0]) for row in cursor.fetchall()]


def _weights() -> list[float]:
    return [FIELD_WEIGHTS["title"], FIELD_WEIGHTS["extra"], FIELD_WEIGHTS["body"]]
