"""A resource made public reaches the followers of its public tags (kitbag/resources/happenings.py);
tags (shared with events) and resources are followable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kitbag.accounts.tests.factories import UserFactory
from kitbag.follows import queries as follow_queries
from kitbag.follows import services as follow_services
from kitbag.follows.models import StoredHappening
from kitbag.resources import happenings, services
from kitbag.resources.models import Resource

pytestmark = pytest.mark.django_db

URL = "https://www.gov.uk/service-manual"


def _keys(happening: StoredHappening) -> list[str]:
    return sorted(happening.concerns.values_list("key", flat=True))


def test_a_new_public_resource_is_announced_to_its_tags() -> None:
    services.recommend(
        person=UserFactory.create(),
        url=URL,
        title="Service Manual",
        tags=["Service design", "GOV.UK"],
    )
    resource = Resource.objects.get()
    happening = StoredHappening.objects.get()
    assert happening.kind == "resource-public"
    assert happening.title == "New in the resource library: Service Manual"
    assert happening.url == resource.get_absolute_url()
    assert _keys(happening) == ["tag:gov.uk", "tag:service-design"]
    assert (happening.visible_through_kind, happening.visible_through_id) == (
        "resource",
        resource.pk,
    )


def test_a_private_bookmark_is_announced_only_when_first_made_public() -> None:
    person = UserFactory.create()
    services.recommend(person=person, url=URL, title="Manual", tags=["guides"], is_private=True)
    assert not StoredHappening.objects.exists()
    services.recommend(person=person, url=URL, title="Manual", tags=["guides"], is_private=False)
    assert [h.kind for h in StoredHappening.objects.all()] == ["resource-public"]
    # Someone else recommending a link already public announces nothing new.
    services.recommend(person=UserFactory.create(), url=URL, title="Manual", tags=["other"])
    assert StoredHappening.objects.count() == 1


def test_the_tags_of_private_recommendations_are_never_announced() -> None:
    services.recommend(
        person=UserFactory.create(), url=URL, title="M", tags=["secret-project"], is_private=True
    )
    services.recommend(person=UserFactory.create(), url=URL, title="M", tags=["open-data"])
    assert _keys(StoredHappening.objects.get()) == ["tag:open-data"]


def test_a_tag_follower_sees_the_resource_until_it_is_no_longer_public() -> None:
    follower = UserFactory.create()
    stranger = UserFactory.create()
    follow_services.follow(user=follower, key="tag:open-data")
    recommender = UserFactory.create()
    services.recommend(person=recommender, url=URL, title="Open data", tags=["open-data"])
    assert [h.kind for h in follow_queries.happenings_for(follower)] == ["resource-public"]
    assert list(follow_queries.happenings_for(stranger)) == []

    services.forget_recommendation(person=recommender, resource=Resource.objects.get())
    assert list(follow_queries.happenings_for(follower)) == []


def test_a_large_import_announces_once_per_tag_not_once_per_link() -> None:
    count = happenings.ONE_EACH_UP_TO + 2
    links = "\n".join(
        f'<DT><A HREF="https://example.org/{n}" TAGS="guides{",security" if n % 2 else ""}">'
        f"Link {n}</A>"
        for n in range(count)
    )
    data = f"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n{links}\n</DL><p>\n".encode()
    services.import_bookmark_file(data=data, owner=UserFactory.create(), location="test")
    found = [(h.kind, h.title, _keys(h)) for h in StoredHappening.objects.order_by("pk")]
    assert found == [
        ("resources-public", f"{count} new resources tagged guides", ["tag:guides"]),
        ("resources-public", f"{count // 2} new resources tagged security", ["tag:security"]),
    ]


def test_a_tag_is_followed_only_in_its_one_spelling_and_named_by_its_page() -> None:
    person = UserFactory.create()
    with pytest.raises(ValidationError):
        follow_services.follow(user=person, key="tag:Open Data")
    follow_services.follow(user=person, key="tag:open-data")
    assert [(f.key, f.name, f.url) for f in follow_queries.followed_things(person)] == [
        ("tag:open-data", "open-data", "/resources/tags/open-data/")
    ]


def test_the_tag_page_has_a_follow_button() -> None:
    services.recommend(person=UserFactory.create(), url=URL, title="Manual", tags=["guides"])
    client = Client()
    client.force_login(UserFactory.create())
    assert 'value="tag:guides"' in client.get("/resources/tags/guides/").content.decode()
    assert "Sign in to follow this" in Client().get("/resources/tags/guides/").content.decode()
