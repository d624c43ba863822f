"""GET /api/v1/events (paginated, the page's filters) and /api/v1/events/<slug>: attendees named
only with a public profile, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import Profile
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events.models import EventKind, SignUp, SignUpStatus
from kitbag.events.tests.factories import EventFactory, in_days
from kitbag.registry.models import Nation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_list_is_paginated_with_count_and_results() -> None:
    for _n in range(3):
        EventFactory.create()
    body = Client().get(reverse("api_event_list"), {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    first = body["results"][0]
    assert {"slug", "url", "title", "kind", "starts_at", "calendar_url"} <= set(first)


def test_the_list_filters_as_the_page_does() -> None:
    EventFactory.create(title="Gone", starts_at=in_days(-4), ends_at=in_days(-4, 17))
    EventFactory.create(title="Welsh", kind=EventKind.WORKSHOP, nation=Nation.WALES)
    EventFactory.create(title="Other")
    url = reverse("api_event_list")

    def titles(**params: str) -> list[str]:
        return [row["title"] for row in Client().get(url, params).json()["results"]]

    assert sorted(titles()) == ["Other", "Welsh"]
    assert titles(when="past") == ["Gone"]
    assert titles(nation="Wales") == ["Welsh"]
    assert titles(kind="workshop") == ["Welsh"]


def test_times_are_given_in_uk_time_with_their_offset() -> None:
    import datetime as dt

    EventFactory.create(
        starts_at=dt.datetime(2027, 6, 14, 8, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 6, 14, 10, 30, tzinfo=dt.UTC),
    )
    (row,) = Client().get(reverse("api_event_list")).json()["results"]
    assert row["starts_at"] == "2027-06-14T09:30:00+01:00"


def test_the_detail_names_only_people_with_public_profiles() -> None:
    event = EventFactory.create(organisation=OrganisationFactory.create(), organiser=None)
    for name, public in (("Public Pat", True), ("Private Priya", False)):
        user = UserFactory.create()
        Profile.objects.update_or_create(
            user=user, defaults={"display_name": name, "is_public": public}
        )
        SignUp.objects.create(event=event, user=user, status=SignUpStatus.CONFIRMED)
    response = Client().get(reverse("api_event_detail", args=[event.slug]))
    body = response.json()
    assert body["named_attendees"] == ["Public Pat"] and body["places_taken"] == 2
    assert "Private Priya" not in response.content.decode()
    assert event.organisation is not None and body["organisation"] == event.organisation.slug
    assert Client().get(reverse("api_event_detail", args=["nope"])).status_code == 404


def test_the_list_makes_a_fixed_number_of_queries(django_assert_max_num_queries: object) -> None:
    for n in range(20):
        event = EventFactory.create(organisation=OrganisationFactory.create(), organiser=None)
        event.tags.create(name=f"t{n}")
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert len(Client().get(reverse("api_event_list")).json()["results"]) == 20


def test_writing_is_not_allowed() -> None:
    assert Client().post(reverse("api_event_list"), {}).status_code in {401, 403, 405}


def test_a_filter_the_api_cannot_read_is_a_400_naming_it() -> None:
    response = Client().get(
        reverse("api_event_list"), {"kind": "party", "from": "soon", "nation": "Atlantis"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "from", "nation"}
