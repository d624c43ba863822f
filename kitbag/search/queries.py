"""Reading the search index: one results contract, identical on SQLite and PostgreSQL.

The database finds the documents that contain every word (stemmed, without diacritics, the last
word as a prefix) and applies filters; ordering, scores, highlights, snippets and facet order are
computed in Python from the stored text (text.py), so both databases give the same answer. Ranking
by relevance therefore reads the text of every matching document: see
docs/decisions/0012-search.md for the cost and when to revisit it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Collate

from kitbag.search import text
from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument, SearchFacet

Sort = Literal["relevance", "newest"]
MAX_PAGE_SIZE = 100
_TEXT_FIELDS = ("id", "object_id", "title", "extra", "body", "sort_date")


@dataclass(frozen=True)
class Hit:
    object_id: str
    score: float
    # HTML: escaped source text with <mark> around matched words.
    title_highlighted: str
    snippet: str


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facet_counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _filtered(
    *, doc_type: str, filters: dict[str, list[str]] | None, public_only: bool
) -> QuerySet[SearchDocument]:
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    if public_only:
        documents = documents.filter(is_public=True)
    # AND across facets, OR within one; a facet given no values does not restrict.
    for name, values in (filters or {}).items():
        if values:
            documents = documents.filter(
                Exists(
                    SearchFacet.objects.filter(
                        document=OuterRef("pk"), name=name, value__in=[str(v) for v in values]
                    )
                )
            )
    return documents


def _facet_counts(
    documents: QuerySet[SearchDocument], names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    if not names:
        return counts
    rows = (
        SearchFacet.objects.filter(document__in=documents.values("pk"), name__in=names)
        .values("name", "value")
        .annotate(count=Count("document", distinct=True))
    )
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        grouped[row["name"]].append((row["value"], row["count"]))
    for name in names:
        # Sorted here, not in SQL: collations differ between SQLite and PostgreSQL.
        counts[name] = sorted(grouped[name], key=lambda pair: (-pair[1], pair[0]))
    return counts


def _newest_key(row: dict[str, object]) -> tuple[int, int, str]:
    date = row["sort_date"]
    # Newest first, undated last, then object_id: the same tie-break on every database.
    if isinstance(date, dt.date):
        return (0, -date.toordinal(), str(row["object_id"]))
    return (1, 0, str(row["object_id"]))


def search(
    *,
    query: str,
    doc_type: str,
    filters: dict[str, list[str]] | None = None,
    facets: list[str] | None = None,
    public_only: bool = True,
    page: int = 1,
    page_size: int = 20,
    sort: Sort = "relevance",
) -> SearchResults:
    """Search one kind of document. An empty (or punctuation-only) query lists all, newest first."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    parsed = text.parse_query(query)
    backend = backend_for()
    documents = _filtered(doc_type=doc_type, filters=filters, public_only=public_only)
    if not parsed.is_empty:
        documents = documents.filter(pk__in=backend.matching_ids(parsed))

    if parsed.phrases or (not parsed.is_empty and sort == "relevance"):
        rows = list(documents.values(*_TEXT_FIELDS))
        if parsed.phrases:
            rows = [
                row
                for row in rows
                if text.contains_phrases([row["title"], row["extra"], row["body"]], parsed)
            ]
            # Facets count what is shown: only documents that really contain the phrase.
            documents = SearchDocument.objects.filter(pk__in=[row["id"] for row in rows])
        stats = text.FieldStats.over(rows)
        scored = [(text.score(row, parsed, stats), row) for row in rows]
        if sort == "relevance":
            scored.sort(key=lambda pair: (-pair[0], *_newest_key(pair[1])))
        else:
            scored.sort(key=lambda pair: _newest_key(pair[1]))
        total = len(scored)
        page_rows = scored[(page - 1) * page_size : page * page_size]
    else:
        total = documents.count()
        ordered = documents.order_by(
            F("sort_date").desc(nulls_last=True),
            Collate("object_id", backend.code_point_collation),
        )
        window = list(ordered.values(*_TEXT_FIELDS)[(page - 1) * page_size : page * page_size])
        stats = text.FieldStats.over(window)
        page_rows = [
            (text.score(row, parsed, stats) if not parsed.is_empty else 0.0, row) for row in window
        ]

    hits = [
        Hit(
            object_id=str(row["object_id"]),
            score=row_score,
            title_highlighted=text.highlight(str(row["title"]), parsed),
            snippet=text.snippet(
                {"title": row["title"], "extra": row["extra"], "body": row["body"]}, parsed
            ),
        )
        for row_score, row in page_rows
    ]
    return SearchResults(
        total=total,
        hits=hits,
        facet_counts=_facet_counts(documents, facets or []),
        page=page,
        page_size=page_size,
    )
