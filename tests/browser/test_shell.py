"""The shell every page lives in: accessible, and working without JavaScript errors."""

from typing import Any

import pytest

from tests.browser.conftest import assert_no_accessibility_violations


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
