"""Projects as things a person can follow (kitbag/core/happenings.py): only the projects the
person may see, by the projects' own rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy

from kitbag.core.happenings import Followable, register_followable
from kitbag.projects.models import Project
from kitbag.projects.permissions import visible_projects


def _describe_projects(identifiers: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    pks = [int(i) for i in identifiers if i.isdigit()]
    return {
        str(project.pk): (project.title, project.get_absolute_url())
        for project in Project.objects.filter(pk__in=pks).only("pk", "title", "slug")
    }


def register() -> None:
    register_followable(
        Followable(
            kind="project",
            label=gettext_lazy("Project"),
            describe=_describe_projects,
            visible=visible_projects,
        )
    )
