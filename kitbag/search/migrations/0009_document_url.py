"""SearchDocument.url: where a hit links to, so the site-wide search needs no query per kind to
link its hits (decision 0047).

Added in place on both databases. Django's own AddField would rebuild the table on SQLite (a
NOT NULL column with a default), which drops the text index's delete triggers and the newest-first
index that earlier migrations made in SQL; ADD COLUMN with a constant default keeps them, and is
instant at 100,000 documents. PostgreSQL gets what Django itself would give it.
"""

from django.db import migrations, models

from kitbag.search.db import VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("search", "0008_synonyms")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="url",
                    field=models.CharField(blank=True, default="", max_length=500),
                )
            ],
            database_operations=[
                VendorRunSQL(
                    "sqlite",
                    sql="ALTER TABLE search_searchdocument"
                    " ADD COLUMN url varchar(500) NOT NULL DEFAULT ''",
                    reverse_sql="ALTER TABLE search_searchdocument DROP COLUMN url",
                ),
                VendorRunSQL(
                    "postgresql",
                    sql=[
                        "ALTER TABLE search_searchdocument"
                        " ADD COLUMN url varchar(500) DEFAULT '' NOT NULL",
                        "ALTER TABLE search_searchdocument ALTER COLUMN url DROP DEFAULT",
                    ],
                    reverse_sql="ALTER TABLE search_searchdocument DROP COLUMN url",
                ),
            ],
        )
    ]
