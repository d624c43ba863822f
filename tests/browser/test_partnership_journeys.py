"""A partner uploads figures by CSV (after fixing the errors the page lists by line), a verified
member of the owning organisation approves and publishes them; another partner sees them while
they are drafts and approved, and the public sees them only once they are published. Every new
page on the way is audited with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole
from kitbag.meetings.tests.openness_world import PASSPHRASE, member_of, person
from kitbag.performance import services
from kitbag.performance.models import MemberRole
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BAD = b"indicator,organisation,period,value\r\nFALLS1,OTHR,2023-24,lots\r\nNOPE,OTHR,2023-24,3\r\n"
GOOD = (
    b"indicator,organisation,area,period,value,status\r\n"
    b"FALLS1,OTHR,,2023-24,812.5,provisional\r\n"
    b"FALLS1,,E05000001,2023-24,455.2,final\r\n"
)


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def switch_to(page: Any, live_server: Any, email: str | None) -> None:
    page.context.clear_cookies()
    if email:
        sign_in(page, live_server, email, PASSPHRASE)


def test_a_partner_uploads_the_owner_signs_off_and_the_public_sees_only_published(
    live_server: Any, page: Any
) -> None:
    lead = OrganisationFactory.create(name="Leadshire Council", short_name="Leadshire", code="LEAD")
    owner = OrganisationFactory.create(name="Ownerton Council", short_name="Ownerton", code="OWNR")
    other = OrganisationFactory.create(name="Otherby Council", short_name="Otherby", code="OTHR")
    coordinator = member_of(person("coordinator@leadshire.gov.uk"), lead, MembershipRole.MEMBER)
    analyst = member_of(person("analyst@ownerton.gov.uk"), owner, MembershipRole.MEMBER)
    manager = member_of(person("manager@ownerton.gov.uk"), owner, MembershipRole.MEMBER)
    partner = member_of(person("officer@otherby.gov.uk"), other, MembershipRole.MEMBER)
    partnership = services.create_partnership(
        name="Healthy Ageing Together",
        description="Fewer older people in crisis.",
        lead=lead,
        coordinator=coordinator,
    )
    services.add_member(partnership=partnership, organisation=owner, role=MemberRole.PARTNER)
    services.add_member(partnership=partnership, organisation=other, role=MemberRole.PARTNER)
    services.define_indicator(
        partnership=partnership,
        code="FALLS1",
        name="Emergency admissions after a fall",
        owner=owner,
        created_by=coordinator,
        polarity="lower",
    )
    detail = f"{live_server.url}/performance/partnerships/{partnership.slug}/"

    # A partner (an analyst at the owning council) uploads: first a file with errors.
    sign_in(page, live_server, analyst.email, PASSPHRASE)
    page.goto(live_server.url + "/performance/partnerships/")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Healthy Ageing Together").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Upload figures").click()
    expect(page.locator("h1")).to_have_text("Upload figures")
    assert_no_accessibility_violations(page)
    upload = {"name": "figures.csv", "mimeType": "text/csv"}
    page.get_by_label("CSV file").set_input_files(files=[{**upload, "buffer": BAD}])
    page.get_by_label("Who can see these figures").select_option("public")
    page.get_by_role("button", name="Upload").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("line 2, column value")
    expect(summary).to_contain_text("line 3, column indicator")
    assert_no_accessibility_violations(page)
    page.get_by_label("CSV file").set_input_files(files=[{**upload, "buffer": GOOD}])
    page.get_by_label("Who can see these figures").select_option("public")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("main")).to_contain_text("2 figures are saved as drafts")
    expect(page.get_by_role("table", name="The latest figure you can see")).to_contain_text("812.5")

    # Another partner sees the drafts; the public does not.
    switch_to(page, live_server, partner.email)
    page.goto(detail)
    expect(page.locator("main")).to_contain_text("812.5")
    expect(page.locator("main")).to_contain_text("Draft")
    expect(page.locator("main")).not_to_contain_text("Your organisation's figures to sign off")
    switch_to(page, live_server, None)
    page.goto(detail)
    expect(page.locator("main")).not_to_contain_text("812.5")
    expect(page.locator("main")).to_contain_text("No figures you can see yet")
    assert_no_accessibility_violations(page)

    # The owner's manager approves both.
    switch_to(page, live_server, manager.email)
    page.goto(detail)
    expect(page.locator("#sign-off")).to_be_visible()
    assert_no_accessibility_violations(page)
    for _ in range(2):
        page.get_by_role("button", name="Approve").first.click()
        expect(page.locator("main")).to_contain_text("The figure is approved")
    assert_no_accessibility_violations(page)

    # Approved, not yet published: partners see it, the public still does not.
    switch_to(page, live_server, partner.email)
    page.goto(detail)
    expect(page.locator("main")).to_contain_text("Approved")
    expect(page.locator("main")).to_contain_text("455.2")
    switch_to(page, live_server, None)
    page.goto(detail)
    expect(page.locator("main")).not_to_contain_text("455.2")

    # The manager publishes; now the public sees them, on the page and the indicator page.
    switch_to(page, live_server, manager.email)
    page.goto(detail)
    for _ in range(2):
        page.get_by_role("button", name="Publish").first.click()
        expect(page.locator("main")).to_contain_text("The figure is published")
    switch_to(page, live_server, None)
    page.goto(detail)
    expect(page.locator("main")).to_contain_text("812.5")
    expect(page.locator("main")).to_contain_text("455.2")
    expect(page.locator("main")).to_contain_text("Published")
    page.get_by_role("link", name="Emergency admissions after a fall").click()
    expect(page.locator("main")).to_contain_text("455.2")
    # The group's figures, and one body's series with its trend and targets.
    expect(page.locator("main svg.kitbag-chart")).to_have_count(2)
    assert_no_accessibility_violations(page)
