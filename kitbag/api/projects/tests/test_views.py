"""/api/v1/projects: visible_to the reader like the pages, paginated, filtered, and one project."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from kitbag.performance.models import Visibility
from kitbag.projects import services
from kitbag.projects.tests.world import add_slipped_milestone, make_project, make_world

pytestmark = pytest.mark.django_db


def test_the_list_answers_only_what_the_reader_may_see() -> None:
    world = make_world()
    for visibility in Visibility.values:
        make_project(world, visibility=visibility, title=f"Project {visibility}")
    expectations = {
        None: ["Project public"],
        world.outsider: ["Project public"],
        world.partner_member: ["Project partners", "Project public"],
        world.owner_member: ["Project organisation", "Project partners", "Project public"],
    }
    for user, titles in expectations.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        body = client.get("/api/v1/projects").json()
        assert body["count"] == len(titles)
        assert [p["title"] for p in body["results"]] == titles


def test_one_project_is_a_404_for_a_reader_who_may_not_see_it() -> None:
    world = make_world()
    project = make_project(world, visibility=Visibility.ORGANISATION)
    assert Client().get(f"/api/v1/projects/{project.slug}").status_code == 404
    client = Client()
    client.force_login(world.owner_member)
    assert client.get(f"/api/v1/projects/{project.slug}").status_code == 200


def test_a_project_carries_its_computed_rating_and_the_override() -> None:
    world = make_world()
    project = make_project(world, rag_override="green", rag_override_reason="Signed today.")
    add_slipped_milestone(project, days_late=60)
    body = Client().get(f"/api/v1/projects/{project.slug}").json()
    assert body["rating"]["computed"] == "red"
    assert body["rating"]["shown"] == "green"
    assert body["rating"]["override_reason"] == "Signed today."
    assert body["outcomes"] == ["older-people"]
    assert body["milestones"][0]["done_on"] is None


def test_the_filters_are_the_pages() -> None:
    world = make_world()
    make_project(world, title="Priority", is_priority=True)
    make_project(world, title="Paused", status="paused")
    assert [p["title"] for p in Client().get("/api/v1/projects?priority=1").json()["results"]] == [
        "Priority"
    ]
    assert Client().get("/api/v1/projects?status=paused").json()["count"] == 1
    assert Client().get("/api/v1/projects?status=nonsense").status_code == 400


def test_the_list_makes_a_fixed_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    world = make_world()
    make_project(world)
    client = Client()
    client.get("/api/v1/projects")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/projects")
    for n in range(10):
        add_slipped_milestone(make_project(world, title=f"More {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/projects").json()["count"] == 11


def test_a_combined_project_names_the_one_it_went_into_only_to_who_may_see_that_one() -> None:
    world = make_world()
    kept = make_project(world, visibility=Visibility.ORGANISATION, title="Kept")
    combined = make_project(world, visibility=Visibility.PUBLIC, title="Combined")
    services.combine_projects(keep=kept, other=combined, reason="Same.", by=world.owner_member)
    member = Client()
    member.force_login(world.owner_member)
    body = member.get(f"/api/v1/projects/{combined.slug}").json()
    assert body["combined_into"] == kept.slug
    assert member.get(f"/api/v1/projects/{kept.slug}").json()["combined_into"] is None
    # In no list; to the public the kept project is unknown, so it is not named.
    assert [p["title"] for p in member.get("/api/v1/projects").json()["results"]] == ["Kept"]
    assert Client().get(f"/api/v1/projects/{combined.slug}").json()["combined_into"] is None
    assert Client().get("/api/v1/projects").json()["count"] == 0
    # The page, likewise: the member is sent on; the public sees it kept as it was.
    assert member.get(combined.get_absolute_url()).status_code == 302
    page = Client().get(combined.get_absolute_url()).content.decode()
    assert "combined into another project, owned by Mid Devon District Council" in page
    assert kept.slug not in page
