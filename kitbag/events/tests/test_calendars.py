"""iCalendar feeds parsed back with the icalendar library, JSON-LD on the event page, and times
in Europe/London across summer time (BST) and winter (GMT)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kitbag.events.models import Attendance
from kitbag.events.tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SlotFactory,
    UnconferenceFactory,
)
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SUMMER_UTC = dt.datetime(2027, 6, 14, 8, 30, tzinfo=dt.UTC)  # 09:30 BST
WINTER_UTC = dt.datetime(2027, 1, 18, 9, 30, tzinfo=dt.UTC)  # 09:30 GMT


def events_in(body: bytes) -> list[Any]:
    calendar = Calendar.from_ical(body)
    return [component for component in calendar.walk("VEVENT")]


def test_an_events_calendar_parses_back_with_its_times_in_london() -> None:
    summer = EventFactory.create(
        title="Summer meetup", starts_at=SUMMER_UTC, ends_at=SUMMER_UTC + dt.timedelta(hours=2)
    )
    response = Client().get(reverse("events:event_calendar", args=[summer.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    (event,) = events_in(response.content)
    start = event["DTSTART"].dt
    assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=1)
    assert (start.hour, start.minute) == (9, 30)
    assert start.astimezone(dt.UTC) == SUMMER_UTC
    assert str(event["SUMMARY"]) == "Summer meetup"
    assert str(event["UID"]).startswith(f"event-{summer.pk}@")


def test_a_winter_event_is_at_the_same_clock_time_without_an_offset() -> None:
    winter = EventFactory.create(starts_at=WINTER_UTC, ends_at=WINTER_UTC + dt.timedelta(hours=2))
    (event,) = events_in(Client().get(reverse("events:event_calendar", args=[winter.slug])).content)
    start = event["DTSTART"].dt
    assert (start.hour, start.minute) == (9, 30) and start.utcoffset() == dt.timedelta(0)


def test_all_events_and_an_organisations_events_are_calendars() -> None:
    council = OrganisationFactory.create()
    ours = EventFactory.create(organisation=council, organiser=None, title="Ours")
    EventFactory.create(title="Theirs")
    everything = events_in(Client().get(reverse("events:all_events_calendar")).content)
    assert {str(e["SUMMARY"]) for e in everything} == {"Ours", "Theirs"}
    response = Client().get(reverse("events:organisation_calendar", args=[council.slug]))
    (only,) = events_in(response.content)
    assert str(only["UID"]) == f"event-{ours.pk}@127.0.0.1"


def test_an_online_event_gives_its_link_as_the_location() -> None:
    online = EventFactory.create(
        attendance=Attendance.ONLINE, address="", online_url="https://meet.example.org/x"
    )
    (event,) = events_in(Client().get(reverse("events:event_calendar", args=[online.slug])).content)
    assert str(event["LOCATION"]) == "https://meet.example.org/x"


def test_each_placed_session_is_a_calendar_entry_of_its_own() -> None:
    event = UnconferenceFactory.create(
        starts_at=SUMMER_UTC, ends_at=SUMMER_UTC + dt.timedelta(hours=8)
    )
    room = RoomFactory.create(event=event, name="Main hall")
    slot = SlotFactory.create(event=event)
    session = SessionFactory.create(event=event, room=room, slot=slot, title="Open data")
    unplaced = SessionFactory.create(event=event)
    response = Client().get(reverse("events:session_calendar", args=[event.slug, session.pk]))
    (entry,) = events_in(response.content)
    assert str(entry["SUMMARY"]) == "Open data"
    assert "Main hall" in str(entry["LOCATION"])
    assert entry["DTSTART"].dt.utcoffset() == dt.timedelta(hours=1)
    missing = Client().get(reverse("events:session_calendar", args=[event.slug, unplaced.pk]))
    assert missing.status_code == 404
    grid = events_in(Client().get(reverse("events:grid_calendar", args=[event.slug])).content)
    assert len(grid) == 1


def json_ld_of(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_the_event_page_carries_a_schema_org_event_with_london_offsets() -> None:
    council = OrganisationFactory.create(name="York Council")
    summer = EventFactory.create(
        title="Summer </script><b>camp",
        organisation=council,
        organiser=None,
        starts_at=SUMMER_UTC,
        ends_at=SUMMER_UTC + dt.timedelta(hours=2),
        capacity=30,
    )
    html = Client().get(summer.get_absolute_url()).content.decode()
    assert "</script><b>" not in html.split("<body")[0]
    data = json_ld_of(html)
    assert data["@type"] == "Event" and data["name"] == "Summer </script><b>camp"
    assert data["startDate"] == "2027-06-14T09:30:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "York Council",
        "url": f"http://127.0.0.1:8000{council.get_absolute_url()}",
    }
    assert data["maximumAttendeeCapacity"] == 30 and data["remainingAttendeeCapacity"] == 30
    winter = EventFactory.create(starts_at=WINTER_UTC, ends_at=WINTER_UTC + dt.timedelta(hours=1))
    assert (
        json_ld_of(Client().get(winter.get_absolute_url()).content.decode())["startDate"]
        == "2027-01-18T09:30:00+00:00"
    )


def test_the_page_shows_uk_time_and_its_name() -> None:
    summer = EventFactory.create(starts_at=SUMMER_UTC, ends_at=SUMMER_UTC + dt.timedelta(hours=2))
    html = Client().get(summer.get_absolute_url()).content.decode()
    assert "09:30–11:30 BST" in html
    winter = EventFactory.create(starts_at=WINTER_UTC, ends_at=WINTER_UTC + dt.timedelta(hours=2))
    assert "09:30–11:30 GMT" in Client().get(winter.get_absolute_url()).content.decode()
