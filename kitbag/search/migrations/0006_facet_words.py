"""Each document's facet values as words in both text indexes (text.facet_token), so that the
database intersects a search's filters with its words before anything is listed or ranked
(docs/decisions/0015, "At scale"): a facets column in both FTS5 tables on SQLite, which cannot
add a column to a virtual table, so each is made again and filled from the old; lexemes of weight
D in both vectors on PostgreSQL.

Backwards, nothing is undone: the earlier code writes and reads the indexes as before and never
asks for a facet word.
"""

import json
from typing import Any

from django.db import migrations

from kitbag.search.db import VendorRunSQL

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
CHUNK = 2000


def _facets(value: Any) -> dict[str, list[str]]:
    return json.loads(value) if isinstance(value, str | bytes) else value or {}


def fill_sqlite(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    from kitbag.search.text import facet_tokens

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.rowid, f.title, f.extra, f.body, d.facets FROM search_fts_old f"
            " JOIN search_searchdocument d ON d.id = f.rowid ORDER BY f.rowid"
        )
        rows = cursor.fetchall()
        for start in range(0, len(rows), CHUNK):
            chunk = [
                (rowid, title, extra, body, facet_tokens(_facets(facets)))
                for rowid, title, extra, body, facets in rows[start : start + CHUNK]
            ]
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, extra, body, facets)"
                " VALUES (%s, %s, %s, %s, %s)",
                chunk,
            )
            cursor.executemany(
                "INSERT INTO search_head_fts (rowid, title, extra, facets) VALUES (%s, %s, %s, %s)",
                [(rowid, title, extra, facets) for rowid, title, extra, _, facets in chunk],
            )


def fill_postgresql(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from kitbag.search.text import facet_tokens

    documents = apps.get_model("search", "SearchDocument")
    rows = documents.objects.using(schema_editor.connection.alias).values_list("id", "facets")
    found = [(facet_tokens(_facets(facets)), pk) for pk, facets in rows.iterator(chunk_size=CHUNK)]
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(found), CHUNK):
            chunk = [row for row in found[start : start + CHUNK] if row[0]]
            cursor.executemany(
                "UPDATE search_searchdocument SET search_vector = search_vector"
                " || setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                chunk,
            )
            cursor.executemany(
                "UPDATE search_head SET vector = vector"
                " || setweight(to_tsvector('simple', %s), 'D') WHERE document_id = %s",
                chunk,
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_head_index")]

    operations = [
        VendorRunSQL(
            "sqlite",
            sql=[
                "DROP TRIGGER IF EXISTS search_fts_document_deleted",
                "DROP TRIGGER IF EXISTS search_head_document_deleted",
                "ALTER TABLE search_fts RENAME TO search_fts_old",
                "ALTER TABLE search_head_fts RENAME TO search_head_fts_old",
                f"CREATE VIRTUAL TABLE search_fts USING fts5(title, extra, body, facets, {TOKENIZE})",
                # Prefix indexes as migration 0005 says.
                "CREATE VIRTUAL TABLE search_head_fts USING fts5("
                f"title, extra, facets, prefix = '2 3 4', {TOKENIZE})",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill_sqlite, migrations.RunPython.noop),
        VendorRunSQL(
            "sqlite",
            sql=[
                "DROP TABLE search_fts_old",
                "DROP TABLE search_head_fts_old",
                "CREATE TRIGGER search_fts_document_deleted AFTER DELETE ON search_searchdocument"
                " BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
                "CREATE TRIGGER search_head_document_deleted AFTER DELETE ON"
                " search_searchdocument BEGIN DELETE FROM search_head_fts WHERE rowid = old.id;"
                " END",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill_postgresql, migrations.RunPython.noop),
    ]
