"""The event pages: filters, sign-up, who is named as going, who may organise, the grid without
JavaScript, and a fixed number of queries however many rows a page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kitbag.accounts.models import MembershipRole, Profile, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events.models import EventKind, Session, SignUp, SignUpStatus
from kitbag.events.tests.factories import (
    EventFactory,
    InterestFactory,
    RoomFactory,
    SessionFactory,
    SlotFactory,
    UnconferenceFactory,
    in_days,
)
from kitbag.registry.models import Nation
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.models import Code, CodeList

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def titles(response: object) -> list[str]:
    return [event.title for event in response.context["page"]]  # type: ignore[attr-defined]


def person(name: str, *, public: bool) -> User:
    user = UserFactory.create()
    Profile.objects.update_or_create(
        user=user, defaults={"display_name": name, "is_public": public}
    )
    return user


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_by_default_and_past_ones_on_asking() -> None:
    EventFactory.create(title="Soon", starts_at=in_days(2), ends_at=in_days(2, 17))
    EventFactory.create(title="Gone", starts_at=in_days(-5), ends_at=in_days(-5, 17))
    url = reverse("events:event_list")
    assert titles(Client().get(url)) == ["Soon"]
    assert titles(Client().get(url, {"when": "past"})) == ["Gone"]
    assert sorted(titles(Client().get(url, {"when": "all"}))) == ["Gone", "Soon"]


def test_the_list_filters_by_date_range_place_kind_and_topic() -> None:
    lgsl = CodeList.objects.create(slug="lgsl", name="LGSL")
    bins = Code.objects.create(code_list=lgsl, code="524", label="Bin collection")
    wales = EventFactory.create(
        title="Welsh workshop",
        kind=EventKind.WORKSHOP,
        nation=Nation.WALES,
        region="Wales",
        starts_at=in_days(20),
        ends_at=in_days(20, 16),
    )
    wales.services.add(bins)
    london = EventFactory.create(
        title="London meetup", nation=Nation.ENGLAND, region="London", starts_at=in_days(3)
    )
    london.tags.create(name="open data")
    url = reverse("events:event_list")
    assert titles(Client().get(url, {"nation": "Wales"})) == ["Welsh workshop"]
    assert titles(Client().get(url, {"region": "London"})) == ["London meetup"]
    assert titles(Client().get(url, {"kind": "workshop"})) == ["Welsh workshop"]
    assert titles(Client().get(url, {"service": "524"})) == ["Welsh workshop"]
    assert titles(Client().get(url, {"tag": "Open Data"})) == ["London meetup"]
    day = (in_days(20)).date().isoformat()
    assert titles(Client().get(url, {"from": day, "to": day})) == ["Welsh workshop"]
    # Nonsense is ignored, not an error.
    assert Client().get(url, {"nation": "Atlantis", "from": "soon"}).status_code == 200


def test_the_list_makes_a_fixed_number_of_queries(django_assert_max_num_queries: object) -> None:
    for n in range(15):
        event = EventFactory.create(organisation=OrganisationFactory.create(), organiser=None)
        event.tags.create(name=f"tag {n}")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = Client().get(reverse("events:event_list"))
    assert len(titles(response)) == 15


# --- One event -------------------------------------------------------------------------------


def test_only_people_with_public_profiles_are_named_as_going_the_rest_are_counted() -> None:
    event = EventFactory.create()
    for user in (
        person("Public Pat", public=True),
        person("Private Priya", public=False),
        UserFactory.create(),
    ):
        SignUp.objects.create(event=event, user=user, status=SignUpStatus.CONFIRMED)
    waiting = person("Waiting Wendy", public=True)
    SignUp.objects.create(event=event, user=waiting, status=SignUpStatus.WAITING)
    html = Client().get(event.get_absolute_url()).content.decode()
    assert "Public Pat" in html
    assert "Private Priya" not in html and "Waiting Wendy" not in html
    assert "3 people going" in html and "1 waiting" in html
    assert "and 2 people who keep their profiles private" in html
    staff = UserFactory.create(is_staff=True)
    assert "Private Priya" not in signed_in(staff).get(event.get_absolute_url()).content.decode()
    # Nor on any other channel: calendars, the API, the search index.
    for url in (
        reverse("events:event_calendar", args=[event.slug]),
        reverse("events:all_events_calendar"),
        reverse("api_event_detail", args=[event.slug]),
        reverse("api_event_list"),
    ):
        assert "Private Priya" not in Client().get(url).content.decode(), url
    from kitbag.events.search_documents import reindex
    from kitbag.search.models import SearchDocument

    reindex(event)
    assert SearchDocument.objects.filter(doc_type="event").exists()
    assert not SearchDocument.objects.filter(body__contains="Priya").exists()
    assert not SearchDocument.objects.filter(extra__contains="Priya").exists()


def test_signing_up_through_the_page_then_giving_up_the_place() -> None:
    event = EventFactory.create(capacity=1)
    first, second = UserFactory.create(), UserFactory.create()
    signed_in(first).post(reverse("events:event_sign_up", args=[event.slug]))
    page = signed_in(second).get(event.get_absolute_url()).content.decode()
    assert "Join the waiting list" in page
    signed_in(second).post(reverse("events:event_sign_up", args=[event.slug]))
    assert (
        "number 1 on the waiting list"
        in signed_in(second).get(event.get_absolute_url()).content.decode()
    )
    signed_in(first).post(reverse("events:event_cancel_sign_up", args=[event.slug]))
    assert SignUp.objects.get(user=second).status == SignUpStatus.CONFIRMED


def test_signing_up_needs_a_signed_in_person() -> None:
    event = EventFactory.create()
    response = Client().post(reverse("events:event_sign_up", args=[event.slug]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SignUp.objects.exists()


def test_the_event_page_makes_a_fixed_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    event = EventFactory.create(capacity=50)
    for n in range(10):
        SignUp.objects.create(
            event=event, user=person(f"P{n}", public=True), status=SignUpStatus.CONFIRMED
        )
        event.links.create(title=f"Slides {n}", url="https://example.org", kind="slides")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert Client().get(event.get_absolute_url()).status_code == 200


def test_organisers_are_verified_members_or_the_person_organising() -> None:
    council = OrganisationFactory.create()
    by_council = EventFactory.create(organisation=council, organiser=None)
    member = UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER)
    outsider = UserFactory.create()
    edit = reverse("events:event_edit", args=[by_council.slug])
    assert signed_in(member).get(edit).status_code == 200
    assert signed_in(outsider).get(edit).status_code == 403
    assert Client().get(edit).status_code == 302
    by_person = EventFactory.create()
    assert (
        signed_in(by_person.organiser)
        .get(reverse("events:event_edit", args=[by_person.slug]))
        .status_code
        == 200
    )
    assert (
        signed_in(member).get(reverse("events:link_add", args=[by_person.slug])).status_code == 403
    )


def test_creating_an_event_through_the_form_in_uk_time() -> None:
    council = OrganisationFactory.create(nation=Nation.SCOTLAND, region="Highland")
    member = UserFactory.create(member_of=council)
    response = signed_in(member).post(
        reverse("events:event_create"),
        {
            "title": "Highland digital day",
            "kind": "conference",
            "organisation": council.pk,
            "starts_at": "2027-07-01T09:30",
            "ends_at": "2027-07-01T17:00",
            "attendance": "in-person",
            "address": "Inverness",
            "booking": "kitbag",
            "capacity": "40",
            "tags": "digital, highlands",
        },
    )
    assert response.status_code == 302
    event = council.events.get()
    assert event.starts_at == dt.datetime(2027, 7, 1, 8, 30, tzinfo=dt.UTC)
    assert (event.nation, event.region, event.capacity) == (Nation.SCOTLAND, "Highland", 40)
    refused = signed_in(member).post(
        reverse("events:event_create"),
        {"title": "", "kind": "meetup", "starts_at": "x", "ends_at": "", "attendance": "online"},
    )
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()


def test_a_person_cannot_organise_for_an_organisation_they_do_not_belong_to() -> None:
    council = OrganisationFactory.create()
    response = signed_in(UserFactory.create()).post(
        reverse("events:event_create"),
        {
            "title": "Not ours",
            "kind": "meetup",
            "organisation": council.pk,
            "starts_at": "2027-07-01T09:30",
            "ends_at": "2027-07-01T17:00",
            "attendance": "in-person",
            "address": "Somewhere",
            "booking": "none",
        },
    )
    assert response.status_code == 200  # not one of the choices
    assert not council.events.exists()


# --- The grid ---------------------------------------------------------------------------------


def test_pitching_then_placing_on_the_grid_without_javascript() -> None:
    event = UnconferenceFactory.create()
    room = RoomFactory.create(event=event, name="The snug", capacity=8)
    slot = SlotFactory.create(event=event)
    pitcher = UserFactory.create()
    response = signed_in(pitcher).post(
        reverse("events:session_pitch", args=[event.slug]),
        {"title": "Bins", "about": "Collections", "host_name": "Alex"},
    )
    session = Session.objects.get(title="Bins")
    assert response["Location"] == session.get_absolute_url()
    place = reverse("events:session_place", args=[event.slug, session.pk])
    assert signed_in(pitcher).post(place, {"room": room.pk, "slot": slot.pk}).status_code == 403
    organiser = signed_in(event.organiser)
    assert organiser.get(place).status_code == 200
    placed = organiser.post(place, {"room": room.pk, "slot": slot.pk})
    assert placed["Location"] == reverse("events:grid", args=[event.slug])
    session.refresh_from_db()
    assert (session.room, session.slot) == (room, slot)
    grid = Client().get(reverse("events:grid", args=[event.slug])).content.decode()
    assert "The snug" in grid and "Bins" in grid and "Hosted by Alex" in grid


def test_placing_by_drag_and_drop_answers_json() -> None:
    event = UnconferenceFactory.create()
    room, slot = RoomFactory.create(event=event), SlotFactory.create(event=event)
    session = SessionFactory.create(event=event)
    place = reverse("events:session_place", args=[event.slug, session.pk])
    client = signed_in(event.organiser)
    answer = client.post(place, {"room": room.pk, "slot": slot.pk}, HTTP_ACCEPT="application/json")
    assert answer.json() == {"placed": True}
    wrong = client.post(place, {"room": room.pk, "slot": ""}, HTTP_ACCEPT="application/json")
    assert wrong.status_code == 400


def test_organisers_see_clashes_flagged_on_the_grid() -> None:
    event = UnconferenceFactory.create()
    room = RoomFactory.create(event=event, capacity=1)
    slot = SlotFactory.create(event=event)
    host = UserFactory.create()
    first = SessionFactory.create(event=event, host=host, room=room, slot=slot)
    SessionFactory.create(event=event, host=host, room=room, slot=slot)
    InterestFactory.create(session=first)
    InterestFactory.create(session=first)
    html = signed_in(event.organiser).get(reverse("events:grid", args=[event.slug])).content
    text = html.decode()
    assert "The host is in two places at once" in text
    assert "Two sessions in one room at once" in text
    assert "More people interested than the room seats" in text
    public = Client().get(reverse("events:grid", args=[event.slug])).content.decode()
    assert "The host is in two places at once" not in public


def test_the_grid_makes_a_fixed_number_of_queries(django_assert_max_num_queries: object) -> None:
    event = UnconferenceFactory.create()
    rooms = [RoomFactory.create(event=event) for _n in range(4)]
    slots = [
        SlotFactory.create(event=event, starts_at=event.starts_at + dt.timedelta(hours=n))
        for n in range(4)
    ]
    for room in rooms:
        for slot in slots:
            InterestFactory.create(session=SessionFactory.create(event=event, room=room, slot=slot))
    organiser = signed_in(event.organiser)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert organiser.get(reverse("events:grid", args=[event.slug])).status_code == 200


def test_interest_and_notes_through_the_pages_with_the_history_shown() -> None:
    session = SessionFactory.create()
    event = session.event
    reader = UserFactory.create()
    notes = reverse("events:session_notes", args=[event.slug, session.pk])
    assert signed_in(reader).get(notes).status_code == 403
    signed_in(reader).post(
        reverse("events:session_interest", args=[event.slug, session.pk]), {"interested": "yes"}
    )
    signed_in(reader).post(notes, {"text": "We agreed to share code"})
    signed_in(session.host).post(notes, {"text": "We agreed to share code by June"})
    page = Client().get(session.get_absolute_url()).content.decode()
    assert "We agreed to share code by June" in page
    assert "History: 2 versions" in page


def test_grid_pages_exist_only_for_unconferences() -> None:
    meetup = EventFactory.create()
    assert Client().get(reverse("events:grid", args=[meetup.slug])).status_code == 404


def test_rooms_and_slots_are_set_out_by_organisers() -> None:
    event = UnconferenceFactory.create(
        starts_at=dt.datetime(2027, 6, 12, 8, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 6, 12, 16, 0, tzinfo=dt.UTC),
    )
    setup = reverse("events:grid_setup", args=[event.slug])
    assert signed_in(UserFactory.create()).get(setup).status_code == 403
    client = signed_in(event.organiser)
    client.post(setup, {"form": "room", "room-name": "Hall", "room-capacity": "50"})
    client.post(
        setup,
        {"form": "slot", "slot-starts_at": "2027-06-12T10:00", "slot-ends_at": "2027-06-12T10:45"},
    )
    assert list(event.rooms.values_list("name", "capacity")) == [("Hall", 50)]
    assert event.slots.get().starts_at == dt.datetime(2027, 6, 12, 9, 0, tzinfo=dt.UTC)  # BST


def test_an_event_links_to_the_rest_of_its_series() -> None:
    from kitbag.events.models import Series

    series = Series.objects.create(slug="localgovcamp", name="LocalGovCamp")
    this_year = EventFactory.create(title="LocalGovCamp 2027", series=series)
    EventFactory.create(
        title="LocalGovCamp 2026", series=series, starts_at=in_days(-300), ends_at=in_days(-300, 17)
    )
    EventFactory.create(title="Something else")
    html = Client().get(this_year.get_absolute_url()).content.decode()
    assert "?series=localgovcamp&amp;when=all" in html
    listed = Client().get(reverse("events:event_list"), {"series": "localgovcamp", "when": "all"})
    assert titles(listed) == ["LocalGovCamp 2026", "LocalGovCamp 2027"]
