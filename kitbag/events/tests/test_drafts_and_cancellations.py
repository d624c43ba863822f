"""Drafts and cancellations on every channel: a draft is its organisers' alone (page, lists,
calendars, API, search, the organisation page, followers' happenings); publishing announces it;
cancelling needs a reason, keeps the page saying so, closes sign-ups, emails those signed up once
it commits and marks the calendars."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events import services
from kitbag.events.models import Event, EventKind, EventStatus, SignUpStatus
from kitbag.events.tests.factories import EventFactory, UnconferenceFactory, in_days
from kitbag.follows.models import StoredHappening
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.search.queries import search

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def details(**changes: object) -> services.EventDetails:
    values: dict[str, object] = {
        "title": "Quiet drafting meetup",
        "kind": EventKind.MEETUP,
        "starts_at": in_days(5, 18),
        "ends_at": in_days(5, 20),
        "address": "The Library, York",
    }
    values.update(changes)
    return services.EventDetails(**values)  # type: ignore[arg-type]


def council_draft() -> tuple[Event, User]:
    council = OrganisationFactory.create(name="York Council", slug="york")
    member = UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER)
    event = services.create_event(details=details(), by=member, organisation=council)
    return event, member


def client_is(client: Client, user: User) -> bool:
    return str(client.session.get("_auth_user_id")) == str(user.pk)


def vevents(body: bytes) -> list[object]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


# --- Drafts ------------------------------------------------------------------------------------


def test_a_new_event_is_a_draft_that_only_its_organisers_see_on_its_page() -> None:
    event, member = council_draft()
    assert event.status == EventStatus.DRAFT
    url = event.get_absolute_url()
    assert Client().get(url).status_code == 404
    assert signed_in(UserFactory.create()).get(url).status_code == 404
    assert Client().get(reverse("events:event_calendar", args=[event.slug])).status_code == 404
    page = signed_in(member).get(url)
    assert page.status_code == 200
    assert 'id="event-draft"' in page.content.decode()
    assert "Publish the event" in page.content.decode()
    staff = UserFactory.create(is_staff=True)
    assert signed_in(staff).get(url).status_code == 200


def test_a_draft_is_in_no_list_calendar_api_search_or_organisation_page() -> None:
    event, member = council_draft()
    for client in (Client(), signed_in(UserFactory.create()), signed_in(member)):
        listed = client.get(reverse("events:event_list"), {"when": "all"}).content.decode()
        # Its organiser finds it under "Your drafts" only, never among the events.
        assert listed.count(event.title) == (1 if client_is(client, member) else 0)
        assert vevents(client.get(reverse("events:all_events_calendar")).content) == []
        organisation_feed = client.get(reverse("events:organisation_calendar", args=["york"]))
        assert vevents(organisation_feed.content) == []
        api = client.get(reverse("api_event_list"), {"when": "all"}).json()
        assert api["count"] == 0
        assert client.get(reverse("api_event_detail", args=[event.slug])).status_code == 404
        organisation_page = client.get(reverse("registry:organisation_detail", args=["york"]))
        assert event.title not in organisation_page.content.decode()
    assert search(query="drafting", doc_type="event").total == 0


def test_the_events_page_lists_a_person_s_drafts_to_them_alone(
    django_assert_max_num_queries: Any,
) -> None:
    event, member = council_draft()
    colleague = UserFactory.create(
        member_of=event.organisation, member_of__role=MembershipRole.MEMBER
    )
    url = reverse("events:event_list")

    for organiser in (member, colleague):
        page = signed_in(organiser).get(url).content.decode()
        assert "Your drafts" in page and event.get_absolute_url() in page
    for outsider in (signed_in(UserFactory.create()), Client()):
        page = outsider.get(url).content.decode()
        assert "Your drafts" not in page and event.get_absolute_url() not in page

    services.publish_event(event=event, by=member)
    assert "Your drafts" not in signed_in(member).get(url).content.decode()

    # One query for the drafts however many there are.
    client = signed_in(member)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for title in ("Second", "Third", "Fourth"):
        services.create_event(
            details=details(title=title), by=member, organisation=event.organisation
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("govuk-tag--grey") >= 3


def test_a_draft_is_announced_to_no_one_until_it_is_published(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        event, member = council_draft()
    assert not StoredHappening.objects.filter(kind="event-announced").exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = signed_in(member).post(reverse("events:event_publish", args=[event.slug]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.published_at is not None
    assert StoredHappening.objects.filter(kind="event-announced").count() == 1
    assert Client().get(event.get_absolute_url()).status_code == 200
    assert search(query="drafting", doc_type="event").total == 1


def test_only_organisers_publish_and_only_a_draft() -> None:
    event, member = council_draft()
    stranger = signed_in(UserFactory.create())
    # A draft is a 404 to whoever may not see it, whatever they ask of it.
    assert stranger.post(reverse("events:event_publish", args=[event.slug])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish_event(event=event, by=UserFactory.create())
    services.publish_event(event=event, by=member)
    with pytest.raises(PermissionDenied):
        services.publish_event(event=event, by=member)


def test_nobody_signs_up_to_or_pitches_at_a_draft() -> None:
    organiser = UserFactory.create()
    draft = services.create_event(
        details=details(kind=EventKind.UNCONFERENCE), by=organiser, organiser_name="Pat"
    )
    with pytest.raises(PermissionDenied):
        services.sign_up(event=draft, user=organiser)
    with pytest.raises(PermissionDenied):
        services.pitch_session(event=draft, by=organiser, title="t", about="a", host_name="Pat")


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_changes_nothing_without_one() -> None:
    event = EventFactory.create()
    assert event.organiser is not None
    with pytest.raises(services.EventError) as refused:
        services.cancel_event(event=event, by=event.organiser, reason="   ")
    assert refused.value.field == "reason"
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    response = signed_in(event.organiser).post(
        reverse("events:event_cancel", args=[event.slug]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "Say why the event is cancelled." in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_only_organisers_cancel_a_published_event() -> None:
    event = EventFactory.create()
    stranger = UserFactory.create()
    assert (
        signed_in(stranger).get(reverse("events:event_cancel", args=[event.slug])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.cancel_event(event=event, by=stranger, reason="No reason of theirs")
    draft, member = council_draft()
    with pytest.raises(PermissionDenied):
        services.cancel_event(event=draft, by=member, reason="A draft is not cancelled")


def test_cancelling_keeps_the_page_closes_sign_ups_and_emails_those_signed_up_after_commit(
    django_capture_on_commit_callbacks: object,
) -> None:
    event = EventFactory.create(capacity=1, title="Digital leaders' meetup")
    assert event.organiser is not None
    going = UserFactory.create(email="going@example.org")
    waiting = UserFactory.create(email="waiting@example.org")
    services.sign_up(event=event, user=going)
    services.sign_up(event=event, user=waiting)
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = signed_in(event.organiser).post(
            reverse("events:event_cancel", args=[event.slug]),
            {"reason": "The venue <b>flooded</b>."},
        )
        assert response.status_code == 302
        assert mail.outbox == []  # nothing is sent before the cancellation commits
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["going@example.org", "waiting@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "The venue <b>flooded</b>." in mail.outbox[0].body
    assert "Cancelled: Digital leaders' meetup" in mail.outbox[0].subject

    page = Client().get(event.get_absolute_url()).content.decode()
    assert 'id="event-cancelled"' in page
    assert "The venue &lt;b&gt;flooded&lt;/b&gt;." in page  # escaped, never run
    assert "Sign-ups and the waiting list are closed" in page
    assert "EventCancelled" in page
    with pytest.raises(PermissionDenied):
        services.sign_up(event=event, user=UserFactory.create())
    # Leaving a cancelled event moves no one up into a place.
    services.cancel_sign_up(event=event, user=going)
    assert list(event.sign_ups.values_list("status", flat=True)) == [SignUpStatus.WAITING]


def test_a_cancelled_event_is_marked_in_lists_calendars_the_api_and_the_organisation_page() -> None:
    council = OrganisationFactory.create(name="York Council", slug="york")
    event = EventFactory.create(
        title="Called off", organisation=council, organiser=None, organiser_name=""
    )
    EventFactory.create(title="Still on")
    member = UserFactory.create(member_of=council)
    services.cancel_event(event=event, by=member, reason="Snow")

    listed = Client().get(reverse("events:event_list")).content.decode()
    assert "Called off" in listed and "govuk-tag--red" in listed
    (component,) = vevents(
        Client().get(reverse("events:event_calendar", args=[event.slug])).content
    )
    assert str(component["STATUS"]) == "CANCELLED"  # type: ignore[index]
    statuses = {
        str(c["SUMMARY"]): str(c["STATUS"])  # type: ignore[index]
        for c in vevents(Client().get(reverse("events:all_events_calendar")).content)
    }
    assert statuses == {"Called off": "CANCELLED", "Still on": "CONFIRMED"}
    organisation_page = Client().get(reverse("registry:organisation_detail", args=["york"]))
    assert "Cancelled" in organisation_page.content.decode()

    rows = Client().get(reverse("api_event_list")).json()["results"]
    assert {row["title"]: row["status"] for row in rows} == {
        "Called off": "cancelled",
        "Still on": "published",
    }
    cancelled = Client().get(reverse("api_event_list"), {"status": "cancelled"}).json()
    assert [row["title"] for row in cancelled["results"]] == ["Called off"]
    assert cancelled["results"][0]["cancelled_reason"] == "Snow"
    published = Client().get(reverse("api_event_list"), {"status": "published"}).json()
    assert [row["title"] for row in published["results"]] == ["Still on"]
    detail = Client().get(reverse("api_event_detail", args=[event.slug])).json()
    assert detail["status"] == "cancelled"


@pytest.mark.parametrize("value", ["", "draft", "Cancelled"])
def test_the_api_status_filter_takes_only_its_listed_values(value: str) -> None:
    response = Client().get(reverse("api_event_list"), {"status": value})
    assert response.status_code == 400
    assert response.json()["status"] == ["One of: published, cancelled."]


def test_a_cancelled_unconference_takes_no_more_pitches() -> None:
    event = UnconferenceFactory.create()
    assert event.organiser is not None
    event = services.cancel_event(event=event, by=event.organiser, reason="Rain")
    with pytest.raises(PermissionDenied):
        services.pitch_session(
            event=event, by=UserFactory.create(), title="t", about="a", host_name="Sam"
        )


def test_the_demo_event_is_published() -> None:
    call_command("demo_events", stdout=io.StringIO())
    assert set(Event.objects.values_list("status", flat=True)) == {EventStatus.PUBLISHED}
