"""What a resource looks like to the search index: its title, what it is, why people recommend it.

Only public resources are indexed, and only from public recommendations (their reasons and
tags): a resource known only through private bookmarks has no search document at all, so no
search anywhere (the library's own or the site-wide one) can find it. Facet: tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from kitbag.resources.addresses import host_of
from kitbag.resources.models import Resource

DOC_TYPE = "resource"
FACETS = ("tag",)


@dataclass(frozen=True)
class ResourceDocument:
    title: str
    body: str
    extra: str
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_date: dt.date | None = None
    is_public: bool = True
    url: str = ""


def document_for(resource: Resource) -> ResourceDocument:
    """From a resource whose recommendations (with tags) are prefetched or loaded here."""
    public = [r for r in resource.recommendations.all() if not r.is_private]
    tags = sorted({tag.name for r in public for tag in r.tags.all()})
    return ResourceDocument(
        title=resource.title,
        body="\n\n".join(part for part in [resource.description, *(r.why for r in public)] if part),
        extra=" ".join([host_of(resource.url), *tags]),
        facets={"tag": tags},
        sort_date=resource.created_at.date() if resource.created_at else None,
        url=resource.get_absolute_url(),
    )


def reindex_resources(resource_ids: Iterable[int]) -> None:
    """Bring the index in line with these resources: public ones written, others taken out."""
    from kitbag.search.models import SearchDocument
    from kitbag.search.services import index_new_documents, remove_documents

    ids = sorted(set(resource_ids))
    if not ids:
        return
    resources = list(Resource.objects.filter(pk__in=ids).prefetch_related("recommendations__tags"))
    public = {str(r.pk): r for r in resources if r.is_public}
    indexed = set(
        SearchDocument.objects.filter(
            doc_type=DOC_TYPE, object_id__in=[str(i) for i in ids]
        ).values_list("object_id", flat=True)
    )
    gone = [str(i) for i in ids if str(i) not in public and str(i) in indexed]
    # A changed document is replaced: taken out and written again with the new ones, in bulk,
    # which is what index_document does one at a time (an import changes thousands at once).
    replaced = [pk for pk in public if pk in indexed]
    if gone or replaced:
        remove_documents(doc_type=DOC_TYPE, object_ids=gone + replaced)
    documents = [(pk, document_for(resource)) for pk, resource in public.items()]
    if documents:
        index_new_documents(doc_type=DOC_TYPE, documents=documents)


def resource_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of resources whose documents were written without one (before decision 0047)."""
    return {
        object_id: reverse("resources:detail", kwargs={"pk": int(object_id)})
        for object_id in object_ids
        if object_id.isdigit()
    }
