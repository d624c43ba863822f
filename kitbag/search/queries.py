"""Reading the search index: one results contract, identical on SQLite and PostgreSQL.

The text index says which documents contain the words (stemmed, without diacritics, the last word
as a prefix), as a list of ids; which of them a search may show (kind, visibility, facet filters)
is decided in Python against id sets kept until the next write. Ordering, scores, highlights,
snippets and facet order are computed in Python from the stored terms (text.py), so both databases
give the same answer up to CANDIDATE_LIMIT matches; beyond it the database's ranking chooses the
candidates. Costs and figures at scale: docs/decisions/0015-search-relevance.md, "At scale".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast, Collate

from kitbag.search import text
from kitbag.search.backends import backend_for
from kitbag.search.kinds import SearchKind, all_kinds, kind_named
from kitbag.search.models import SearchDocument, SearchFacet, SearchSynonym
from kitbag.search.services import current_generation
from kitbag.semantic import encoding, fusion

Sort = Literal["relevance", "newest"]
MAX_PAGE_SIZE = 100
# Past every page an index could have: a larger page number asks for an offset the database
# cannot take (SQLite overflows its integers), so it is read as this one, which is empty.
MAX_PAGE = 1_000_000
# Up to this many matches are all ranked here, so both databases give the same order; beyond it,
# the database's own ranking chooses this many candidates first (docs/decisions/0015).
CANDIDATE_LIMIT = 1000
# An empty query's total and facet counts are cached this long at most (a write clears them).
CACHE_SECONDS = 3600
# How many candidates are ranked here beyond that; pages past them are empty.
WINDOW = 100
# What ranking and facet counts read for each matched document; the text itself is read for
# one page only.
_RANK_FIELDS = ("id", "object_id", "terms", "sort_date", "facets")
# What ordering newest first reads.
_DATE_FIELDS = ("id", "object_id", "sort_date")


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
    # The query with its misspelt words corrected ("Did you mean chatbot?"), or "" when every
    # word was found or none is one edit from an indexed word (decision 0036).
    suggestion: str = ""
    # True when the query as typed found nothing and these are the suggestion's results.
    corrected: bool = False

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


def _by_count(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    # Sorted here, not in SQL: collations differ between SQLite and PostgreSQL.
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _facet_counts(
    documents: QuerySet[SearchDocument], names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    """Counts over a set of documents too large to read, by the database."""
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    if not names:
        return counts
    # One row per (document, name, value) is a constraint, so COUNT needs no DISTINCT.
    facets = SearchFacet.objects.filter(name__in=names, document__in=documents.values("pk"))
    rows = facets.values("name", "value").annotate(count=Count("id"))
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        grouped[row["name"]].append((row["value"], row["count"]))
    for name in names:
        counts[name] = _by_count(grouped[name])
    return counts


def _counted_facets(
    rows: Iterable[dict[str, object]], names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    """Counts over documents already read for ranking, from their own copy of their facets
    (written with their SearchFacet rows, in the same transaction): cheaper than asking the
    database again for the facet rows of up to a thousand documents."""
    found: dict[str, list[str]] = {name: [] for name in names}
    for row in rows:
        facets = cast(dict[str, list[str]], row["facets"])
        for name, values in facets.items():
            values_of_name = found.get(name)
            if values_of_name is not None:
                values_of_name += values
    return {name: _by_count(Counter(values).items()) for name, values in found.items()}


def _cache_key(kind: str, key: str, extra: str = "") -> str:
    generation = current_generation() or "0"
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
    rows: list[dict[str, object]],
    parsed: text.ParsedQuery,
    *,
    total_documents: int,
    found: set[text.Alternative] | None = None,
) -> list[tuple[float, dict[str, object]]]:
    """Score matched rows, best first, ties newest first then by object_id; drop non-matches.
    `found`, when given, receives every alternative found in some row."""
    analysed = []
    prepared = text.prepare(parsed)
    for row in rows:
        terms = str(row["terms"])
        if not terms:
            # Written around index_document, without its terms.
            terms = text.terms_of(
                {name: str(value) for name, value in _texts([int(str(row["id"]))])[0].items()}
            )
        if parsed.phrases and not text.contains_phrases(text.token_lines(terms), parsed):
            continue
        document = text.Scorable(terms)
        analysed.append((row, document.counts(prepared), document))
    # Document frequencies from the matched rows: every document containing any alternative is
    # among them, so each count is the corpus's own, identical on every database.
    frequency: dict[text.Alternative, int] = defaultdict(int)
    for _, counts, _ in analysed:
        for alternative in counts:
            frequency[alternative] += 1
    idf = {
        alternative: text.inverse_document_frequency(matching=n, total=total_documents)
        for alternative, n in frequency.items()
    }
    if found is not None:
        found.update(frequency)
    ranking = text.Ranking(
        parsed,
        idf,
        absent_importance=text.inverse_document_frequency(matching=0, total=total_documents),
    )
    scored = []
    for row, counts, document in analysed:
        pairs = document.adjacent_pairs(prepared) if len(counts) > 1 else 0
        value, matched = ranking.score(counts, document.lengths, pairs)
        if matched:
            # Read by finding by meaning (kitbag/semantic/fusion.py): how far the words can
            # speak for this query at all.
            row["coverage"] = ranking.covered(counts)
            scored.append((value, row))
    scored.sort(key=lambda pair: (-pair[0], *_newest_key(pair[1])))
    return scored


# Sets of document ids, kept in this process until the next write to the index changes the
# generation: which documents a search may not show, and which have a facet value. Filtering
# the text index's matches against them in Python is what keeps a search at 100,000 documents
# close to the cost of the full-text query itself (decision 0015).
_ID_SETS: OrderedDict[str, frozenset[int]] = OrderedDict()
_ID_SETS_KEPT = 64
_ID_SETS_LOCK = threading.Lock()


def _id_set(kind: str, key: str, load: Callable[[], Iterable[int]]) -> frozenset[int]:
    generation = current_generation()
    if generation is None:
        # A cache that keeps nothing: nothing would say when a kept set goes stale.
        return frozenset(load())
    cache_key = f"{connection.settings_dict['NAME']}|{generation}|{kind}|{key}"
    with _ID_SETS_LOCK:
        found = _ID_SETS.get(cache_key)
        if found is not None:
            _ID_SETS.move_to_end(cache_key)
            return found
    found = frozenset(load())
    with _ID_SETS_LOCK:
        _ID_SETS[cache_key] = found
        while len(_ID_SETS) > _ID_SETS_KEPT:
            _ID_SETS.popitem(last=False)
    return found


@dataclass(frozen=True)
class _Scope:
    """What a search may show: documents outside it (another kind, or not public), as an id set,
    and its facet filters, which the text index applies itself (text.facet_filter) and which,
    for an empty query, are id sets too."""

    outside: frozenset[int]
    filters: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(
        cls,
        *,
        doc_type: str,
        filters: dict[str, list[str]] | None,
        public_only: bool,
        also_visible: Collection[int] = (),
    ) -> _Scope:
        hidden = ~Q(doc_type=doc_type)
        if public_only:
            hidden |= Q(is_public=False)
        outside = _id_set(
            "outside",
            repr((doc_type, public_only)),
            lambda: SearchDocument.objects.filter(hidden).values_list("id", flat=True),
        )
        if also_visible:
            # Documents not public this reader may see (viewer_documents): a set per search,
            # never kept, since it is theirs alone.
            outside = outside.difference(also_visible)
        # AND across facets, OR within one; a facet given no values does not restrict.
        wanted = tuple(
            (name, tuple(sorted({str(v) for v in values})))
            for name, values in sorted((filters or {}).items())
            if values
        )
        return cls(outside=outside, filters=wanted)

    @property
    def facet_filter(self) -> text.FacetFilter:
        return text.facet_filter(dict(self.filters))

    def visible(self, ids: Iterable[int]) -> set[int]:
        """Those of ids (already filtered by the text index) that the search may show."""
        return set(ids).difference(self.outside)

    def with_filters(self) -> set[int] | None:
        """Every document the filters allow, or None without filters (then: every document)."""
        if not self.filters:
            return None
        required = sorted(
            (
                _id_set(
                    "facet", repr((name, list(values))), functools.partial(_having, name, values)
                )
                for name, values in self.filters
            ),
            key=len,
        )
        kept = set(required[0])
        for allowed in required[1:]:
            kept.intersection_update(allowed)
        return kept.difference(self.outside)


def _having(name: str, values: Iterable[str]) -> Iterable[int]:
    return SearchFacet.objects.filter(name=name, value__in=list(values)).values_list(
        "document_id", flat=True
    )


def _listed(*, doc_type: str, public_only: bool) -> QuerySet[SearchDocument]:
    """Documents newest first, undated last, then by object_id, from one index (migration 0004)."""
    documents = SearchDocument.objects.filter(doc_type=doc_type)
    if public_only:
        # IN rather than a bare boolean: SQLite uses an index column only for a comparison.
        documents = documents.filter(is_public__in=[True])
    return documents.order_by(
        F("sort_date").desc(nulls_last=True),
        Collate("object_id", backend_for().code_point_collation),
    )


def _newest_rows(
    among: set[int] | None, *, doc_type: str, public_only: bool, start: int, stop: int, scope: int
) -> list[dict[str, object]]:
    """Rows start:stop of `among` (or of all, when None) newest first: read down the date index
    and keep those in the set, as many at a time as the set's share of `scope` documents says."""
    ordered = _listed(doc_type=doc_type, public_only=public_only).values(*_RANK_FIELDS[:2])
    if among is None:
        return list(ordered[start:stop])
    share = len(among) / max(1, scope)
    batch = max(200, int(stop * 1.5 / max(share, 1e-6)))
    if len(among) <= min(batch, 5000):
        # A small set: sorting it costs less than reading past everything else.
        rows: list[dict[str, object]] = [
            dict(row)
            for row in SearchDocument.objects.filter(pk__in=list(among)).values(*_DATE_FIELDS)
        ]
        rows.sort(key=_newest_key)
        return [{"id": row["id"], "object_id": row["object_id"]} for row in rows[start:stop]]
    found: list[dict[str, object]] = []
    offset = 0
    while len(found) < stop:
        rows = list(ordered[offset : offset + batch])
        found += [row for row in rows if row["id"] in among]
        if len(rows) < batch:
            break
        offset += batch
        batch *= 4
    return found[start:stop]


