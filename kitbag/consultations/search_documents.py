"""What a consultation looks like to the search index: its title, summary and document text.

Facet names are the filters of the list page and the API: organisation (slug), status, service
(LGSL code) and year (of opening). Drafts are indexed as not public, so no public search finds
them; shown comments are not indexed (the list searches documents, not what people said).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from kitbag.consultations.models import Consultation, ConsultationStatus

DOC_TYPE = "consultation"
FACETS = ("organisation", "status", "service", "year")


@dataclass(frozen=True)
class ConsultationDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True
    # Where a hit links to: the site-wide search reads it with the text.
    url: str = ""


def document_for(consultation: Consultation) -> ConsultationDocument:
    latest = (
        consultation.versions.filter(published_at__isnull=False).order_by("-number").first()
        or consultation.versions.order_by("-number").first()
    )
    text = "\n\n".join(p.text for p in latest.paragraphs.all()) if latest else ""
    services = list(consultation.services.all())
    opened = consultation.opens_at or consultation.created_at
    return ConsultationDocument(
        title=consultation.title,
        body="\n\n".join(part for part in (consultation.summary, text) if part),
        extra=" ".join(
            [
                consultation.organisation.name,
                consultation.consulted,
                consultation.keywords,
                *(service.label for service in services),
            ]
        ),
        facets={
            "organisation": [consultation.organisation.slug],
            "status": [consultation.status],
            "service": [service.code for service in services],
            "year": [str(opened.year)] if opened else [],
        },
        sort_date=opened.date() if opened else None,
        is_public=consultation.status != ConsultationStatus.DRAFT,
        url=consultation.get_absolute_url(),
    )


def consultation_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of consultations whose documents were written without one (before decision 0047)."""
    pks = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {
        str(pk): reverse("consultations:consultation_detail", args=[slug])
        for pk, slug in Consultation.objects.filter(pk__in=pks).values_list("pk", "slug")
    }
