from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.events import services
from kitbag.events.models import (
    Attendance,
    Booking,
    Event,
    EventKind,
    EventStatus,
    Interest,
    LinkKind,
    Session,
    SignUp,
    SignUpStatus,
)
from kitbag.events.tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SlotFactory,
    UnconferenceFactory,
    in_days,
)
from kitbag.registry.models import Nation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def details(**changes: object) -> services.EventDetails:
    values: dict[str, object] = {
        "title": "Digital leaders' meetup",
        "kind": EventKind.MEETUP,
        "starts_at": in_days(5, 18),
        "ends_at": in_days(5, 20),
        "address": "The Library, York",
    }
    values.update(changes)
    return services.EventDetails(**values)  # type: ignore[arg-type]


def organiser_of(event: Event) -> User:
    assert event.organiser is not None
    return event.organiser


def host_of(session: Session) -> User:
    assert session.host is not None
    return session.host


def statuses(event: Event) -> list[tuple[str, str]]:
    return list(
        SignUp.objects.filter(event=event)
        .order_by("created_at", "pk")
        .values_list("user__email", "status")
    )


# --- Creating events --------------------------------------------------------------------------


def test_a_verified_member_organises_an_event_for_their_organisation_in_its_place() -> None:
    council = OrganisationFactory.create(nation=Nation.WALES, region="Wales")
    member = UserFactory.create(member_of=council)
    event = services.create_event(details=details(), by=member, organisation=council)
    assert event.organisation == council and event.organiser is None
    assert (event.nation, event.region) == (Nation.WALES, "Wales")


def test_a_chosen_place_wins_over_the_organisations() -> None:
    council = OrganisationFactory.create(nation=Nation.WALES, region="Wales")
    member = UserFactory.create(member_of=council)
    event = services.create_event(
        details=details(nation=Nation.ENGLAND, region="London"), by=member, organisation=council
    )
    assert (event.nation, event.region) == (Nation.ENGLAND, "London")


def test_only_members_organise_for_an_organisation() -> None:
    council = OrganisationFactory.create()
    with pytest.raises(PermissionDenied):
        services.create_event(details=details(), by=UserFactory.create(), organisation=council)


def test_a_person_organises_as_themselves_under_a_name_they_give() -> None:
    person = UserFactory.create()
    with pytest.raises(services.EventError):
        services.create_event(details=details(), by=person)
    event = services.create_event(details=details(), by=person, organiser_name="Pat")
    assert event.organiser == person and event.organised_by == "Pat"


def test_an_event_must_say_where_it_is() -> None:
    person = UserFactory.create()
    with pytest.raises(services.EventError, match="address"):
        services.create_event(details=details(address=""), by=person, organiser_name="Pat")
    with pytest.raises(services.EventError, match="join"):
        services.create_event(
            details=details(attendance=Attendance.ONLINE), by=person, organiser_name="Pat"
        )
    with pytest.raises(services.EventError, match="book"):
        services.create_event(
            details=details(booking=Booking.ELSEWHERE), by=person, organiser_name="Pat"
        )


def test_series_and_tags_are_shared_and_tidied() -> None:
    person = UserFactory.create()
    first = services.create_event(
        details=details(series_name="LocalGovCamp", tags=["Open Data", "open data ", "AI"]),
        by=person,
        organiser_name="Pat",
    )
    second = services.create_event(
        details=details(series_name="LocalGovCamp"), by=person, organiser_name="Pat"
    )
    assert first.series == second.series
    assert sorted(first.tags.values_list("name", flat=True)) == ["ai", "open data"]


def test_an_event_is_announced_once_its_publication_commits_and_never_as_a_draft(
    django_capture_on_commit_callbacks: object,
) -> None:
    organiser = UserFactory.create()
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        event = services.create_event(details=details(), by=organiser, organiser_name="Pat")
    assert event.status == EventStatus.DRAFT
    assert not [
        c for c in callbacks if getattr(c, "func", None) is services.publish_event_announced
    ]
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        services.publish_event(event=event, by=organiser)
    announced = [
        c for c in callbacks if getattr(c, "func", None) is services.publish_event_announced
    ]
    assert len(announced) == 1 and announced[0].keywords["event"].title == "Digital leaders' meetup"


# --- Capacity and the waiting list ------------------------------------------------------------


def test_places_are_taken_until_full_then_people_wait_in_order() -> None:
    event = EventFactory.create(capacity=2)
    people = [UserFactory.create(email=f"p{n}@example.org") for n in range(4)]
    for person in people:
        services.sign_up(event=event, user=person)
    assert statuses(event) == [
        ("p0@example.org", SignUpStatus.CONFIRMED),
        ("p1@example.org", SignUpStatus.CONFIRMED),
        ("p2@example.org", SignUpStatus.WAITING),
        ("p3@example.org", SignUpStatus.WAITING),
    ]


def test_signing_up_twice_changes_nothing() -> None:
    event = EventFactory.create(capacity=1)
    person = UserFactory.create()
    first = services.sign_up(event=event, user=person)
    assert services.sign_up(event=event, user=person) == first
    assert SignUp.objects.filter(event=event).count() == 1


