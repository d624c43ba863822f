"""iCalendar (RFC 5545) for events and unconference sessions: one event, an organisation's events,
all events, and each session on the grid.

UIDs never change (the event's or session's id at the site's host), so a subscribed calendar
updates an entry rather than adding another. Times are written in Europe/London with the
VTIMEZONE the meetings feeds use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from kitbag.events.models import Attendance, Event, EventStatus, Session
from kitbag.meetings.calendar.ical import TZID, london_timezone

PRODID = "-//Kitbag//Events//EN"
ICAL_STATUS: dict[str, str] = {
    EventStatus.DRAFT: "TENTATIVE",
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "kitbag"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(london_timezone())
    return calendar


def event_component(event: Event) -> VEvent:
    component = VEvent()
    component.add("uid", f"event-{event.pk}@{_host()}")
    changed = event.updated_at.astimezone(dt.UTC)
    component.add("dtstamp", changed)
    component.add("last-modified", changed)
    component.add("dtstart", timezone.localtime(event.starts_at))
    component.add("dtend", timezone.localtime(event.ends_at))
    component.add("summary", event.title)
    url = _absolute(event.get_absolute_url())
    component.add("url", url)
    lines = [event.summary] if event.summary else []
    if event.organised_by:
        lines.append(f"Organised by {event.organised_by}")
    if event.attendance == Attendance.ONLINE:
        component.add("location", event.online_url)
        lines.append(f"Online: {event.online_url}")
    elif event.address:
        component.add("location", " ".join(event.address.split()))
    lines.append(f"On Kitbag: {url}")
    component.add("description", "\n\n".join(lines))
    # A cancelled event stays in the feeds, so subscribed calendars strike it out.
    component.add("status", ICAL_STATUS[event.status])
    return component


def session_component(session: Session) -> VEvent:
    assert session.slot is not None  # only placed sessions have a time
    component = VEvent()
    component.add("uid", f"session-{session.pk}@{_host()}")
    component.add("dtstamp", session.created_at.astimezone(dt.UTC))
    component.add("dtstart", timezone.localtime(session.slot.starts_at))
    component.add("dtend", timezone.localtime(session.slot.ends_at))
    component.add("summary", session.title)
    url = _absolute(session.get_absolute_url())
    component.add("url", url)
    if session.room is not None:
        component.add("location", f"{session.room.name}, {session.event.title}")
    component.add(
        "description", f"{session.about}\n\nHosted by {session.host_name}\n\nOn Kitbag: {url}"
    )
    return component


def events_calendar(*, name: str, events: Iterable[Event]) -> bytes:
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(event_component(event))
    return bytes(calendar.to_ical())


def sessions_calendar(*, name: str, sessions: Iterable[Session]) -> bytes:
    calendar = _calendar(name)
    for session in sessions:
        if session.slot is not None:
            calendar.add_component(session_component(session))
    return bytes(calendar.to_ical())
