"""Pages of the innovation library for finding and reading: list and search, downloads, feed,
the case page. Thin: parse, call queries, render. Every channel reads through queries.py, which
shows only public cases in search and only cases the viewer may see on a case page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kitbag.accounts.permissions import can
from kitbag.cases import downloads, feeds, queries
from kitbag.cases.models import Case, Contact, RecordStatus
from kitbag.cases.queries import CaseSearch
from kitbag.cases.similar_cases import similar_cases
from kitbag.core.downloads import csv_response, json_ld_script, streamed_json_response
from kitbag.core.page_cache import cache_public_page
from kitbag.core.sources import DATA_SOURCES, DataSource


@dataclass(frozen=True)
class ResultRow:
    case: Case
    # Escaped text with <mark> around matched words, made by kitbag.search.text.
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class ChosenFilter:
    title: str
    label: str
    remove_url: str


def _query_string(search_for: CaseSearch, **changes: Any) -> str:
    """The search as URL parameters, with `changes` applied (None removes a parameter)."""
    params: list[tuple[str, str]] = []
    if search_for.query:
        params.append(("q", search_for.query))
    for name, values in search_for.filters.items():
        params.extend((name, value) for value in values)
    if search_for.sort != ("relevance" if search_for.query else "newest"):
        params.append(("sort", search_for.sort))
    for name, value in changes.items():
        params = [(key, v) for key, v in params if key != name]
        if value is not None:
            params.append((name, str(value)))
    return ("?" + urlencode(params)) if params else ""


def _without(search_for: CaseSearch, facet: str, value: str) -> str:
    filters = {
        name: [v for v in values if not (name == facet and v == value)]
        for name, values in search_for.filters.items()
    }
    narrowed = CaseSearch(
        query=search_for.query,
        filters={name: values for name, values in filters.items() if values},
        sort=search_for.sort,
    )
    return reverse("cases:case_list") + _query_string(narrowed)


@require_safe
@cache_public_page  # many people run the same searches; any public write makes it fresh
def case_list(request: HttpRequest) -> HttpResponse:
    search_for = CaseSearch.from_params(request.GET)
    results = queries.search_case_cards(search_for=search_for, viewer=request.user)
    if search_for.page > results.page_count:
        # A page past the end (an old link, a narrower search) shows the last one instead.
        search_for = CaseSearch(
            query=search_for.query,
            filters=search_for.filters,
            sort=search_for.sort,
            page=results.page_count,
            page_size=search_for.page_size,
        )
        results = queries.search_case_cards(search_for=search_for, viewer=request.user)
    groups = queries.facet_groups(search_for=search_for, results=results)
    # A Paginator over a range costs nothing and drives the shared GOV.UK pagination partial.
    page = Paginator(range(results.total), results.page_size).get_page(results.page)
    rows = [
        ResultRow(
            case=case_hit.case,
            title_html=mark_safe(case_hit.hit.title_highlighted),  # noqa: S308 - escaped by search
            snippet_html=mark_safe(case_hit.hit.snippet),  # noqa: S308 - escaped by search
        )
        for case_hit in results.hits
    ]
    chosen = [
        ChosenFilter(
            title=group.title,
            label=option.label,
            remove_url=_without(search_for, group.name, option.value),
        )
        for group in groups
        for option in group.selected
    ]
    downloads_query = _query_string(search_for, page=None)
    review = review_link(request.user)
    # An LGSL service has no page of its own: the library filtered to one service stands for it,
    # and offers to follow it (kitbag/core/happenings.py).
    service_to_follow = (
        next(
            (option for group in groups if group.name == "service" for option in group.selected),
            None,
        )
        if len(search_for.filters.get("service", [])) == 1
        else None
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "search": search_for,
            "review": review,
            "service_to_follow": service_to_follow,
            "results": results,
            "rows": rows,
            "groups": groups,
            "chosen": chosen,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "csv_url": reverse("cases:case_list_csv") + downloads_query,
            "json_url": reverse("cases:case_list_json") + downloads_query,
            "feed_url": reverse("cases:case_feed") + _query_string(search_for, sort=None),
            # The words the results match: the correction's when the query as typed found none.
            "matched_query": results.suggestion if results.corrected else search_for.query,
            "suggestion_url": reverse("cases:case_list")
            + _query_string(search_for, q=results.suggestion, page=None)
            if results.suggestion
            else "",
        },
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_safe
def case_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    search_for = CaseSearch.from_params(request.GET)
    base_url = _base_url(request)
    rows = (
        downloads.download_row(case, base_url=base_url)
        for case in queries.matching_cases(search_for=search_for, viewer=request.user)
    )
    return csv_response(rows, columns=downloads.DOWNLOAD_FIELDS, filename="cases.csv")


@require_safe
def case_list_json(request: HttpRequest) -> StreamingHttpResponse:
    search_for = CaseSearch.from_params(request.GET)
    base_url = _base_url(request)
    total = queries.count_matching(search_for=search_for)
    rows = (
        downloads.download_row(case, base_url=base_url)
        for case in queries.matching_cases(search_for=search_for, viewer=request.user)
    )
    head = {
        "count": total,
        "truncated": total > queries.MAX_DOWNLOAD_ROWS,
        "fields": list(downloads.DOWNLOAD_FIELDS),
    }
    return streamed_json_response(rows, head=head, filename="cases.json")


@require_safe
@cache_public_page
def case_feed(request: HttpRequest) -> HttpResponse:
    params = CaseSearch.from_params(request.GET)
    # A feed is always newest first, whatever order the page it came from used.
    search_for = CaseSearch(
        query=params.query, filters=params.filters, sort="newest", page_size=feeds.FEED_SIZE
    )
    results = queries.search_cases(search_for=search_for, viewer=request.user)
    query_string = _query_string(search_for, sort=None)
    title = _("Innovation library")
    if search_for.query:
        title = _("Innovation library: %(query)s") % {"query": search_for.query}
    feed = feeds.case_feed(
        cases=[case_hit.case for case_hit in results.hits],
        title=title,
        link=request.build_absolute_uri(reverse("cases:case_list") + query_string),
        feed_url=request.build_absolute_uri(reverse("cases:case_feed") + query_string),
        base_url=_base_url(request),
    )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- The case page -------------------------------------------------------------------------------

WORKFLOW_LABELS: dict[str, Promise] = {
    "submit_for_review": gettext_lazy("Send for review"),
    "publish": gettext_lazy("Publish"),
    "flag_needs_update": gettext_lazy("Mark as needing an update"),
    "return_to_draft": gettext_lazy("Return to draft"),
    "archive": gettext_lazy("Archive"),
}

# How a follower relates to the case it is listed under ("... adapted it").
FOLLOWER_WORDS: dict[str, Promise] = {
    "adopted-as-is": gettext_lazy("adopted it as is"),
    "adapted": gettext_lazy("adapted it"),
    "inspired-by": gettext_lazy("was inspired by it"),
    "forked": gettext_lazy("forked its code or designs"),
    "joint-procurement": gettext_lazy("procured it jointly"),
    "scaled-nationally": gettext_lazy("scaled it nationally"),
    "superseded-by": gettext_lazy("replaced it"),
}
# How an origin relates to the case it is listed under ("... which it adapted").
ORIGIN_WORDS: dict[str, Promise] = {
    "adopted-as-is": gettext_lazy("adopted as is by it"),
    "adapted": gettext_lazy("adapted by it"),
    "inspired-by": gettext_lazy("inspired it"),
    "forked": gettext_lazy("forked by it"),
    "joint-procurement": gettext_lazy("procured jointly with it"),
    "scaled-nationally": gettext_lazy("scaled nationally by it"),
    "superseded-by": gettext_lazy("replaced by it"),
}


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    # Workflow steps change the record, so they are buttons that POST; the rest are links.
    post: bool = False
    warning: bool = False


@dataclass(frozen=True)
class LineageRow:
    item: queries.LineageItem
    # How this case relates to the one it is listed under, e.g. "adapted it".
    phrase: str
    children: list[LineageRow]


def _lineage_rows(items: list[queries.LineageItem], words: dict[str, Promise]) -> list[LineageRow]:
    return [
        LineageRow(
            item=item,
            phrase=str(words.get(item.relation, item.label.lower())),
            children=_lineage_rows(item.children, words),
        )
        for item in items
    ]


@dataclass(frozen=True)
class LegendEntry:
    css: str
    label: str
    count: int


def _map_legend(adopter_map: queries.AdopterMap | None) -> list[LegendEntry]:
    """The key of the adopters' map: the lead, then each adoption status drawn, by count."""
    if adopter_map is None:
        return []
    counts: dict[str, LegendEntry] = {}
    for area in adopter_map.highlighted:
        if area.role == "lead":
            css, label = "lead", _("Lead organisation")
        else:
            css = f"adoption-{area.role}"
            label = area.adoption.status.label if area.adoption else area.role
        found = counts.get(css)
        counts[css] = LegendEntry(css=css, label=label, count=(found.count if found else 0) + 1)
    return sorted(
        counts.values(), key=lambda entry: (entry.css != "lead", -entry.count, entry.label)
    )


