"""What an event looks like to the search index, so site-wide search can find events.

Facet names are the filters of the list page and the API: kind, nation, region, service (LGSL
code), tag, series, organisation (slug) and status. A draft is indexed as not public: its
organisers find it in the site-wide search (kitbag/search/kinds.py, `viewer_objects`), no one
else does. Attendees are never indexed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone

from kitbag.events.models import Event
from kitbag.search.services import index_document

DOC_TYPE = "event"


def reindex(event: Event) -> None:
    services = list(event.services.all())
    tags = [tag.name for tag in event.tags.all()]
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(event.pk),
        title=event.title,
        body=event.summary,
        extra=" ".join(
            part
            for part in (
                event.organised_by,
                event.series.name if event.series else "",
                event.region,
                *(service.label for service in services),
                *tags,
            )
            if part
        ),
        facets={
            "kind": [event.kind],
            "nation": [event.nation] if event.nation else [],
            "region": [event.region] if event.region else [],
            "service": [service.code for service in services],
            "tag": tags,
            "series": [event.series.slug] if event.series else [],
            "organisation": [event.organisation.slug] if event.organisation else [],
            "status": [event.status],
        },
        sort_date=timezone.localtime(event.starts_at).date(),
        is_public=not event.is_draft,
        url=event.get_absolute_url(),
    )


def event_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of events whose documents were written without one (before decision 0047)."""
    pks = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {
        str(pk): reverse("events:event_detail", kwargs={"slug": slug})
        for pk, slug in Event.objects.filter(pk__in=pks).values_list("pk", "slug")
    }
