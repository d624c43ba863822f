"""A verified member of a council defines a private comparison group of councils, then opens an
indicator within it: the median, bands and ranks computed within the group, and the hex map of
councils coloured by band. Every new page is audited with axe-core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole
from kitbag.meetings.tests.openness_world import PASSPHRASE, member_of, person
from kitbag.performance.importers import IMPORTERS
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES
from kitbag.registry.queries import COUNCIL_HEXJSON
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hex_layout(tmp_path: Path, settings: Any) -> None:
    settings.KITBAG_DATA_DIR = str(tmp_path)
    path = tmp_path / COUNCIL_HEXJSON
    path.parent.mkdir(parents=True)
    hexes = {
        "E06000001": {"n": "Alphaton", "q": 0, "r": 0},
        "E06000002": {"n": "Betaby", "q": 1, "r": 0},
        "E06000003": {"n": "Epsilon", "q": 2, "r": 0},
    }
    path.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))


def test_a_member_defines_a_group_and_compares_an_indicator_within_it(
    hex_layout: None, live_server: Any, page: Any
) -> None:
    councils = fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()
    analyst = member_of(
        person("analyst@alphaton.gov.uk"), councils["E06000001"], MembershipRole.MEMBER
    )

    sign_in(page, live_server, analyst.email, PASSPHRASE)
    page.goto(live_server.url + "/performance/groups/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Define a comparison group").click()
    expect(page.locator("h1")).to_have_text("Define a comparison group")
    assert_no_accessibility_violations(page)

    # A code the registry does not know is an error on its field; nothing is saved.
    page.get_by_label("Name of the group").fill("Alpha and Beta")
    page.get_by_label("Who can see and use the group").select_option(
        label="Only the owning organisation"
    )
    page.get_by_label("Councils", exact=True).fill("E06000001, NOPE1")
    page.get_by_role("button", name="Save the group").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "NOPE1: no council in the registry has this code"
    )
    assert_no_accessibility_violations(page)
    page.get_by_label("Councils", exact=True).fill("E06000001, E06000002")
    page.get_by_role("button", name="Save the group").click()

    expect(page.locator("h1")).to_have_text("Alpha and Beta")
    expect(page.locator("#group-councils")).to_contain_text("Alphaton")
    expect(page.locator("#group-councils")).to_contain_text("Betaby")
    assert_no_accessibility_violations(page)

    # Its owner's members may edit it: a better name.
    page.get_by_role("link", name="Edit the group").click()
    expect(page.locator("h1")).to_have_text("Edit the comparison group")
    assert_no_accessibility_violations(page)
    page.get_by_label("Why these councils").fill("Two neighbouring unitaries.")
    page.get_by_role("button", name="Save the group").click()
    expect(page.locator("main")).to_contain_text("Two neighbouring unitaries.")

    page.locator("#group-indicators").get_by_role(
        "link", name="ASC1 ASC Carer Quality of Life"
    ).click()
    expect(page.get_by_role("heading", name="Alpha and Beta, 2018-19", exact=True)).to_be_visible()
    expect(page.locator("#group-table")).to_contain_text(
        "Slightly better than the median of Alpha and Beta"
    )
    expect(page.locator("#group-table")).not_to_contain_text("Gammashire")
    band_map = page.locator("svg.kitbag-band-map")
    expect(band_map).to_be_visible()
    expect(band_map.locator("title").first).to_contain_text("by band within Alpha and Beta")
    expect(page.locator("#band-map-key")).to_contain_text("Slightly better than the median")
    assert_no_accessibility_violations(page)

    # Choosing a council keeps the group: its band is said against the group's median.
    page.get_by_label("Council", exact=True).select_option(label="Betaby")
    page.locator("main").get_by_role("button", name="Show").click()
    expect(page.locator("#summary")).to_contain_text(
        "Slightly better than the median of Alpha and Beta"
    )
    assert_no_accessibility_violations(page)

    # Signed out, the private group is neither offered nor shown.
    page.context.clear_cookies()
    page.goto(live_server.url + "/performance/groups/")
    expect(page.locator("main")).not_to_contain_text("Alpha and Beta")

    # Its owner's members may delete it, after confirming.
    sign_in(page, live_server, analyst.email, PASSPHRASE)
    page.goto(live_server.url + "/performance/groups/")
    page.get_by_role("link", name="Alpha and Beta").click()
    page.get_by_role("link", name="Delete the group").click()
    expect(page.locator("h1")).to_have_text(
        "Are you sure you want to delete this comparison group?"
    )
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Delete the group").click()
    expect(page.locator("h1")).to_have_text("Comparison groups")
    expect(page.locator("main")).to_contain_text("The comparison group Alpha and Beta is deleted.")
    assert_no_accessibility_violations(page)
