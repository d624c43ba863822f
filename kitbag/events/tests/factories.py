"""Factories for events and the unconference grid, so a test says what it needs in one line.

event = EventFactory.create(capacity=2)                         # organised by a person
event = EventFactory.create(organisation=camden, organiser=None)  # organised by a body
room, slot = RoomFactory.create(event=event), SlotFactory.create(event=event)
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from kitbag.accounts.tests.factories import UserFactory
from kitbag.events.models import (
    Attendance,
    Booking,
    Event,
    EventKind,
    Interest,
    Room,
    Session,
    Slot,
)


def in_days(days: int, hour: int = 10) -> dt.datetime:
    day = (timezone.localtime() + dt.timedelta(days=days)).date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    kind = EventKind.MEETUP
    organiser = factory.SubFactory(UserFactory)
    organiser_name = "Pat Organiser"
    starts_at = factory.LazyFunction(lambda: in_days(10, 10))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=6))
    attendance = Attendance.IN_PERSON
    address = "1 Example Street, York"
    booking = Booking.KITBAG


class UnconferenceFactory(EventFactory):
    kind = EventKind.UNCONFERENCE


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    event = factory.SubFactory(UnconferenceFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 20


class SlotFactory(factory.django.DjangoModelFactory[Slot]):
    class Meta:
        model = Slot

    event = factory.SubFactory(UnconferenceFactory)
    starts_at = factory.LazyAttribute(lambda slot: slot.event.starts_at)
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + dt.timedelta(minutes=45))


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    event = factory.SubFactory(UnconferenceFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    about = "What we will talk about"
    host = factory.SubFactory(UserFactory)
    host_name = "Host Person"


class InterestFactory(factory.django.DjangoModelFactory[Interest]):
    class Meta:
        model = Interest

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
