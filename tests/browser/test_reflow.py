"""Every page the journeys visit fits 320 CSS pixels without sideways scrolling (WCAG 2.2 1.4.10).

One world holds what the journeys need (councils in each nation on a hex map, a synced calendar,
a published and adopted case, a recorded policy, a report) and one browser at 320 px visits each
page, signed out, then as a council's admin and as a moderator. Wide tables may scroll inside
their own labelled region; the page itself may not. The journeys check the same at every audit
(conftest.assert_no_accessibility_violations), on their own data and in their error states.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kitbag.cases import services as case_services
from kitbag.cases.models import Adoption, Case
from kitbag.meetings.models import Committee, Meeting, OpennessReport
from kitbag.meetings.openness import services as openness_services
from kitbag.meetings.tests.openness_world import PASSPHRASE, World, a_report, make_world
from kitbag.registry import queries as registry_queries
from kitbag.registry.models import IdentifierScheme
from kitbag.registry.tests.factories import IdentifierFactory, OrganisationFactory
from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code
from kitbag.vocabularies.services import write_code_list
from tests.browser.calendar_world import synced_calendar
from tests.browser.conftest import REFLOW_WIDTH, page_width_at, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Town:
    world: World
    case: Case
    ours: Case  # led by Riverside, whose admin links it to others
    committee: Committee
    meeting: Meeting
    report: OpennessReport


def _published_case(**fields: Any) -> Case:
    return case_services.save_case(
        case=Case(status="published", published_at=timezone.now(), **fields),
        by=None,
        check_permission=False,
    )


@pytest.fixture
def town(tmp_path: Path, settings: Any) -> Town:
    settings.KITBAG_DATA_DIR = str(tmp_path)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = make_world()
    # A long name, as real ones are ("Comhairle nan Eilean Siar", "Bournemouth, Christchurch...").
    long_named = OrganisationFactory.create(
        name="Bournemouth, Christchurch and Poole Council", slug="bcp", code="BCP"
    )
    codes = {
        "E07000001": world.riverside,
        "S12000001": world.glen,
        "W06000001": world.cwm,
        "N09000001": world.lough,
        "E06000058": long_named,
    }
    hexjson = tmp_path / registry_queries.COUNCIL_HEXJSON
    hexjson.parent.mkdir(parents=True)
    hexes = {
        gss: {"q": n % 3, "r": n // 3, "n": c.name} for n, (gss, c) in enumerate(codes.items())
    }
    hexjson.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))
    for gss, council in codes.items():
        IdentifierFactory.create(organisation=council, scheme=IdentifierScheme.GSS, value=gss)

    for builtin in BUILTIN_LISTS:
        write_code_list(wanted=builtin.list, codes=builtin.codes)
    case = _published_case(
        title="Council tax chatbot answers questions overnight",
        summary="Residents ask a chatbot about council tax at any hour of the day or night.",
        lead_organisation=world.glen,
        phase=Code.objects.get(code_list__slug="govuk-phase", code="live"),
        what_did_not_work="Older residents preferred the phone.",
    )
    Adoption.objects.create(
        case=case,
        adopter=long_named,
        status=Code.objects.get(code_list__slug="adoption-status", code="live"),
    )
    case_services.reindex_case(case=case)
    ours = _published_case(
        title="Riverside's own chatbot",
        summary="Riverside tried a chatbot too.",
        lead_organisation=world.riverside,
    )

    openness_services.record_policy(
        council=world.riverside,
        activity="photography",
        change=openness_services.PolicyChange(
            status="permission-required",
            evidence_url="https://riverside.example/democracy/protocol-for-filming-and-recording.pdf",
            evidence_date=dt.date(2024, 5, 1),
        ),
        by=world.editor,
    )
    report = a_report(world)

    synced_calendar(world.riverside)
    committee = Committee.objects.get(title__startswith="Planning")
    return Town(
        world=world,
        case=case,
        ours=ours,
        committee=committee,
        meeting=committee.meetings.order_by("start").last(),  # type: ignore[arg-type]
        report=report,
    )


def _public_pages(town: Town) -> list[str]:
    case, riverside = town.case, town.world.riverside
    return [
        "/",
        "/about-the-data/",
        "/accessibility/",
        "/api/docs",  # named in issue 16: 406 px at 375
        "/no-such-page/",
        "/organisations/",
        "/organisations/?q=riverside",
        "/organisations/?nation=Wales",
        riverside.get_absolute_url(),
        "/organisations/bcp/",
        "/organisations/councils/map/",  # named: 519 px
        "/cases/",
        "/cases/?q=chatbot",
        "/cases/?q=chatbot&phase=live",
        case.get_absolute_url(),
        f"/cases/{case.slug}/history/",
        "/meetings/",
        "/meetings/riverside/",  # named: council calendar pages, 483 px
        f"/meetings/riverside/committees/{town.committee.pk}/",
        f"/meetings/riverside/meetings/{town.meeting.uid}/",
        "/meetings/openness/",  # named: 830 px
        "/meetings/openness/?activity=photography",
        "/meetings/openness/law/",
        "/meetings/riverside/openness/",
        "/meetings/cwm/openness/",
        "/account/login/",
        "/account/signup/",
        "/account/password/reset/",
        "/account/login/code/",
    ]


def _admin_pages(town: Town) -> list[str]:
    slug = town.case.slug
    return [
        "/account/profile/",
        "/account/profile/edit/",
        "/account/tokens/",
        "/account/data/",
        "/account/organisations/riverside/members/",
        "/cases/yours/",
        "/cases/new/",
        f"/cases/{slug}/adopt/",
        f"/cases/{town.ours.slug}/relate/",
        f"/cases/{town.ours.slug}/edit/",
        "/meetings/riverside/openness/policy/",
        "/meetings/riverside/openness/report/",
        "/meetings/openness/reports/mine/",
    ]


def _moderator_pages(town: Town) -> list[str]:
    return [
        "/meetings/openness/moderation/",
        f"/meetings/openness/reports/{town.report.pk}/",
        "/account/moderation-log/",
    ]


def _widths(page: Any, live_server: Any, paths: list[str]) -> dict[str, tuple[int, list[Any]]]:
    widths = {}
    for path in paths:
        page.goto(live_server.url + path)
        widths[path] = page_width_at(page)
    return widths


def test_every_page_of_the_journeys_fits_320_css_pixels_without_scrolling_sideways(
    town: Town, live_server: Any, browser: Any
) -> None:
    widths: dict[str, tuple[int, list[Any]]] = {}
    for who, paths in [
        (None, _public_pages(town)),
        (town.world.admin, _admin_pages(town)),
        (town.world.moderator, _moderator_pages(town)),
    ]:
        context = browser.new_context(
            viewport={"width": REFLOW_WIDTH, "height": 800}, locale="en-GB"
        )
        page = context.new_page()
        try:
            if who is not None:
                sign_in(page, live_server, who.email, PASSPHRASE)
            widths.update(_widths(page, live_server, paths))
        finally:
            context.close()
    print("\n".join(f"{width:5} {path}" for path, (width, _) in widths.items()))
    too_wide = {path: found for path, found in widths.items() if found[0] > REFLOW_WIDTH}
    assert not too_wide, f"Pages wider than {REFLOW_WIDTH} px (scrollWidth, what sticks out): " + (
        json.dumps(too_wide, indent=1)
    )
