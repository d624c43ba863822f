"""What a partnership looks like to the search index, so the site-wide search can find it.

Only a partnership the public may see is indexed as public: visibility public and no embargo
still running. One whose embargo ends later stays out of public search until it is next written
(a gap noted in the README). Facets: organisation (members' slugs, current members only).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone

from kitbag.performance.models import Partnership, Visibility
from kitbag.search.services import index_document

DOC_TYPE = "partnership"


def is_public(partnership: Partnership) -> bool:
    embargoed = partnership.embargo_until is not None and partnership.embargo_until > timezone.now()
    return partnership.visibility == Visibility.PUBLIC and not embargoed


def reindex_partnership(partnership: Partnership) -> None:
    members = list(
        partnership.members.filter(left_on__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    outcomes = list(partnership.outcomes.order_by("title").values_list("title", flat=True))
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(partnership.pk),
        title=partnership.name,
        body="\n\n".join(part for part in (partnership.description, *outcomes) if part),
        extra=" ".join(
            part
            for part in (
                partnership.area_description,
                *(member.organisation.name for member in members),
            )
            if part
        ),
        facets={"organisation": [member.organisation.slug for member in members]},
        sort_date=timezone.localtime(partnership.created_at).date()
        if partnership.created_at
        else None,
        is_public=is_public(partnership),
        url=reverse("performance:partnership_detail", kwargs={"slug": partnership.slug}),
    )


def partnership_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of partnerships whose documents were written without one."""
    pks = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {
        str(pk): reverse("performance:partnership_detail", kwargs={"slug": slug})
        for pk, slug in Partnership.objects.filter(pk__in=pks).values_list("pk", "slug")
    }