def _rank_rows(ids: Iterable[int]) -> list[dict[str, object]]:
    """What ranking and facet counts read of these documents, in the order given.

    In plain SQL: the ORM's decoding of the JSON facets, row by row, cost about what the facet
    query this read replaces did; the driver's own decoding costs a third of that.
    """
    wanted = list(ids)
    if not wanted:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in _RANK_FIELDS)
    placeholders = ", ".join(["%s"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(SearchDocument._meta.db_table)}"  # noqa: S608
            f" WHERE {quote('id')} IN ({placeholders})",
            wanted,
        )
        found = cursor.fetchall()
    by_id: dict[int, dict[str, object]] = {}
    for document_id, object_id, terms, sort_date, facets in found:
        by_id[document_id] = {
            "id": document_id,
            "object_id": object_id,
            "terms": terms,
            # Each database's driver gives the date and the JSON in its own way.
            "sort_date": dt.date.fromisoformat(sort_date)
            if isinstance(sort_date, str)
            else sort_date,
            "facets": json.loads(facets) if isinstance(facets, str | bytes) else facets or {},
        }
    return [by_id[i] for i in wanted if i in by_id]


# Per database and generation: the stored one-way synonyms, and each kind's indexed words.
_KEPT: OrderedDict[str, object] = OrderedDict()
_KEPT_LIMIT = 16
_KEPT_LOCK = threading.Lock()


