"""What an organisation looks like to the search index, for the site-wide search.

Every body in the registry is public. Its official name is the title; its other names (short
name, aliases, Welsh names) and codes are the lower-weight text, so "Cyngor Caerdydd" or
"E09000007" finds it; the body text says what kind of body it is and where. The registry's own
list keeps its name search (`queries.matching_name`, with the resolver); this is what finds bodies
beside cases and consultations.

The documents are made exactly the registry's after each `kitbag import-registry`
(`sync_organisation_documents`): new bodies in bulk, changed ones rewritten, nothing written when
nothing changed (decision 0047 says why organisations are indexed rather than searched by name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import override

from kitbag.registry.models import Organisation, OrganisationKind
from kitbag.search.services import SyncCounts, sync_documents

DOC_TYPE = "organisation"
FACETS = ("kind", "nation", "current")


@dataclass(frozen=True)
class OrganisationDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True
    url: str = ""


def document_for(organisation: Organisation) -> OrganisationDocument:
    """Expects `names` and `identifiers` prefetched (`organisations_for_indexing`)."""
    other_names = [name.name for name in organisation.names.all() if name.name != organisation.name]
    codes = sorted({identifier.value for identifier in organisation.identifiers.all()})
    # The index is written in one language whatever the request's: English, the registry's own.
    with override("en"):
        kind = str(OrganisationKind(organisation.kind).label) if organisation.kind else ""
    where = organisation.region or organisation.nation
    about = [part for part in (kind, organisation.classification_name, where) if part]
    if organisation.end_date is not None and not organisation.is_current:
        about.append(f"Closed {organisation.end_date.day} {organisation.end_date:%B %Y}")
    return OrganisationDocument(
        title=organisation.name,
        body=". ".join(about),
        extra=" ".join(
            dict.fromkeys(
                part
                for part in (organisation.short_name, *other_names, organisation.code, *codes)
                if part
            )
        ),
        facets={
            "kind": [organisation.kind],
            "nation": [organisation.nation] if organisation.nation else [],
            "current": ["current" if organisation.is_current else "former"],
        },
        url=organisation.get_absolute_url(),
    )


def sync_organisation_documents() -> SyncCounts:
    """Make the organisations' search documents the registry's, writing only what changed."""
    organisations = Organisation.objects.prefetch_related("names", "identifiers").order_by("pk")
    return sync_documents(
        doc_type=DOC_TYPE,
        documents=[
            (str(organisation.pk), document_for(organisation))
            for organisation in organisations.iterator(chunk_size=2000)
        ],
    )
