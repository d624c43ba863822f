"""Calendar pages and iCalendar feeds, from data a real sync stored from the fake install."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from kitbag.meetings.calendar import sync
from kitbag.meetings.calendar.client import PoliteClient
from kitbag.meetings.models import Committee, DemocracySystem, Meeting
from kitbag.meetings.tests.conftest import window
from kitbag.meetings.tests.fake_moderngov import FakeModernGov
from kitbag.registry.models import Organisation
from kitbag.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(council: Organisation, fake: FakeModernGov, polite_client: PoliteClient) -> Organisation:
    date_from, date_to = window()
    system = sync.system_for(council=council)
    sync.sync_system(system=system, date_from=date_from, date_to=date_to, client=polite_client)
    return council


def read_feed(client: Client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_council_feed_is_valid_icalendar_with_london_time_and_stable_uids(
    client: Client, synced: Organisation
) -> None:
    calendar = read_feed(client, f"/meetings/{synced.slug}/calendar.ics")
    assert str(calendar["VERSION"]) == "2.0"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    uids = {str(e["UID"]) for e in events}
    expected = {f"{m.uid}@127.0.0.1" for m in Meeting.objects.all()}
    assert uids == expected
    planning = next(e for e in events if str(e["SUMMARY"]) == "Planning Committee" and "DTEND" in e)
    start = planning.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/London"
    assert planning["DTSTART"].params["TZID"] == "Europe/London"
    assert str(planning["STATUS"]) == "CONFIRMED"
    assert "Civic Hall" in str(planning["LOCATION"])
    assert "/meetings/riverside/meetings/" in str(planning["URL"])
    # The same data gives the same bytes: calendar apps see no change.
    assert (
        client.get(f"/meetings/{synced.slug}/calendar.ics").content
        == client.get(f"/meetings/{synced.slug}/calendar.ics").content
    )


def test_a_cancelled_meeting_is_status_cancelled_with_a_higher_sequence_and_the_same_uid(
    client: Client,
    synced: Organisation,
    fake: FakeModernGov,
    polite_client: PoliteClient,
) -> None:
    before = {
        str(e["UID"]): e
        for e in read_feed(client, "/meetings/riverside/calendar.ics").walk("VEVENT")
    }
    fake.meetings["5001"].status = "Cancelled"
    date_from, date_to = window()
    sync.sync_system(
        system=sync.system_for(council=synced),
        date_from=date_from,
        date_to=date_to,
        client=polite_client,
    )
    after = {
        str(e["UID"]): e
        for e in read_feed(client, "/meetings/riverside/calendar.ics").walk("VEVENT")
    }
    assert before.keys() == after.keys()
    uid = f"{Meeting.objects.get(source_id='5001').uid}@127.0.0.1"
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert after[uid].decoded("SEQUENCE") == before[uid].decoded("SEQUENCE") + 1
    assert str(after[uid]["SUMMARY"]).startswith("Cancelled:")


def test_a_committee_feed_has_only_that_committees_meetings(
    client: Client, synced: Organisation
) -> None:
    cabinet = Committee.objects.get(title="Cabinet")
    calendar = read_feed(client, f"/meetings/riverside/committees/{cabinet.pk}/calendar.ics")
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Cabinet"]
    assert "Cabinet" in str(calendar["X-WR-CALNAME"])


def test_the_council_page_lists_upcoming_and_past_meetings_webcasts_committees_and_health(
    client: Client, synced: Organisation
) -> None:
    response = client.get("/meetings/riverside/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Meetings of Riverside District Council – Kitbag</title>" in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "Upcoming meetings" in html and "Past meetings" in html
    assert html.count("Planning Committee") >= 3  # two meetings and the committee list
    assert 'href="/meetings/riverside/calendar.ics"' in html
    assert "Last brought up to date on" in html
    assert "2012" not in html  # outside the window, never stored
    upcoming = html.split("Upcoming meetings")[1].split("Past meetings")[0]
    assert "6:30pm" in upcoming and "10am" in upcoming


def test_the_committee_page_lists_its_meetings_with_their_documents(
    client: Client, synced: Organisation
) -> None:
    planning = Committee.objects.get(title="Planning Committee")
    response = client.get(f"/meetings/riverside/committees/{planning.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Planning Committee</h1>' in html
    assert "Agenda frontsheet" in html and "Officer report" in html
    assert "Cabinet" not in html.split("<main")[1]


def test_the_meeting_page_shows_the_agenda_documents_and_the_source(
    client: Client, synced: Organisation, fake: FakeModernGov
) -> None:
    meeting = Meeting.objects.get(source_id="5001")
    response = client.get(f"/meetings/riverside/meetings/{meeting.uid}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Minutes of the last meeting" in html
    assert "<p>To agree the minutes.</p>" in html
    assert "WordSection1" not in html
    assert f"{fake.base_url}/ieListDocuments.aspx?CId=21&amp;MId=5001" in html


def test_another_councils_committee_or_meeting_is_not_found_under_this_council(
    client: Client, synced: Organisation
) -> None:
    OrganisationFactory.create(name="Other District Council", slug="other")
    meeting = Meeting.objects.get(source_id="5001")
    assert client.get(f"/meetings/other/meetings/{meeting.uid}/").status_code == 404
    assert client.get(f"/meetings/other/committees/{meeting.committee_id}/").status_code == 404
    assert client.get("/meetings/no-such-council/").status_code == 404


def test_a_council_never_synced_says_so_and_links_to_its_own_site(client: Client) -> None:
    OrganisationFactory.create(
        name="Quiet District Council",
        slug="quiet",
        democracy_cms="CMIS",
        democracy_url="https://quiet.cmis.example/",
    )
    html = client.get("/meetings/quiet/").content.decode()
    assert "We have not copied this council's meetings calendar yet." in html
    assert "https://quiet.cmis.example/" in html
    assert "CMIS" not in html  # no system names for citizens


# --- Speaking to citizens (issue 16) ------------------------------------------------------------

TECHNICAL = ("GetCommittees", "GetMeetings", "GetMeeting", "ModernGov", "web service", "synced")


def _page_text(client: Client, url: str) -> str:
    """The page as read: the visible text of <main>, without markup or comments."""
    html = client.get(url).content.decode()
    main = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<!--.*?-->", "", main)).split())


def _expected_next_try() -> str:
    """The sync is scheduled at 3am London time (settings.CELERY_BEAT_SCHEDULE)."""
    now = timezone.localtime()
    return f"we will try again {'today' if now.hour < 3 else 'tomorrow'} at about 3am"


def test_calendar_pages_use_no_technical_names_for_the_public(
    client: Client, synced: Organisation
) -> None:
    meeting = Meeting.objects.filter(committee__title="Planning Committee").first()
    assert meeting is not None
    committee = Committee.objects.get(title="Cabinet")
    for url in (
        "/meetings/",
        "/meetings/riverside/",
        f"/meetings/riverside/committees/{committee.pk}/",
        f"/meetings/riverside/meetings/{meeting.uid}/",
        synced.get_absolute_url(),
    ):
        text = _page_text(client, url)
        for word in TECHNICAL:
            assert word not in text, (url, word)


def test_staff_see_how_each_operation_answered(client: Client, synced: Organisation) -> None:
    client.force_login(_staff())  # type: ignore[arg-type]
    html = client.get("/meetings/riverside/").content.decode()
    assert "GetCommittees" in html and "Working" in html
    assert "For staff" in html


def _staff() -> object:
    from kitbag.accounts.models import User

    return User.objects.create_user("staff@kitbag.example", "x", is_staff=True)


def test_a_failed_sync_is_described_plainly_with_when_it_will_be_tried_again(
    client: Client, synced: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    fake.failures["GetCommittees"] = 500
    date_from, date_to = window()
    system = sync.system_for(council=synced)
    sync.sync_system(system=system, date_from=date_from, date_to=date_to, client=polite_client)
    text = _page_text(client, "/meetings/riverside/")
    day = timezone.localtime(DemocracySystem.objects.get().last_synced_at).strftime("%-d %B")
    assert (
        f"We could not reach the council's meetings website on {day}; {_expected_next_try()}."
        in text
    )
    # The earlier sync did work: the meetings shown say when they were last up to date, and
    # "last brought up to date" never names the failed attempt.
    system.refresh_from_db()
    assert system.last_success_at is not None
    assert system.last_success_at < system.last_synced_at  # type: ignore[operator]
    assert "The meetings below were last brought up to date on" in text
    for word in TECHNICAL:
        assert word not in text


def test_a_first_sync_that_failed_says_nothing_was_brought_up_to_date(
    client: Client, council: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    fake.failures["GetCommittees"] = 403
    date_from, date_to = window()
    sync.sync_system(
        system=sync.system_for(council=council),
        date_from=date_from,
        date_to=date_to,
        client=polite_client,
    )
    text = _page_text(client, "/meetings/riverside/")
    assert "We could not reach the council's meetings website on" in text
    assert _expected_next_try() in text
    assert "brought up to date" not in text and "Last synced" not in text


def test_a_partial_sync_says_some_meetings_may_be_missing(
    client: Client, synced: Organisation, fake: FakeModernGov, polite_client: PoliteClient
) -> None:
    fake.failures["GetMeetings"] = 500
    date_from, date_to = window()
    sync.sync_system(
        system=sync.system_for(council=synced),
        date_from=date_from,
        date_to=date_to,
        client=polite_client,
    )
    text = _page_text(client, "/meetings/riverside/")
    assert "we could read only part of the council's meetings website" in text
    assert _expected_next_try() in text


def test_the_index_lists_councils_with_calendars(client: Client, synced: Organisation) -> None:
    html = client.get("/meetings/").content.decode()
    assert 'href="/meetings/riverside/"' in html


def test_the_organisation_page_links_to_the_councils_meetings(
    client: Client, synced: Organisation
) -> None:
    html = client.get(synced.get_absolute_url()).content.decode()
    assert 'href="/meetings/riverside/"' in html
