"""The owner of a partnership indicator sets a target and sees it on the series beside the
straight-line trend; the target form and the indicator page pass an axe-core audit."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from kitbag.accounts.models import User
from kitbag.performance import services
from kitbag.performance.models import Target
from kitbag.performance.periods import financial_year
from kitbag.performance.tests.partnership_world import build_partnership_world
from tests.browser.conftest import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "violet lantern river song"


def test_the_owner_sets_a_target_and_sees_it_beside_the_trend(live_server: Any, page: Any) -> None:
    world = build_partnership_world()
    owner = world.people["owner"]
    assert isinstance(owner, User)
    owner.set_password(PASSPHRASE)
    owner.save()
    # Signing in needs a verified email address, as it does for everyone.
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    for n, value in enumerate((12.0, 11.0, 10.5, 9.0)):
        figure = services.enter_figure(
            figure=services.FigureInput(
                indicator=world.indicator,
                organisation=None,
                area="E06000001",
                period=financial_year(2016 + n),
                value=value,
                visibility="public",
            ),
            owner=world.organisations["owner"],
            entered_by=owner,
        )
        services.approve_figure(observation=figure, by=owner)
        services.publish_figure(observation=figure, by=owner)

    sign_in(page, live_server, owner.email, PASSPHRASE)
    page.goto(f"{live_server.url}/performance/indicators/{world.indicator.slug}/")
    expect(page.locator("main")).to_contain_text("a straight-line trend, not a prediction")
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Set a target").click()
    page.get_by_role("button", name="Set the target").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Or an area (GSS code)").fill("E06000001")
    page.get_by_label("Or another period").fill("2021-22")
    page.get_by_label("Target value").fill("7.5")
    page.get_by_role("button", name="Set the target").click()

    expect(page.locator("main")).to_contain_text("The target is set.")
    table = page.locator("table", has=page.locator("#trend-caption"))
    expect(table).to_contain_text("target")
    expect(table).to_contain_text("7.5")
    expect(page.locator("svg.kitbag-chart").last).to_contain_text("Target")
    assert Target.objects.get().value == 7.5
    assert_no_accessibility_violations(page)
