"""What a project looks like to the search index and to the similarity service.

Only public projects are indexed as public; the others are indexed (so that they are embedded
and can be found as duplicates) but no public search shows them, and the duplicate finder
discloses them only as "a similar project owned by X" (services.py).
"""

from __future__ import annotations

from kitbag.performance.models import Visibility
from kitbag.projects.models import Project
from kitbag.search.services import index_document, remove_document
from kitbag.semantic.services import embed_objects_soon

DOC_TYPE = "project"


def text_of(project: Project) -> str:
    return f"{project.title}. {project.description}"


def reindex(project: Project) -> None:
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
    )
    embed_objects_soon(doc_type=DOC_TYPE, object_ids=[str(project.pk)])


def unindex(project_id: int) -> None:
    remove_document(doc_type=DOC_TYPE, object_id=str(project_id))