@dataclass(frozen=True)
class ContactView:
    contact: Contact
    # People's names and addresses are shown to signed-in users only, unless they chose public.
    show_details: bool


def _spread_actions(request: HttpRequest, case: Case) -> list[Action]:
    actions = []
    # Signed-out readers see the offer too: the form sends them to sign in and back.
    signed_out = not request.user.is_authenticated
    if can(request.user, "record_adoption", case) or (signed_out and case.is_public):
        actions.append(
            Action(_("We adopted this"), reverse("cases:adoption_create", args=[case.slug]))
        )
    if can(request.user, "relate", case):
        actions.append(
            Action(_("Relate a case"), reverse("cases:relation_create", args=[case.slug]))
        )
    return actions


def _data_source(case: Case) -> DataSource | None:
    return next((source for source in DATA_SOURCES if source.name == case.source), None)


@require_safe
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        case = queries.case_page_cases(request.user).get(slug=slug)
    except Case.DoesNotExist:
        # The same answer whether the case is missing or a draft this viewer may not see.
        raise Http404(_("No such case.")) from None
    lineage = queries.case_lineage(case=case, viewer=request.user)
    adoptions = list(case.adoptions.all())
    adopter_map = queries.adopter_map(case)
    totals = queries.spread_totals_of(case)
    signed_in = bool(request.user.is_authenticated)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "services": list(case.services.all()),
            "functions": list(case.functions.all()),
            "technologies": list(case.technologies.all()),
            "partners": list(case.partners.all()),
            "costs": list(case.costs.all()),
            "cost_totals": queries.cost_totals(case),
            "benefits": list(case.benefits.all()),
            "benefit_totals": queries.benefit_totals(case),
            "assets": list(case.assets.all()),
            "products": list(case.products.all()),
            "contacts": [
                ContactView(contact=contact, show_details=signed_in or contact.is_public)
                for contact in case.contacts.all()
            ],
            "identifiers": list(case.identifiers.all()),
            "lineage": lineage,
            "origins": _lineage_rows(lineage.origins, ORIGIN_WORDS),
            "followers": _lineage_rows(lineage.followers, FOLLOWER_WORDS),
            "adoptions": adoptions,
            "adopter_map": adopter_map,
            "map_legend": _map_legend(adopter_map),
            "totals": totals,
            "similar": similar_cases(case=case, viewer=request.user),
            "spread_actions": _spread_actions(request, case),
            "data_source": _data_source(case),
            "imported_at": parse_datetime(str((case.provenance or {}).get("imported_at") or "")),
            "is_draft": case.status in (RecordStatus.DRAFT, RecordStatus.IN_REVIEW),
            "json_ld_script": json_ld_script(_json_ld(case, request)),
        },
    )


