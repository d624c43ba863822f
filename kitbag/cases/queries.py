"""Reads the case pages, downloads, feeds and the API share.

`CaseSearch.from_params` parses the one set of query parameters every channel takes (q, the facet
names of search_documents.FACETS and HIDDEN_FACETS, sort, page, page_size); `search_cases` runs it
through the search interface and fetches the page of cases in a fixed number of queries.
Search only ever shows public cases: drafts are found on "Your cases", never through search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from django.db.models import Prefetch

from kitbag.accounts.permissions import Viewer
from kitbag.cases.models import Adoption, Case, CaseQuerySet
from kitbag.cases.permissions import visible_cases
from kitbag.cases.search_documents import DOC_TYPE, FACETS, HIDDEN_FACETS
from kitbag.search.queries import MAX_PAGE_SIZE, Hit, search

Sort = Literal["relevance", "newest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest")
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class CaseSearch:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> CaseSearch:
        """From a QueryDict (or any mapping of lists): unknown or bad values fall back quietly."""

        def values(name: str) -> list[str]:
            getlist = getattr(params, "getlist", None)
            raw = getlist(name) if getlist else params.get(name, [])
            if isinstance(raw, str):
                raw = [raw]
            return [str(v).strip() for v in cast(list[object], raw or []) if str(v).strip()]

        def number(name: str, default: int) -> int:
            found = values(name)
            try:
                return int(found[0]) if found else default
            except ValueError:
                return default

        query = (values("q") or [""])[0]
        sort_values = values("sort")
        sort: Sort = (
            sort_values[0]
            if sort_values and sort_values[0] in SORTS
            else ("relevance" if query else "newest")
        )
        filters = {name: values(name) for name in (*FACETS, *HIDDEN_FACETS) if values(name)}
        return cls(
            query=query,
            filters=filters,
            sort=sort,
            page=max(1, number("page", 1)),
            page_size=min(max(1, number("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE),
        )


@dataclass(frozen=True)
class CaseHit:
    case: Case
    hit: Hit


@dataclass(frozen=True)
class CaseSearchResults:
    total: int
    hits: list[CaseHit]
    facet_counts: dict[str, list[tuple[str, int]]]
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def cases_for_display(viewer: Viewer) -> CaseQuerySet:
    """Cases the viewer may see, with what a card or a row needs, in a fixed number of queries."""
    return (
        visible_cases(viewer)
        .select_related(
            "lead_organisation",
            "sector",
            "phase",
            "operational_status",
            "evidence_level",
            "outcome",
        )
        .prefetch_related(
            "services",
            "functions",
            "technologies",
            Prefetch("adoptions", queryset=Adoption.objects.select_related("adopter", "status")),
        )
    )


def search_cases(*, search_for: CaseSearch, viewer: Viewer) -> CaseSearchResults:
    results = search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=search_for.filters,
        facets=list(FACETS),
        public_only=True,
        page=search_for.page,
        page_size=search_for.page_size,
        sort=search_for.sort,
    )
    ids = [int(hit.object_id) for hit in results.hits]
    # The index and the cases agree except for a moment mid-write; the cases' own visibility is
    # checked again so that a stale index entry can never show a draft.
    by_id = {case.pk: case for case in cases_for_display(viewer).public().filter(pk__in=ids)}
    return CaseSearchResults(
        total=results.total,
        hits=[
            CaseHit(case=by_id[int(hit.object_id)], hit=hit)
            for hit in results.hits
            if int(hit.object_id) in by_id
        ],
        facet_counts=results.facet_counts,
        page=results.page,
        page_size=results.page_size,
    )
