"""A resident finds a council's meetings, opens a committee and a meeting, and finds the feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from kitbag.meetings.calendar import sync
from kitbag.meetings.calendar.client import HostRateLimiter, PoliteClient
from kitbag.meetings.tests.fake_moderngov import FakeMeeting, FakeModernGov, running
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def council() -> Iterator[Organisation]:
    """A council whose calendar was synced from a fake ModernGov install on 127.0.0.1."""
    today = timezone.localdate()
    fake = FakeModernGov()
    fake.add_committee("21", "Planning Committee")
    fake.add_committee("34", "Cabinet")
    fake.add_meeting(
        FakeMeeting(
            id="5001",
            committee_id="21",
            date=today + dt.timedelta(days=5),
            documents=[("801", "Agenda frontsheet"), ("802", "Officer report: Mill Road")],
        )
    )
    fake.add_meeting(
        FakeMeeting(
            id="5002", committee_id="21", date=today + dt.timedelta(days=19), status="Cancelled"
        )
    )
    fake.add_meeting(FakeMeeting(id="5000", committee_id="21", date=today - dt.timedelta(days=9)))
    fake.add_meeting(
        FakeMeeting(
            id="6001",
            committee_id="34",
            date=today + dt.timedelta(days=12),
            time="6.30 pm",
            webcast=True,
        )
    )
    with running(fake):
        organisation = OrganisationFactory.create(
            name="Riverside District Council",
            short_name="Riverside",
            slug="riverside",
            code="RIV",
            democracy_cms="ModernGov",
            democracy_url=fake.base_url,
        )
        sync.sync_system(
            system=sync.system_for(council=organisation),
            date_from=today - dt.timedelta(days=30),
            date_to=today + dt.timedelta(days=60),
            client=PoliteClient(rate_limiter=HostRateLimiter(0), backoff=0.01, timeout=2),
        )
    yield organisation


def test_open_a_councils_calendar_then_a_committee_then_a_meeting(
    council: Organisation, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + council.get_absolute_url())
    page.get_by_role("link", name="Meetings of Riverside and its committees").click()

    assert page.locator("h1").inner_text().strip() == "Meetings"
    upcoming = page.get_by_role("table", name="Upcoming meetings")
    assert upcoming.locator("tbody tr").count() == 3
    assert "Cancelled" in upcoming.inner_text()
    assert page.get_by_role("table", name="Past meetings").locator("tbody tr").count() == 1
    assert page.get_by_role(
        "link", name="Subscribe to these meetings in your calendar"
    ).is_visible()
    assert "Working" in page.locator("main").inner_text()  # the web service's health
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Planning Committee").last.click()
    assert page.locator("h1").inner_text().strip() == "Planning Committee"
    assert page.get_by_role("link", name="Officer report: Mill Road").is_visible()
    assert "Cabinet" not in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("table", name="Upcoming meetings").get_by_role("link").first.click()
    assert page.get_by_role("heading", name="Minutes of the last meeting").is_visible()
    assert "Civic Hall, Committee Room 2" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Council meetings").first.click()
    assert page.locator("h1").inner_text().strip() == "Council meetings"
    assert page.get_by_role("link", name="Riverside District Council").is_visible()
    assert_no_accessibility_violations(page)


def test_a_cancelled_meeting_page_warns_and_the_feed_is_offered_to_calendar_apps(
    council: Organisation, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/meetings/riverside/")
    row = page.get_by_role("table", name="Upcoming meetings").locator("tr", has_text="Cancelled")
    row.get_by_role("link").click()
    assert "This meeting has been cancelled." in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    feed = page.request.get(live_server.url + "/meetings/riverside/calendar.ics")
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "STATUS:CANCELLED" in feed.text()


def test_a_council_not_yet_synced_has_an_accessible_page_saying_so(
    live_server: Any, page: Any
) -> None:
    OrganisationFactory.create(name="Quiet District Council", slug="quiet", democracy_cms="CMIS")
    page.goto(live_server.url + "/meetings/quiet/")
    assert "have not been synced yet" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)
