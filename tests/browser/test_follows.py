"""A person follows a council, a case of that council is published, the digest run emails them
about it, and the email's unsubscribe link stops the emails; every page audited with axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from kitbag.accounts.models import MembershipRole
from kitbag.accounts.tests.factories import UserFactory
from kitbag.cases import services as case_services
from kitbag.cases.models import Case, RecordStatus
from kitbag.follows.models import FollowSettings, StoredHappening
from kitbag.registry.tests.factories import OrganisationFactory
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "amber kettle harbour moss"


def test_following_a_council_brings_its_new_case_in_the_digest(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    council = OrganisationFactory.create(name="London Borough of Camden", slug="camden")
    editor = UserFactory.create(
        email="editor@camden.gov.uk", member_of=council, member_of__role=MembershipRole.EDITOR
    )
    UserFactory.create(email="sam@example.org", password=PASSPHRASE, verified=True)
    case = Case.objects.create(
        title="Digital parking permits",
        slug="digital-parking-permits",
        summary="Residents apply for a parking permit online in five minutes.",
        lead_organisation=council,
        status=RecordStatus.IN_REVIEW,
        owner=editor,
    )

    sign_in(page, live_server, "sam@example.org", PASSPHRASE)
    page.goto(live_server.url + council.get_absolute_url())
    page.get_by_role("button", name=re.compile(r"^Follow")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    assert_no_accessibility_violations(page)

    page.goto(live_server.url + "/following/")
    expect(page.get_by_role("link", name="London Borough of Camden")).to_be_visible()
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Save email choice").click()
    expect(page.get_by_label("Daily")).to_be_checked()
    assert_no_accessibility_violations(page)

    case_services.move_case(case=case, action="publish", by=editor)
    # As if the digests were turned on two days ago and the case published yesterday: the daily
    # run covers whole London days up to the start of today.
    now = timezone.now()
    FollowSettings.objects.filter(user__email="sam@example.org").update(
        digest_sent_up_to=now - dt.timedelta(days=2)
    )
    StoredHappening.objects.update(recorded_at=now - dt.timedelta(days=1))
    call_command("send_digests", frequency="daily")
    [email] = mail.outbox
    assert email.to == ["sam@example.org"]
    assert "Digital parking permits" in email.body
    assert "London Borough of Camden" in email.body

    page.goto(live_server.url + "/following/notifications/")
    expect(page.get_by_role("link", name=re.compile("Digital parking permits"))).to_be_visible()
    assert_no_accessibility_violations(page)

    # The email's own link, opened without being signed in: confirm, then done.
    unsubscribe = email.message()["List-Unsubscribe"].strip("<>")
    page.context.clear_cookies()
    page.goto(unsubscribe)
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Stop digest emails").click()
    expect(page.get_by_role("heading", name="You will get no more digest emails")).to_be_visible()
    assert_no_accessibility_violations(page)
    assert FollowSettings.objects.get(user__email="sam@example.org").digest_frequency == "off"


def test_following_a_resource_tag_brings_a_new_event_with_that_tag(
    page: Any, live_server: Any
) -> None:
    from kitbag.events import services as event_services
    from kitbag.events.models import EventKind
    from kitbag.events.tests.factories import in_days
    from kitbag.resources import services as resource_services

    UserFactory.create(email="sam@example.org", password=PASSPHRASE, verified=True)
    resource_services.recommend(
        person=UserFactory.create(),
        url="https://data.gov.uk/",
        title="Find open data",
        tags=["open-data"],
    )

    sign_in(page, live_server, "sam@example.org", PASSPHRASE)
    page.goto(live_server.url + "/resources/tags/open-data/")
    page.get_by_role("button", name=re.compile(r"^Follow")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    assert_no_accessibility_violations(page)

    # An event tagged the same words, spelt differently, reaches the tag's followers once it is
    # published (a draft is announced to no one).
    organiser = UserFactory.create()
    event = event_services.create_event(
        details=event_services.EventDetails(
            title="Open data camp",
            kind=EventKind.UNCONFERENCE,
            starts_at=in_days(5, 9),
            ends_at=in_days(5, 17),
            address="The Library, York",
            tags=["Open Data"],
        ),
        by=organiser,
        organiser_name="Pat",
    )
    event_services.publish_event(event=event, by=organiser)
    page.goto(live_server.url + "/following/notifications/")
    expect(page.get_by_role("link", name=re.compile("Open data camp"))).to_be_visible()

    page.goto(live_server.url + event.get_absolute_url())
    page.get_by_role("button", name=re.compile(r"^Follow")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    assert_no_accessibility_violations(page)
