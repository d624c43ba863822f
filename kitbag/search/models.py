"""One row per searchable object, whatever app it comes from; the text index lives beside it.

The full-text index itself is not a model field: on SQLite it is the FTS5 table ``search_fts``, on
PostgreSQL the ``search_vector`` column of this table, both created by migration 0002 and written
only by ``services.index_document`` (docs/decisions/0012-search.md).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    doc_type = models.CharField(max_length=32, help_text="e.g. 'case', 'organisation'.")
    object_id = models.CharField(max_length=64)
    title = models.TextField()
    body = models.TextField(blank=True)
    # Lower-weight text: tags, organisation names, codes people search for.
    extra = models.TextField(blank=True)
    # {facet name: [values]}, cleaned (strings, sorted, no blanks); SearchFacet holds the same
    # pairs, for filtering and for counting what is too much to read. Written together, always.
    facets = models.JSONField(default=dict, blank=True)
    sort_date = models.DateField(null=True, blank=True)
    # The folded words of title, extra and body without stop words, one line each, then their
    # stems, one line each: what the shared ranking reads (text.Scorable), so it never re-reads,
    # re-splits or re-stems the text. Written with the text index by the backend's write(); empty
    # means "not yet", and ranking then reads the text.
    terms = models.TextField(blank=True, default="")
    # Drafts are indexed so that their owners can find them, but never shown to the public.
    is_public = models.BooleanField(default=True)
    # Where a hit links to (a path such as "/cases/council-tax-chatbot/"), so that the site-wide
    # search shows hits of every kind without a query per kind (decision 0047). Blank for a
    # document written without one: its kind's `links` then finds it (kitbag/search/kinds.py).
    url = models.CharField(max_length=500, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "object_id"], name="search_document_unique_object"
            )
        ]
        indexes = [models.Index(fields=["doc_type", "is_public", "sort_date"])]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id}"


class SearchFacet(models.Model):
    """One facet value of one document: a row each, so filters and counts are plain SQL."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_rows"
    )
    name = models.CharField(max_length=64)
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique_value"
            )
        ]
        # document last: the documents having a value are read from the index alone.
        indexes = [models.Index(fields=["name", "value", "document"])]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchSynonym(models.Model):
    """A word or phrase people type and what it also finds, one way: "potholes" finds "road
    maintenance". Written by the source that knows it (the LGSL importer writes its services'
    former names) through services.replace_synonyms; read with the built-in groups of text.py
    by every search (decision 0036)."""

    source = models.CharField(max_length=64, help_text="Who wrote it, e.g. 'lgsl-services'.")
    phrase = models.CharField(max_length=255, help_text="What people type, as written.")
    means = models.CharField(max_length=255, help_text="What it also finds, as written.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "phrase", "means"], name="search_synonym_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase} -> {self.means}"
