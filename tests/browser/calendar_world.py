"""A council's calendar synced from a fake ModernGov install on 127.0.0.1, for the journeys."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kitbag.meetings.calendar import sync
from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient
from kitbag.meetings.tests.fake_moderngov import FakeMeeting, FakeModernGov, running
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

COMMITTEES = {"21": "Planning Committee", "34": "Cabinet"}


def _meetings(today: dt.date) -> list[FakeMeeting]:
    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    papers = [("801", "Agenda frontsheet"), ("802", "Officer report: Mill Road")]
    return [
        FakeMeeting(id="5001", committee_id="21", date=day(5), documents=papers),
        FakeMeeting(id="5002", committee_id="21", date=day(19), status="Cancelled"),
        FakeMeeting(id="5000", committee_id="21", date=day(-9)),
        FakeMeeting(id="6001", committee_id="34", date=day(12), time="6.30 pm", webcast=True),
    ]


def synced_calendar(council: Organisation | None = None) -> Organisation:
    """Sync `council` (by default a new Riverside District Council): a Planning Committee with an
    upcoming meeting and its papers, a cancelled one and a past one, and a webcast Cabinet."""
    today = timezone.localdate()
    fake = FakeModernGov()
    for committee_id, title in COMMITTEES.items():
        fake.add_committee(committee_id, title)
    for meeting in _meetings(today):
        fake.add_meeting(meeting)
    with running(fake):
        if council is None:
            council = OrganisationFactory.create(
                name="Riverside District Council",
                short_name="Riverside",
                slug="riverside",
                code="RIV",
            )
        council.democracy_cms = "ModernGov"
        council.democracy_url = fake.base_url
        council.save()
        sync.sync_system(
            system=sync.system_for(council=council),
            date_from=today - dt.timedelta(days=30),
            date_to=today + dt.timedelta(days=60),
            client=PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01, timeout=2),
        )
    return council


def fail_a_sync(council: Organisation) -> None:
    """Sync `council` again with its install gone (nothing listens on its port any more): the sync
    fails, and whatever the first sync stored stays."""
    today = timezone.localdate()
    sync.sync_system(
        system=sync.system_for(council=council),
        date_from=today - dt.timedelta(days=30),
        date_to=today + dt.timedelta(days=60),
        client=PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01, timeout=2),
    )
