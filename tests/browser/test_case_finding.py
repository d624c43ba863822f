"""A council officer searches the innovation library, narrows it with filters, opens a case, and
sees who adopted it on the map; every page audited with axe-core."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kitbag.cases import services
from kitbag.cases.models import Adoption, Case, CaseRelation, CostItem
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme, OrganisationKind
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory
from kitbag.search.services import replace_synonyms
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.services import write_code_list
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def code(list_slug: str, value: str) -> Code:
    return Code.objects.get(code_list__slug=list_slug, code=value)


@pytest.fixture
def library(tmp_path: Path, settings: Any) -> Case:
    """A few councils on a small hex map, cases about chatbots and gritting, one adopted twice."""
    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    settings.KITBAG_DATA_DIR = str(tmp_path)
    hexjson = tmp_path / registry_queries.COUNCIL_HEXJSON
    hexjson.parent.mkdir(parents=True)
    hexes = {f"E0700000{n}": {"q": n % 3, "r": n // 3, "n": f"Council {n}"} for n in range(9)}
    hexjson.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))

    def council(name: str, gss: str, **fields: Any) -> Any:
        organisation = OrganisationFactory.create(name=name, **fields)
        IdentifierFactory.create(organisation=organisation, scheme=IdentifierScheme.GSS, value=gss)
        return organisation

    rightshire = council("Rightshire District Council", "E07000001")
    adoptshire = council("Adoptshire District Council", "E07000002")
    pilotshire = council("Pilotshire District Council", "E07000003")
    cardiff = council("Cardiff Council", "E07000004", nation="Wales")

    def case(**fields: Any) -> Case:
        made = Case.objects.create(published_at=timezone.now(), status="published", **fields)
        services.reindex_case(case=made)
        return made

    chatbot = case(
        title="Council tax chatbot",
        slug="council-tax-chatbot",
        summary="A chatbot answers council tax questions overnight.",
        lead_organisation=rightshire,
        phase=code("govuk-phase", "live"),
        outcome=code("outcome-label", "worked"),
        evidence_level=code("nesta-evidence", "2"),
        what_did_not_work="Older residents preferred the phone.",
    )
    chatbot.technologies.set([code("technology", "chatbot")])
    services.reindex_case(case=chatbot)
    CostItem.objects.create(case=chatbot, description="Build", amount=Decimal("20000"))
    case(
        title="Housing repairs chatbot",
        slug="housing-repairs-chatbot",
        summary="Tenants report repairs to a chatbot.",
        lead_organisation=cardiff,
        phase=code("govuk-phase", "beta"),
    )
    follower = case(
        title="Chatbot for council tax in Adoptshire",
        slug="adoptshire-chatbot",
        summary="Adoptshire adapted the council tax chatbot.",
        lead_organisation=adoptshire,
    )
    case(
        title="Gritting routes by sensor",
        slug="gritting",
        summary="Sensors plan gritting routes.",
        lead_organisation=pilotshire,
    )
    department = OrganisationFactory.create(
        name="Department for Work and Pensions",
        short_name="DWP",
        kind=OrganisationKind.CENTRAL_GOVERNMENT,
        nation="",
        region="",
    )
    case(
        title="Road maintenance planner",
        slug="road-maintenance",
        summary="A model plans road maintenance from sensor readings.",
        lead_organisation=department,
        country_code="GB",
    )
    replace_synonyms(source="lgsl-services", pairs=[("Potholes", "Road maintenance")])
    CaseRelation.objects.create(
        from_case=follower,
        to_case=chatbot,
        relation=code("spread-relation", "adapted"),
        changes_made="Added Welsh",
        confirmed_by_both=True,
    )
    Adoption.objects.create(
        case=chatbot,
        adopter=adoptshire,
        status=code("adoption-status", "live"),
        cost=Decimal("5000"),
        annual_saving=Decimal("12000"),
    )
    Adoption.objects.create(
        case=chatbot, adopter=pilotshire, status=code("adoption-status", "piloting")
    )
    return chatbot


def test_an_officer_searches_filters_and_opens_a_case(
    library: Case, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Innovation library").click()
    expect(page.locator("h1")).to_have_text("Innovation library", use_inner_text=True)
    assert_no_accessibility_violations(page)

    page.get_by_label("Search cases").fill("chatbot")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    assert "q=chatbot" in page.url
    results = page.locator(".kitbag-results")
    expect(results.locator("li")).to_have_count(3)
    assert results.locator("mark").first.inner_text().lower() == "chatbot"
    assert "Gritting" not in results.inner_text()

    page.get_by_role("checkbox", name=re.compile(r"^Live")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "phase=live" in page.url
    expect(results.locator("li")).to_have_count(1)
    assert page.get_by_role("checkbox", name=re.compile(r"^Live")).is_checked()
    assert page.get_by_role("link", name="Remove filter Phase: Live").count() == 1
    assert_no_accessibility_violations(page)

    results.get_by_role("link", name="Council tax chatbot").click()
    expect(page.locator("h1")).to_have_text("Council tax chatbot", use_inner_text=True)
    main = page.locator("main").inner_text()
    assert "What did not work" in main
    assert "Older residents preferred the phone." in main


def test_a_case_page_shows_its_adopters_on_the_map_its_totals_and_its_lineage(
    library: Case, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + library.get_absolute_url())

    marked = page.locator("svg.kitbag-hexmap a")
    assert marked.count() == 3  # the lead and two adopters
    assert (
        page.locator(
            "svg.kitbag-hexmap a[aria-label='Adoptshire District Council (adopter, live)']"
        ).count()
        == 1
    )
    table = page.locator("#adopters-table").inner_text()
    assert "Adoptshire District Council" in table and "Pilotshire District Council" in table
    main = page.locator("main").inner_text()
    assert "All together" in main and "£25,000" in main and "£12,000" in main
    assert "Chatbot for council tax in Adoptshire" in main and "adapted it" in main
    assert_no_accessibility_violations(page)

    page.locator("svg.kitbag-hexmap a[href$='/organisations/adoptshire/']").click()
    expect(page.locator("h1")).to_have_text("Adoptshire District Council", use_inner_text=True)
    assert "Council tax chatbot" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)


def test_an_officer_is_understood_when_typing_a_misspelling_or_an_old_word_and_filters_by_nation(
    library: Case, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/cases/")
    page.get_by_label("Search cases").fill("chatbt")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator("#did-you-mean")).to_contain_text("Did you mean chatbot?")
    # Nothing matched "chatbt", so the results are the correction's.
    expect(page.locator("#results")).to_have_text("3 cases match “chatbot”", use_inner_text=True)
    assert page.locator(".kitbag-results li").count() == 3
    assert_no_accessibility_violations(page)

    page.get_by_label("Search cases").fill("chatbot counsil")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator("#did-you-mean")).to_contain_text("Did you mean chatbot council?")
    page.locator("#did-you-mean").get_by_role("link", name="chatbot council").click()
    expect(page.get_by_label("Search cases")).to_have_value("chatbot council")
    expect(page.locator("#did-you-mean")).to_have_count(0)

    # A former LGSL name finds the service it became.
    page.get_by_label("Search cases").fill("potholes")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator(".kitbag-results")).to_contain_text("Road maintenance planner")

    # The UK and its nations lead the filter, by name; a UK-wide department is under each.
    page.goto(live_server.url + "/cases/")
    nations = page.get_by_role("group", name="Nation or country").get_by_role("checkbox")
    expect(nations.first).to_have_accessible_name(re.compile(r"^United Kingdom"))
    page.get_by_role("checkbox", name=re.compile(r"^Wales")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Remove filter Nation or country: Wales")).to_have_count(1)
    titles = page.locator(".kitbag-results").inner_text()
    assert "Housing repairs chatbot" in titles and "Road maintenance planner" in titles
    assert "Gritting" not in titles
    assert_no_accessibility_violations(page)
