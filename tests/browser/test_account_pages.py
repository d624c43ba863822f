"""Every account page an organisation admin reaches passes an axe-core WCAG 2.2 A/AA audit."""

from typing import Any

import pytest

from kitbag.accounts.audit import log_moderation
from kitbag.accounts.models import Membership, MembershipRole, OrganisationDomain, Profile, User
from kitbag.accounts.tests.factories import MembershipFactory, UserFactory
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_signed_in(live_server: Any, page: Any) -> User:
    camden = OrganisationFactory.create(
        name="London Borough of Camden", short_name="Camden", slug="camden", code="CMD"
    )
    OrganisationDomain.objects.create(
        organisation=camden, domain="camden.gov.uk", source=OrganisationDomain.Source.REGISTRY
    )
    admin = UserFactory.create(email="ada@camden.gov.uk", password=PASSWORD, verified=True)
    Profile.objects.create(
        user=admin, display_name="Ada Lovelace", job_title="Head of digital", is_public=True
    )
    MembershipFactory.create(
        user=admin,
        organisation=camden,
        role=MembershipRole.ADMIN,
        method=Membership.Method.EMAIL_DOMAIN,
    )
    colleague = UserFactory.create(email="bob@camden.gov.uk", password=PASSWORD)
    MembershipFactory.create(
        user=colleague, organisation=camden, method=Membership.Method.EMAIL_DOMAIN
    )
    log_moderation(
        actor=None,
        actor_label="a moderator",
        action="hid",
        object_type="comment",
        object_id=1,
        object_label="A comment on paragraph 3",
        reason="Personal information about a resident.",
    )
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/profile/")
    return admin


@pytest.mark.parametrize(
    "path",
    [
        "/account/profile/",
        "/account/profile/edit/",
        "/account/organisations/camden/members/",
        "/account/tokens/",
        "/account/moderation-log/",
        "/account/data/",
        "/account/data/delete/",
    ],
)
def test_account_pages_pass_an_accessibility_audit(
    admin_signed_in: User, live_server: Any, page: Any, path: str
) -> None:
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_no_accessibility_violations(page)


def test_the_pages_reached_from_forms_pass_an_accessibility_audit(
    admin_signed_in: User, live_server: Any, page: Any
) -> None:
    page.goto(live_server.url + "/account/profile/edit/")
    page.get_by_label("What I can help with").fill("Open data, *procurement* and hexes.")
    page.get_by_role("button", name="Save").first.click()
    assert_no_accessibility_violations(page)  # back on the account page, with a success banner

    page.goto(live_server.url + f"/account/people/{admin_signed_in.profile.pk}/")
    assert "Ada Lovelace" in page.locator("h1").inner_text()
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + "/account/tokens/")
    page.get_by_label("Name").fill("Our dashboard")
    page.get_by_role("button", name="Create token").click()
    assert "kb_" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + "/account/moderation-log/")
    page.locator("main table tbody a").first.click()
    assert "A comment on paragraph 3" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + "/account/organisations/camden/members/")
    page.get_by_role("button", name="Remove").first.click()
    assert_no_accessibility_violations(page)  # the confirmation page


def test_a_page_the_person_may_not_see_is_a_designed_403(
    admin_signed_in: User, live_server: Any, page: Any
) -> None:
    OrganisationFactory.create(name="Barnet Council", short_name="Barnet", slug="barnet")
    response = page.goto(live_server.url + "/account/organisations/barnet/members/")
    assert response is not None and response.status == 403
    assert_no_accessibility_violations(page)
