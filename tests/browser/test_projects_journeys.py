"""A councillor asks about a red priority project on the oversight page and the owner answers
(on the way past the list and the project form);
the coordinator decides a suggested duplicate; every new page passes an axe-core audit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import User
from kitbag.performance.models import Visibility
from kitbag.projects.models import DuplicateSuggestion, Question
from kitbag.projects.tests.world import add_slipped_milestone, make_project, make_world
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "violet lantern river song"


def with_passphrase(*people: User) -> None:
    for user in people:
        user.set_password(PASSPHRASE)
        user.save()


def switch_to(page: Any, live_server: Any, user: User) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user.email, PASSPHRASE)


def test_a_councillor_asks_about_a_red_project_and_the_owner_answers(
    live_server: Any, page: Any
) -> None:
    world = make_world()
    with_passphrase(world.councillor, world.owner_member, world.partner_member)
    project = make_project(
        world, visibility=Visibility.PARTNERS, is_priority=True, title="Safe at Home falls visits"
    )
    add_slipped_milestone(project, days_late=45)

    switch_to(page, live_server, world.councillor)
    page.goto(f"{live_server.url}/projects/oversight/{world.partnership.slug}/")
    expect(page.locator("main")).to_contain_text("Safe at Home falls visits")
    expect(page.locator("main .govuk-tag--red").first).to_have_text("Red")
    expect(page.locator("main")).to_contain_text("45 days late")
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Safe at Home falls visits").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Your question").fill("Why has recruitment slipped, and when will it start?")
    page.get_by_role("button", name="Ask the question").click()
    expect(page.locator("#questions ~ .govuk-inset-text").first).to_contain_text("Not answered yet")

    switch_to(page, live_server, world.owner_member)
    # The list and the form are audited on the way.
    page.goto(live_server.url + "/projects/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Add a project").click()
    page.get_by_role("button", name="Save the project").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This field is required")
    assert_no_accessibility_violations(page)
    page.goto(live_server.url + project.get_absolute_url())
    page.get_by_role("link", name="Answer").first.click()
    assert_no_accessibility_violations(page)
    page.get_by_label("The answer").fill("Two therapists start on 1 July; the visits begin then.")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator("main")).to_contain_text("Two therapists start on 1 July")
    assert Question.objects.get().answered_by == world.owner_member

    # Open to partners, and the override form shows the computed rating beside it.
    page.get_by_role("link", name="Override the rating").click()
    assert_no_accessibility_violations(page)
    switch_to(page, live_server, world.partner_member)
    page.goto(live_server.url + project.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Two therapists start on 1 July")
    page.context.clear_cookies()
    response = page.goto(live_server.url + project.get_absolute_url())
    assert response.status == 404


def test_the_coordinator_decides_a_duplicate_suggestion(live_server: Any, page: Any) -> None:
    world = make_world()
    with_passphrase(world.coordinator)
    first = make_project(world, title="Falls prevention home visits")
    second = make_project(
        world,
        title="Secret falls pilot",
        visibility=Visibility.ORGANISATION,
        owner_organisation=world.partner,
    )
    DuplicateSuggestion.objects.create(
        first=first,
        second=second,
        score=0.7,
        found_by="nightly",
        reasons=["similar description", "shared outcomes"],
    )

    switch_to(page, live_server, world.coordinator)
    page.goto(live_server.url + "/projects/duplicates/")
    expect(page.locator("main")).to_contain_text("Falls prevention home visits")
    expect(page.locator("main")).to_contain_text(
        "A similar project owned by Devon and Cornwall Police: ask their coordinator"
    )
    expect(page.locator("main")).not_to_contain_text("Secret falls pilot")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Decide").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Related: keep both, work together").check()
    page.get_by_label("Why").fill("Same older people; the police pilot refers to our visits.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Nothing is waiting for your decision")
    assert DuplicateSuggestion.objects.get().state == "related"
