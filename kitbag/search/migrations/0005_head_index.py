"""A second text index of each document's title and summary words only, from which a broad
query's candidates are chosen without scoring every matching body (backends/base.py ranked_ids,
docs/decisions/0015): an FTS5 table, search_head_fts, on SQLite; a table, search_head, on
PostgreSQL.

On PostgreSQL a table of its own, kept narrow so that its vectors stay inside its rows: ranking
30,000 of them then reads a few megabytes, where ranking the full vectors reads each one out of
line. There, a trigger,
not a foreign key, removes a deleted document's row, so that emptying the documents table
(TRUNCATE, as test flushes do) is never refused; a row left by a TRUNCATE is harmless, since
candidates are only ever taken from documents the main index matched, and a later write of the
same id replaces it.
"""

from typing import Any

from django.db import migrations

from kitbag.search.db import VendorRunSQL

# The statement as it was when this migration was written (the backend's own now writes facet
# words too, which migration 0006 adds).
HEAD_UPSERT = (
    "INSERT INTO search_head (document_id, vector) VALUES (%s,"
    " setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B'))"
    " ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector"
)


def fill_head(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    from kitbag.search.text import words

    documents = apps.get_model("search", "SearchDocument")
    rows = documents.objects.using(schema_editor.connection.alias).only("title", "extra")
    with schema_editor.connection.cursor() as cursor:
        for document in rows.iterator(chunk_size=2000):
            cursor.execute(
                HEAD_UPSERT,
                [document.pk, " ".join(words(document.title)), " ".join(words(document.extra))],
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_scale")]

    operations = [
        VendorRunSQL(
            "sqlite",
            sql=[
                # Prefix indexes for 2 to 4 letters: the last word typed is always a prefix, and
                # a short one ("care" for "carer", "career"...) merges many words' lists without
                # (45 ms to 23 ms at 100,000 documents); longer prefixes match few words anyway.
                "CREATE VIRTUAL TABLE search_head_fts USING fts5("
                "title, extra, prefix = '2 3 4',"
                " tokenize = 'porter unicode61 remove_diacritics 2')",
                # The main FTS5 table keeps the folded text it was given: copy it from there.
                "INSERT INTO search_head_fts (rowid, title, extra)"
                " SELECT rowid, title, extra FROM search_fts",
                "CREATE TRIGGER search_head_document_deleted AFTER DELETE ON"
                " search_searchdocument BEGIN DELETE FROM search_head_fts WHERE rowid = old.id;"
                " END",
            ],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS search_head_document_deleted",
                "DROP TABLE IF EXISTS search_head_fts",
            ],
        ),
        VendorRunSQL(
            "postgresql",
            sql=[
                "CREATE TABLE search_head (document_id integer PRIMARY KEY, vector tsvector"
                " NOT NULL)",
                "CREATE INDEX search_head_vector_gin ON search_head USING gin (vector)",
                "CREATE FUNCTION search_head_document_deleted() RETURNS trigger"
                " LANGUAGE plpgsql AS $$ BEGIN"
                " DELETE FROM search_head WHERE document_id = OLD.id; RETURN OLD; END $$",
                "CREATE TRIGGER search_head_document_deleted AFTER DELETE ON"
                " search_searchdocument FOR EACH ROW EXECUTE FUNCTION"
                " search_head_document_deleted()",
            ],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS search_head_document_deleted ON search_searchdocument",
                "DROP FUNCTION IF EXISTS search_head_document_deleted()",
                "DROP TABLE IF EXISTS search_head",
            ],
        ),
        migrations.RunPython(fill_head, migrations.RunPython.noop),
    ]
