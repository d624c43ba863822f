"""A council officer writes a case: sees others working on the same thing as they type, is told
what is missing without losing a word, saves a draft, submits it for review, and reads its
history. Every page on the way passes an axe-core WCAG 2.2 A/AA audit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from kitbag.accounts.models import Membership, MembershipRole, User
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
    editor = User.objects.create_user(email="editor@leeds.gov.uk", password=PASSWORD)
    Membership.objects.create(
        user=editor, organisation=leeds, role=MembershipRole.EDITOR, method="staff"
    )
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
    user = User.objects.create_user(email="jo@camden.gov.uk", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(
        user=user, organisation=camden, role=MembershipRole.MEMBER, method="email-domain"
    )
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/profile/")
    return user


def test_an_officer_writes_a_case_sees_others_working_on_it_saves_a_draft_and_submits_it(
    live_server: Any, page: Any, member: User
) -> None:
    page.goto(live_server.url + "/cases/yours/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Write a case").click()
    assert page.locator("h1").inner_text() == "Write a case"
    panel = page.locator("#similar-cases-results")
    assert "When you have typed a title" in panel.inner_text()
    assert_no_accessibility_violations(page)

    # The panel fills as the person types, without a button and without leaving the page.
    page.get_by_label("Title", exact=True).fill("Texts to remind residents about bin collections")
    page.get_by_label("The problem").fill("Residents miss bin collections and call us.")
    similar = panel.get_by_role("link", name=re.compile(SIMILAR_TITLE))
    similar.wait_for()
    assert similar.get_attribute("target") == "_blank"
    assert page.url.endswith("/cases/new/")
    assert_no_accessibility_violations(page)

    # Asking for review too early explains every gap and keeps what was typed.
    page.get_by_role("button", name="Submit for review").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter a summary" in summary.inner_text()
    assert "Select the phase" in summary.inner_text()
    assert page.get_by_label("Title", exact=True).input_value() == (
        "Texts to remind residents about bin collections"
    )
    assert page.title().startswith("Error:")
    assert_no_accessibility_violations(page)
    summary.get_by_role("link", name="Select the phase").click()
    assert page.evaluate("document.activeElement.id") == "id_phase"

    # Choose a service by searching for it: this works without JavaScript too.
    page.get_by_label("Search for a service").fill("bin")
    page.get_by_role("button", name="Find services").click()
    page.get_by_label("Missed bin collection").check()
    page.get_by_label("Summary", exact=True).fill(
        "A text the night before collection day, sent to anyone."
    )
    page.get_by_label("Live", exact=True).check()
    page.get_by_label("Implemented").check()
    page.get_by_role("button", name="Save as draft").click()

    page.wait_for_url("**/edit/")
    assert "Your draft has been saved" in page.locator(".govuk-notification-banner").inner_text()
    case = Case.objects.get(owner=member)
    assert case.status == RecordStatus.DRAFT
    assert [c.code for c in case.services.all()] == ["1139"]
    assert page.get_by_label("Missed bin collection").is_checked()

    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    case.refresh_from_db()
    assert case.status == RecordStatus.IN_REVIEW

    page.goto(live_server.url + f"/cases/{case.slug}/history/")
    assert page.locator("h1").inner_text() == "History of this case"
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Version 2").click()
    assert page.locator("h1").inner_text() == "Version 2"
    assert "In review" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)


def test_the_pages_for_workflow_steps_and_passing_a_case_on_pass_an_audit(
    live_server: Any, page: Any, member: User
) -> None:
    camden = member.memberships.get().organisation
    colleague = User.objects.create_user(email="sam@camden.gov.uk")
    Membership.objects.create(user=colleague, organisation=camden, method="email-domain")
    case = services.save_case(
        case=Case(title="Potholes reported by photo", lead_organisation=camden), by=member
    )
    page.goto(live_server.url + f"/cases/{case.slug}/owner/")
    assert page.locator("h1").inner_text() == "Pass this case to a colleague"
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
