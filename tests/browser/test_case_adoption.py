"""A verified member of a council opens a published case, records "we adopted this", and sees their
council on the case's map of adopters and in its totals; the spread forms are audited with axe."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.cases import services
from kitbag.cases.models import Case, CostItem
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme, Organisation
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.services import write_code_list
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "violet lantern river song"


def _council(name: str, slug: str, gss: str) -> Organisation:
    council = OrganisationFactory.create(name=name, slug=slug)
    IdentifierFactory.create(organisation=council, scheme=IdentifierScheme.GSS, value=gss)
    return council


def _case(title: str, lead: Organisation) -> Case:
    case = Case(
        title=title,
        summary="Residents ask a chatbot about council tax at any hour.",
        lead_organisation=lead,
        status="published",
        phase=Code.objects.get(code_list__slug="govuk-phase", code="live"),
    )
    case = services.save_case(case=case, by=None, check_permission=False)
    return case


@pytest.fixture
def london(tmp_path: Path, settings: Any) -> dict[str, Any]:
    """Two London boroughs on a small council hex map, a published case led by one, and a
    verified member of the other who can sign in."""
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    settings.KITBAG_DATA_DIR = str(tmp_path)
    hexjson = tmp_path / registry_queries.COUNCIL_HEXJSON
    hexjson.parent.mkdir(parents=True)
    hexes = {"E09000007": (0, 0), "E09000012": (1, 0), "E09000019": (0, 1), "E09000030": (1, 1)}
    hexjson.write_text(
        json.dumps(
            {"layout": "odd-r", "hexes": {k: {"q": q, "r": r} for k, (q, r) in hexes.items()}}
        )
    )
    camden = _council("London Borough of Camden", "camden", "E09000007")
    hackney = _council("London Borough of Hackney", "hackney", "E09000012")
    case = _case("Chatbot answers council tax questions", camden)
    CostItem.objects.create(case=case, description="Chatbot licence", amount=Decimal("8000"))
    services.reindex_case(case=case)
    officer = UserFactory.create(
        email="jo.officer@hackney.gov.uk", password=PASSPHRASE, verified=True
    )
    MembershipFactory.create(
        user=officer,
        organisation=hackney,
        role=MembershipRole.MEMBER,
        method=Membership.Method.EMAIL_DOMAIN,
    )
    return {"case": case, "hackney": hackney, "officer": officer}


def test_a_verified_member_records_an_adoption_and_sees_it_on_the_map_and_in_the_totals(
    live_server: Any, page: Any, london: dict[str, Any]
) -> None:
    case = london["case"]
    sign_in(page, live_server, "jo.officer@hackney.gov.uk", PASSPHRASE)

    page.goto(live_server.url + "/cases/")
    page.get_by_role("link", name=case.title).first.click()
    expect(page.locator("h1")).to_have_text(case.title, use_inner_text=True)
    assert (
        "No other organisation has said it adopted this case yet."
        in page.locator("main").inner_text()
    )

    page.get_by_role("link", name="We adopted this").click()
    expect(page.locator("h1")).to_have_text("We adopted this", use_inner_text=True)
    assert "London Borough of Hackney" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    # A mistake first: the form says what is wrong and keeps what was typed.
    page.get_by_label("What did it cost? (optional)").fill("about 12k")
    page.get_by_role("button", name="Record adoption").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose how far you have got" in summary.inner_text()
    assert "Enter an amount in pounds, like 12,500" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("What did it cost? (optional)").input_value() == "about 12k"
    assert_no_accessibility_violations(page)
    summary.get_by_role("link", name="Choose how far you have got").click()
    assert page.evaluate("document.activeElement.id") == "id_status"

    page.get_by_label("Live").check()
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2024")
    page.get_by_label("What did it cost? (optional)").fill("12,000")
    page.get_by_label("What does it save each year? (optional)").fill("30,000")
    page.get_by_label("Anything others should know (optional)").fill("We added Welsh answers.")
    page.get_by_role("button", name="Record adoption").click()

    assert page.url.endswith(case.get_absolute_url())
    assert (
        "London Borough of Hackney is recorded as live"
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # On the map of adopters: Hackney's hex, marked as a live adopter, beside Camden's as lead.
    hackney_hex = page.locator(
        "svg.kitbag-hexmap a[aria-label='London Borough of Hackney (adopter, live)']"
    )
    assert hackney_hex.count() == 1
    assert "kitbag-hex--adoption-live" in hackney_hex.locator("polygon").get_attribute("class")
    assert (
        page.locator(
            "svg.kitbag-hexmap a[aria-label='London Borough of Camden (lead organisation)']"
        ).count()
        == 1
    )
    adopters = page.locator("#adopters-table").inner_text()
    assert "London Borough of Hackney" in adopters
    assert "since March 2024" in adopters
    assert "£12,000" in adopters and "£30,000" in adopters

    # In the totals: the lead's cost, the adopter's cost and saving, and both together.
    totals = page.locator("#totals + table").inner_text()
    assert "1 adopter" in totals
    assert "£8,000" in totals
    assert "£20,000" in totals  # 8,000 + 12,000
    assert "£30,000" in totals
    assert_no_accessibility_violations(page)

    # Recording again updates the same record.
    page.get_by_role("link", name="We adopted this").click()
    expect(page.locator("h1")).to_have_text("Update your adoption", use_inner_text=True)
    assert page.get_by_label("What did it cost? (optional)").input_value() == "12,000"
    assert_no_accessibility_violations(page)


def _relation_form(page: Any, live_server: Any, ours: Case) -> None:
    sign_in(page, live_server, "jo.officer@hackney.gov.uk", PASSPHRASE)
    page.goto(live_server.url + ours.get_absolute_url())
    page.get_by_role("link", name="Relate a case").click()
    expect(page.locator("h1")).to_have_text("Link this case to another", use_inner_text=True)


def test_the_relation_form_its_search_and_its_errors_are_accessible(
    live_server: Any, page: Any, london: dict[str, Any]
) -> None:
    ours = _case("Hackney council tax helper", london["hackney"])
    theirs = london["case"]
    _relation_form(page, live_server, ours)
    assert_no_accessibility_violations(page)

    page.get_by_label("Search for the other case").fill("chatbot")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    results = page.locator("#case-search-results")
    assert theirs.title in results.inner_text()
    assert ours.title not in results.inner_text()
    assert_no_accessibility_violations(page)

    results.get_by_role("link", name=f"Choose {theirs.title}").click()
    page.get_by_role("button", name="Save link").click()
    summary = page.locator(".govuk-error-summary")
    assert "Choose how this case relates to the other one" in summary.inner_text()
    assert page.get_by_label("The other case's address").input_value() == theirs.slug
    assert_no_accessibility_violations(page)


def test_a_member_links_their_case_to_another_found_by_search_without_javascript(
    live_server: Any, browser: Any, london: dict[str, Any]
) -> None:
    ours = _case("Hackney council tax helper", london["hackney"])
    theirs = london["case"]
    # Search, choice and saving are plain links and forms. (axe needs JavaScript, so the audits
    # are in the test above.)
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _relation_form(page, live_server, ours)
        page.get_by_label("Search for the other case").fill("chatbot")
        page.get_by_role("main").get_by_role("button", name="Search").click()
        page.locator("#case-search-results").get_by_role(
            "link", name=f"Choose {theirs.title}"
        ).click()
        assert page.get_by_label("The other case's address").input_value() == theirs.slug
        assert f"You chose “{theirs.title}”" in page.locator("main").inner_text()
        page.get_by_label("Adapted").check()
        page.get_by_label("What changed on the way? (optional)").fill("Answers in Welsh.")
        page.get_by_label("Month", exact=True).fill("9")
        page.get_by_label("Year", exact=True).fill("2023")
        page.get_by_role("button", name="Save link").click()
        assert page.url.endswith(ours.get_absolute_url())
        assert f"This case is now linked to {theirs.title}" in page.locator("main").inner_text()
    finally:
        context.close()
