"""What a search backend does: keep its index in step with documents and say which ones match.

Ranking, highlighting and facets are not here: they are computed the same way for every backend
(kitbag/search/queries.py and text.py), which is what keeps results identical across databases.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models.expressions import RawSQL

from kitbag.search.models import SearchDocument
from kitbag.search.text import (
    FacetFilter,
    ParsedQuery,
    facet_tokens,
    is_facet_token,
    terms_of,
    words,
)

# See SearchBackend.ranked_ids.
FULL_RANKING_LIMIT = 5000


class SearchBackend(ABC):
    # The collation that compares code points, as Python's sort does: tie-breaks by object_id made
    # in SQL then agree with those made in Python and across databases.
    code_point_collation: str

    def __init__(self, *, using: str = "default") -> None:
        self.using = using

    def full_ranking_limit(self) -> int:
        """Up to how many matches ranked_ids has the database rank every match's whole text."""
        return FULL_RANKING_LIMIT

    @abstractmethod
    def write(self, document: SearchDocument) -> None:
        """Index (or re-index) one document; called inside index_document's transaction."""

    @abstractmethod
    def delete(self, document_id: int) -> None:
        """Drop one document from the index."""

    @abstractmethod
    def matching_ids(
        self, query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
    ) -> RawSQL:
        """A subquery of SearchDocument ids matching a non-empty query and having the facet
        values `required` asks for (text.facet_filter), which the index holds as words.

        Only ASCII letters and digits ever reach the expression (text.is_indexable), and it is
        passed as a parameter, never formatted into the SQL.
        """

    def write_terms(self, document: SearchDocument) -> None:
        """Store what the shared ranking reads, for a row written without it; part of every
        backend's write(). The writers (services.index_document, the bulk writer) put the
        terms in the row's own write: on PostgreSQL every further update leaves a dead copy of
        the row until a VACUUM, and the text index's matches are read from these rows' pages
        (docs/performance.md)."""
        if not document.terms:
            document.terms = terms_of(
                {"title": document.title, "extra": document.extra, "body": document.body}
            )
            SearchDocument.objects.using(self.using).filter(pk=document.pk).update(
                terms=document.terms
            )
        # Cached counts go stale through the writers (services.index_document and
        # index_new_documents), once per write: a bump here cost the bulk writer a cache write per
        # document.

    def matching_id_list(
        self, query: ParsedQuery, *, every_concept: bool = False, required: FacetFilter = ()
    ) -> list[int]:
        """The ids of every document matching the query and the facet filters, from the text
        index alone: kind and visibility are applied to these in Python (queries.py), which at
        100,000 documents costs less than any join of the index with the documents table."""
        matching = self.matching_ids(query, every_concept=every_concept, required=required)
        with self.text_index_cursor() as cursor:
            cursor.execute(matching.sql, matching.params)
            return [int(row[0]) for row in cursor.fetchall()]

    @contextmanager
    def text_index_cursor(self) -> Iterator[CursorWrapper]:
        """A cursor for statements that read the text index (PostgreSQL steers its planner)."""
        with connections[self.using].cursor() as cursor:
            yield cursor

    def ranked_ids(
        self,
        query: ParsedQuery,
        *,
        keep: Collection[int],
        limit: int,
        in_index: int,
        every_concept: bool = False,
        required: FacetFilter = (),
    ) -> list[int]:
        """The ids of the `limit` documents in `keep` that the database ranks best for the
        query, best first: the candidates when there are too many to rank them all here.
        `in_index` is how many documents of any kind or visibility match the query and the
        facet filters `required` (matching_id_list).

        Up to FULL_RANKING_LIMIT matches the database ranks every match by its whole text.
        Beyond that, ranking every body costs more than the rest of a search together (FTS5's
        bm25() 40-80 ms, PostgreSQL's ts_rank_cd 300-900 ms at 30,000-50,000 matches), so the
        candidates are the best matches in the title and summary index, which is what the
        shared ranking puts first anyway (title and summary weigh most); when too few have the
        words there, the rest are matches in the body alone, most recently indexed first.
        """
        share = min(1.0, len(keep) / max(1, in_index))
        if in_index <= self.full_ranking_limit():
            return self.kept_in_order(
                functools.partial(
                    self.best_matches, query, every_concept=every_concept, required=required
                ),
                keep=keep,
                limit=limit,
                share=share,
            )
        kept = self.kept_in_order(
            functools.partial(
                self.best_head_matches, query, every_concept=every_concept, required=required
            ),
            keep=keep,
            limit=limit,
            share=share,
        )
        if len(kept) < limit:
            chosen = set(kept)
            kept += sorted((i for i in keep if i not in chosen), reverse=True)[: limit - len(kept)]
        return kept

    @staticmethod
    def kept_in_order(
        ranking: Callable[..., list[int]], *, keep: Collection[int], limit: int, share: float
    ) -> list[int]:
        """The first `limit` ids of a ranking (called with limit and offset) that are in keep."""
        kept: list[int] = []
        # Generously: the database scores every match whatever the LIMIT, so a second round
        # costs as much as the first, while a longer first answer costs little more.
        fetch = max(limit * 2, int(limit * 4 / max(share, 1e-6)))
        offset = 0
        while len(kept) < limit:
            batch = ranking(limit=fetch, offset=offset)
            kept += [i for i in batch if i in keep]
            if len(batch) < fetch:
                break
            offset += fetch
            fetch *= 4
        return kept[:limit]

    @abstractmethod
    def best_head_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        """One slice of the ids of documents with the facet values required whose title or
        summary matches, ranked by the database over those fields alone, ties by id."""

    @abstractmethod
    def best_matches(
        self,
        query: ParsedQuery,
        *,
        every_concept: bool,
        required: FacetFilter,
        limit: int,
        offset: int,
    ) -> list[int]:
        """One slice of the ids of every matching document with the facet values required,
        ranked by the database (the facet words never count), ties by id."""

    @staticmethod
    def folded_fields(document: SearchDocument) -> tuple[str, str, str]:
        # The database sees only folded words joined by spaces: diacritics go here, so PostgreSQL
        # needs no unaccent extension, and its parser never treats "camden.gov.uk" or "e-books"
        # as one token where FTS5 sees several, so both backends index the same words.
        return (
            _indexed_text(document.title),
            _indexed_text(document.extra),
            _indexed_text(document.body),
        )

    @staticmethod
    def facet_words(document: SearchDocument) -> str:
        """The document's facet values as words (text.facet_token), for the text index."""
        return facet_tokens(document.facets or {})


def _indexed_text(text: str) -> str:
    # A word shaped like a facet word is dropped: no text can pass a facet filter.
    return " ".join(w for w in words(text) if not is_facet_token(w))