def _kept(kind: str, key: str, load: Callable[[], object]) -> object:
    """A value kept in this process until the next write to the index (as _id_set)."""
    generation = current_generation()
    if generation is None:
        return load()
    cache_key = f"{connection.settings_dict['NAME']}|{generation}|{kind}|{key}"
    with _KEPT_LOCK:
        if cache_key in _KEPT:
            _KEPT.move_to_end(cache_key)
            return _KEPT[cache_key]
    found = load()
    with _KEPT_LOCK:
        _KEPT[cache_key] = found
        while len(_KEPT) > _KEPT_LIMIT:
            _KEPT.popitem(last=False)
    return found


def synonyms() -> text.SynonymTable:
    """The built-in synonym groups with the stored one-way pairs (SearchSynonym)."""

    def load() -> text.SynonymTable:
        pairs = SearchSynonym.objects.order_by("phrase", "means").values_list("phrase", "means")
        return text.synonym_table(tuple(dict.fromkeys(pairs)))

    return cast(text.SynonymTable, _kept("synonyms", "", load))


def vocabulary(*, doc_type: str, public_only: bool) -> dict[str, int]:
    """Every word the documents a search may show contain, with how many contain it: what a
    misspelt word is corrected to. Read from the stored terms once per generation, and only
    for a query with a word nothing contained (about 0.1 s for the 989 real cases; at 100,000
    documents several seconds, so a site that size would keep it in a table)."""

    def load() -> dict[str, int]:
        documents = SearchDocument.objects.filter(doc_type=doc_type)
        if public_only:
            documents = documents.filter(is_public=True)
        counts: Counter[str] = Counter()
        for terms in documents.values_list("terms", flat=True).iterator(chunk_size=2000):
            counts.update(text.vocabulary_words(terms))
        return dict(counts)

    return cast(dict[str, int], _kept("vocabulary", repr((doc_type, public_only)), load))


def is_indexed(*, doc_type: str, object_id: str) -> bool:
    """Whether the object has a search document (public or not)."""
    return SearchDocument.objects.filter(doc_type=doc_type, object_id=str(object_id)).exists()


