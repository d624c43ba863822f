"""Reading the search index: one results contract, identical on SQLite and PostgreSQL.

The database finds the documents that contain every word (stemmed, without diacritics, the last
word as a prefix) and applies filters; ordering, scores, highlights, snippets and facet order are
computed in Python from the stored text (text.py), so both databases give the same answer. Ranking
by relevance therefore reads the text of every matching document: see
docs/decisions/0012-search.md for the cost and when to revisit it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Collate

from kitbag.search import text
from kitbag.search.backends import backend_for
from kitbag.search.models import SearchDocument, SearchFacet
from kitbag.search.services import generation_key

Sort = Literal["relevance", "newest"]
MAX_PAGE_SIZE = 100
# Up to this many matches are all ranked here, so both databases give the same order; beyond it,
# the database's own ranking chooses this many candidates first (docs/decisions/0015).
CANDIDATE_LIMIT = 1000
# An empty query's total and facet counts are cached this long at most (a write clears them).
CACHE_SECONDS = 3600
# How many candidates are ranked here beyond that; pages past them are empty.
WINDOW = 100
_TEXT_FIELDS = ("id", "object_id", "title", "extra", "body", "sort_date")
# What ranking reads for each matched document; the text itself is read for one page only.
_RANK_FIELDS = ("id", "object_id", "terms", "sort_date")


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
    # False when the query matched more than CANDIDATE_LIMIT documents: the facet counts are then
    # those of the WINDOW best candidates, not of every match (decision 0015).
    facet_counts_complete: bool = True

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
            # The documents having a value, from the (name, value) index: at 100,000 documents
            # this is several times faster than asking EXISTS of every document.
            documents = documents.filter(
                pk__in=SearchFacet.objects.filter(
                    name=name, value__in=[str(v) for v in values]
                ).values("document_id")
            )
    return documents


def _facet_counts(
    documents: QuerySet[SearchDocument], names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    if not names:
        return counts
    # One row per (document, name, value) is a constraint, so COUNT needs no DISTINCT.
    rows = (
        SearchFacet.objects.filter(document__in=documents.values("pk"), name__in=names)
        .values("name", "value")
        .annotate(count=Count("id"))
    )
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        grouped[row["name"]].append((row["value"], row["count"]))
    for name in names:
        # Sorted here, not in SQL: collations differ between SQLite and PostgreSQL.
        counts[name] = sorted(grouped[name], key=lambda pair: (-pair[1], pair[0]))
    return counts


def _cache_key(kind: str, key: str, extra: str = "") -> str:
    generation = cache.get(generation_key()) or "0"
    # The database's name too: two databases (a test's, a benchmark's) may share one cache.
    database = connection.settings_dict["NAME"]
    digest = hashlib.sha256(f"{database}|{key}|{extra}".encode()).hexdigest()[:32]
    return f"search:{kind}:{generation}:{digest}"


def _cached_total(documents: QuerySet[SearchDocument], key: str) -> int:
    cache_key = _cache_key("total", key)
    found = cache.get(cache_key)
    if found is None:
        found = documents.count()
        cache.set(cache_key, found, CACHE_SECONDS)
    return int(found)


def _cached_facet_counts(
    documents: QuerySet[SearchDocument], names: list[str], key: str
) -> dict[str, list[tuple[str, int]]]:
    """An empty query's facet counts (counting every document is what costs), cached until the
    next write to the index bumps the generation (services.py)."""
    cache_key = _cache_key("facets", key, repr(names))
    found = cache.get(cache_key)
    if found is None:
        found = _facet_counts(documents, names)
        cache.set(cache_key, found, CACHE_SECONDS)
    return {name: [(str(v), int(c)) for v, c in pairs] for name, pairs in found.items()}


def _newest_key(row: dict[str, object]) -> tuple[int, int, str]:
    date = row["sort_date"]
    # Newest first, undated last, then object_id: the same tie-break on every database.
    if isinstance(date, dt.date):
        return (0, -date.toordinal(), str(row["object_id"]))
    return (1, 0, str(row["object_id"]))


def _texts(ids: list[int]) -> list[dict[str, str]]:
    """Title, extra and body of these documents, in the order given."""
    found = {
        row["id"]: row
        for row in SearchDocument.objects.filter(pk__in=ids).values("id", "title", "extra", "body")
    }
    return [
        {"title": found[i]["title"], "extra": found[i]["extra"], "body": found[i]["body"]}
        for i in ids
    ]


def _rank(
    rows: list[dict[str, object]], parsed: text.ParsedQuery, *, total_documents: int
) -> list[tuple[float, dict[str, object]]]:
    """Score matched rows, best first, ties newest first then by object_id; drop non-matches."""
    analysed = []
    prepared = text.prepare(parsed)
    for row in rows:
        terms = str(row["terms"])
        if not terms:
            # Indexed before SearchDocument.terms existed, or written around index_document.
            terms = text.terms_of(
                {name: str(value) for name, value in _texts([int(str(row["id"]))])[0].items()}
            )
        if parsed.phrases and not text.contains_phrases(terms.split("\n"), parsed):
            continue
        document = text.Analysed.from_terms(terms)
        analysed.append(
            (row, text.alternative_counts(document, prepared), document.lengths(), document)
        )
    # Document frequencies from the matched rows: every document containing any alternative is
    # among them, so each count is the corpus's own, identical on every database.
    frequency: dict[text.Alternative, int] = defaultdict(int)
    for _, counts, _, _ in analysed:
        for alternative in counts:
            frequency[alternative] += 1
    idf = {
        alternative: text.inverse_document_frequency(matching=n, total=total_documents)
        for alternative, n in frequency.items()
    }
    scored = []
    for row, counts, lengths, document in analysed:
        pairs = text.adjacent_pairs(document, prepared) if len(counts) > 1 else 0
        value, matched = text.rank_score(counts, lengths, parsed, idf, pairs)
        if matched:
            scored.append((value, row))
    scored.sort(key=lambda pair: (-pair[0], *_newest_key(pair[1])))
    return scored


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
    filtered = _filtered(doc_type=doc_type, filters=filters, public_only=public_only)
    documents = filtered
    # What an empty query's counts depend on, for the cache: they are the same for every visitor
    # until a document is written.
    key = repr((doc_type, public_only, sorted((n, sorted(v)) for n, v in (filters or {}).items())))
    total: int | None = None
    every = False
    if not parsed.is_empty:
        if len(parsed.concepts) > 1 or any(
            a.weight <= text.PART_WEIGHT for a in parsed.alternatives()
        ):
            # Every concept, when plenty of documents have them all: the best partial matches
            # would rank below those anyway, and counting them all is what costs at scale.
            with_all = backend.restrict(filtered, parsed, every_concept=True)
            count = with_all.count()
            if count >= CANDIDATE_LIMIT:
                documents, total, every = with_all, count, True
        if not every:
            documents = backend.restrict(filtered, parsed)

    facets_complete = True
    if not parsed.is_empty and (sort == "relevance" or parsed.phrases):
        total = documents.count() if total is None else total
        truncated = total > CANDIDATE_LIMIT
        if truncated:
            # Too many to rank them all here: the database's own ranking picks the candidates,
            # document frequencies are those of the candidates, and facets count the candidates
            # (decision 0015).
            ids = backend.ranked_ids(
                parsed, among=filtered, limit=WINDOW, every_concept=every, matches=total
            )
            by_id = {row["id"]: row for row in documents.filter(pk__in=ids).values(*_RANK_FIELDS)}
            rows = [by_id[i] for i in ids if i in by_id]
            corpus = len(rows)
            documents = SearchDocument.objects.filter(pk__in=[row["id"] for row in rows])
            facets_complete = False
        else:
            rows = list(documents.values(*_RANK_FIELDS))
            corpus = _filtered(doc_type=doc_type, filters=None, public_only=public_only).count()
        ranked = _rank(rows, parsed, total_documents=corpus)
        if not truncated:
            if len(ranked) != len(rows):
                # Facets count what is shown: only documents the ranking found the query in (the
                # database's stemmer may match more widely), and that contain every phrase.
                documents = SearchDocument.objects.filter(pk__in=[row["id"] for _, row in ranked])
            total = len(ranked)
        if sort == "newest":
            ranked.sort(key=lambda pair: _newest_key(pair[1]))
        page_rows = ranked[(page - 1) * page_size : page * page_size]
        page_texts = _texts([int(str(row["id"])) for _, row in page_rows])
        page_rows = [
            (value, {**row, **texts})
            for (value, row), texts in zip(page_rows, page_texts, strict=True)
        ]
    else:
        if total is None:
            total = _cached_total(documents, key) if parsed.is_empty else documents.count()
        ordered = documents.order_by(
            F("sort_date").desc(nulls_last=True),
            Collate("object_id", backend.code_point_collation),
        )
        # Sort the narrow columns only; the text is read for the page alone.
        window = list(ordered.values(*_RANK_FIELDS[:2])[(page - 1) * page_size : page * page_size])
        texts = _texts([int(str(row["id"])) for row in window])
        page_rows = [(0.0, {**row, **text_}) for row, text_ in zip(window, texts, strict=True)]

    hits = [
        Hit(
            object_id=str(row["object_id"]),
            score=row_score,
            title_highlighted=text.highlight(str(row["title"]), parsed),
            snippet=text.snippet(
                {name: str(row[name]) for name in ("title", "extra", "body")}, parsed
            ),
        )
        for row_score, row in page_rows
    ]
    return SearchResults(
        total=total,
        hits=hits,
        facet_counts=(
            _cached_facet_counts(documents, facets or [], key)
            if parsed.is_empty
            else _facet_counts(documents, facets or [])
        ),
        page=page,
        page_size=page_size,
        facet_counts_complete=facets_complete,
    )
