"""The shell every page lives in: accessible, and working without JavaScript errors."""

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.core.parts import all_parts
from tests.browser.conftest import REFLOW_WIDTH, assert_no_accessibility_violations


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["/", "/about-the-data/", "/accessibility/", "/api/docs", "/no-such-page/"]
)
def test_shell_pages_pass_an_axe_audit_and_raise_no_script_errors(
    live_server: Any, page: Any, path: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_no_accessibility_violations(page)
    assert not errors


@pytest.mark.django_db(transaction=True)
def test_the_skip_link_moves_focus_to_the_main_content(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    # Without JavaScript the browser follows the link; with it, GOV.UK Frontend moves focus.
    page.wait_for_function(
        "location.hash === '#main-content' || document.activeElement.id === 'main-content'"
    )


@pytest.mark.django_db(transaction=True)
def test_every_part_is_one_click_from_the_home_page_and_from_the_navigation(
    live_server: Any, page: Any
) -> None:
    parts = all_parts()
    assert {"Organisations", "Innovation library", "Council meetings", "Meeting openness"} <= {
        str(part.label) for part in parts
    }
    menu = page.get_by_role("navigation", name="Menu")
    for part in parts:
        page.goto(live_server.url + "/")
        page.get_by_role("main").get_by_role("link", name=str(part.label), exact=True).click()
        page.wait_for_url(live_server.url + part.url)
        assert menu.locator("[aria-current]").inner_text().strip() == str(part.label)
        assert_no_accessibility_violations(page)

        page.goto(live_server.url + "/about-the-data/")
        menu.get_by_role("link", name=str(part.label), exact=True).click()
        page.wait_for_url(live_server.url + part.url)


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_menu_button_opens_the_navigation_to_the_meetings(
    live_server: Any, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": REFLOW_WIDTH, "height": 640}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        menu = page.get_by_role("navigation", name="Menu")
        expect(menu.get_by_role("link", name="Council meetings")).not_to_be_visible()
        menu.get_by_role("button", name="Menu").click()
        menu.get_by_role("link", name="Council meetings").click()
        page.wait_for_url(live_server.url + "/meetings/")
        expect(page.locator("h1")).to_have_text("Council meetings", use_inner_text=True)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_phase_banner_is_inside_the_header_landmark(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("banner").locator(".govuk-phase-banner")).to_be_visible()