def _suggestion(raw: str, corrections: dict[str, str]) -> str:
    """The query as typed with each corrected word replaced, whole words only, any case."""
    for word, corrected in corrections.items():
        raw = re.sub(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", corrected, raw, flags=re.I)
    return raw


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
    correct: bool = True,
    also_visible: Collection[int] = (),
) -> SearchResults:
    """Search one kind of document. An empty (or punctuation-only) query lists all, newest first.

    A word that no document contains, one edit from a word some do, is corrected: the results
    say the corrected query (`suggestion`), and when the query as typed found nothing they are
    the corrected query's (`corrected`). `correct=False` asks for the query as typed alone.

    `also_visible`: ids of this kind's documents not public that the reader may see besides
    (`viewer_documents`), for a query with words; an empty query lists public documents only.
    Corrections come from the public documents' words alone, so they never tell of a draft."""
    page = min(max(1, page), MAX_PAGE)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    start, stop = (page - 1) * page_size, page * page_size
    parsed = text.parse_query(query, synonyms=synonyms())
    found: set[text.Alternative] = set()
    truncated = False
    names = facets or []
    scope = _Scope.of(
        doc_type=doc_type, filters=filters, public_only=public_only, also_visible=also_visible
    )
    # What an empty query's counts depend on, for the cache: they are the same for every visitor
    # until a document is written.
    key = repr((doc_type, public_only, sorted((n, sorted(v)) for n, v in (filters or {}).items())))
    everything = _filtered(doc_type=doc_type, filters=None, public_only=public_only)
    public_corpus = _cached_total(everything, repr((doc_type, public_only, [])))
    corpus = public_corpus + len(also_visible)

    def newest_page(among: set[int] | None) -> list[tuple[float, dict[str, object]]]:
        window = _newest_rows(
            among, doc_type=doc_type, public_only=public_only, start=start, stop=stop, scope=corpus
        )
        return [(0.0, row) for row in window]

    if parsed.is_empty:
        allowed = _Scope.of(
            doc_type=doc_type, filters=filters, public_only=public_only
        ).with_filters()
        total = public_corpus if allowed is None else len(allowed)
        page_rows = newest_page(allowed)
        facet_counts = _cached_facet_counts(
            _filtered(doc_type=doc_type, filters=filters, public_only=public_only), names, key
        )
        facets_complete = True
    else:
        backend = backend_for()
        required = scope.facet_filter
        matched: set[int] | None = None
        every = False
        if corpus >= CANDIDATE_LIMIT and (
            len(parsed.concepts) > 1
            or any(a.weight <= text.PART_WEIGHT for a in parsed.alternatives())
        ):
            # Every concept, when plenty of documents have them all: the best partial matches
            # would rank below those anyway, and ranking them all is what costs at scale. (In
            # a smaller index, never that many: the question is not worth a query.)
            listed = backend.matching_id_list(parsed, every_concept=True, required=required)
            with_all = scope.visible(listed)
            if len(with_all) >= CANDIDATE_LIMIT:
                matched, in_index, every = with_all, len(listed), True
        if matched is None:
            listed = backend.matching_id_list(parsed, required=required)
            matched, in_index = scope.visible(listed), len(listed)
        total = len(matched)
        truncated = total > CANDIDATE_LIMIT
        if truncated:
            # Too many to rank them all here: the database's own ranking picks the candidates,
            # document frequencies are those of the candidates, and facets count the candidates
            # (decision 0015).
            rows = _rank_rows(
                backend.ranked_ids(
                    parsed,
                    keep=matched,
                    limit=WINDOW,
                    in_index=in_index,
                    every_concept=every,
                    required=required,
                )
            )
            ranked = _rank(rows, parsed, total_documents=len(rows))
            counted = rows
        else:
            ranked = _rank(_rank_rows(sorted(matched)), parsed, total_documents=corpus, found=found)
            # Only documents the ranking found the query in (the database's stemmer may match
            # more widely), and that contain every phrase: facets count what is shown.
            total = len(ranked)
            counted = [row for _, row in ranked]
        if sort == "relevance" and not parsed.phrases:
            # Finding by meaning: the words' ranking fused with vector similarity, over the same
            # scope (kitbag/semantic/fusion.py); None when it is off.
            fused = fusion.fuse(
                query=query,
                doc_type=doc_type,
                ranked=ranked,
                outside=scope.outside,
                allowed=scope.with_filters(),
                read_rows=_rank_rows,
                tie=_newest_key,
            )
            if fused is not None:
                ranked = fused
                if not truncated:
                    total = len(ranked)
                    counted = [row for _, row in ranked]
        if sort == "newest" and truncated and not parsed.phrases:
            page_rows = newest_page(matched)
        else:
            if sort == "newest":
                ranked.sort(key=lambda pair: _newest_key(pair[1]))
            page_rows = ranked[start:stop]
        facet_counts = _counted_facets(counted, names)
        facets_complete = not truncated

    # The text is read for the page alone.
    texts = _texts([int(str(row["id"])) for _, row in page_rows])
    hits = [
        Hit(
            object_id=str(row["object_id"]),
            score=row_score,
            title_highlighted=text.highlight(found["title"], parsed),
            snippet=text.snippet(found, parsed),
        )
        for (row_score, row), found in zip(page_rows, texts, strict=True)
    ]
    results = SearchResults(
        total=total,
        hits=hits,
        facet_counts=facet_counts,
        page=page,
        page_size=page_size,
        facet_counts_complete=facets_complete,
    )
    # Beyond CANDIDATE_LIMIT matches only the candidates were read, so a word missing from them
    # may still be somewhere: no correction is offered then.
    if correct and not parsed.is_empty and not truncated:
        missing = text.correctable_words(parsed, found)
        if missing:
            words = vocabulary(doc_type=doc_type, public_only=public_only)
            table = synonyms()
            corrections = {
                word: fixed
                for word, neighbours in missing
                if (fixed := text.correction(word, words, neighbours=neighbours, synonyms=table))
            }
            if corrections:
                results.suggestion = _suggestion(query, corrections)
                if results.total == 0:
                    results = search(
                        query=results.suggestion,
                        doc_type=doc_type,
                        filters=filters,
                        facets=facets,
                        public_only=public_only,
                        page=page,
                        page_size=page_size,
                        sort=sort,
                        correct=False,
                        also_visible=also_visible,
                    )
                    results.suggestion = _suggestion(query, corrections)
                    results.corrected = True
    return results


