"""A signed-in officer finds someone who has done it by tag and asks them for help; the helper gets
the email without the officer's address, answers on Kitbag, and every page on the way is
accessible. Then mentoring and a report, so every people page is audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from kitbag.accounts.tests.factories import UserFactory
from kitbag.network.models import MentoringRequest, Offer
from kitbag.network.tests.factories import PASSWORD, lgsl_services, person
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ASKER = "bo.asker@bristol.gov.uk"
HELPER = "ada.helper@camden.gov.uk"


def path_in(message: mail.EmailMessage) -> str:
    """The Kitbag address in an email, as a path: links are made with SITE_URL, which is not the
    test server's."""
    found = re.search(r"https?://[^/\s]+(/people/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_an_officer_finds_a_helper_by_tag_and_asks_them_for_help(
    live_server: Any, page: Any, browser: Any
) -> None:
    lgsl_services()
    camden = OrganisationFactory.create(name="London Borough of Camden")
    person(
        name="Ada Helper",
        email=HELPER,
        job_title="Digital lead",
        organisation=camden,
        services_known=["524"],
        tags=["chatbots"],
        offers=[Offer.TALK, Offer.MENTOR],
        accepts_messages=True,
    )
    person(name="Someone Else", email="else@example.org", tags=["payments"])
    person(name="Bo Asker", email=ASKER, public=False)

    sign_in(page, live_server, ASKER, PASSWORD)
    page.goto(live_server.url + "/people/")
    assert_no_accessibility_violations(page)
    page.get_by_label("Tag").select_option("chatbots")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.locator("main h2").first).to_have_text("1 person")
    assert "Someone Else" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Ada Helper").click()
    expect(page.locator("h1")).to_have_text("Ada Helper")
    assert "London Borough of Camden" in page.locator("main").inner_text()
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Ask for help").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Send message").click()
    # Nothing written: the error summary leads to the field.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Subject").fill("Your chatbot pilot")
    page.get_by_label("Your message").fill("How did residents take to it?")
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("h1")).to_have_text("Your chatbot pilot")
    assert_no_accessibility_violations(page)

    # The helper's email: from Kitbag, with neither address but theirs as the recipient.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [HELPER]
    assert ASKER not in email.message().as_string()
    assert email.reply_to == []
    assert "How did residents take to it?" in email.body

    # The asker asks to be mentored too.
    page.goto(live_server.url + "/people/")
    page.get_by_role("link", name="Ada Helper").click()
    page.get_by_role("link", name="Ask to be mentored").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("What you would like help with").fill("Running a discovery")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("h1")).to_have_text("Mentoring request")
    assert_no_accessibility_violations(page)

    # The helper answers on Kitbag, from the email's link, in a browser of their own.
    context = browser.new_context()
    helper_page = context.new_page()
    try:
        sign_in(helper_page, live_server, HELPER, PASSWORD)
        helper_page.goto(live_server.url + path_in(email))
        expect(helper_page.locator("h1")).to_have_text("Your chatbot pilot")
        assert ASKER not in helper_page.content()
        helper_page.get_by_label("Your message").fill("Well. Happy to talk it through.")
        helper_page.get_by_role("button", name="Send reply").click()
        expect(helper_page.locator(".govuk-notification-banner")).to_contain_text("sent")
        assert_no_accessibility_violations(helper_page)
        assert mail.outbox[-1].to == [ASKER]
        assert HELPER not in mail.outbox[-1].message().as_string()

        helper_page.get_by_role("link", name="Report").first.click()
        assert_no_accessibility_violations(helper_page)

        helper_page.goto(live_server.url + "/people/messages/")
        assert_no_accessibility_violations(helper_page)
        request = MentoringRequest.objects.get()
        helper_page.goto(live_server.url + f"/people/mentoring/{request.pk}/")
        assert_no_accessibility_violations(helper_page)
        helper_page.get_by_label("Accept", exact=True).check()
        helper_page.get_by_role("button", name="Send your answer").click()
        expect(helper_page.locator("main .govuk-tag").first).to_have_text("Accepted")
        assert "accepted" in mail.outbox[-1].subject

        helper_page.goto(live_server.url + "/people/your-help/")
        assert_no_accessibility_violations(helper_page)
        helper_page.get_by_label("Search for a service").fill("bin")
        helper_page.get_by_role("button", name="Find services").click()
        helper_page.get_by_label("Missed bin collection").check()
        helper_page.get_by_role("button", name="Save", exact=True).click()
        expect(helper_page.locator(".govuk-notification-banner")).to_be_visible()
        assert_no_accessibility_violations(helper_page)
    finally:
        context.close()


def test_the_moderators_queue_of_reported_messages_is_accessible(
    live_server: Any, page: Any
) -> None:
    from kitbag.network import services
    from kitbag.network.tests.factories import profile_of

    lgsl_services()
    helper = person(name="Ada", email=HELPER, accepts_messages=True, offers=[Offer.TALK])
    asker = person(name="Bo", email=ASKER)
    message = services.ask_for_help(
        sender=asker,
        profile=profile_of(helper),
        subject="Buy",
        body="An advert",
        shows_address=False,
    )
    services.report_message(message=message, by=helper, reason="It is an advert")
    UserFactory.create(
        email="mod@kitbag.example", password=PASSWORD, verified=True, is_moderator=True
    )
    sign_in(page, live_server, "mod@kitbag.example", PASSWORD)
    page.goto(live_server.url + "/people/reports/")
    expect(page.locator("h1")).to_have_text("Reported messages")
    assert_no_accessibility_violations(page)
    page.get_by_label("What you did").fill("Warned the sender")
    page.get_by_role("button", name="Close the report").click()
    expect(page.locator("main")).to_contain_text("No report is waiting.")
    assert_no_accessibility_violations(page)
