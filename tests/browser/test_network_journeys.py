"""The network's joins: a partnership's coordinator records on a resource's page that their
partnership used it, and sees it on both pages; a signed-in reader follows a person from their
page. Every page on the way is audited with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole, Profile
from kitbag.meetings.tests.openness_world import PASSPHRASE, member_of, person
from kitbag.performance import services as performance_services
from kitbag.registry.tests.factories import OrganisationFactory
from kitbag.resources import services as resource_services
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _main(page: Any) -> Any:
    return page.get_by_role("main")


def test_a_coordinator_records_that_their_partnership_used_a_resource(
    live_server: Any, page: Any
) -> None:
    lead = OrganisationFactory.create(name="Leadshire Council", short_name="Leadshire", code="LEAD")
    coordinator = member_of(person("coordinator@leadshire.gov.uk"), lead, MembershipRole.MEMBER)
    partnership = performance_services.create_partnership(
        name="Healthy Ageing Together",
        description="Fewer older people in crisis.",
        lead=lead,
        coordinator=coordinator,
    )
    resource = resource_services.recommend(
        person=person("librarian@example.org"),
        url="https://example.org/falls-toolkit",
        title="Falls prevention toolkit",
        why="Short and practical.",
        tags=["falls"],
    )

    sign_in(page, live_server, coordinator.email, PASSPHRASE)
    page.goto(live_server.url + resource.get_absolute_url())
    assert_no_accessibility_violations(page)
    # Nothing chosen: the error is named and nothing is saved.
    _main(page).get_by_role("button", name="Add to “Used by”").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what used this resource")
    assert_no_accessibility_violations(page)
    page.get_by_label("Say what of yours used it").select_option(f"partnership:{partnership.pk}")
    _main(page).get_by_role("button", name="Add to “Used by”").click()
    used_by = page.locator("#used-by + ul")
    expect(used_by).to_contain_text("Partnership: Healthy Ageing Together")
    assert_no_accessibility_violations(page)

    used_by.get_by_role("link", name="Healthy Ageing Together").click()
    expect(page.locator("h1")).to_have_text("Healthy Ageing Together")
    expect(page.locator("#resources-used + ul")).to_contain_text("Falls prevention toolkit")
    assert_no_accessibility_violations(page)


def test_a_reader_follows_a_person_from_their_page(live_server: Any, page: Any) -> None:
    helper = person("ada@camden.gov.uk")
    Profile.objects.update_or_create(
        user=helper, defaults={"display_name": "Ada Helper", "is_public": True}
    )
    profile = Profile.objects.get(user=helper)
    reader = person("reader@example.org")

    sign_in(page, live_server, reader.email, PASSPHRASE)
    page.goto(f"{live_server.url}/people/{profile.pk}/")
    assert_no_accessibility_violations(page)
    _main(page).get_by_role("button", name="Follow Ada Helper").click()
    expect(_main(page).get_by_role("button", name=re.compile("Stop following"))).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto(live_server.url + "/following/")
    expect(_main(page)).to_contain_text("Ada Helper")
