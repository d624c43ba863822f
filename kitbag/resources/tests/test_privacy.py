"""A resource known only through a private bookmark is its owner's alone, on every channel: the
list, its page, the tag page, the tag feed, the API list and detail, and search. A private
recommendation's reason and tags never show on a public resource either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.accounts.tests.factories import UserFactory
from kitbag.resources import services
from kitbag.resources.models import Recommendation, Resource
from kitbag.resources.permissions import visible_recommendations, visible_resources
from kitbag.search.queries import search

pytestmark = pytest.mark.django_db

SECRET = "https://example.org/secret-plan"
SHARED = "https://example.org/shared-guide"


@pytest.fixture
def people() -> dict[str, User | None]:
    return {
        "owner": UserFactory.create(),
        "other": UserFactory.create(),
        "staff": UserFactory.create(is_staff=True),
        "anonymous": None,
    }


@pytest.fixture
def library(people: dict[str, Any]) -> dict[str, Resource]:
    owner, other = people["owner"], people["other"]
    secret = services.recommend(
        person=owner,
        url=SECRET,
        title="Secret plan",
        why="hush-reason",
        tags=["hush-tag"],
        is_private=True,
    )
    shared = services.recommend(person=other, url=SHARED, title="Shared guide", tags=["guides"])
    # The owner's private note on a public resource stays theirs.
    services.recommend(
        person=owner,
        url=SHARED,
        title="Shared guide",
        why="private-note",
        tags=["hush-tag"],
        is_private=True,
    )
    return {"secret": secret, "shared": shared}


def _client(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _channels(client: Client, secret: Resource) -> dict[str, bool]:
    """For each channel, whether the secret resource (or its words) came through."""
    list_page = client.get("/resources/")
    searched = client.get("/resources/", {"q": "secret"})
    detail = client.get(f"/resources/{secret.pk}/")
    tag_page = client.get("/resources/tags/hush-tag/")
    feed = client.get("/resources/tags/hush-tag/feed.atom")
    api_list = client.get("/api/v1/resources")
    api_tag = client.get("/api/v1/resources", {"tag": "hush-tag"})
    api_detail = client.get(f"/api/v1/resources/{secret.pk}")
    return {
        "list page": SECRET in list_page.content.decode(),
        "list search": SECRET in searched.content.decode(),
        "page": detail.status_code == 200,
        "tag page": tag_page.status_code == 200 and SECRET in tag_page.content.decode(),
        "tag feed": feed.status_code == 200 and SECRET in feed.content.decode(),
        "api list": SECRET in [r["url"] for r in api_list.json()["results"]],
        "api tag": SECRET in [r["url"] for r in api_tag.json()["results"]],
        "api detail": api_detail.status_code == 200,
    }


@pytest.mark.parametrize("who", ["other", "staff", "anonymous"])
def test_a_private_only_resource_reaches_nobody_else_on_any_channel(
    who: str, people: dict[str, Any], library: dict[str, Resource]
) -> None:
    client = _client(people[who])
    assert not any(_channels(client, library["secret"]).values())
    assert not can(people[who], "view", library["secret"])
    assert library["secret"] not in visible_resources(people[who])


def test_its_owner_sees_it_on_every_channel_but_the_public_feed(
    people: dict[str, Any], library: dict[str, Resource]
) -> None:
    seen = _channels(_client(people["owner"]), library["secret"])
    # A feed is fetched by readers without signing in: public resources only, for everyone.
    assert seen == {
        "list page": True,
        "list search": True,
        "page": True,
        "tag page": True,
        "tag feed": False,
        "api list": True,
        "api tag": True,
        "api detail": True,
    }


def test_search_never_finds_a_private_only_resource(library: dict[str, Resource]) -> None:
    for public_only in (True, False):
        found = search(query="secret plan", doc_type="resource", public_only=public_only)
        assert [h.object_id for h in found.hits] == []
    found = search(query="shared guide", doc_type="resource")
    assert [h.object_id for h in found.hits] == [str(library["shared"].pk)]
    assert search(query="private-note", doc_type="resource").total == 0
    assert search(query="hush", doc_type="resource").total == 0


@pytest.mark.parametrize("who", ["other", "staff", "anonymous"])
def test_a_private_note_on_a_public_resource_shows_to_nobody_else(
    who: str, people: dict[str, Any], library: dict[str, Resource]
) -> None:
    client = _client(people[who])
    shared = library["shared"]
    page = client.get(f"/resources/{shared.pk}/").content.decode()
    assert "Shared guide" in page
    assert "private-note" not in page and "hush-tag" not in page
    api = client.get(f"/api/v1/resources/{shared.pk}").json()
    assert api["tags"] == ["guides"]
    assert [r["why"] for r in api["recommendations"]] == [""]
    assert client.get("/resources/tags/hush-tag/").status_code == 404
    assert "hush-tag" not in client.get("/resources/").content.decode()
    private = Recommendation.objects.get(resource=shared, is_private=True)
    assert not can(people[who], "view", private)
    assert private not in visible_recommendations(people[who])


def test_the_owner_sees_their_private_note_marked_private(
    people: dict[str, Any], library: dict[str, Resource]
) -> None:
    page = _client(people["owner"]).get(f"/resources/{library['shared'].pk}/").content.decode()
    assert "private-note" in page
    assert "Private" in page


def test_recommenders_are_named_only_by_a_public_profile(
    people: dict[str, Any], library: dict[str, Resource]
) -> None:
    from kitbag.accounts.models import Profile

    other = people["other"]
    Profile.objects.update_or_create(user=other, defaults={"display_name": "Sam Example"})
    page = Client().get(f"/resources/{library['shared'].pk}/").content.decode()
    assert "Sam Example" not in page and "A Kitbag member" in page
    Profile.objects.filter(user=other).update(is_public=True)
    page = Client().get(f"/resources/{library['shared'].pk}/").content.decode()
    assert "Sam Example" in page
    assert other.email not in page
