"""An organiser sets out the rooms and times of an unconference; a participant pitches a session
and marks interest; the organiser places it on the grid with the form that works without
JavaScript; everyone sees it there, also on a phone. Every page on the way is audited with
axe-core (which also checks the page reflows at 320 CSS pixels)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kitbag.events.models import Session
from kitbag.events.tests.factories import (
    InterestFactory,
    RoomFactory,
    SessionFactory,
    SlotFactory,
    UnconferenceFactory,
    in_days,
)
from kitbag.meetings.tests.openness_world import PASSPHRASE, person
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page: Any, live_server: Any, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, email, PASSPHRASE)


def test_pitch_a_session_and_see_it_placed_on_the_grid(live_server: Any, page: Any) -> None:
    organiser = person("organiser@example.org")
    pitcher = person("pitcher@example.org")
    event = UnconferenceFactory.create(
        title="Riverside open space day",
        organiser=organiser,
        organiser_name="The volunteers",
        starts_at=in_days(30, 9),
        ends_at=in_days(30, 17),
    )
    day = timezone.localtime(event.starts_at).date().isoformat()

    # The organiser sets out a room and a time slot.
    sign_in(page, live_server, organiser.email, PASSPHRASE)
    page.goto(live_server.url + "/events/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Riverside open space day").click()
    expect(page.locator("h1")).to_have_text("Riverside open space day")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="See the session grid").click()
    page.get_by_role("link", name="Rooms and times").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Room").fill("The snug")
    page.get_by_label("Seats").fill("8")
    page.get_by_role("button", name="Add the room").click()
    page.locator("#id_slot-starts_at").fill(f"{day}T10:00")
    page.locator("#id_slot-ends_at").fill(f"{day}T10:45")
    page.get_by_role("button", name="Add the time slot").click()
    expect(page.locator("main")).to_contain_text("The snug (8 seats)")
    expect(page.locator("main")).to_contain_text("10:00–10:45")
    assert_no_accessibility_violations(page)

    # A participant pitches a session.
    switch_to(page, live_server, pitcher.email)
    page.goto(live_server.url + event.get_absolute_url() + "grid/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Pitch a session").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Pitch the session").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Title of your session").fill("Sharing bin collection code")
    page.get_by_label("What it is about").fill("How two councils reused one app.")
    page.get_by_label("Your name as it should be shown").fill("Alex")
    page.get_by_role("button", name="Pitch the session").click()
    expect(page.locator("h1")).to_have_text("Sharing bin collection code")
    expect(page.locator("main")).to_contain_text("Not on the grid yet")
    assert_no_accessibility_violations(page)

    # The organiser places it, with the form (no JavaScript needed).
    switch_to(page, live_server, organiser.email)
    page.goto(live_server.url + event.get_absolute_url() + "grid/")
    unplaced = page.locator("section", has=page.get_by_role("heading", name="Pitched, not yet"))
    expect(unplaced).to_contain_text("Sharing bin collection code")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Place Sharing bin collection code").click()
    expect(page.locator("h1")).to_have_text("Place the session on the grid")
    assert_no_accessibility_violations(page)
    page.get_by_label("Room").select_option(label="The snug")
    page.get_by_label("Time").select_option(index=1)
    page.get_by_role("button", name="Place the session").click()
    slot = page.locator("section", has=page.get_by_role("heading", name="10:00–10:45"))
    expect(slot.locator("li", has_text="The snug")).to_contain_text("Sharing bin collection code")
    assert_no_accessibility_violations(page)
    session = Session.objects.get()
    assert session.room is not None and session.room.name == "The snug"

    # Anyone sees it on the grid, and on a phone it reads top to bottom.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + event.get_absolute_url() + "grid/")
    expect(page.locator("main")).to_contain_text("Hosted by Alex")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Sharing bin collection code").click()
    expect(page.locator("main")).to_contain_text("The snug")
    assert_no_accessibility_violations(page)


def test_an_organiser_drags_a_session_onto_the_grid(live_server: Any, page: Any) -> None:
    organiser = person("organiser@example.org")
    event = UnconferenceFactory.create(
        organiser=organiser, starts_at=in_days(30, 9), ends_at=in_days(30, 17)
    )
    room = RoomFactory.create(event=event, name="Main hall", capacity=1)
    SlotFactory.create(event=event)
    session = SessionFactory.create(event=event, title="Open data in practice")
    InterestFactory.create(session=session)
    InterestFactory.create(session=session)
    sign_in(page, live_server, organiser.email, PASSPHRASE)
    page.goto(live_server.url + event.get_absolute_url() + "grid/")
    expect(page.get_by_text("Drag a session into a room and time")).to_be_visible()
    page.locator(f"#session-{session.pk}").drag_to(page.locator(f'li[data-room="{room.pk}"]'))
    cell = page.locator(f'li[data-room="{room.pk}"]')
    expect(cell).to_contain_text("Open data in practice")
    # Two interested, one seat: the grid says so.
    expect(cell).to_contain_text("More people interested than the room seats")
    assert_no_accessibility_violations(page)
    session.refresh_from_db()
    assert session.room == room


def test_the_organisers_forms_and_the_notes_are_accessible(live_server: Any, page: Any) -> None:
    organiser = person("organiser@example.org")
    event = UnconferenceFactory.create(
        organiser=organiser, starts_at=in_days(30, 9), ends_at=in_days(30, 17)
    )
    session = SessionFactory.create(event=event, host=organiser, title="Shared notes")
    sign_in(page, live_server, organiser.email, PASSPHRASE)

    page.goto(live_server.url + "/events/new")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("link", name="Edit the event").click()
    assert_no_accessibility_violations(page)
    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("link", name="Add a link").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Title").fill("Write-up of the day")
    page.get_by_label("Address (URL)").fill("https://example.org/write-up")
    page.get_by_label("Kind").select_option(label="Write-up")
    page.get_by_role("button", name="Add the link").click()
    expect(page.get_by_role("link", name="Write-up of the day")).to_be_visible()

    for text in ("We met and agreed to share code.", "We met and agreed to share code by June."):
        page.goto(live_server.url + session.get_absolute_url())
        page.get_by_role("link", name="Edit the notes").click()
        assert_no_accessibility_violations(page)
        page.get_by_label("Notes").fill(text)
        page.get_by_role("button", name="Save the notes").click()
    expect(page.locator("main")).to_contain_text("share code by June")
    page.get_by_text("History: 2 versions").click()
    assert_no_accessibility_violations(page)


def test_an_organiser_drafts_publishes_and_cancels_an_event(live_server: Any, page: Any) -> None:
    organiser = person("organiser@example.org")
    day = timezone.localtime(in_days(20, 9)).date().isoformat()

    # The organiser adds an event: a draft, which they see and no one else does.
    sign_in(page, live_server, organiser.email, PASSPHRASE)
    page.goto(live_server.url + "/events/new")
    page.get_by_label("Title", exact=True).fill("Harbourside data meetup")
    page.get_by_label("Kind of event").select_option(label="Meetup")
    page.get_by_label("Your name as it should be shown").fill("The data volunteers")
    page.get_by_label("Starts").fill(f"{day}T18:00")
    page.get_by_label("Ends").fill(f"{day}T20:00")
    page.get_by_label("Address", exact=True).fill("The Harbour Library, Bristol")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("h1")).to_have_text("Harbourside data meetup")
    expect(page.locator("#event-draft")).to_contain_text("Only the event's organisers")
    assert_no_accessibility_violations(page)
    address = page.url
    # Found again from the events page, where only its organisers see it.
    page.goto(live_server.url + "/events/")
    page.locator("#your-drafts + p + ul").get_by_role(
        "link", name="Harbourside data meetup"
    ).click()
    expect(page.locator("h1")).to_have_text("Harbourside data meetup")
    page.goto(live_server.url + "/events/")
    assert_no_accessibility_violations(page)

    page.context.clear_cookies()
    response = page.goto(address)
    assert response is not None and response.status == 404
    page.goto(live_server.url + "/events/")
    expect(page.locator("main")).not_to_contain_text("Harbourside data meetup")

    # Published, everyone sees it.
    sign_in(page, live_server, organiser.email, PASSPHRASE)
    page.goto(address)
    page.get_by_role("button", name="Publish the event").click()
    expect(page.locator("main")).to_contain_text("The event is published.")
    expect(page.locator("#event-draft")).to_have_count(0)
    page.context.clear_cookies()
    page.goto(live_server.url + "/events/")
    expect(page.get_by_role("link", name="Harbourside data meetup")).to_be_visible()

    # Cancelled with a reason: the page stays and says so.
    sign_in(page, live_server, organiser.email, PASSPHRASE)
    page.goto(address)
    page.get_by_role("link", name="Cancel the event").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("main").get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Why is the event cancelled?").fill("The library is closed for repairs.")
    page.get_by_role("main").get_by_role("button", name="Cancel the event").click()
    page.context.clear_cookies()
    page.goto(address)
    notice = page.locator("#event-cancelled")
    expect(notice).to_contain_text("This event is cancelled.")
    expect(notice).to_contain_text("The library is closed for repairs.")
    expect(page.locator("main")).to_contain_text("Sign-ups and the waiting list are closed")
    assert_no_accessibility_violations(page)
    page.goto(live_server.url + "/events/")
    expect(page.locator("main")).to_contain_text("Cancelled")
    assert_no_accessibility_violations(page)
