"""Someone searches the whole of Kitbag from the header: results grouped by kind with counts,
narrowed to one kind and paged, and a hit followed; a misspelling offered a correction; a member
finds their organisation's draft, labelled; every page audited with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kitbag.accounts.tests.factories import MembershipFactory
from kitbag.cases import services as case_services
from kitbag.cases.models import Case
from kitbag.conversations import services as conversation_services
from kitbag.conversations.models import Conversation, StatementState
from kitbag.meetings.tests.openness_world import PASSPHRASE, person
from kitbag.registry.search_documents import sync_organisation_documents
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gritting() -> Case:
    """An organisation, 23 published cases and a draft, and a conversation, all about gritting."""
    council = OrganisationFactory.create(name="Gritshire County Council", short_name="Gritshire")
    sync_organisation_documents()
    for n in range(23):
        made = Case.objects.create(
            title=f"Gritting routes {n}",
            slug=f"gritting-routes-{n}",
            summary="Sensors tell the gritting lorries which roads freeze first.",
            lead_organisation=council,
            status="published",
            published_at=timezone.now(),
        )
        case_services.reindex_case(case=made)
    draft = Case.objects.create(
        title="Gritting secret draft", slug="gritting-secret-draft", status="draft"
    )
    case_services.reindex_case(case=draft)
    buses = Conversation.objects.create(
        slug="winter-roads", title="Winter roads", question="Where should gritting start?"
    )
    hidden = conversation_services.add_statement(
        conversation=buses, text="Gritting is a waste of salt.", is_seed=True
    )
    conversation_services.moderate_statement(statement=hidden, state=StatementState.HIDDEN)
    return Case.objects.get(slug="gritting-routes-0")


def test_a_search_from_the_header_finds_every_kind_narrows_to_one_and_opens_a_hit(
    live_server: Any, page: Any, gritting: Case
) -> None:
    page.goto(live_server.url + "/")
    header_search = page.get_by_role("search", name="Search Kitbag")
    header_search.get_by_label("Search Kitbag").fill("gritting")
    header_search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=gritting"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Search Kitbag")
    expect(page.locator("#results")).to_have_text("24 results for “gritting”")
    kinds = page.get_by_role("navigation", name="Show")
    expect(kinds.get_by_role("link", name="Cases (23)")).to_be_visible()
    expect(kinds.get_by_text("Conversations (1)")).to_be_visible()
    # The draft is never shown or counted; the organisation's name has no "gritting".
    expect(page.get_by_text("secret draft")).to_have_count(0)
    expect(kinds.get_by_text("Organisations (0)")).to_be_visible()
    cases = page.get_by_role("region", name="Cases (23)")
    expect(cases.get_by_role("listitem")).to_have_count(3)
    expect(
        cases.get_by_role("link", name="See all 23 cases matching “gritting”")
    ).to_have_attribute("href", "/cases/?q=gritting")
    assert_no_accessibility_violations(page)

    kinds.get_by_role("link", name="Cases (23)").click()
    page.wait_for_url(re.compile(r"kind=case"))
    expect(page.locator("#results")).to_have_text("23 cases match “gritting”")
    expect(page.locator(".kitbag-result")).to_have_count(20)
    assert_no_accessibility_violations(page)
    page.get_by_role("navigation", name="Results pages").get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator(".kitbag-result")).to_have_count(3)

    page.locator(".kitbag-result a").first.click()
    page.wait_for_url(re.compile(r"/cases/gritting-routes-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gritting routes")


def test_a_search_that_finds_nothing_says_what_to_try(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/search/?q=zzyzx")
    expect(page.locator("#results")).to_have_text("0 results for “zzyzx”")
    expect(page.get_by_text("Nothing published matches your search.")).to_be_visible()
    assert_no_accessibility_violations(page)


def test_the_search_page_without_words_and_the_header_box_on_a_phone(
    live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/search/")
    assert_no_accessibility_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    header_search = page.get_by_role("search", name="Search Kitbag")
    expect(header_search.get_by_role("button", name="Search")).to_be_visible()
    header_search.get_by_label("Search Kitbag").fill("winter")
    header_search.get_by_label("Search Kitbag").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=winter"))


def test_a_member_finds_their_draft_labelled_and_a_misspelling_is_offered_a_correction(
    live_server: Any, page: Any, gritting: Case
) -> None:
    # The draft led by the council its member belongs to: found by them, labelled Draft.
    council = gritting.lead_organisation
    assert council is not None
    Case.objects.filter(slug="gritting-secret-draft").update(lead_organisation=council)
    case_services.reindex_case(case=Case.objects.get(slug="gritting-secret-draft"))
    member = person("member@example.org")
    MembershipFactory.create(user=member, organisation=council)

    page.goto(live_server.url + "/search/?q=griting")
    expect(page.locator("#did-you-mean")).to_contain_text("Did you mean gritting?")
    assert_no_accessibility_violations(page)
    page.locator("#did-you-mean").get_by_role("link", name="gritting").click()
    expect(page.locator("main")).not_to_contain_text("secret draft")

    sign_in(page, live_server, member.email, PASSPHRASE)
    page.goto(live_server.url + "/search/?q=secret+gritting&kind=case")
    hit = page.locator("li.kitbag-result", has_text="secret draft")
    expect(hit.locator(".govuk-tag")).to_have_text("Draft")
    assert_no_accessibility_violations(page)