def _identifier_values(organisation: Any) -> list[dict[str, str]]:
    return [
        {
            "@type": "PropertyValue",
            "propertyID": identifier.scheme,
            "name": identifier.get_scheme_display(),
            "value": identifier.value,
        }
        for identifier in organisation.identifiers.all()
    ]


def _json_ld(case: Case, request: HttpRequest) -> dict[str, Any]:
    """schema.org CreativeWork and Project, about its services, provided by its lead."""
    url = request.build_absolute_uri(case.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["CreativeWork", "Project"],
        "@id": url,
        "url": url,
        "name": case.title,
        "description": case.summary,
        "inLanguage": case.language,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "kitbag", "value": str(case.uuid)},
            *(
                {"@type": "PropertyValue", "propertyID": i.scheme, "value": i.value}
                for i in case.identifiers.all()
            ),
        ],
        "about": [
            {
                "@type": "Service",
                "name": service.label,
                "identifier": {
                    "@type": "PropertyValue",
                    "propertyID": "lgsl",
                    "value": service.code,
                },
            }
            for service in case.services.all()
        ],
    }
    if case.licence:
        data["license"] = f"https://spdx.org/licenses/{case.licence}.html"
    lead = case.lead_organisation
    if lead is not None:
        data["provider"] = {
            "@type": "GovernmentOrganization",
            "name": lead.name,
            "url": request.build_absolute_uri(lead.get_absolute_url()),
            "identifier": _identifier_values(lead),
        }
    elif case.lead_organisation_name:
        data["provider"] = {"@type": "Organization", "name": case.lead_organisation_name}
    if case.sector is not None:
        data["about"].append({"@type": "Thing", "name": case.sector.label})
    keywords = [technology.label for technology in case.technologies.all()]
    if keywords:
        data["keywords"] = keywords
    if case.published_at:
        data["datePublished"] = case.published_at.date().isoformat()
    data["dateModified"] = case.updated_at.date().isoformat()
    if case.source_url:
        data["isBasedOn"] = case.source_url
    return data


# --- The section on organisation pages ------------------------------------------------------------


def organisation_section(request: HttpRequest | None, organisation: Any) -> dict[str, Any]:
    """Context of the "Innovation cases" section of an organisation's page (core.page_sections)."""
    viewer = request.user if request is not None else None
    return {
        "organisation": organisation,
        "led": list(queries.cases_led_by(organisation=organisation, viewer=viewer)),
        "adoptions": list(queries.adoptions_by(organisation=organisation, viewer=viewer)),
        "search_url": reverse("cases:case_list")
        + "?"
        + urlencode({"organisation": organisation.slug}),
    }


# --- The review section of "Your account", and the library's link to the review list ----------


def review_link(viewer: Any) -> dict[str, Any] | None:
    """The link to the cases waiting for the viewer's review, with their count; None for people
    who may review nothing (the permission table's publish rule), who have nothing waiting."""
    if viewer is None or not viewer.is_authenticated or not queries.may_review_cases(viewer):
        return None
    count = queries.cases_waiting_for_review(viewer=viewer).count()
    return {"url": reverse("cases:review_list"), "count": count}


def account_section(request: HttpRequest | None, user: Any) -> dict[str, Any] | None:
    """Context of the "Innovation library" section of "Your account" (core.page_sections)."""
    return {"review": review_link(user)}