def test_when_someone_cancels_the_first_waiting_gets_the_place() -> None:
    event = EventFactory.create(capacity=1)
    going, first, second = (UserFactory.create(email=f"w{n}@example.org") for n in range(3))
    for person in (going, first, second):
        services.sign_up(event=event, user=person)
    promoted = services.cancel_sign_up(event=event, user=going)
    assert promoted is not None and promoted.user == first
    assert statuses(event) == [
        ("w1@example.org", SignUpStatus.CONFIRMED),
        ("w2@example.org", SignUpStatus.WAITING),
    ]


def test_leaving_the_waiting_list_promotes_nobody() -> None:
    event = EventFactory.create(capacity=1)
    going, waiting = UserFactory.create(), UserFactory.create()
    services.sign_up(event=event, user=going)
    services.sign_up(event=event, user=waiting)
    assert services.cancel_sign_up(event=event, user=waiting) is None
    assert services.cancel_sign_up(event=event, user=waiting) is None  # twice: nothing more


def test_more_places_move_the_waiting_list_up() -> None:
    organiser = UserFactory.create()
    event = services.create_event(details=details(capacity=1), by=organiser, organiser_name="Pat")
    event = services.publish_event(event=event, by=organiser)
    people = [UserFactory.create(email=f"m{n}@example.org") for n in range(3)]
    for person in people:
        services.sign_up(event=event, user=person)
    services.update_event(event=event, details=details(capacity=2), by=organiser)
    assert [status for _email, status in statuses(event)] == [
        SignUpStatus.CONFIRMED,
        SignUpStatus.CONFIRMED,
        SignUpStatus.WAITING,
    ]


def test_no_limit_means_everyone_gets_a_place() -> None:
    event = EventFactory.create(capacity=None)
    for _n in range(5):
        services.sign_up(event=event, user=UserFactory.create())
    assert set(event.sign_ups.values_list("status", flat=True)) == {SignUpStatus.CONFIRMED}


def test_nobody_signs_up_on_kitbag_for_an_event_booked_elsewhere_or_over() -> None:
    elsewhere = EventFactory.create(booking=Booking.ELSEWHERE, booking_url="https://example.org")
    with pytest.raises(PermissionDenied):
        services.sign_up(event=elsewhere, user=UserFactory.create())
    over = EventFactory.create(starts_at=in_days(-3), ends_at=in_days(-3, 17))
    with pytest.raises(PermissionDenied):
        services.sign_up(event=over, user=UserFactory.create())


# --- Links and editing ------------------------------------------------------------------------


def test_only_organisers_add_links_and_only_web_addresses() -> None:
    council = OrganisationFactory.create()
    event = EventFactory.create(organisation=council, organiser=None)
    member = UserFactory.create(member_of=council, member_of__role=MembershipRole.MEMBER)
    with pytest.raises(PermissionDenied):
        services.add_link(
            event=event,
            by=UserFactory.create(),
            title="x",
            url="https://e.org",
            kind=LinkKind.NOTES,
        )
    with pytest.raises(services.EventError):
        services.add_link(
            event=event, by=member, title="Slides", url="javascript:alert(1)", kind=LinkKind.SLIDES
        )
    link = services.add_link(
        event=event, by=member, title="Slides", url="https://example.org/s", kind=LinkKind.SLIDES
    )
    assert link.event == event


def test_an_ended_membership_no_longer_organises() -> None:
    council = OrganisationFactory.create()
    event = EventFactory.create(organisation=council, organiser=None)
    member = UserFactory.create(member_of=council)
    membership = member.memberships.get()
    membership.ended_at = in_days(-1)
    membership.save()
    with pytest.raises(PermissionDenied):
        services.update_event(event=event, details=details(), by=member)


# --- The grid ---------------------------------------------------------------------------------


def test_pitching_counts_the_host_as_interested() -> None:
    event = UnconferenceFactory.create()
    host = UserFactory.create()
    session = services.pitch_session(
        event=event, by=host, title="Open data", about="Publishing it", host_name="Alex"
    )
    assert Interest.objects.filter(session=session, user=host).exists()


def test_only_unconferences_take_pitches() -> None:
    with pytest.raises(PermissionDenied):
        services.pitch_session(
            event=EventFactory.create(),
            by=UserFactory.create(),
            title="t",
            about="a",
            host_name="h",
        )


def test_marking_interest_twice_counts_once_and_can_be_taken_back() -> None:
    session = SessionFactory.create()
    person = UserFactory.create()
    services.set_interest(session=session, user=person, interested=True)
    services.set_interest(session=session, user=person, interested=True)
    assert session.interests.count() == 1
    services.set_interest(session=session, user=person, interested=False)
    assert session.interests.count() == 0


def test_organisers_place_sessions_and_clashes_are_allowed_to_be_stored() -> None:
    event = UnconferenceFactory.create()
    room, slot = RoomFactory.create(event=event), SlotFactory.create(event=event)
    first, second = SessionFactory.create(event=event), SessionFactory.create(event=event)
    for session in (first, second):
        services.place_session(session=session, by=organiser_of(event), room=room, slot=slot)
    assert {first.room, second.room} == {room}
    with pytest.raises(PermissionDenied):
        services.place_session(session=first, by=host_of(first), room=None, slot=None)


