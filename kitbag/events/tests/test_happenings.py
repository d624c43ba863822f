"""Events announce themselves to followers (kitbag/events/happenings.py, core/happenings.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events import services
from kitbag.events.models import Event, EventKind
from kitbag.events.tests.factories import EventFactory, in_days
from kitbag.follows import queries as follow_queries
from kitbag.follows import services as follow_services
from kitbag.follows.models import StoredHappening
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.models import Code, CodeList

pytestmark = pytest.mark.django_db


def _details(**changes: object) -> services.EventDetails:
    values: dict[str, object] = {
        "title": "Open data camp",
        "kind": EventKind.UNCONFERENCE,
        "starts_at": in_days(5, 9),
        "ends_at": in_days(5, 17),
        "address": "The Library, York",
    }
    values.update(changes)
    return services.EventDetails(**values)  # type: ignore[arg-type]


def _announce(django_capture_on_commit_callbacks: object, **changes: object) -> StoredHappening:
    council = OrganisationFactory.create(name="York Council", slug="york")
    member = UserFactory.create(member_of=council, member_of__role=MembershipRole.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        event = services.create_event(details=_details(**changes), by=member, organisation=council)
    # A draft is announced to no one: the announcement comes with publication.
    assert not StoredHappening.objects.filter(kind="event-announced").exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.publish_event(event=event, by=member)
    return StoredHappening.objects.get(kind="event-announced")


def test_a_new_event_is_announced_to_its_organisation_services_tags_and_series(
    django_capture_on_commit_callbacks: object,
) -> None:
    lgsl = CodeList.objects.create(slug="lgsl", name="LGSL")
    libraries = Code.objects.create(code_list=lgsl, code="1234", label="Libraries")
    happening = _announce(
        django_capture_on_commit_callbacks,
        services=[libraries],
        tags=["Open Data", "AI"],
        series_name="Open data camp",
    )
    created = Event.objects.get()
    assert happening.title == "York Council announced an event: Open data camp"
    assert happening.url == created.get_absolute_url()
    assert sorted(happening.concerns.values_list("key", flat=True)) == sorted(
        [
            f"event:{created.pk}",
            f"organisation:{created.organisation_id}",
            "service:1234",
            # Spelt as the resource library spells tags: one "tag" kind for both.
            "tag:ai",
            "tag:open-data",
            f"series:{created.series_id}",
        ]
    )
    assert (happening.visible_through_kind, happening.visible_through_id) == (
        "event",
        created.pk,
    )


def test_nothing_is_announced_when_the_event_is_not_saved(
    django_capture_on_commit_callbacks: object,
) -> None:
    person = UserFactory.create()
    before = StoredHappening.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
        pytest.raises(services.EventError),
    ):
        services.create_event(details=_details(), by=person, organiser_name="")
    assert StoredHappening.objects.count() == before


def test_a_follower_of_a_tag_or_series_sees_the_event_in_notifications_and_digest(
    django_capture_on_commit_callbacks: object,
) -> None:
    tag_follower = UserFactory.create(email="tags@example.org")
    series_follower = UserFactory.create(email="series@example.org")
    stranger = UserFactory.create(email="stranger@example.org")
    follow_services.follow(user=tag_follower, key="tag:open-data")
    follow_services.set_digest_frequency(
        user=tag_follower, frequency="daily", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    happening = _announce(
        django_capture_on_commit_callbacks, tags=["open data"], series_name="Open data camp"
    )
    series_id = int(happening.concerns.get(key__startswith="series:").key.removeprefix("series:"))
    follow_services.follow(user=series_follower, key=f"series:{series_id}")

    assert list(follow_queries.happenings_for(tag_follower)) == [happening]
    assert list(follow_queries.happenings_for(series_follower)) == [happening]
    assert list(follow_queries.happenings_for(stranger)) == []
    run = follow_services.send_digests(
        frequency="daily", now=happening.recorded_at + dt.timedelta(days=2)
    )
    assert run.sent == 1
    assert [m.to for m in mail.outbox] == [["tags@example.org"]]
    assert "Open data camp" in mail.outbox[0].body


def test_events_and_series_can_be_followed_and_are_named_in_what_a_person_follows() -> None:
    event = EventFactory.create(title="Digital leaders' meetup")
    person = UserFactory.create()
    follow_services.follow(user=person, key=f"event:{event.pk}")
    followed = follow_queries.followed_things(person)
    assert [(f.key, f.name, f.url) for f in followed] == [
        (f"event:{event.pk}", "Digital leaders' meetup", event.get_absolute_url())
    ]


def test_the_event_page_has_a_follow_button_for_signed_in_people() -> None:
    event = EventFactory.create(starts_at=in_days(3), ends_at=in_days(3, 12))
    client = Client()
    client.force_login(UserFactory.create())
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'value="event:{event.pk}"' in page
    assert "Sign in to follow this" in Client().get(event.get_absolute_url()).content.decode()
