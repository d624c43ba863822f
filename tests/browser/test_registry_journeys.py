"""A person finds a council, reads its record, narrows the register by nation and uses the map."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(real_data_dir: Path) -> None:
    call_command("import_registry", data_dir=str(real_data_dir), verbosity=0)


def test_search_for_camden_open_its_record_then_filter_the_register_by_nation(
    registry: None, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Find a public body").fill("camden")
    page.get_by_role("main").get_by_role("button", name="Search").click()

    assert "/organisations/" in page.url
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="London Borough of Camden").first.click()

    expect(page.locator("h1")).to_have_text(re.compile(r"Camden$"), use_inner_text=True)
    body = page.locator("main").inner_text()
    assert "E09000007" in body  # GSS code
    assert "CMD" in body  # mySociety code
    assert "London borough" in body
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Public bodies").first.click()
    page.get_by_label("Nation").select_option("Wales")
    page.get_by_role("button", name="Apply filters").click()

    assert "nation=Wales" in page.url
    results = page.locator("main table").first.inner_text()
    assert "City of Cardiff Council" in results
    assert "Camden" not in results
    assert_no_accessibility_violations(page)


def test_the_council_map_shows_every_council_as_a_hex_that_leads_to_its_record(
    registry: None, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="See every council on a map").click()

    hexes = page.locator("svg.kitbag-hexmap a")
    assert hexes.count() >= 350
    assert page.locator("#council-table tbody tr").count() >= 350
    assert_no_accessibility_violations(page)

    page.locator("svg.kitbag-hexmap a[href$='/camden/']").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"Camden$"), use_inner_text=True)


def test_an_officer_finds_a_department_by_its_acronym_with_its_website_and_history(
    registry: None, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Find a public body").fill("DSIT")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Department for Science, Innovation and Technology").first.click()

    expect(page.locator("h1")).to_have_text(
        re.compile(r"Department for Science, Innovation and Technology$"), use_inner_text=True
    )
    website = page.locator(
        'main a[href="https://www.gov.uk/government/organisations/'
        'department-for-science-innovation-and-technology"]'
    )
    expect(website).to_be_visible()
    # Split from BEIS in 2023: the succession is in its history, the old department is a record.
    history = page.locator("main").inner_text()
    assert "Department for Business, Energy & Industrial Strategy" in history
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + "/organisations/camden/")
    expect(page.locator('main a[href^="https://www.camden.gov.uk"]')).to_be_visible()
