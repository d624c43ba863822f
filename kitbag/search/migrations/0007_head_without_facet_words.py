"""PostgreSQL's title and summary vectors (search_head) without the facet words 0006 gave them:
ranking a broad word reads every matching row of that table, and the facet words made the rows
twice as wide (docs/performance.md, 2026-12-02). Its rankings take the filters from the whole
vectors instead (backends/postgres.py). SQLite's head index keeps its facets column: FTS5 reads
only the columns a query names.

Every row is rewritten, so a large table wants a VACUUM after this (it cannot run inside the
migration's transaction). Backwards, the facet words come back from the whole vectors.
"""

from django.db import migrations

from kitbag.search.db import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("search", "0006_facet_words")]

    operations = [
        VendorRunSQL(
            "postgresql",
            # Titles are weight A and summaries B; only the facet words are D.
            sql="UPDATE search_head SET vector = ts_filter(vector, '{a,b}')",
            reverse_sql=(
                "UPDATE search_head SET vector = search_head.vector"
                " || ts_filter(document.search_vector, '{d}')"
                " FROM search_searchdocument document WHERE document.id = search_head.document_id"
            ),
        ),
    ]
