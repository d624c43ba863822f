"""CSV and JSON downloads of any case search: one row per case, with stable column names.

The columns are a contract with everyone who scripts against the files (IPS-X style): add new ones
at the end, never rename or reorder. Lists are lists in JSON and "; "-joined in CSV; codes and their
labels have a column each, so a file can be filtered by code and read by a person. The files are
written by kitbag/core/downloads.py, which also keeps spreadsheets from running cells as formulas.
"""

from __future__ import annotations

from typing import Any

from kitbag.cases.facet_labels import nation_label
from kitbag.cases.models import Case
from kitbag.cases.search_documents import nation, nations, organisation_type
from kitbag.vocabularies.models import Code

DOWNLOAD_FIELDS = (
    "id",
    "slug",
    "url",
    "title",
    "summary",
    "record_type",
    "record_status",
    "lead_organisation",
    "lead_organisation_slug",
    "organisation_type",
    "nation",
    "service_codes",
    "services",
    "function_codes",
    "functions",
    "sector_code",
    "sector",
    "phase",
    "operational_status",
    "evidence_level",
    "outcome",
    "technologies",
    "start_year",
    "end_year",
    "geographic_extent",
    "area_codes",
    "adopters",
    "published_at",
    "last_confirmed_at",
    "updated_at",
    "source",
    "source_url",
    "identifiers",
    "licence",
    # Added for decision 0036: the nation or country by name, as the pages show it, and every
    # value of the nation filter that finds the case.
    "country",
    "nations",
)


def _code(code: Code | None) -> str:
    return code.code if code else ""


def _label(code: Code | None) -> str:
    return code.label if code else ""


def download_row(case: Case, *, base_url: str) -> dict[str, Any]:
    """One case as a dict of DOWNLOAD_FIELDS. Expects queries.matching_cases' prefetches."""
    services = list(case.services.all())
    functions = list(case.functions.all())
    return {
        "id": str(case.uuid),
        "slug": case.slug,
        "url": base_url.rstrip("/") + case.get_absolute_url(),
        "title": case.title,
        "summary": case.summary,
        "record_type": case.record_type,
        "record_status": case.status,
        "lead_organisation": case.lead_name,
        "lead_organisation_slug": case.lead_organisation.slug if case.lead_organisation else "",
        "organisation_type": organisation_type(case),
        "nation": nation(case),
        "service_codes": [service.code for service in services],
        "services": [service.label for service in services],
        "function_codes": [function.code for function in functions],
        "functions": [function.label for function in functions],
        "sector_code": _code(case.sector),
        "sector": _label(case.sector),
        "phase": _code(case.phase),
        "operational_status": _code(case.operational_status),
        "evidence_level": _code(case.evidence_level),
        "outcome": _code(case.outcome),
        "technologies": [technology.code for technology in case.technologies.all()],
        "start_year": case.start_year,
        "end_year": case.end_year,
        "geographic_extent": case.geographic_extent,
        "area_codes": list(case.area_codes or []),
        "adopters": len(case.adoptions.all()),
        "published_at": case.published_at,
        "last_confirmed_at": case.last_confirmed_at,
        "updated_at": case.updated_at,
        "source": case.source,
        "source_url": case.source_url,
        "identifiers": [f"{i.scheme}:{i.value}" for i in case.identifiers.all()],
        "licence": case.licence,
        "country": nation_label(nation(case)) if nation(case) else "",
        "nations": nations(case),
    }