def test_a_session_goes_in_a_room_and_time_of_its_own_event_and_both_or_neither() -> None:
    event = UnconferenceFactory.create()
    other = UnconferenceFactory.create(organiser=event.organiser)
    session = SessionFactory.create(event=event)
    room, slot = RoomFactory.create(event=event), SlotFactory.create(event=event)
    with pytest.raises(services.EventError):
        services.place_session(session=session, by=organiser_of(event), room=room, slot=None)
    with pytest.raises(services.EventError):
        services.place_session(
            session=session, by=organiser_of(event), room=RoomFactory.create(event=other), slot=slot
        )


def test_slots_lie_within_the_event() -> None:
    event = UnconferenceFactory.create()
    with pytest.raises(services.EventError):
        services.add_slot(
            event=event,
            by=organiser_of(event),
            starts_at=event.starts_at - dt.timedelta(hours=2),
            ends_at=event.starts_at,
        )


def test_session_notes_keep_every_revision_and_only_those_there_edit() -> None:
    session = SessionFactory.create()
    interested = UserFactory.create()
    services.set_interest(session=session, user=interested, interested=True)
    services.save_session_notes(session=session, by=host_of(session), text="First")
    services.save_session_notes(session=session, by=interested, text="First, and more")
    services.save_session_notes(session=session, by=interested, text="First, and more")  # same
    assert list(session.note_revisions.values_list("number", "text")) == [
        (2, "First, and more"),
        (1, "First"),
    ]
    with pytest.raises(PermissionDenied):
        services.save_session_notes(session=session, by=UserFactory.create(), text="Vandal")
    attendee = UserFactory.create()
    SignUp.objects.create(event=session.event, user=attendee, status=SignUpStatus.CONFIRMED)
    services.save_session_notes(session=session, by=attendee, text="From the room")
    assert session.note_revisions.count() == 3


def test_a_revision_of_the_notes_is_never_changed() -> None:
    session = SessionFactory.create()
    revision = services.save_session_notes(session=session, by=host_of(session), text="Notes")
    revision.text = "Rewritten"
    with pytest.raises(ValueError):
        revision.save()


def test_events_are_found_through_the_search_interface_with_their_facets() -> None:
    from kitbag.search.queries import search

    person = UserFactory.create()
    event = services.create_event(
        details=details(title="Unconference on bin collections", tags=["waste"]),
        by=person,
        organiser_name="Pat",
    )
    # A draft is not public: the search finds it once it is published.
    assert search(query="bin collections", doc_type="event").total == 0
    services.publish_event(event=event, by=person)
    found = search(query="bin collections", doc_type="event", filters={"tag": ["waste"]})
    assert [hit.object_id for hit in found.hits] == [str(event.pk)]
    services.update_event(event=event, details=details(title="Street cleaning day"), by=person)
    assert not search(query="bin collections", doc_type="event").hits


def test_a_link_after_the_event_is_also_in_the_resource_library_used_by_it() -> None:
    from django.core.management import call_command
    from django.test import Client

    from kitbag.events.models import EventLink, EventTag
    from kitbag.resources.models import Resource, Use

    event = EventFactory.create(title="Camp 2026")
    EventTag.objects.create(event=event, name="Open Data")
    organiser = organiser_of(event)
    link = services.add_link(
        event=event,
        by=organiser,
        title="Camp notes",
        url="https://Example.org/notes/",
        kind=LinkKind.NOTES,
    )
    resource = Resource.objects.get()
    assert link.resource == resource and resource.is_public
    assert resource.recommendations.get().person == organiser
    assert Use.objects.get().key == f"event:{event.pk}"
    # The same address again, as another kind: still one resource and one use.
    services.add_link(
        event=event,
        by=organiser,
        title="Camp notes (again)",
        url="https://example.org/notes/",
        kind=LinkKind.WRITE_UP,
    )
    assert Resource.objects.count() == 1 and Use.objects.count() == 1
    page = Client().get(resource.get_absolute_url()).content.decode()
    assert "Event:" in page and "Camp 2026" in page
    tagged = Client().get("/resources/tags/open-data/").content.decode()
    assert "Camp notes" in tagged
    assert "Camp notes" in Client().get("/resources/tags/notes/").content.decode()
    found = Client().get("/resources/", {"q": "camp notes"}).content.decode()
    assert "Camp notes" in found
    everywhere = Client().get("/search/", {"q": "camp notes"}).content.decode()
    assert resource.get_absolute_url() in everywhere
    # A link from before the library took them is brought in once, and once only.
    EventLink.objects.update(resource=None)
    Use.objects.all().delete()
    call_command("event_links_to_library", stdout=__import__("io").StringIO())
    call_command("event_links_to_library", stdout=__import__("io").StringIO())
    assert EventLink.objects.filter(resource=resource).count() == 2
    assert Use.objects.count() == 1 and Resource.objects.count() == 1
