"""A councillor asks about a red priority project on the oversight page and the owner answers
(on the way past the list and the project form);
the coordinator decides a suggested duplicate; the coordinator names a councillor who then
oversees; an officer writing a project sees similar ones before saving; an owner combines two
projects; every new page passes an axe-core audit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import User
from kitbag.accounts.tests.factories import UserFactory
from kitbag.performance.models import Visibility
from kitbag.projects.models import Councillor, DuplicateSuggestion, Project, Question
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


def test_the_coordinator_names_a_councillor_who_then_oversees(live_server: Any, page: Any) -> None:
    world = make_world()
    newcomer = UserFactory.create(email="cllr.newcomer@example.org", verified=True)
    with_passphrase(world.coordinator, newcomer)
    make_project(
        world, visibility=Visibility.PARTNERS, is_priority=True, title="Safe at Home falls visits"
    )

    switch_to(page, live_server, world.coordinator)
    page.goto(f"{live_server.url}/projects/oversight/{world.partnership.slug}/")
    page.get_by_role("link", name="Name or remove councillors").click()
    assert_no_accessibility_violations(page)
    main = page.get_by_role("main")
    main.get_by_role("button", name="Name the councillor").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter their email address or choose a member, not both."
    )
    assert_no_accessibility_violations(page)
    page.get_by_label("Their email address").fill("cllr.newcomer@example.org")
    page.get_by_label("The council they sit on").select_option(label=world.owner.name)
    main.get_by_role("button", name="Name the councillor").click()
    expect(main).to_contain_text("cllr.newcomer@example.org")
    expect(main).to_contain_text("2 councillors")
    assert Councillor.objects.filter(user=newcomer, ended_at__isnull=True).exists()

    switch_to(page, live_server, newcomer)
    page.goto(live_server.url + "/projects/")
    page.get_by_role("link", name=world.partnership.name).first.click()
    expect(page.get_by_role("main")).to_contain_text("Safe at Home falls visits")
    expect(page.get_by_role("main")).to_contain_text("2 councillors oversee this partnership")
    expect(page.get_by_role("main")).not_to_contain_text("Name or remove councillors")
    assert_no_accessibility_violations(page)


def test_an_officer_writing_a_project_sees_similar_ones_before_saving(
    live_server: Any, page: Any
) -> None:
    world = make_world()
    with_passphrase(world.owner_member)
    make_project(world, visibility=Visibility.PARTNERS, title="Falls prevention home visits")

    switch_to(page, live_server, world.owner_member)
    page.goto(live_server.url + "/projects/new/")
    main = page.get_by_role("main")
    page.get_by_label("Title", exact=True).fill("Home visits after a fall")
    page.get_by_label("What the project does, for whom").fill(
        "Home visits to older people after a fall, with a strength and balance class."
    )
    page.get_by_label("Owner organisation").select_option(label=world.owner.name)
    page.get_by_label("Partnership", exact=True).select_option(label=world.partnership.name)
    page.get_by_label(f"{world.outcome.title} ({world.partnership.name})").check()
    page.get_by_label("Start date (YYYY-MM-DD)").fill("2026-01-01")
    page.get_by_label("End date (YYYY-MM-DD)").fill("2026-12-31")
    main.get_by_role("button", name="Save the project").click()

    expect(main).to_contain_text("Similar projects already exist")
    expect(main.get_by_role("link", name="Falls prevention home visits")).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Home visits after a fall")
    assert not Project.objects.filter(title="Home visits after a fall").exists()
    assert_no_accessibility_violations(page)

    main.get_by_role("button", name="Save the project anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home visits after a fall")
    assert Project.objects.filter(title="Home visits after a fall").exists()


def test_an_owner_combines_two_of_their_projects(live_server: Any, page: Any) -> None:
    world = make_world()
    with_passphrase(world.owner_member)
    keep = make_project(world, title="Falls prevention home visits")
    other = make_project(world, title="Home visits after a fall")
    DuplicateSuggestion.objects.create(
        first=keep, second=other, score=0.8, found_by="nightly", reasons=["shared outcomes"]
    )

    switch_to(page, live_server, world.owner_member)
    page.goto(live_server.url + "/projects/duplicates/")
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Combine: the same work").check()
    page.get_by_label("Why").fill("The same falls team.")
    page.get_by_role("main").get_by_label("Falls prevention home visits").check()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Falls prevention home visits")
    page.goto(live_server.url + other.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Falls prevention home visits")
    expect(page.get_by_role("main")).to_contain_text(
        "“Home visits after a fall” was combined into this project."
    )
    assert_no_accessibility_violations(page)