# --- Across kinds: the site-wide search -----------------------------------------------------------
# One query ranked within every kind at once, as `search()` ranks it within one: the text index is
# read once for all of them, and the rows ranked, the texts shown and their links are read in one
# statement each whatever the number of kinds (decision 0047). Each kind's total is the one its own
# search gives for the same query, so "see all 57 cases" finds 57 on the case search.


@dataclass(frozen=True)
class KindHit:
    doc_type: str
    object_id: str
    score: float
    title: str
    # HTML: escaped source text with <mark> around matched words.
    title_highlighted: str
    snippet: str
    # Where the hit links to, as indexed; blank when its document was written without one.
    url: str
    # False for a document not public that this reader may see (their draft, their
    # partnership's): the page labels it with its kind's `not_public_label`.
    is_public: bool = True


def _kind_totals(doc_types: tuple[str, ...], *, public_only: bool) -> dict[str, int]:
    """How many documents of each kind a search may show, in one query, kept in the cache until
    the next write to the index (the same numbers as each kind's own `_cached_total`)."""
    cache_key = _cache_key("kind-totals", repr((doc_types, public_only)))
    found = cache.get(cache_key)
    if found is None:
        documents = SearchDocument.objects.filter(doc_type__in=doc_types)
        if public_only:
            documents = documents.filter(is_public=True)
        counted = dict(
            documents.order_by()
            .values_list("doc_type")
            .annotate(count=Count("id"))
            .values_list("doc_type", "count")
        )
        found = {doc_type: int(counted.get(doc_type, 0)) for doc_type in doc_types}
        cache.set(cache_key, found, CACHE_SECONDS)
    return {str(doc_type): int(count) for doc_type, count in dict(found).items()}


def _kinds_of(doc_types: tuple[str, ...], *, public_only: bool) -> dict[int, str]:
    """The kind of every document a search may show, by id: the text index's matches are split
    by kind against it, as `search()` filters them against its `outside` set. One query, kept in
    this process until the next write to the index."""

    def load() -> dict[int, str]:
        documents = SearchDocument.objects.filter(doc_type__in=doc_types)
        if public_only:
            documents = documents.filter(is_public=True)
        # One string object per kind, not one per row.
        names = {doc_type: doc_type for doc_type in doc_types}
        return {
            int(pk): names[doc_type]
            for pk, doc_type in documents.values_list("id", "doc_type").iterator(chunk_size=10000)
        }

    return cast(dict[int, str], _kept("kinds", repr((doc_types, public_only)), load))


def _by_kind(
    ids: Iterable[int],
    kind_of: dict[int, str],
    doc_types: tuple[str, ...],
    also: Mapping[int, str],
) -> dict[str, set[int]]:
    split: dict[str, set[int]] = {doc_type: set() for doc_type in doc_types}
    for pk in ids:
        doc_type = kind_of.get(pk) or also.get(pk)
        if doc_type is not None and doc_type in split:
            split[doc_type].add(pk)
    return split


