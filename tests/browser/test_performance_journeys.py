"""A person opens an indicator, picks a council, and reads its band in words, its chart and the
table beside it; the indicator pages pass an axe-core WCAG 2.2 A/AA audit and reflow at 320px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.performance.importers import IMPORTERS
from kitbag.performance.tests.factories import fixture_councils
from kitbag.performance.tests.test_importers import FIXTURES
from tests.browser.conftest import assert_no_accessibility_violations, assert_reflows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures() -> None:
    fixture_councils()
    for importer in IMPORTERS:
        importer(data_dir=FIXTURES).run()


def test_open_an_indicator_pick_a_council_and_see_its_band_and_chart(
    figures: None, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/performance/")
    expect(page.get_by_text("Evaluation only", exact=False).first).to_be_visible()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="ASC Carer Quality of Life").click()
    page.get_by_label("Council", exact=True).select_option(label="Betaby")
    page.get_by_role("button", name="Show").click()

    expect(page.locator("#summary")).to_contain_text("Betaby: 7.9")
    expect(page.locator("#summary")).to_contain_text("Slightly better than the England median")
    expect(page.locator("svg.kitbag-chart")).to_have_count(2)
    expect(page.locator("#group-table")).to_contain_text("Chosen")
    assert_no_accessibility_violations(page)
    assert_reflows(page)

    # The council's own page carries its latest figures, linked back to the indicator.
    page.goto(live_server.url + "/organisations/betaby/")
    expect(page.locator("#performance")).to_have_text("Performance figures")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="ASC1 ASC Carer Quality of Life").click()
    expect(page.locator("#summary")).to_contain_text("Betaby: 7.9")
