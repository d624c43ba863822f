"""Projects through the shared similarity service: written projects are embedded after the
commit, and the duplicate check reads their vectors' cosine instead of the words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from kitbag.projects import queries, services
from kitbag.projects.models import DuplicateSuggestion
from kitbag.projects.tests.test_services import details
from kitbag.projects.tests.world import make_world
from kitbag.semantic import queries as semantic_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashing() -> Iterator[None]:
    with override_settings(KITBAG_SEMANTIC="hashing"):
        semantic_queries.forget_matrices()
        yield
    semantic_queries.forget_matrices()


@pytest.mark.usefixtures("hashing")
def test_written_projects_are_embedded_and_compared_by_meaning(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.create_project(details=details(world), by=world.owner_member)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.create_project(
            details=details(world, title="Falls prevention visits at home"),
            by=world.owner_member,
        )
    vectors = queries.project_vectors([first.pk, second.pk])
    assert set(vectors) == {first.pk, second.pk}
    suggestion = DuplicateSuggestion.objects.get()
    assert suggestion.found_by == "writing"
    assert suggestion.reasons[0] == "similar description"
