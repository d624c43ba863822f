"""iCalendar (RFC 5545) feeds of meetings, for calendar apps to subscribe to.

Each meeting is one VEVENT whose UID never changes (the meeting's uuid at the site's host), whose
SEQUENCE goes up whenever something a calendar shows changes, and whose STATUS says CANCELLED
when the council cancels it, so a subscribed calendar updates the entry rather than adding a new
one. Times are in Europe/London with a VTIMEZONE in the feed; a meeting with no time is an
all-day event on its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from kitbag.meetings.models import Meeting, MeetingStatus

PRODID = "-//Kitbag//Open council meetings//EN"
TZID = "Europe/London"
ICAL_STATUS = {
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.POSTPONED: "CANCELLED",
    MeetingStatus.RESCHEDULED: "CONFIRMED",
    MeetingStatus.TENTATIVE: "TENTATIVE",
}


def london_timezone() -> Timezone:
    """Europe/London by its rules since 1996 (last Sundays of March and October, 01:00 UTC).

    Written out by rule rather than icalendar's generated list of every change to 2038: the feed
    stays small and every calendar app reads RRULE time zones.
    """
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", dt.timedelta(0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("dtstart", dt.datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(0))
    winter.add("dtstart", dt.datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def event_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "kitbag"
    return f"{meeting.uid}@{host}"


def _summary(meeting: Meeting) -> str:
    title = meeting.committee.title
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    if meeting.status == MeetingStatus.POSTPONED:
        return _("Postponed: %(title)s") % {"title": title}
    return title


def _description(meeting: Meeting, page_url: str) -> str:
    lines = [meeting.committee.title]
    if meeting.status_raw:
        lines.append(_("Status: %(status)s") % {"status": meeting.status_raw})
    if meeting.is_webcast:
        lines.append(_("This meeting is webcast."))
    if meeting.public_url:
        lines.append(_("Agenda and papers: %(url)s") % {"url": meeting.public_url})
    lines.append(_("On Kitbag: %(url)s") % {"url": page_url})
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, page_url: str) -> Event:
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    # DTSTAMP and LAST-MODIFIED are when the meeting last changed, not when the feed was drawn,
    # so an unchanged feed is byte-for-byte the same and calendar apps see nothing new.
    changed = meeting.changed_at.astimezone(dt.UTC)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("created", meeting.first_seen_at.astimezone(dt.UTC))
    start = timezone.localtime(meeting.start)
    if meeting.time_known:
        event.add("dtstart", start)
        if meeting.end and meeting.end > meeting.start:
            event.add("dtend", timezone.localtime(meeting.end))
    else:
        event.add("dtstart", meeting.start_date)
        event.add("dtend", meeting.start_date + dt.timedelta(days=1))
    event.add("summary", _summary(meeting))
    event.add("status", ICAL_STATUS.get(MeetingStatus(meeting.status), "TENTATIVE"))
    location = ", ".join(part for part in (meeting.room, meeting.location) if part)
    if location:
        event.add("location", location)
    event.add("url", page_url)
    event.add("description", _description(meeting, page_url))
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(*, name: str, meetings: Iterable[Meeting], page_urls: dict[int, str]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    # Councils change meetings at short notice; twice a day is polite to us and timely enough.
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    calendar.add_component(london_timezone())
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, page_url=page_urls[meeting.pk]))
    return bytes(calendar.to_ical())
