"""The site-wide search page: it parses the query string, asks `queries.site_search`, responds."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from kitbag.core.page_cache import cache_public_page
from kitbag.search import queries
from kitbag.search.kinds import SearchKind, kind_named

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class KindLink:
    """A kind in the list of kinds beside the results: its count, and the page narrowed to it."""

    kind: SearchKind
    count: int
    url: str
    current: bool


@dataclass(frozen=True)
class ShownHit:
    hit: queries.KindHit
    title_html: SafeString
    snippet_html: SafeString
    # What a hit not public is, beside its title ("Draft"); blank for a public one.
    label: str = ""


@dataclass(frozen=True)
class ShownGroup:
    kind: SearchKind
    count: int
    hits: list[ShownHit]
    see_all_url: str


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and int(raw) > 0 else 1


def _site_url(query: str, kind: str = "") -> str:
    params = {"q": query, **({"kind": kind} if kind else {})}
    return reverse("search:site_search") + "?" + urlencode(params)


def see_all_url(kind: SearchKind, query: str, *, includes_not_public: bool = False) -> str:
    """A kind's own search page when it has one, else the site-wide page narrowed to it. Its own
    page shows public documents only: when the count holds some not public that this reader may
    see, the site-wide page narrowed to the kind is the one that shows them all."""
    if kind.search_url_name and not includes_not_public:
        return reverse(kind.search_url_name) + "?" + urlencode({"q": query})
    return _site_url(query, kind.doc_type)


def _not_public_label(doc_type: str) -> str:
    kind = kind_named(doc_type)
    return str(kind.not_public_label) if kind is not None else ""


def _shown(hits: list[queries.KindHit]) -> list[ShownHit]:
    return [
        ShownHit(
            hit=hit,
            title_html=mark_safe(hit.title_highlighted),  # noqa: S308 - escaped by search
            snippet_html=mark_safe(hit.snippet),  # noqa: S308 - escaped by search
            label="" if hit.is_public else _not_public_label(hit.doc_type),
        )
        for hit in hits
    ]


@require_safe
@cache_public_page  # for visitors not signed in, who all see the same: public documents only
def site_search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    kind = kind_named(request.GET.get("kind", ""))
    doc_type = kind.doc_type if kind is not None else ""
    page = _page_number(request.GET.get("page"))
    results = queries.site_search(query=query, kind=doc_type, page=page, viewer=request.user)
    if kind is not None and page > results.page_count:
        # A page past the end (an old link) shows the last one instead.
        results = queries.site_search(
            query=query, kind=doc_type, page=results.page_count, viewer=request.user
        )
    kinds = [
        KindLink(
            kind=count.kind,
            count=count.count,
            url=_site_url(query, count.kind.doc_type),
            current=count.kind.doc_type == doc_type,
        )
        for count in results.counts
    ]
    not_public = {count.kind.doc_type for count in results.counts if count.includes_not_public}
    groups = [
        ShownGroup(
            kind=group.kind,
            count=group.count,
            hits=_shown(group.hits),
            see_all_url=see_all_url(
                group.kind, query, includes_not_public=group.kind.doc_type in not_public
            ),
        )
        for group in results.groups
    ]
    context: dict[str, object] = {
        "query": query,
        "kind": kind,
        "results": results,
        "kinds": kinds,
        "all_url": _site_url(query),
        "groups": groups,
        # "Did you mean": the same page for the corrected words, narrowed as this one is.
        "suggestion_url": _site_url(results.suggestion, doc_type) if results.suggestion else "",
    }
    if kind is not None:
        # A Paginator over a range costs nothing and drives the shared GOV.UK pagination partial.
        paged = Paginator(range(results.total), results.page_size).get_page(results.page)
        context["page"] = paged
        context["page_range"] = paged.paginator.get_elided_page_range(paged.number)
        context["hits"] = _shown(results.hits)
    return render(request, "search/site_search.html", context)
