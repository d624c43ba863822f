"""What a search backend does: keep its index in step with documents and say which ones match.

Ranking, highlighting and facets are not here: they are computed the same way for every backend
(kitbag/search/queries.py and text.py), which is what keeps results identical across databases.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kitbag.search.models import SearchDocument
from kitbag.search.text import ParsedQuery, terms_of, words


class SearchBackend(ABC):
    # The collation that compares code points, as Python's sort does: tie-breaks by object_id made
    # in SQL then agree with those made in Python and across databases.
    code_point_collation: str

    def __init__(self, *, using: str = "default") -> None:
        self.using = using

    @abstractmethod
    def write(self, document: SearchDocument) -> None:
        """Index (or re-index) one document; called inside index_document's transaction."""

    @abstractmethod
    def delete(self, document_id: int) -> None:
        """Drop one document from the index."""

    @abstractmethod
    def matching_ids(self, query: ParsedQuery, *, every_concept: bool = False) -> RawSQL:
        """A subquery of SearchDocument ids matching every term of a non-empty query.

        Only ASCII letters and digits ever reach the expression (text.is_indexable), and it is
        passed as a parameter, never formatted into the SQL.
        """

    def write_terms(self, document: SearchDocument) -> None:
        """Store what the shared ranking reads; part of every backend's write()."""
        document.terms = terms_of(
            {"title": document.title, "extra": document.extra, "body": document.body}
        )
        SearchDocument.objects.using(self.using).filter(pk=document.pk).update(terms=document.terms)
        # Bulk writers (kitbag/cases/synthetic.py) come here without index_document: cached counts
        # must still go stale.
        from kitbag.search.services import bump_generation

        bump_generation()

    def restrict(
        self,
        documents: QuerySet[SearchDocument],
        query: ParsedQuery,
        *,
        every_concept: bool = False,
    ) -> QuerySet[SearchDocument]:
        """The documents that match the query (any concept, or every concept)."""
        return documents.filter(pk__in=self.matching_ids(query, every_concept=every_concept))

    @abstractmethod
    def ranked_ids(
        self,
        query: ParsedQuery,
        *,
        among: QuerySet[SearchDocument],
        limit: int,
        every_concept: bool = False,
        matches: int = 0,
    ) -> list[int]:
        """The ids of the `limit` documents of `among` that the database ranks best for the query,
        best first, ties by id: the candidates when there are too many to rank them all.
        `matches` is how many documents of `among` match, when known: a hint for how far down
        the database's ranking to look."""

    @staticmethod
    def folded_fields(document: SearchDocument) -> tuple[str, str, str]:
        # The database sees only folded words joined by spaces: diacritics go here, so PostgreSQL
        # needs no unaccent extension, and its parser never treats "camden.gov.uk" or "e-books"
        # as one token where FTS5 sees several, so both backends index the same words.
        return (
            " ".join(words(document.title)),
            " ".join(words(document.extra)),
            " ".join(words(document.body)),
        )
