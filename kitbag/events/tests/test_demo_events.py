from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kitbag.events.models import Event, EventKind, Session

pytestmark = pytest.mark.django_db


def test_the_demo_is_an_upcoming_unconference_with_pitched_sessions_made_once() -> None:
    call_command("demo_events", stdout=StringIO())
    event = Event.objects.get()
    assert event.kind == EventKind.UNCONFERENCE and not event.is_past
    assert "demonstration" in event.title.lower()
    sessions = Session.objects.filter(event=event)
    assert sessions.count() == 4 and sessions.filter(room__isnull=False).count() == 2
    # Credited to no real person: every account is a demonstration address.
    hosts = {session.host.email for session in sessions if session.host}
    assert all(email.endswith("@example.org") for email in hosts)
    assert all("(demonstration)" in session.host_name for session in sessions)
    call_command("demo_events", stdout=StringIO())
    assert Event.objects.count() == 1 and Session.objects.count() == 4


def test_the_demo_grid_and_event_pages_show(client: Client) -> None:
    call_command("demo_events", stdout=StringIO())
    event = Event.objects.get()
    assert client.get(event.get_absolute_url()).status_code == 200
    grid = client.get(f"{event.get_absolute_url()}grid/").content.decode()
    assert "Reusing another council" in grid and "Main hall" in grid
