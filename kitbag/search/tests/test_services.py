from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from kitbag.search.models import SearchDocument, SearchFacet
from kitbag.search.queries import search
from kitbag.search.services import index_document, remove_document

pytestmark = pytest.mark.django_db


def _index_rows() -> int:
    """Rows in the text index; the title and summary index (migration 0005) must hold as many."""
    if connection.vendor == "sqlite":
        main, head = "SELECT count(*) FROM search_fts", "SELECT count(*) FROM search_head_fts"
    else:
        main = "SELECT count(*) FROM search_searchdocument WHERE search_vector IS NOT NULL"
        # Rows of documents that exist: a TRUNCATE (a browser test's flush) leaves the others,
        # harmless by design (migration 0005), so a test after one must not count them.
        head = (
            "SELECT count(*) FROM search_head"
            " WHERE document_id IN (SELECT id FROM search_searchdocument)"
        )
    with connection.cursor() as cursor:
        cursor.execute(main)
        rows = int(cursor.fetchone()[0])
        cursor.execute(head)
        assert int(cursor.fetchone()[0]) == rows
    return rows


def test_indexing_twice_changes_nothing() -> None:
    for _ in range(2):
        index_document(
            doc_type="case",
            object_id="1",
            title="Digital parking permits",
            body="Apply online.",
            facets={"phase": ["live", "live"]},
            sort_date=dt.date(2024, 1, 1),
        )
    assert SearchDocument.objects.count() == 1
    assert SearchFacet.objects.count() == 1
    assert _index_rows() == 1
    assert search(query="parking", doc_type="case").total == 1


def test_reindexing_replaces_the_old_text_and_facets() -> None:
    index_document(doc_type="case", object_id="1", title="Pothole app", facets={"phase": ["alpha"]})
    index_document(
        doc_type="case", object_id="1", title="Bin reminders", facets={"phase": ["live"]}
    )
    assert search(query="pothole", doc_type="case").total == 0
    results = search(query="bin", doc_type="case", facets=["phase"])
    assert [hit.object_id for hit in results.hits] == ["1"]
    assert results.facet_counts == {"phase": [("live", 1)]}


def test_removing_a_document_takes_it_out_of_search_and_twice_is_harmless() -> None:
    index_document(doc_type="case", object_id="1", title="Pothole app", facets={"phase": ["alpha"]})
    assert remove_document(doc_type="case", object_id="1") is True
    assert remove_document(doc_type="case", object_id="1") is False
    assert search(query="pothole", doc_type="case").total == 0
    assert SearchFacet.objects.count() == 0
    assert _index_rows() == 0


def test_a_document_deleted_by_the_orm_leaves_no_index_row() -> None:
    index_document(doc_type="case", object_id="1", title="Pothole app")
    SearchDocument.objects.all().delete()
    assert _index_rows() == 0


def test_the_same_object_id_in_two_doc_types_are_two_documents() -> None:
    index_document(doc_type="case", object_id="1", title="Camden parking")
    index_document(doc_type="organisation", object_id="1", title="Camden Council")
    assert search(query="camden", doc_type="case").total == 1
    assert search(query="camden", doc_type="organisation").total == 1