def viewer_documents(viewer: object, doc_types: Iterable[str]) -> dict[int, str]:
    """The documents not public that this reader may see besides the public ones, id to kind:
    of each kind that says who may see what (`SearchKind.viewer_objects`, the kind's own rule),
    in one query for every kind. Nobody signed in: none, and no query."""
    if not getattr(viewer, "is_authenticated", False):
        return {}
    condition = Q()
    for doc_type in dict.fromkeys(doc_types):
        kind = kind_named(doc_type)
        if kind is None or kind.viewer_objects is None:
            continue
        keys = (
            kind.viewer_objects(viewer)
            .order_by()
            .annotate(search_key=Cast("pk", output_field=CharField()))
            .values("search_key")
        )
        condition |= Q(doc_type=doc_type, object_id__in=keys)
    if not condition:
        return {}
    return {
        int(pk): str(doc_type)
        for pk, doc_type in SearchDocument.objects.filter(condition, is_public=False).values_list(
            "id", "doc_type"
        )
    }


def _shown(ids: list[int]) -> dict[int, dict[str, str]]:
    """What hits show of these documents (their text and link), by id."""
    return {
        int(row["id"]): {name: str(value) for name, value in row.items()}
        for row in SearchDocument.objects.filter(pk__in=ids).values(
            "id", "title", "extra", "body", "url"
        )
    }


@dataclass
class KindRanking:
    """A query ranked within each kind: how many of each a search shows (`totals`, in the order
    the kinds were asked for), and each kind's ranked rows, best first."""

    parsed: text.ParsedQuery
    totals: dict[str, int]
    ranked: dict[str, list[tuple[float, dict[str, object]]]]
    # The documents not public the reader may see, id to kind (viewer_documents).
    also: Mapping[int, str] = field(default_factory=dict)
    # Every alternative of the query found in some ranked document of any kind; complete only
    # when no kind had more matches than it ranks (`truncated` False), as in search().
    found: set[text.Alternative] = field(default_factory=set)
    truncated: bool = False

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def hits(self, windows: dict[str, tuple[int, int]]) -> dict[str, list[KindHit]]:
        """Hits start:stop of each kind named (a kind past its ranked rows has none), with what
        they show read in one query for every kind."""
        chosen = {
            doc_type: self.ranked.get(doc_type, [])[start:stop]
            for doc_type, (start, stop) in windows.items()
        }
        shown = _shown([int(str(row["id"])) for rows in chosen.values() for _, row in rows])
        hits: dict[str, list[KindHit]] = {}
        for doc_type, rows in chosen.items():
            hits[doc_type] = []
            for score, row in rows:
                found = shown.get(int(str(row["id"])))
                if found is None:  # removed since it was ranked
                    continue
                hits[doc_type].append(
                    KindHit(
                        doc_type=doc_type,
                        object_id=str(row["object_id"]),
                        score=score,
                        title=found["title"],
                        title_highlighted=text.highlight(found["title"], self.parsed),
                        snippet=text.snippet(found, self.parsed),
                        url=found["url"],
                        is_public=int(str(row["id"])) not in self.also,
                    )
                )
        return hits


def rank_kinds(
    *,
    query: str,
    doc_types: Iterable[str],
    public_only: bool = True,
    also_visible: Mapping[int, str] | None = None,
) -> KindRanking:
    """Rank `query` within each of `doc_types`, most relevant first, exactly as `search()` ranks
    it within one kind (the same candidates, scores, ties and finding by meaning), with the text
    index read once for all. An empty query finds nothing: listing everything of every kind is
    each kind's own page. `also_visible`: documents not public the reader may see besides, id
    to kind (`viewer_documents`), each kind ranked as `search(also_visible=...)` ranks it."""
    kinds = tuple(dict.fromkeys(doc_types))
    also: Mapping[int, str] = also_visible or {}
    parsed = text.parse_query(query, synonyms=synonyms())
    ranking = KindRanking(
        parsed=parsed,
        totals=dict.fromkeys(kinds, 0),
        ranked={doc_type: [] for doc_type in kinds},
        also=also,
    )
    if parsed.is_empty or not kinds:
        return ranking
    also_of: dict[str, set[int]] = {doc_type: set() for doc_type in kinds}
    for pk, doc_type in also.items():
        if doc_type in also_of:
            also_of[doc_type].add(pk)
    corpus = {
        doc_type: count + len(also_of[doc_type])
        for doc_type, count in _kind_totals(kinds, public_only=public_only).items()
    }
    kind_of = _kinds_of(kinds, public_only=public_only)
    backend = backend_for()
    listed = backend.matching_id_list(parsed)
    matched = _by_kind(listed, kind_of, kinds, also)
    in_index = dict.fromkeys(kinds, len(listed))
    every = dict.fromkeys(kinds, False)
    large = [doc_type for doc_type in kinds if corpus[doc_type] >= CANDIDATE_LIMIT]
    if large and (
        len(parsed.concepts) > 1 or any(a.weight <= text.PART_WEIGHT for a in parsed.alternatives())
    ):
        # As search() does in a large kind: every concept, when plenty of documents have them all.
        listed_all = backend.matching_id_list(parsed, every_concept=True)
        with_all = _by_kind(listed_all, kind_of, kinds, also)
        for doc_type in large:
            if len(with_all[doc_type]) >= CANDIDATE_LIMIT:
                matched[doc_type] = with_all[doc_type]
                in_index[doc_type] = len(listed_all)
                every[doc_type] = True
    # The rows of every kind small enough to rank here whole, in one read.
    whole = [doc_type for doc_type in kinds if len(matched[doc_type]) <= CANDIDATE_LIMIT]
    rows_of: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in _rank_rows(sorted(pk for doc_type in whole for pk in matched[doc_type])):
        pk = int(str(row["id"]))
        rows_of[kind_of.get(pk) or also[pk]].append(row)
    for doc_type in kinds:
        truncated = doc_type not in whole
        if truncated:
            # Too many to rank them all here: the database's ranking picks the candidates of
            # this kind, as in search() (decision 0015).
            rows = _rank_rows(
                backend.ranked_ids(
                    parsed,
                    keep=matched[doc_type],
                    limit=WINDOW,
                    in_index=in_index[doc_type],
                    every_concept=every[doc_type],
                )
            )
            ranked = _rank(rows, parsed, total_documents=len(rows))
            total = len(matched[doc_type])
            ranking.truncated = True
        else:
            ranked = _rank(
                rows_of[doc_type],
                parsed,
                total_documents=corpus[doc_type],
                found=ranking.found,
            )
            total = len(ranked)
        if not parsed.phrases and encoding.is_on():
            fused = fusion.fuse(
                query=query,
                doc_type=doc_type,
                ranked=ranked,
                outside=_Scope.of(
                    doc_type=doc_type,
                    filters=None,
                    public_only=public_only,
                    also_visible=also_of[doc_type],
                ).outside,
                allowed=None,
                read_rows=_rank_rows,
                tie=_newest_key,
            )
            if fused is not None:
                ranked = fused
                if not truncated:
                    total = len(ranked)
        ranking.ranked[doc_type] = ranked
        ranking.totals[doc_type] = total
    return ranking


