"""A resident finds a council's meetings, opens a committee and a meeting, and finds the feed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.meetings.tests.openness_world import PASSPHRASE, person
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.calendar_world import fail_a_sync, synced_calendar
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def council() -> Organisation:
    """A council whose calendar was synced from a fake ModernGov install on 127.0.0.1."""
    return synced_calendar()


def test_open_a_councils_calendar_then_a_committee_then_a_meeting(
    council: Organisation, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + council.get_absolute_url())
    page.get_by_role("link", name="Meetings of Riverside and its committees").click()

    expect(page.locator("h1")).to_have_text("Meetings", use_inner_text=True)
    upcoming = page.get_by_role("table", name="Upcoming meetings")
    assert upcoming.locator("tbody tr").count() == 3
    assert "Cancelled" in upcoming.inner_text()
    assert page.get_by_role("table", name="Past meetings").locator("tbody tr").count() == 1
    assert page.get_by_role(
        "link", name="Subscribe to these meetings in your calendar"
    ).is_visible()
    main = page.locator("main").inner_text()
    assert "Last brought up to date on" in main
    for technical in ("GetCommittees", "ModernGov", "synced"):  # nothing citizens need decode
        assert technical not in main
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Planning Committee").last.click()
    expect(page.locator("h1")).to_have_text("Planning Committee", use_inner_text=True)
    expect(page.get_by_role("link", name="Officer report: Mill Road")).to_be_visible()
    assert "Cabinet" not in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("table", name="Upcoming meetings").get_by_role("link").first.click()
    page.get_by_role("heading", name="Minutes of the last meeting").wait_for()
    assert "Civic Hall, Committee Room 2" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Council meetings").first.click()
    expect(page.locator("h1")).to_have_text("Council meetings", use_inner_text=True)
    expect(page.get_by_role("link", name="Riverside District Council")).to_be_visible()
    assert_no_accessibility_violations(page)


def test_a_cancelled_meeting_page_warns_and_the_feed_is_offered_to_calendar_apps(
    council: Organisation, live_server: Any, page: Any
) -> None:
    # From the home page, the service navigation leads to the calendars in one click.
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Council meetings").click()
    expect(page.locator("h1")).to_have_text("Council meetings", use_inner_text=True)
    page.get_by_role("link", name="Riverside District Council").click()
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
    assert "We have not copied this council's meetings calendar yet." in (
        page.locator("main").inner_text()
    )
    assert_no_accessibility_violations(page)
    # Its registry page says in one line what will appear, under its one meetings heading.
    page.goto(live_server.url + "/organisations/quiet/")
    expect(page.get_by_role("heading", name="Council meetings")).to_have_count(1)
    assert "will appear here once we have copied its calendar" in page.locator("main").inner_text()
    assert "Nothing yet" not in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)


def test_a_failed_sync_is_told_plainly_to_the_public_and_in_detail_to_staff(
    council: Organisation, live_server: Any, page: Any
) -> None:
    fail_a_sync(council)
    page.goto(live_server.url + council.get_absolute_url())
    page.get_by_role("link", name="Meetings of Riverside and its committees").click()
    expect(page.locator("h1")).to_have_text("Meetings", use_inner_text=True)
    problem = page.locator("#sync-problem")
    expect(problem).to_contain_text("We could not reach the council's meetings website on")
    expect(problem).to_contain_text("we will try again")
    expect(problem).to_contain_text("at about 3am")
    expect(problem).to_contain_text("The meetings below were last brought up to date on")
    # What was stored stays, and no technical detail is shown to the public.
    assert page.get_by_role("table", name="Upcoming meetings").locator("tbody tr").count() == 3
    main = page.locator("main").inner_text()
    assert "GetCommittees" not in main and "Unreachable" not in main
    assert_no_accessibility_violations(page)

    # Staff see which operation answered how.
    person("staff@kitbag.example", is_staff=True)
    sign_in(page, live_server, "staff@kitbag.example", PASSPHRASE)
    page.goto(live_server.url + "/meetings/riverside/")
    health = page.get_by_role("table", name="For staff")
    expect(health).to_contain_text("GetCommittees")
    expect(health).to_contain_text("Unreachable")
    assert_no_accessibility_violations(page)
