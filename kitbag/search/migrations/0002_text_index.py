"""The full-text index: an FTS5 table on SQLite, a weighted tsvector column on PostgreSQL.

Each operation runs only on its own database; the model state does not change, because the index
is written by services.index_document, not by the ORM (docs/decisions/0012-search.md).
"""

from django.db import migrations

from kitbag.search.db import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorRunSQL(
            "sqlite",
            sql=[
                "CREATE VIRTUAL TABLE search_fts USING fts5("
                "title, extra, body, tokenize = 'porter unicode61 remove_diacritics 2')",
                # A document deleted by any route (a cascade, the admin) leaves no stale index row.
                "CREATE TRIGGER search_fts_document_deleted AFTER DELETE ON search_searchdocument"
                " BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
            ],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS search_fts_document_deleted",
                "DROP TABLE IF EXISTS search_fts",
            ],
        ),
        VendorRunSQL(
            "postgresql",
            sql=[
                "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
                "CREATE INDEX search_document_vector_gin ON search_searchdocument"
                " USING gin (search_vector)",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS search_document_vector_gin",
                "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
            ],
        ),
    ]
