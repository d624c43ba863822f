"""What a project looks like to the search index and to the similarity service.

Only public projects are indexed as public; the others are indexed (so that they are embedded
and can be found as duplicates) but no public search shows them, and the duplicate finder
discloses them only as "a similar project owned by X" (services.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from kitbag.performance.models import Visibility
from kitbag.projects.models import Project
from kitbag.search.services import index_document, remove_document
from kitbag.semantic.services import embed_objects_soon

DOC_TYPE = "project"


def text_of(project: Project) -> str:
    return f"{project.title}. {project.description}"


def reindex(project: Project) -> None:
    if project.combined_into_id is not None:
        # Combined into another: found through the one that stayed, never on its own.
        unindex(project.pk)
        return
    index_document(
        doc_type=DOC_TYPE,
        object_id=str(project.pk),
        title=project.title,
        body=project.description,
        extra=" ".join(
            [project.owner_organisation.name, *(s.label for s in project.services.all())]
        ),
        facets={
            "organisation": [project.owner_organisation.slug],
            "status": [project.status],
            "service": [s.code for s in project.services.all()],
        },
        sort_date=project.start_on,
        is_public=project.visibility == Visibility.PUBLIC,
        url=project.get_absolute_url(),
    )
    embed_objects_soon(doc_type=DOC_TYPE, object_ids=[str(project.pk)])


def unindex(project_id: int) -> None:
    remove_document(doc_type=DOC_TYPE, object_id=str(project_id))


def project_links(object_ids: Sequence[str]) -> dict[str, str]:
    """Paths of projects whose documents were written without one."""
    pks = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {
        str(pk): reverse("projects:project_detail", kwargs={"slug": slug})
        for pk, slug in Project.objects.filter(pk__in=pks).values_list("pk", "slug")
    }
