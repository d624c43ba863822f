"""kitbag demo-events: an upcoming unconference with rooms, times and a few pitched sessions, so a
newcomer sees the events part working.

Everything is invented for the demonstration and says so: the event, its organiser and the
people who pitched sessions are demonstration accounts (addresses at example.org that cannot sign
in), credited to no real person. Idempotent: a second run finds the event and changes nothing.
Run by `make import`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kitbag.accounts.models import User
from kitbag.events import services
from kitbag.events.models import Attendance, Booking, Event, EventKind

TITLE = "Open Services Camp (demonstration)"
ORGANISER = ("demo-events-organiser@example.org", "The Open Services Camp volunteers")
# (email, name shown, title, what it is about, (room index, slot index) or None)
PITCHES = (
    (
        "demo-events-host-1@example.org",
        "Alex (demonstration)",
        "Reusing another council's bin collection app",
        "We adopted a neighbouring council's open-source app. What went well, what we would "
        "do differently, and how to ask for the code.",
        (0, 0),
    ),
    (
        "demo-events-host-2@example.org",
        "Sam (demonstration)",
        "Plain English letters for council tax",
        "Bring a letter you send residents; we will rewrite one together and compare notes.",
        (1, 0),
    ),
    (
        "demo-events-host-3@example.org",
        "Jo (demonstration)",
        "What should a shared library of links look like?",
        "Bookmarks, reading lists and who recommends what: an open discussion.",
        None,
    ),
    (
        "demo-events-host-1@example.org",
        "Alex (demonstration)",
        "Running an unconference inside your organisation",
        "Lessons from running internal open-space days: rooms, timing, and the notes afterwards.",
        None,
    ),
)
ROOMS = (("Main hall", 60), ("Room 2", 20), ("The snug", 8))


def _person(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # No usable password and no confirmed address: nobody can sign in as a demo person.
        user = User.objects.create_user(email=email, password=None)
    return user


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class Command(BaseCommand):
    help = "Create the demonstration unconference with a few pitched sessions (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Event.objects.filter(title=TITLE).exists():
            self.stdout.write("The demonstration unconference is already there.")
            return
        with transaction.atomic():
            event = self._create()
        self.stdout.write(f"Created the demonstration unconference: {event.get_absolute_url()}")

    def _create(self) -> Event:
        organiser = _person(ORGANISER[0])
        day = (timezone.localtime() + dt.timedelta(days=28)).date()
        # A Saturday four weeks or so ahead.
        day += dt.timedelta(days=(5 - day.weekday()) % 7)
        event = services.create_event(
            details=services.EventDetails(
                title=TITLE,
                summary=(
                    "A day of sessions pitched by the people who come, about running public "
                    "services in the open. Invented for Kitbag's demonstration: the event, its "
                    "organisers and its sessions are not real."
                ),
                kind=EventKind.UNCONFERENCE,
                starts_at=_at(day, 9, 30),
                ends_at=_at(day, 16, 30),
                attendance=Attendance.IN_PERSON,
                address="The Community Hall (demonstration)\n1 Example Street\nYork",
                nation="England",
                region="Yorkshire and The Humber",
                booking=Booking.KITBAG,
                capacity=80,
                series_name="Open Services Camp",
                tags=("open source", "unconference"),
            ),
            by=organiser,
            organiser_name=ORGANISER[1],
        )
        # Published as an organiser would, so it is listed and announced like any other.
        event = services.publish_event(event=event, by=organiser)
        rooms = [
            services.add_room(event=event, by=organiser, name=name, capacity=seats)
            for name, seats in ROOMS
        ]
        slots = [
            services.add_slot(
                event=event, by=organiser, starts_at=_at(day, hour), ends_at=_at(day, hour, 45)
            )
            for hour in (10, 11, 13, 14)
        ]
        for email, name, title, about, where in PITCHES:
            session = services.pitch_session(
                event=event, by=_person(email), title=title, about=about, host_name=name
            )
            if where is not None:
                services.place_session(
                    session=session, by=organiser, room=rooms[where[0]], slot=slots[where[1]]
                )
        return event
