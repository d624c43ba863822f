"""An officer imports a document and opens a consultation; a resident comments on a paragraph
and on words they select; the officer answers; the resident sees the answer and the answer rate
move; the officer publishes a revision and the comment shows "Changed since this comment".
Every new page on the way is audited with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole
from kitbag.consultations import services
from kitbag.consultations.models import ElsewherePost
from kitbag.meetings.tests.openness_world import PASSPHRASE, member_of, person
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENT = """# Library opening hours

We propose to open the Central Library on Sundays from eleven until four.

The community libraries would close on Monday mornings and open two evenings instead.

The smallest libraries would open with self-service access for card holders."""

REVISED = DOCUMENT.replace("from eleven until four", "from ten until five")


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def switch_to(page: Any, live_server: Any, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, email, PASSPHRASE)


def test_a_consultation_from_import_to_answer_to_revision(live_server: Any, page: Any) -> None:
    council = OrganisationFactory.create(name="Riverside District Council", slug="riverside")
    officer = member_of(person("officer@riverside.gov.uk"), council, MembershipRole.EDITOR)
    resident = person("resident@example.org")

    # The officer imports the document as a draft, checks it, and opens the consultation.
    sign_in(page, live_server, officer.email, PASSPHRASE)
    page.goto(live_server.url + "/consultations/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Start a consultation").click()
    expect(page.locator("h1")).to_have_text("Start a consultation")
    assert_no_accessibility_violations(page)
    page.get_by_label("Title").fill("Library opening hours")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_accessibility_violations(page)
    expect(page.get_by_label("Title")).to_have_value("Library opening hours")  # kept
    page.get_by_label("Closes").fill("30/6/2040")
    page.get_by_label("Document", exact=True).fill(DOCUMENT)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text("Library opening hours")
    assert "This is a draft" in _main(page)
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Publish and open").click()
    expect(page.locator("h1")).to_have_text("Publish and open this consultation")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Publish and open").click()
    expect(page.locator("main .govuk-tag").first).to_have_text("Open")
    slug_url = page.url

    # A resident comments on paragraph 2 in place (JavaScript opens the form there).
    switch_to(page, live_server, resident.email)
    page.goto(slug_url)
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Comment on paragraph 2").click()
    form = page.locator("form.consultation-inline-form")
    form.get_by_label("Your comment", exact=True).fill("Please open at ten on Sundays.")
    form.get_by_label("Your name as shown with your comments").fill("Robin")
    form.get_by_label("I agree that my comments are published here under this name").check()
    assert_no_accessibility_violations(page)
    form.get_by_role("button", name="Send comment").click()
    expect(page.locator("#p-" + _key(page, 2))).to_contain_text("Please open at ten on Sundays.")
    assert_no_accessibility_violations(page)

    # ...and on words they select in paragraph 3.
    page.evaluate(
        """() => {
          const text = document.querySelectorAll('[data-paragraph-text]')[2];
          const node = text.querySelector('p').firstChild;
          const start = node.textContent.indexOf('Monday mornings');
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + 'Monday mornings'.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          text.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }"""
    )
    page.get_by_role("button", name="Comment on this").click()
    form = page.locator("form.consultation-inline-form")
    expect(form).to_contain_text("Monday mornings")
    form.get_by_label("Your comment", exact=True).fill("Mornings suit parents of babies.")
    form.get_by_role("button", name="Send comment").click()
    paragraph3 = page.locator("#p-" + _key(page, 3))
    expect(paragraph3).to_contain_text("Mornings suit parents of babies.")
    expect(paragraph3.locator(".consultation-quote")).to_contain_text("Monday mornings")
    expect(page.locator("[data-answer-rate-value]").first).to_have_text("0% (0 of 2)")

    # The officer answers from the queue of unanswered comments, oldest first.
    switch_to(page, live_server, officer.email)
    page.goto(slug_url)
    page.get_by_role("link", name="Comments waiting for an answer").click()
    expect(page.locator("h1")).to_have_text("Comments waiting for an answer")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Answer Robin").first.click()
    expect(page.locator("h1")).to_have_text("Reply to Robin")
    assert_no_accessibility_violations(page)
    page.get_by_label("Your reply").fill("We will look at opening at ten.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("main")).to_contain_text("Official response from Riverside")

    # The resident sees the answer, and the answer rate has moved.
    switch_to(page, live_server, resident.email)
    page.goto(slug_url)
    expect(page.locator("main")).to_contain_text("We will look at opening at ten.")
    expect(page.locator("[data-answer-rate-value]").first).to_have_text("50% (1 of 2)")
    # ...and on their account page.
    page.goto(live_server.url + "/account/profile/")
    expect(page.locator("main")).to_contain_text("Official responses to your comments")
    assert_no_accessibility_violations(page)

    # The officer publishes a revision; the comment on paragraph 2 says it changed.
    switch_to(page, live_server, officer.email)
    page.goto(slug_url)
    page.get_by_role("link", name="Publish a new version").click()
    expect(page.locator("h1")).to_have_text("Publish a new version")
    assert_no_accessibility_violations(page)
    page.get_by_label("Document", exact=True).fill(REVISED)
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.locator("main")).to_contain_text("Changed since this comment")
    expect(page.locator("main")).to_contain_text("On version 1")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="version 1", exact=True).click()
    expect(page.locator("main")).to_contain_text("You are reading version 1")
    assert_no_accessibility_violations(page)

    # The organisation's page shows its consultations and answer rate.
    page.goto(live_server.url + council.get_absolute_url())
    expect(page.locator("#consultations")).to_be_visible()
    assert_no_accessibility_violations(page)


def test_moderation_and_posts_elsewhere_pages_are_accessible(live_server: Any, page: Any) -> None:
    council = OrganisationFactory.create(name="Riverside District Council", slug="riverside")
    made = services.create_consultation(
        organisation=council,
        details=services.Details(title="Library opening hours", moderation="pre"),
        document=DOCUMENT,
        by=None,
        check_permission=False,
    )
    services.publish_consultation(consultation=made, by=None, check_permission=False)
    writer = person("writer@example.org")
    services.set_participation(user=writer, display_name="Writer")
    services.add_comment(
        consultation=made,
        by=writer,
        text="Waiting for a moderator",
        paragraph_key=made.versions.get().paragraphs.get(position=2).key,
    )
    ElsewherePost.objects.create(
        consultation=made,
        via="webmention",
        url="https://blog.example/a",
        title="A blog post",
        state="pending",
    )
    moderator = person("moderator@example.org", is_moderator=True)
    page.goto(live_server.url + "/consultations/moderation-policy")
    expect(page.locator("h1")).to_have_text("Moderation policy for consultations")
    assert_no_accessibility_violations(page)
    sign_in(page, live_server, moderator.email, PASSPHRASE)
    page.goto(live_server.url + "/consultations/moderation")
    expect(page.locator("h1")).to_have_text("Moderate consultation comments")
    assert_no_accessibility_violations(page)
    page.get_by_label("Writer on").check()
    page.get_by_label("Action", exact=True).select_option("approve")
    page.get_by_role("button", name="Apply to the chosen comments").click()
    expect(page.locator("main")).to_contain_text("Nothing is waiting")
    page.goto(live_server.url + made.get_absolute_url() + "elsewhere")
    expect(page.locator("h1")).to_have_text("Posts about it elsewhere")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Show it").click()
    page.goto(live_server.url + made.get_absolute_url())
    expect(page.locator("#elsewhere")).to_be_visible()
    expect(page.locator("main")).to_contain_text("A blog post")
    expect(page.locator("main")).to_contain_text("Waiting for a moderator")


def _key(page: Any, number: int) -> str:
    return str(page.locator(f'[data-number="{number}"]').get_attribute("data-paragraph"))
