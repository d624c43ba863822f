"""An event as schema.org Event, for the JSON-LD block on its page (core/downloads.py writes it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from kitbag.events.models import Attendance, Booking, Event

MODE = {
    Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
}


def event_json_ld(event: Event, *, remaining_places: int | None = None) -> dict[str, Any]:
    url = settings.SITE_URL + event.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": event.title,
        # With the offset, so a reader needs no time zone table: +01:00 in summer, Z in winter.
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": MODE[Attendance(event.attendance)],
    }
    if event.summary:
        data["description"] = event.summary
    if event.attendance == Attendance.ONLINE:
        data["location"] = {"@type": "VirtualLocation", "url": event.online_url}
    else:
        data["location"] = {
            "@type": "Place",
            "address": " ".join(event.address.split()),
        }
    if event.organisation is not None:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.organisation.name,
            "url": settings.SITE_URL + event.organisation.get_absolute_url(),
        }
    elif event.organiser_name:
        data["organizer"] = {"@type": "Person", "name": event.organiser_name}
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        if remaining_places is not None:
            data["remainingAttendeeCapacity"] = remaining_places
    if event.booking == Booking.ELSEWHERE:
        data["offers"] = {"@type": "Offer", "url": event.booking_url}
    if event.series is not None:
        data["superEvent"] = {"@type": "EventSeries", "name": event.series.name}
    return data
