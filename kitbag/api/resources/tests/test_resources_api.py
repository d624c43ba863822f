"""GET /api/v1/resources and /api/v1/resources/<id>: the shape, the tag filter, pages like every
list, a fixed number of queries, and what a signed-in reader sees that others do not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.accounts.services.tokens import create_token
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases.tests.factories import CaseFactory
from kitbag.resources import services

pytestmark = pytest.mark.django_db


def _library(count: int) -> None:
    people = [UserFactory.create() for _ in range(3)]
    for i in range(count):
        services.recommend(
            person=people[i % 3],
            url=f"https://example.org/{i}",
            title=f"Resource {i}",
            tags=["guides" if i % 2 else "tools", "all"],
        )


def test_the_list_is_paginated_with_url_title_and_tags() -> None:
    _library(3)
    body = Client().get("/api/v1/resources").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    first = body["results"][0]
    assert first["url"] == "https://example.org/2"
    assert first["title"] == "Resource 2"
    assert first["tags"] == ["all", "tools"]
    assert first["page_url"].endswith(f"/resources/{first['id']}/")
    assert first["api_url"].endswith(f"/api/v1/resources/{first['id']}")
    assert first["link_state"] == "unchecked"


def test_the_tag_filter_and_pages() -> None:
    _library(5)
    client = Client()
    tagged = client.get("/api/v1/resources", {"tag": "Guides"}).json()
    assert [r["title"] for r in tagged["results"]] == ["Resource 3", "Resource 1"]
    page = client.get("/api/v1/resources", {"page_size": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2
    assert page["next"].endswith("page=2&page_size=2") or "page=2" in page["next"]
    assert client.get("/api/v1/resources", {"page": 9}).status_code == 404
    assert client.get("/api/v1/resources", {"page_size": "x"}).status_code == 400


@pytest.mark.parametrize("count", [2, 30], ids=["few", "many"])
def test_the_list_makes_a_fixed_number_of_queries(
    count: int, django_assert_max_num_queries: Any
) -> None:
    _library(count)
    with django_assert_max_num_queries(6):
        assert Client().get("/api/v1/resources").status_code == 200


def test_one_resource_with_recommendations_and_uses(django_assert_max_num_queries: Any) -> None:
    person = UserFactory.create()
    resource = services.recommend(
        person=person, url="https://example.org/x", title="X", why="Useful", tags=["t"]
    )
    case = CaseFactory.create(title="The pilot")
    services.record_use(resource=resource, key=f"case:{case.uuid}", by=person)
    with django_assert_max_num_queries(8):
        body = Client().get(f"/api/v1/resources/{resource.pk}").json()
    assert body["url"] == "https://example.org/x"
    assert body["recommendations"] == [
        {
            "by": "A Kitbag member",
            "why": "Useful",
            "is_private": False,
            "is_yours": False,
            "tags": ["t"],
        }
    ]
    assert body["used_by"][0]["kind"] == "case"
    assert body["used_by"][0]["title"] == "The pilot"
    assert body["used_by"][0]["url"].startswith("http://testserver/cases/")
    assert Client().get("/api/v1/resources/999999").status_code == 404


def test_a_token_holder_sees_their_own_private_bookmarks() -> None:
    owner = UserFactory.create()
    services.recommend(
        person=owner, url="https://example.org/mine", title="Mine", is_private=True, tags=["t"]
    )
    _token, key = create_token(user=owner, name="script")
    mine = Client().get("/api/v1/resources", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [r["url"] for r in mine["results"]] == ["https://example.org/mine"]
    assert mine["results"][0]["is_public"] is False
    assert Client().get("/api/v1/resources").json()["count"] == 0


def test_the_list_says_what_used_each_resource_only_as_the_reader_may_see_it(
    django_assert_max_num_queries: Any,
) -> None:
    from kitbag.performance import services as performance_services
    from kitbag.registry.tests.factories import OrganisationFactory

    council = OrganisationFactory.create()
    coordinator = UserFactory.create(member_of=council)
    quiet = performance_services.create_partnership(
        name="Quiet Pact",
        description="",
        lead=council,
        coordinator=coordinator,
        visibility="partners",
    )
    for n in range(4):
        resource = services.recommend(
            person=coordinator, url=f"https://example.org/{n}", title=f"R{n}", tags=["t"]
        )
        services.record_use(resource=resource, key=f"case:{CaseFactory.create().uuid}", by=None)
        services.record_use(resource=resource, key=f"partnership:{quiet.pk}", by=None)
    with django_assert_max_num_queries(8):
        public = Client().get("/api/v1/resources").json()
    assert [[u["kind"] for u in r["used_by"]] for r in public["results"]] == [["case"]] * 4
    _token, key = create_token(user=coordinator, name="script")
    theirs = Client().get("/api/v1/resources", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [[u["kind"] for u in r["used_by"]] for r in theirs["results"]] == [
        ["case", "partnership"]
    ] * 4
    assert theirs["results"][0]["used_by"][1]["title"] == "Quiet Pact"
