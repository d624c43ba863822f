"""A council officer creates an account, confirms their work address, finds themself a verified
member of their council, and signs out; someone mistypes a password; someone resets one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from kitbag.accounts.models import OrganisationDomain
from kitbag.accounts.tests.factories import UserFactory
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "violet lantern river song"


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+", str(message.body))
    assert found, message.body
    return found.group(0)


def header(page: Any) -> str:
    return str(page.locator(".govuk-service-navigation").inner_text())


def test_a_council_officer_signs_up_confirms_their_address_and_becomes_a_verified_member(
    live_server: Any, page: Any
) -> None:
    camden = OrganisationFactory.create(name="London Borough of Camden", short_name="Camden")
    OrganisationDomain.objects.create(organisation=camden, domain="camden.gov.uk", source="admin")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Create an account").click()
    assert_no_accessibility_violations(page)

    page.get_by_label("Email address").fill("jo.officer@camden.gov.uk")
    page.get_by_label("Create a password").fill(PASSPHRASE)
    page.get_by_label("Confirm your password").fill(PASSPHRASE)
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("h1")).to_have_text("Check your email", use_inner_text=True)
    assert_no_accessibility_violations(page)

    # The live server runs in this process, so its mail lands in this outbox.
    assert len(mail.outbox) == 1
    page.goto(link_in(mail.outbox[0]))
    expect(page.locator("h1")).to_have_text("Confirm your email address", use_inner_text=True)
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Confirm email address").click()

    assert "Your account" in header(page)
    page.get_by_role("link", name="Your account").click()
    assert "London Borough of Camden" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign out", use_inner_text=True)
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Sign out").click()

    assert "Sign in" in header(page)
    assert "Your account" not in header(page)


def test_a_wrong_password_is_explained_in_an_error_summary_that_leads_to_the_field(
    live_server: Any, page: Any
) -> None:
    user = UserFactory.create(email="sam@example.org", password=PASSPHRASE, verified=True)

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("not my password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error: ")
    # GOV.UK Frontend moves focus to the summary, so a screen reader hears it first.
    assert summary.evaluate("element => element === document.activeElement")
    assert_no_accessibility_violations(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_login"


def test_a_person_resets_a_forgotten_password_from_the_emailed_link(
    live_server: Any, page: Any
) -> None:
    user = UserFactory.create(
        email="sam@example.org", password="an old forgotten phrase", verified=True
    )

    page.goto(live_server.url + "/account/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator("h1")).to_have_text("Check your email", use_inner_text=True)
    assert_no_accessibility_violations(page)

    page.goto(link_in(mail.outbox[0]))
    expect(page.locator("h1")).to_have_text("Create a new password", use_inner_text=True)
    assert_no_accessibility_violations(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm your new password").fill("short")
    page.get_by_role("button", name="Save new password").click()
    assert "too short" in page.locator(".govuk-error-summary").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_label("New password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Confirm your new password").fill(PASSPHRASE)
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator("h1")).to_have_text("Your password has been changed", use_inner_text=True)
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="sign in with your new password").click()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    assert "Your account" in header(page)


def test_a_person_signs_in_with_the_link_emailed_to_them(live_server: Any, page: Any) -> None:
    user = UserFactory.create(email="sam@example.org", password=PASSPHRASE, verified=True)

    page.goto(live_server.url + "/account/login/")
    page.get_by_role("link", name="Sign in with a link sent to your email instead").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send sign-in link").click()
    assert_no_accessibility_violations(page)

    page.goto(link_in(mail.outbox[0]))
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Sign in").click()

    assert "Your account" in header(page)
