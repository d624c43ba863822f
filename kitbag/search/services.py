"""Writes to the search index. Every write goes through here so the text index stays in step."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument, SearchFacet


def _clean_facets(facets: dict[str, list[str]] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for name, values in (facets or {}).items():
        unique = sorted({str(value) for value in values if str(value) != ""})
        if unique:
            cleaned[str(name)] = unique
    return cleaned


@transaction.atomic
def index_document(
    *,
    doc_type: str,
    object_id: str,
    title: str,
    body: str = "",
    extra: str = "",
    facets: dict[str, list[str]] | None = None,
    sort_date: dt.date | None = None,
    is_public: bool = True,
) -> SearchDocument:
    """Add or replace one object's entry; indexing the same thing twice changes nothing."""
    cleaned = _clean_facets(facets)
    document, _ = SearchDocument.objects.update_or_create(
        doc_type=doc_type,
        object_id=str(object_id),
        defaults={
            "title": title,
            "body": body,
            "extra": extra,
            "facets": cleaned,
            "sort_date": sort_date,
            "is_public": is_public,
        },
    )
    document.facet_rows.all().delete()
    SearchFacet.objects.bulk_create(
        SearchFacet(document=document, name=name, value=value)
        for name, values in cleaned.items()
        for value in values
    )
    backend_for().write(document)
    return document


@transaction.atomic
def remove_document(*, doc_type: str, object_id: str) -> bool:
    """Take one object out of search; True if it was there. Removing twice is harmless."""
    document = SearchDocument.objects.filter(doc_type=doc_type, object_id=str(object_id)).first()
    if document is None:
        return False
    backend_for().delete(document.pk)
    document.delete()
    return True
