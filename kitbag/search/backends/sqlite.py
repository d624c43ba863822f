"""SQLite: an FTS5 table, search_fts, whose rowid is the SearchDocument id."""

from __future__ import annotations

from django.db import connections
from django.db.models.expressions import RawSQL

from kitbag.search.backends.base import SearchBackend
from kitbag.search.models import SearchDocument
from kitbag.search.text import ParsedQuery


def fts5_expression(query: ParsedQuery) -> str:
    # Each word is a quoted FTS5 string, so FTS5 operators (NEAR, AND, OR, NOT, column filters)
    # typed by a person can never be read as syntax; phrases are checked in Python (queries.py)
    # after stop words are dropped, the same way on both databases.
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts.append(f'"{query.prefix}"*')
    return " AND ".join(parts)


class SqliteBackend(SearchBackend):
    code_point_collation = "BINARY"

    def write(self, document: SearchDocument) -> None:
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
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [fts5_expression(query)]
        )
