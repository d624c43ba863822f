"""Registry pages: the searchable list and its downloads, the council hex map, and one body's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kitbag.core.downloads import csv_response, json_ld_script, json_response
from kitbag.core.page_cache import cache_public_page
from kitbag.registry import queries
from kitbag.registry.filters import CURRENT_CHOICES, OrganisationFilter
from kitbag.registry.models import (
    Nation,
    Organisation,
    OrganisationKind,
    ParentLink,
    ParentRelation,
)

PAGE_SIZE = 50


@require_safe
@cache_public_page
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilter(request.GET, queryset=queries.listed_organisations())
    filters.is_valid()  # runs validation so the page can show errors; invalid values are ignored
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/organisation_list.html",
        {
            "filters": filters,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "kinds": OrganisationKind.choices,
            "nations": Nation.choices,
            "region_options": queries.region_options(),
            "type_groups": queries.type_options(),
            "current_choices": CURRENT_CHOICES,
        },
    )


@require_safe
def organisation_download_csv(request: HttpRequest) -> StreamingHttpResponse:
    filters = OrganisationFilter(request.GET, queryset=queries.listed_organisations())
    rows = queries.download_rows(filters.qs, base_url=request.build_absolute_uri("/"))
    return csv_response(rows, columns=queries.DOWNLOAD_FIELDS, filename="organisations.csv")


@require_safe
def organisation_download_json(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilter(request.GET, queryset=queries.listed_organisations())
    rows = list(queries.download_rows(filters.qs, base_url=request.build_absolute_uri("/")))
    return json_response({"count": len(rows), "results": rows}, filename="organisations.json")


@require_safe
@cache_public_page
def council_map(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/council_map.html", {"map": queries.council_map()})


@require_safe
@cache_public_page
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(queries.organisations_with_relations(), slug=slug)
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "names": [
                NameRow(
                    name=name.name,
                    language=name.language,
                    language_label=_language_label(name.language),
                    is_official=name.is_official,
                )
                for name in organisation.names.all()
            ],
            "parent_links": list(organisation.parent_links.all()),
            "child_groups": _child_groups(organisation),
            "predecessors": [
                HistoryRow(body=link.predecessor, date=link.date)
                for link in organisation.predecessor_links.all()
            ],
            "successors": [
                HistoryRow(body=link.successor, date=link.date)
                for link in organisation.successor_links.all()
            ],
            "json_ld_script": json_ld_script(_json_ld(organisation, request)),
        },
    )


@dataclass(frozen=True)
class HistoryRow:
    body: Organisation
    date: dt.date | None


@dataclass(frozen=True)
class NameRow:
    name: str
    language: str
    language_label: str
    is_official: bool


def _language_label(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


# Headings for a body's children, by how each child is linked to it.
CHILD_GROUP_LABELS: dict[str, Promise] = {
    ParentRelation.COUNTY: _("Districts in this county"),
    ParentRelation.COMBINED_AUTHORITY: _("Members of this combined authority"),
    ParentRelation.PARENT_ORGANISATION: _("Bodies it is responsible for"),
}


@dataclass(frozen=True)
class ChildGroup:
    label: str
    links: list[ParentLink]


def _child_groups(organisation: Organisation) -> list[ChildGroup]:
    groups: dict[str, list[ParentLink]] = {}
    for link in organisation.child_links.all():
        groups.setdefault(link.relation, []).append(link)
    return [
        ChildGroup(label=str(CHILD_GROUP_LABELS.get(relation, relation)), links=links)
        for relation, links in groups.items()
    ]


def _json_ld(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    """schema.org GovernmentOrganization, from the prefetched relations (no further queries)."""

    def reference(other: Organisation) -> dict[str, str]:
        return {
            "@type": "GovernmentOrganization",
            "name": other.name,
            "url": request.build_absolute_uri(other.get_absolute_url()),
        }

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "@id": request.build_absolute_uri(organisation.get_absolute_url()),
        "name": organisation.name,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
        "identifier": [
            {
                "@type": "PropertyValue",
                "propertyID": identifier.scheme,
                "name": identifier.get_scheme_display(),
                "value": identifier.value,
            }
            for identifier in organisation.identifiers.all()
        ],
    }
    aliases = sorted({name.name for name in organisation.names.all()} - {organisation.name})
    if organisation.short_name and organisation.short_name != organisation.name:
        aliases = [organisation.short_name, *(a for a in aliases if a != organisation.short_name)]
    if aliases:
        data["alternateName"] = aliases
    if organisation.website:
        data["sameAs"] = organisation.website
    if organisation.start_date:
        data["foundingDate"] = organisation.start_date.isoformat()
    if organisation.end_date:
        data["dissolutionDate"] = organisation.end_date.isoformat()
    if organisation.nation:
        data["areaServed"] = organisation.region or organisation.nation
    parents = [link.parent for link in organisation.parent_links.all()]
    if parents:
        data["parentOrganization"] = [reference(parent) for parent in parents]
    children = [link.child for link in organisation.child_links.all()]
    if children:
        data["subOrganization"] = [reference(child) for child in children]
    return data