# --- The site-wide search: every registered kind (kinds.py) ---------------------------------------

# How many hits of each kind the site-wide page shows before "see all".
PER_KIND = 3


@dataclass(frozen=True)
class KindCount:
    kind: SearchKind
    count: int
    # Whether the count holds documents not public that this reader may see: the kind's own
    # search page (public only) would then show fewer, so "see all" stays on the site-wide page.
    includes_not_public: bool = False


@dataclass(frozen=True)
class SiteGroup:
    kind: SearchKind
    count: int
    hits: list[KindHit]


@dataclass(frozen=True)
class SiteResults:
    query: str
    # Every registered kind with how many of it match, in the kinds' order (zeros too).
    counts: list[KindCount]
    # The hits shown, in the kinds' order and each kind's best first.
    hits: list[KindHit]
    # The kind the search was narrowed to, if any.
    kind: SearchKind | None = None
    page: int = 1
    page_size: int = 20
    # The query with a word nothing contains corrected to a word of the public documents
    # ("Did you mean chatbot?"), or "" (decision 0036, as each kind's own search offers).
    suggestion: str = ""

    @property
    def total(self) -> int:
        """Every match of the kinds searched: of the chosen kind alone when narrowed to one."""
        if self.kind is not None:
            return self.count_of(self.kind.doc_type)
        return sum(count.count for count in self.counts)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def count_of(self, doc_type: str) -> int:
        return next((c.count for c in self.counts if c.kind.doc_type == doc_type), 0)

    @property
    def groups(self) -> list[SiteGroup]:
        """The hits shown, grouped by kind, with each kind's count."""
        by_kind: dict[str, list[KindHit]] = defaultdict(list)
        for hit in self.hits:
            by_kind[hit.doc_type].append(hit)
        return [
            SiteGroup(kind=count.kind, count=count.count, hits=by_kind[count.kind.doc_type])
            for count in self.counts
            if by_kind.get(count.kind.doc_type)
        ]


def _with_links(hits: list[KindHit]) -> list[KindHit]:
    """Hits whose documents were indexed without a link get one from their kind's `links`."""
    unlinked: dict[str, list[str]] = defaultdict(list)
    for hit in hits:
        if not hit.url:
            unlinked[hit.doc_type].append(hit.object_id)
    found: dict[tuple[str, str], str] = {}
    for doc_type, object_ids in unlinked.items():
        kind = kind_named(doc_type)
        if kind is not None and kind.links is not None:
            found |= {(doc_type, k): v for k, v in kind.links(object_ids).items()}
    if not found:
        return hits
    return [
        replace(hit, url=found.get((hit.doc_type, hit.object_id), "")) if not hit.url else hit
        for hit in hits
    ]


