"""A council officer writes a case through its task list: sees others working on the same thing as
they type, saves a draft with only a title, is told what is missing without losing a word, picks a
service from suggestions as they type, checks the answers and submits it for review, and reads its
history. Every page on the way passes an axe-core WCAG 2.2 A/AA audit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.cases import services
from kitbag.cases.models import Case, RecordStatus
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
SIMILAR_TITLE = "Text message reminders cut missed bin collections"
# A case's task list; a browser keeps the fragment of the link it followed across a redirect.
TASK_LIST = re.compile(r"/edit/(#[\w-]*)?$")


def code(list_slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=list_slug, code=value)


@pytest.fixture
def library() -> None:
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=(
            WantedCode("524", "Bin collection"),
            WantedCode("1139", "Missed bin collection"),
            WantedCode("59", "Council tax payment"),
        ),
    )
    write_code_list(
        wanted=WantedList(slug="lgsl-functions", name="LGSL functions"),
        codes=(WantedCode("45", "Environment"), WantedCode("48", "Waste management", "", "45")),
    )
    # Someone elsewhere already did this, so "others working on this" has something to show.
    leeds = OrganisationFactory.create(name="Leeds City Council", slug="leeds")
    editor = UserFactory.create(email="editor@leeds.gov.uk", password=PASSWORD)
    MembershipFactory.create(user=editor, organisation=leeds, role=MembershipRole.EDITOR)
    case = services.save_case(
        case=Case(
            title=SIMILAR_TITLE,
            summary="Residents get a text the night before their bins are collected.",
            problem="Residents missed bin collections because they forgot which week it was.",
            lead_organisation=leeds,
            phase=code("govuk-phase", "live"),
            operational_status=code("operational-status", "implemented"),
        ),
        by=editor,
        services=[code("lgsl-services", "1139")],
    )
    services.move_case(case=case, action="publish", by=editor)
    # Words are only distinctive against a library of other things.
    for title, problem in UNRELATED:
        other = services.save_case(
            case=Case(title=title, summary=problem, problem=problem, lead_organisation=leeds),
            by=editor,
        )
        services.move_case(case=other, action="publish", by=editor)


UNRELATED = [
    ("Chatbot answers council tax questions", "Phones rang off the hook each March."),
    ("Sensors warn of damp in council homes", "Tenants lived with mould for months."),
    ("Library cards issued online", "People queued at the desk to join."),
    ("Shared procurement of school meals", "Each school bought food on its own."),
]


@pytest.fixture
def member(live_server: Any, page: Any, library: None) -> User:
    camden = OrganisationFactory.create(name="London Borough of Camden", slug="camden")
    user = UserFactory.create(email="jo@camden.gov.uk", password=PASSWORD, verified=True)
    MembershipFactory.create(
        user=user, organisation=camden, role=MembershipRole.MEMBER, method="email-domain"
    )
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/profile/")
    return user


def test_an_officer_writes_a_case_section_by_section_checks_the_answers_and_submits_it(
    live_server: Any, page: Any, member: User
) -> None:
    page.goto(live_server.url + "/cases/yours/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Write a case").click()
    expect(page.locator("h1")).to_have_text("About the case", use_inner_text=True)
    assert page.locator("input[type=radio]:checked").count() == 0
    panel = page.locator("#similar-cases-results")
    assert "When you have typed a title" in panel.inner_text()
    assert_no_accessibility_violations(page)

    # "Others working on this" fills as the person types, without leaving the page.
    page.get_by_label("Title", exact=True).fill("Texts to remind residents about bin collections")
    page.get_by_label("The problem").fill("Residents miss bin collections and call us.")
    similar = panel.get_by_role("link", name=re.compile(SIMILAR_TITLE))
    similar.wait_for()
    assert similar.get_attribute("target") == "_blank"
    assert page.url.endswith("/cases/new/")
    assert_no_accessibility_violations(page)

    # A title is enough for a draft: saving it opens the task list.
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(TASK_LIST)
    case = Case.objects.get(owner=member)
    assert case.status == RecordStatus.DRAFT
    assert "Your draft has been saved" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#task-about-status").inner_text().strip() == "Incomplete"
    assert page.locator("#task-check-status").inner_text().strip() == "Cannot start yet"
    assert_no_accessibility_violations(page)

    # The check page, opened too early, lists what review still needs, each a link to it.
    page.goto(live_server.url + f"/cases/{case.slug}/edit/check/")
    still_needed = page.locator("#still-needed")
    assert "Enter a summary" in still_needed.inner_text()
    assert "Select the phase" in still_needed.inner_text()
    assert_no_accessibility_violations(page)
    still_needed.get_by_role("link", name="Enter a summary").click()
    expect(page.locator("h1")).to_have_text("About the case", use_inner_text=True)
    assert page.get_by_label("Title", exact=True).input_value() == (
        "Texts to remind residents about bin collections"
    )
    page.get_by_label("Summary", exact=True).fill(
        "A text the night before collection day, sent to anyone."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(TASK_LIST)
    assert page.locator("#task-about-status").inner_text().strip() == "Completed"

    # A section checks what can be stored, keeps what was typed, and leads to the problem.
    page.get_by_role("link", name="What was done and results").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("What did not work").fill("Some residents found the texts too early.")
    page.get_by_label("Year it started").fill("twenty")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error:")
    assert_no_accessibility_violations(page)
    summary.get_by_role("link", name="Enter a year as 4 digits, like 2023").click()
    assert page.evaluate("document.activeElement.id") == "id_start_year"
    assert page.get_by_label("What did not work").input_value().startswith("Some residents")
    page.get_by_label("Year it started").fill("2023")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(TASK_LIST)

    # Services and codes: find a service with the search that works without JavaScript too.
    page.get_by_role("link", name="Services and codes").click()
    page.get_by_label("Search for a service").wait_for()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert_no_accessibility_violations(page)
    search = page.get_by_label("Search for a service")
    search.fill("bin")
    search.press("Escape")  # closes the suggestions, which lie over the button
    page.get_by_role("button", name="Find services").click()
    page.get_by_label("Missed bin collection").check()
    page.get_by_label("Live", exact=True).check()
    page.get_by_label("Implemented").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(TASK_LIST)
    assert page.locator("#task-services-status").inner_text().strip() == "Completed"
    assert_no_accessibility_violations(page)

    # The optional sections pass the audit too, their rows and all.
    for name in ("People and organisations", "Costs and benefits", "Evidence"):
        page.get_by_role("link", name=name).click()
        expect(page.locator("h1")).to_have_text(name, use_inner_text=True)
        assert page.locator("input[type=radio]:checked").count() == 0
        assert_no_accessibility_violations(page)
        page.get_by_role("link", name="Back to the list of sections without saving").click()

    # Check the answers, change one, and submit.
    page.get_by_role("link", name="Check your answers and submit for review").click()
    expect(page.locator("h1")).to_have_text("Check your answers", use_inner_text=True)
    assert "Missed bin collection (1139)" in page.locator("#answer-services").inner_text()
    assert_no_accessibility_violations(page)
    page.locator("#answer-summary").get_by_role("link", name="Change").click()
    expect(page.locator("h1")).to_have_text("About the case", use_inner_text=True)
    page.get_by_role("link", name="Back to the list of sections without saving").click()
    page.get_by_role("link", name="Check your answers and submit for review").click()
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    case.refresh_from_db()
    assert case.status == RecordStatus.IN_REVIEW
    assert [c.code for c in case.services.all()] == ["1139"]
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + f"/cases/{case.slug}/history/")
    expect(page.locator("h1")).to_have_text("History of this case", use_inner_text=True)
    assert_no_accessibility_violations(page)
    latest = case.revisions.order_by("-number").first()
    assert latest is not None
    page.get_by_role("link", name=f"Version {latest.number}").click()
    assert "In review" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)


def test_picking_a_service_offers_suggestions_as_you_type(
    live_server: Any, page: Any, member: User
) -> None:
    camden = member.memberships.get().organisation
    case = services.save_case(
        case=Case(title="Bin reminders by text", lead_organisation=camden), by=member
    )
    page.goto(live_server.url + f"/cases/{case.slug}/edit/services/")
    search = page.get_by_label("Search for a service")
    # accessible-autocomplete has replaced the box with its own, keeping its label and name.
    assert search.get_attribute("role") == "combobox"
    assert search.get_attribute("name") == "service_query"
    search.press_sequentially("bin", delay=50)
    suggestions = page.get_by_role("listbox")
    option = suggestions.get_by_role("option", name="Missed bin collection (1139)")
    option.wait_for()
    assert suggestions.get_by_role("option").count() == 2
    assert_no_accessibility_violations(page)
    option.click()
    chosen = page.get_by_label("Missed bin collection")
    assert chosen.is_checked()
    assert "Missed bin collection is selected" in page.locator("#service-added").inner_text()
    assert search.input_value() == ""
    # A service already chosen is not offered again; a label is shown as text, never as HTML.
    Code.objects.filter(code_list__slug="lgsl-services", code="524").update(
        label="Bin <img src=x> collection"
    )
    search.press_sequentially("bin", delay=50)
    suggestions.get_by_role("option", name="Bin <img src=x> collection (524)").wait_for()
    assert suggestions.get_by_role("option").count() == 1
    assert suggestions.locator("img").count() == 0
    search.press("Escape")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(TASK_LIST)
    assert [c.code for c in case.services.all()] == ["1139"]


def test_the_pages_for_workflow_steps_and_passing_a_case_on_pass_an_audit(
    live_server: Any, page: Any, member: User
) -> None:
    camden = member.memberships.get().organisation
    colleague = UserFactory.create(email="sam@camden.gov.uk")
    MembershipFactory.create(user=colleague, organisation=camden, method="email-domain")
    case = services.save_case(
        case=Case(title="Potholes reported by photo", lead_organisation=camden), by=member
    )
    page.goto(live_server.url + f"/cases/{case.slug}/owner/")
    expect(page.locator("h1")).to_have_text("Pass this case to a colleague", use_inner_text=True)
    page.get_by_role("button", name="Pass the case on").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_no_accessibility_violations(page)

    Case.objects.filter(pk=case.pk).update(status=RecordStatus.PUBLISHED)
    page.goto(live_server.url + f"/cases/{case.slug}/workflow/flag_needs_update/")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Flag as needing an update").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    case.refresh_from_db()
    assert case.status == RecordStatus.NEEDS_UPDATE


def test_a_member_asks_to_become_an_editor_and_an_editor_finds_the_cases_waiting_for_review(
    live_server: Any, page: Any, member: User, browser: Any
) -> None:
    camden = member.memberships.get().organisation
    editor = UserFactory.create(email="lee@camden.gov.uk", password=PASSWORD, verified=True)
    MembershipFactory.create(user=editor, organisation=camden, role=MembershipRole.ADMIN)
    case = services.save_case(
        case=Case(title="Potholes reported by photo", lead_organisation=camden), by=member
    )
    Case.objects.filter(pk=case.pk).update(status=RecordStatus.IN_REVIEW)

    # The member sees who can make them an editor, and asks.
    page.goto(live_server.url + "/account/profile/")
    section = page.locator(".kitbag-become-editor")
    assert "lee@camden.gov.uk" in section.inner_text()
    assert page.locator("#review-link").count() == 0
    assert_no_accessibility_violations(page)
    section.get_by_role("button", name="Ask to become an editor").click()
    banner = page.locator(".govuk-notification-banner")
    assert "sent to the admins of London Borough of Camden" in banner.inner_text()
    assert_no_accessibility_violations(page)

    # The admin, in another browser, follows the count from their account page to the list.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    reviewer = context.new_page()
    try:
        reviewer.goto(live_server.url + "/account/login/")
        reviewer.get_by_label("Email address").fill(editor.email)
        reviewer.get_by_label("Password").fill(PASSWORD)
        reviewer.get_by_role("button", name="Sign in").click()
        reviewer.wait_for_url("**/account/profile/")
        link = reviewer.locator("#review-link")
        assert "1" in link.inner_text()
        assert_no_accessibility_violations(reviewer)
        link.get_by_role("link", name="Cases waiting for your review").click()
        assert reviewer.locator("h1").inner_text() == "Cases waiting for review"
        assert (
            "1 case is waiting for your review." in reviewer.locator("#review-count").inner_text()
        )
        assert_no_accessibility_violations(reviewer)
        reviewer.get_by_role("link", name="Potholes reported by photo").click()
        reviewer.wait_for_url(f"**{case.get_absolute_url()}")
        reviewer.goto(live_server.url + "/cases/")
        assert "1 case waiting for your review" in reviewer.locator("#review-link").inner_text()
    finally:
        context.close()
