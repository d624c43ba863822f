"""Shared fixtures: a fake ModernGov install on 127.0.0.1 and a council in the registry using it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient
from kitbag.meetings.tests.fake_moderngov import FakeMeeting, FakeModernGov, running
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def fake() -> Iterator[FakeModernGov]:
    """Two committees: planning meets next week and met last week; cabinet meets next month."""
    server = FakeModernGov()
    server.add_committee("21", "Planning Committee")
    server.add_committee("34", "Cabinet")
    server.add_meeting(
        FakeMeeting(
            id="5001",
            committee_id="21",
            date=today() + dt.timedelta(days=7),
            documents=[("801", "Agenda frontsheet"), ("802", "Officer report")],
        )
    )
    server.add_meeting(
        FakeMeeting(id="5000", committee_id="21", date=today() - dt.timedelta(days=7))
    )
    server.add_meeting(
        FakeMeeting(
            id="6001",
            committee_id="34",
            date=today() + dt.timedelta(days=30),
            time="6.30 pm",
            webcast=True,
        )
    )
    # Years ago: the server sends it (it ignores the range); the sync must not store it.
    server.add_meeting(FakeMeeting(id="1000", committee_id="21", date=dt.date(2012, 5, 1)))
    with running(server):
        yield server


@pytest.fixture
def council(fake: FakeModernGov) -> Organisation:
    return OrganisationFactory.create(
        name="Riverside District Council",
        short_name="Riverside",
        slug="riverside",
        code="RIV",
        democracy_cms="ModernGov",
        democracy_url=fake.base_url + "/",
    )


@pytest.fixture
def polite_client() -> PoliteClient:
    """No rate limit and almost no backoff, so tests run fast; a short timeout for slow tests."""
    return PoliteClient(
        user_agent="Kitbag tests (tests@kitbag.example)",
        timeout=1.0,
        retries=2,
        backoff=0.01,
        rate_limiter=HostRateLimiter(0),
    )


def window() -> tuple[dt.date, dt.date]:
    return today() - dt.timedelta(days=30), today() + dt.timedelta(days=120)