def site_vocabulary(doc_types: Iterable[str]) -> dict[str, int]:
    """Every word of the public documents of these kinds, with how many contain it: what the
    site-wide search corrects a misspelt word to. Each kind's own vocabulary, added up once per
    generation; public only, so a correction never tells of a draft."""
    kinds = tuple(dict.fromkeys(doc_types))

    def load() -> dict[str, int]:
        counts: Counter[str] = Counter()
        for doc_type in kinds:
            counts.update(vocabulary(doc_type=doc_type, public_only=True))
        return dict(counts)

    return cast(dict[str, int], _kept("site-vocabulary", repr(kinds), load))


def _site_suggestion(query: str, ranking: KindRanking, doc_types: list[str]) -> str:
    """As search() corrects within one kind: each typed word found in no document of any kind,
    one edit from a word some public document has. None past CANDIDATE_LIMIT matches of a kind
    (only its candidates were read, so a word may be somewhere)."""
    if ranking.parsed.is_empty or ranking.truncated:
        return ""
    missing = text.correctable_words(ranking.parsed, ranking.found)
    if not missing:
        return ""
    words = site_vocabulary(doc_types)
    table = synonyms()
    corrections = {
        word: fixed
        for word, neighbours in missing
        if (fixed := text.correction(word, words, neighbours=neighbours, synonyms=table))
    }
    return _suggestion(query, corrections) if corrections else ""


def _site_search(
    *,
    query: str,
    kind: str,
    viewer: object,
    windows: Callable[[KindRanking, list[str]], dict[str, tuple[int, int]]],
) -> tuple[list[KindCount], list[KindHit], SearchKind | None, str]:
    kinds = all_kinds()
    chosen = kind_named(kind) if kind else None
    order = [k.doc_type for k in kinds]
    also = viewer_documents(viewer, order) if query.strip() else {}
    ranking = rank_kinds(query=query, doc_types=order, public_only=True, also_visible=also)
    counts = [
        KindCount(
            kind=k,
            count=ranking.totals.get(k.doc_type, 0),
            includes_not_public=bool(also)
            and any(int(str(row["id"])) in also for _, row in ranking.ranked.get(k.doc_type, [])),
        )
        for k in kinds
    ]
    found = ranking.hits(windows(ranking, order))
    hits = [hit for doc_type in order for hit in found.get(doc_type, [])]
    return counts, _with_links(hits), chosen, _site_suggestion(query, ranking, order)


def _site_results(
    *,
    query: str,
    kind: str,
    viewer: object,
    page: int,
    page_size: int,
    windows: Callable[[KindRanking, list[str]], dict[str, tuple[int, int]]],
) -> SiteResults:
    counts, hits, chosen, suggestion = _site_search(
        query=query, kind=kind, viewer=viewer, windows=windows
    )
    return SiteResults(
        query=query,
        counts=counts,
        hits=hits,
        kind=chosen,
        page=page,
        page_size=page_size,
        suggestion=suggestion,
    )


def site_search(
    *, query: str, kind: str = "", page: int = 1, page_size: int = 20, viewer: object = None
) -> SiteResults:
    """The site-wide page: every kind's count, and its first PER_KIND hits; or, narrowed to one
    kind, a page of that kind's hits. Public documents, and those not public that the viewer
    may see by each kind's own rule (`viewer_documents`)."""
    page = min(max(1, page), MAX_PAGE)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)

    def windows(ranking: KindRanking, order: list[str]) -> dict[str, tuple[int, int]]:
        if kind:
            return {kind: ((page - 1) * page_size, page * page_size)} if kind in order else {}
        return dict.fromkeys(order, (0, PER_KIND))

    return _site_results(
        query=query, kind=kind, viewer=viewer, page=page, page_size=page_size, windows=windows
    )


def site_search_list(
    *, query: str, kind: str = "", page: int = 1, page_size: int = 20, viewer: object = None
) -> SiteResults:
    """The site-wide search as one list (the API): narrowed to a kind, its hits; otherwise every
    kind's hits one kind after another, in the kinds' order, so a page may end one kind's hits
    and begin the next's. A kind with more matches than are ranked (decision 0015) has hits only
    for its ranked candidates, as its own search does."""
    page = min(max(1, page), MAX_PAGE)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    start, stop = (page - 1) * page_size, page * page_size

    def windows(ranking: KindRanking, order: list[str]) -> dict[str, tuple[int, int]]:
        chosen = [kind] if kind else order
        found: dict[str, tuple[int, int]] = {}
        offset = 0
        for doc_type in chosen:
            count = ranking.totals.get(doc_type, 0)
            if offset < stop and start < offset + count:
                found[doc_type] = (max(0, start - offset), min(count, stop - offset))
            offset += count
        return found

    return _site_results(
        query=query, kind=kind, viewer=viewer, page=page, page_size=page_size, windows=windows
    )
