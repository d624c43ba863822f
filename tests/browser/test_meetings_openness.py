"""A resident looks up a council's openness, reports being told to stop filming, a moderator
accepts the report and the council's policy changes; every page on the way is audited with axe."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.meetings.models import OpennessReport, PolicyVersion
from kitbag.meetings.tests.openness_world import PASSPHRASE, World, make_world
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme
from kitbag.registry.tests.factories import IdentifierFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(tmp_path: Path, settings: Any) -> World:
    world = make_world()
    settings.KITBAG_DATA_DIR = str(tmp_path)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    hexjson = tmp_path / registry_queries.COUNCIL_HEXJSON
    hexjson.parent.mkdir(parents=True)
    codes = {"E07000001": (0, 0), "S12000001": (1, 2), "W06000001": (0, 1), "N09000001": (2, 0)}
    hexjson.write_text(
        json.dumps(
            {"layout": "odd-r", "hexes": {k: {"q": q, "r": r} for k, (q, r) in codes.items()}}
        )
    )
    councils = [world.riverside, world.glen, world.cwm, world.lough]
    for council, gss in zip(councils, codes, strict=True):
        IdentifierFactory.create(organisation=council, scheme=IdentifierScheme.GSS, value=gss)
    return world


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def test_look_up_a_council_report_being_stopped_and_a_moderator_accepts_it_changing_the_policy(
    world: World, live_server: Any, page: Any, browser: Any
) -> None:
    # A resident looks up Riverside's openness from the national view, found on the home page.
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Meeting openness").click()
    expect(page.locator("h1")).to_have_text("Meeting openness: every council", use_inner_text=True)
    assert page.locator("svg.kitbag-hexmap polygon").count() == 4
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Read the law in each nation").click()
    assert "Local Government and Elections (Wales) Act 2021" in _main(page)
    assert_no_accessibility_violations(page)
    page.go_back()
    page.get_by_role("table", name="4 councils").get_by_role(
        "link", name="Riverside District Council"
    ).click()
    expect(page.locator("h1")).to_have_text("Meeting openness", use_inner_text=True)
    filming = page.locator("#activity-filming")
    assert "Allowed" in filming.inner_text()
    # No policy is recorded: the law of England answers, and says which law.
    assert "from the law: The Openness of Local Government Bodies Regulations 2014" in (
        filming.inner_text()
    )
    assert_no_accessibility_violations(page)

    # Signed in, they report being told to stop filming; a first try shows the error summary.
    sign_in(page, live_server, world.reporter.email, PASSPHRASE)
    page.goto(live_server.url + "/meetings/riverside/openness/")
    page.get_by_role("link", name="Report what happened at a meeting").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Send report").click()
    # wait_for: is_visible() does not wait, and would race the page the click loads.
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_no_accessibility_violations(page)
    page.get_by_label("Date of the meeting").fill(
        (dt.date.today() - dt.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Committee or meeting name, if not listed").fill("Planning Committee")
    # Radios with none chosen for the reporter (GOV.UK), so no answer is sent by mistake.
    assert page.locator("input[type=radio]:checked").count() == 0
    page.get_by_label("Filming", exact=True).check()
    page.get_by_label("Prohibited", exact=True).check()
    page.get_by_label("What happened").fill("The chair told me to stop filming and to leave.")
    page.get_by_label("Link to evidence (optional)").fill("https://example.org/video")
    page.get_by_role("button", name="Send report").click()
    assert "Thank you: your report has been sent" in _main(page)
    assert "Submitted" in _main(page)
    assert "This report is not public" in _main(page)
    assert_no_accessibility_violations(page)
    report = OpennessReport.objects.get()
    page.goto(live_server.url + "/meetings/openness/reports/mine/")
    expect(page.get_by_role("link", name=f"Report {report.pk}")).to_be_visible()
    assert_no_accessibility_violations(page)

    # A moderator, in another browser, accepts it and records the policy it shows.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    moderator = context.new_page()
    try:
        sign_in(moderator, live_server, world.moderator.email, PASSPHRASE)
        moderator.goto(live_server.url + "/meetings/openness/moderation/")
        assert_no_accessibility_violations(moderator)
        moderator.get_by_role("link", name=f"Report {report.pk}").click()
        assert_no_accessibility_violations(moderator)
        # Neither the step nor the policy is chosen for the moderator; the claim is a hint.
        assert moderator.locator("input[type=radio]:checked").count() == 0
        expect(moderator.locator("main")).to_contain_text(
            "The reporter said they were told: Prohibited."
        )
        moderator.get_by_label("Accepted", exact=True).check()
        moderator.get_by_label("Reason").fill("The video shows the chair stopping the filming.")
        moderator.get_by_label("Record a new version of the council's policy").check()
        moderator.get_by_label("Prohibited", exact=True).check()
        moderator.get_by_role("button", name="Save and tell the reporter").click()
        assert "Accepted" in _main(moderator)
        assert "recorded version 1 of the council's policy on Filming" in _main(moderator)
        assert_no_accessibility_violations(moderator)
    finally:
        context.close()

    # The policy has changed, is flagged, and the reporter sees the outcome.
    version = PolicyVersion.objects.get()
    assert version.status == "prohibited" and version.source_report == report
    page.goto(live_server.url + "/meetings/riverside/openness/")
    filming = page.locator("#activity-filming")
    assert "Prohibited" in filming.inner_text()
    assert "Stricter than the law" in filming.inner_text()
    assert "from the law" not in filming.inner_text()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name=f"Report {report.pk}", exact=True).click()
    assert "Accepted" in _main(page)
    assert "The video shows the chair stopping the filming." in _main(page)


def test_a_council_editor_records_a_policy_and_it_shows_on_the_map_and_the_registry_page(
    world: World, live_server: Any, page: Any
) -> None:
    sign_in(page, live_server, world.editor.email, PASSPHRASE)
    page.goto(live_server.url + "/meetings/riverside/openness/")
    page.get_by_role("link", name="Record the council's policy").click()
    assert_no_accessibility_violations(page)
    assert page.locator("input[type=radio]:checked").count() == 0  # nothing chosen for them
    page.get_by_label("Photography", exact=True).check()
    page.get_by_label("Permission required", exact=True).check()
    page.get_by_label("Link to the evidence").fill("https://riverside.example/protocol")
    page.get_by_label("Date of the evidence").fill("2024-05-01")
    page.get_by_role("button", name="Record the policy").click()
    assert "The policy is recorded." in _main(page)
    assert "Stricter than the law" in page.locator("#activity-photography").inner_text()

    page.goto(live_server.url + "/meetings/openness/?activity=photography")
    hexagon = page.locator('a[aria-label="Riverside District Council: Permission required"]')
    assert hexagon.count() == 1
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + world.riverside.get_absolute_url())
    section = page.locator("#meeting-openness")
    expect(section).to_be_visible()
    # One openness section, and no heading standing empty.
    expect(page.get_by_role("heading", name="Meeting openness")).to_have_count(1)
    assert "Nothing yet" not in _main(page)
    assert_no_accessibility_violations(page)


def test_where_the_law_decides_a_council_with_no_policy_shows_the_laws_answer(
    world: World, live_server: Any, page: Any
) -> None:
    # Wales: full council must be broadcast. The map of council webcasts says so for Cwm.
    page.goto(live_server.url + "/meetings/openness/?activity=council-webcast")
    hexagon = page.locator(
        'a[aria-label="Cwm County Borough Council: Required by law (from the law)"]'
    )
    expect(hexagon).to_have_count(1)
    assert_no_accessibility_violations(page)
    hexagon.click()
    expect(page.locator("h1")).to_have_text("Meeting openness", use_inner_text=True)
    webcast = page.locator("#activity-council-webcast")
    expect(webcast).to_contain_text("Required by law")
    expect(webcast).to_contain_text(
        "from the law: Local Government and Elections (Wales) Act 2021, section 46"
    )
    assert "Unknown" not in webcast.inner_text()
    # Filming is left to each Welsh council: unknown, and said why.
    expect(page.locator("#activity-filming")).to_contain_text(
        "no council policy recorded, and the law does not settle it"
    )
    assert_no_accessibility_violations(page)

    # Northern Ireland: full council must be recorded and the recordings published.
    page.goto(live_server.url + "/meetings/lough/openness/")
    recordings = page.locator("#activity-published-recordings")
    expect(recordings).to_contain_text("Required by law")
    expect(recordings).to_contain_text("Local Government Act (Northern Ireland) 2014, section 47")
    assert_no_accessibility_violations(page)
