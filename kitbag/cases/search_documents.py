"""What a case looks like to the search index: its title, text, lower-weight text and facets.

`document_for(case)` is the one place that decides which fields are searched with which weight and
which facet values a case has; `services.reindex_case` writes it, and `index_cases_in_bulk` for
cases that have no document yet (bulk loads). Facet names are the filter names
the case list page, the API, downloads and feeds take.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from kitbag.cases.facet_labels import UK_NATIONS, UNITED_KINGDOM
from kitbag.cases.models import Case
from kitbag.registry.models import OrganisationKind
from kitbag.search.services import index_new_documents
from kitbag.semantic.services import embed_objects_soon

DOC_TYPE = "case"

# Facet names, in the order the filters are shown.
FACETS = (
    "function",
    "service",
    "sector",
    "phase",
    "status",
    "evidence",
    "outcome",
    "nation",
    "organisation_type",
    "technology",
    "year",
)
# Facets used for filtering but not shown as a filter list.
HIDDEN_FACETS = ("organisation", "source", "record_status")


@dataclass(frozen=True)
class CaseDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True
    # Where a hit links to: the site-wide search reads it with the text.
    url: str = ""


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def organisation_type(case: Case) -> str:
    """The lead's kind from the registry, else the source's category folded to a slug."""
    if case.lead_organisation is not None:
        return case.lead_organisation.kind
    category = case.lead_organisation_category.strip().lower()
    return "-".join(category.replace("_", " ").split()) if category else ""


# A UK-wide body's cases are found under "United Kingdom" (UNITED_KINGDOM) and every nation
# (decision 0036); every other UK case has it beside its own nation, so one tick finds every UK
# case.
UK_COUNTRY_CODE = "GB"
# A central government body with no nation in the registry is UK-wide unless its name says it
# belongs to one nation (the devolved governments and their agencies).
_NATION_IN_NAME = (
    ("Wales", re.compile(r"\b(?:Wales|Welsh|Cymru)\b", re.I)),
    ("Scotland", re.compile(r"\b(?:Scotland|Scottish)\b", re.I)),
    ("Northern Ireland", re.compile(r"\bNorthern Ireland\b", re.I)),
)


def nation(case: Case) -> str:
    """The nation or country a case belongs to, as a value of the nation filter: a UK nation,
    "United Kingdom" for a UK-wide body (or a UK lead the registry does not place), or
    "country-xx" for another country; "" when nothing says."""
    lead = case.lead_organisation
    if lead is not None:
        if lead.nation:
            return lead.nation
        for name, pattern in _NATION_IN_NAME:
            if pattern.search(lead.name):
                return name
        return UNITED_KINGDOM
    if case.country_code == UK_COUNTRY_CODE:
        return UNITED_KINGDOM
    if case.country_code:
        return f"country-{case.country_code.lower()}"
    return ""


def is_uk_wide(case: Case) -> bool:
    """Led by a central government body the registry places in no one nation."""
    lead = case.lead_organisation
    return (
        lead is not None
        and lead.kind == OrganisationKind.CENTRAL_GOVERNMENT
        and nation(case) == UNITED_KINGDOM
    )


def nations(case: Case) -> list[str]:
    """Every value of the nation filter that finds the case: a UK nation's case is also a UK
    case, and a UK-wide body's case is found under each nation as well as under its own."""
    own = nation(case)
    if own in UK_NATIONS:
        return [own, UNITED_KINGDOM]
    if own == UNITED_KINGDOM and is_uk_wide(case):
        return [UNITED_KINGDOM, *UK_NATIONS]
    return [own] if own else []


def own_place(values: Iterable[str]) -> frozenset[str]:
    """What similarity compares of a case's nation filter values (as stored: sorted): its own
    nation or country. "United Kingdom" says nothing either way there (a UK-wide body's case is
    as near an English case as a Welsh one), so it is left out, as a blank nation was before."""
    return frozenset(values) - {UNITED_KINGDOM} if len(set(values)) <= 2 else frozenset()


def sort_date(case: Case) -> dt.date | None:
    if case.published_at is not None:
        return case.published_at.date()
    if case.start_year:
        return dt.date(case.start_year, 1, 1)
    return case.created_at.date() if case.created_at else None


def document_for(case: Case) -> CaseDocument:
    """Expects `services`, `functions__parent`, `technologies`, `partners__organisation` and
    `products` prefetched."""
    services = list(case.services.all())
    functions = list(case.functions.all())
    technologies = list(case.technologies.all())
    partners = [partner.name for partner in case.partners.all()]
    products = [product.name for product in case.products.all()]
    body = _join(
        case.summary,
        case.problem,
        case.what_was_done,
        case.results,
        case.what_did_not_work,
        case.conditions_for_success,
        case.what_to_adapt,
        case.lessons,
    )
    extra = " ".join(
        part
        for part in (
            case.lead_name,
            *partners,
            *(service.label for service in services),
            *(function.label for function in functions),
            case.sector.label if case.sector else "",
            *(technology.label for technology in technologies),
            case.innovation_type,
            *products,
            case.area_description,
        )
        if part
    )
    facets: dict[str, list[str]] = {
        "service": [service.code for service in services],
        # A function counts for its parent area too, so browsing "Advice and benefits" finds
        # cases filed under "Benefits".
        "function": sorted(
            {function.code for function in functions}
            | {function.parent.code for function in functions if function.parent}
        ),
        "sector": [case.sector.code] if case.sector else [],
        "phase": [case.phase.code] if case.phase else [],
        "status": [case.operational_status.code] if case.operational_status else [],
        "evidence": [case.evidence_level.code] if case.evidence_level else [],
        "outcome": [case.outcome.code] if case.outcome else [],
        "nation": nations(case),
        "organisation_type": [organisation_type(case)],
        "technology": [technology.code for technology in technologies],
        "year": [str(case.start_year)] if case.start_year else [],
        "organisation": [case.lead_organisation.slug] if case.lead_organisation else [],
        "source": [case.source],
        "record_status": [case.status],
    }
    return CaseDocument(
        title=case.title,
        body=body,
        extra=extra,
        facets={name: values for name, values in facets.items() if any(values)},
        sort_date=sort_date(case),
        is_public=case.is_public,
        url=case.get_absolute_url(),
    )


def case_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of cases whose documents were written without one (before decision 0047)."""
    pks = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {
        str(pk): reverse("cases:case_detail", kwargs={"slug": slug})
        for pk, slug in Case.objects.filter(pk__in=pks).values_list("pk", "slug")
    }


def cases_for_indexing(pks: Iterable[int]) -> QuerySet[Case]:
    """The cases with every related row `document_for` reads, so it makes no query of its own."""
    return (
        Case.objects.filter(pk__in=list(pks))
        .select_related(
            "lead_organisation",
            "sector",
            "phase",
            "operational_status",
            "evidence_level",
            "outcome",
        )
        .prefetch_related(
            "services", "functions__parent", "technologies", "partners__organisation", "products"
        )
        .order_by("pk")
    )


def index_cases_in_bulk(*, pks: Iterable[int]) -> int:
    """Write the search documents of cases that have none yet; returns how many."""
    documents = [(str(case.pk), document_for(case)) for case in cases_for_indexing(pks)]
    index_new_documents(doc_type=DOC_TYPE, documents=documents)
    embed_objects_soon(doc_type=DOC_TYPE, object_ids=[key for key, _ in documents])
    return len(documents)
