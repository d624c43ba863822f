"""A person imports their bookmarks and finds them by tag; someone else does not see the private
ones. Every page of the resource library audited with axe-core (and reflow at 320 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.meetings.tests.openness_world import PASSPHRASE, person
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BOOKMARKS = (
    Path(__file__).resolve().parents[2]
    / "kitbag"
    / "resources"
    / "tests"
    / "fixtures"
    / "nested_folders.html"
)


def test_import_bookmarks_and_find_them_by_tag(live_server: Any, page: Any, browser: Any) -> None:
    person("librarian@example.org")
    sign_in(page, live_server, "librarian@example.org", PASSPHRASE)
    page.goto(f"{live_server.url}/resources/")
    expect(page.locator("h1")).to_have_text("Resources")
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Import your bookmarks").click()
    expect(page.locator("h1")).to_have_text("Import your bookmarks")
    assert_no_accessibility_violations(page)
    # A file that is not a bookmark file: the error summary says why; nothing is imported.
    page.get_by_label("Bookmark file").set_input_files(
        files=[{"name": "page.html", "mimeType": "text/html", "buffer": b"<!DOCTYPE html><p>Hi"}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("not a Netscape bookmark file")
    assert_no_accessibility_violations(page)

    page.get_by_label("Bookmark file").set_input_files(str(BOOKMARKS))
    page.get_by_label("Tag each bookmark with the names of its folders").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Your bookmarks are imported.")).to_be_visible()
    expect(page.get_by_text("javascript:alert(document.cookie)")).to_be_visible()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Go to the resource library").click()
    page.get_by_role("link", name="user-research", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("user-research")
    expect(page.get_by_role("link", name="User research & you")).to_be_visible()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="User research & you").click()
    expect(page.get_by_text("Only you can see this")).to_be_visible()
    assert_no_accessibility_violations(page)

    page.goto(f"{live_server.url}/resources/tags/service-design/")
    page.get_by_role("link", name="Service Manual - GOV.UK").click()
    expect(
        page.get_by_text("The standard every government service is assessed against.")
    ).to_be_visible()
    page.get_by_role("link", name="Resources", exact=True).last.click()
    page.get_by_role("link", name="Recommend a link").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_no_accessibility_violations(page)

    # Someone else finds the public bookmarks by tag, never the private one.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    visitor = other.new_page()
    visitor.goto(f"{live_server.url}/resources/tags/service-design/")
    expect(visitor.get_by_role("link", name="Service Manual - GOV.UK")).to_be_visible()
    expect(visitor.get_by_text("User research & you")).to_have_count(0)
    assert visitor.goto(f"{live_server.url}/resources/tags/user-research/").status == 404
    other.close()
