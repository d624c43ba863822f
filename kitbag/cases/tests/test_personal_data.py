from __future__ import annotations

import datetime as dt

import pytest

from kitbag.accounts.services.personal_data import export_personal_data
from kitbag.accounts.tests.permission_world import build_world
from kitbag.cases import services
from kitbag.cases.models import Case
from kitbag.cases.tests.factories import code
from kitbag.meetings.models import Activity, OpennessReport

pytestmark = pytest.mark.django_db


def test_a_persons_download_holds_their_cases_adoptions_and_reports(builtin_codes: None) -> None:
    world = build_world()
    case = services.save_case(
        case=Case(
            title="Bin sensors",
            summary="Sensors tell crews which bins are full.",
            lead_organisation=world.organisation,
        ),
        by=world.member,
    )
    case = services.move_case(case=case, action="publish", by=world.person("editor"))
    adopter = world.person("other_admin")
    assert adopter is not None
    services.record_adoption(
        case=case,
        adopter=world.other_organisation,
        status=code("adoption-status", "piloting"),
        by=adopter,
        notes="Trying it in two wards",
    )
    OpennessReport.objects.create(
        council=world.organisation,
        committee_name="Planning committee",
        activity=Activity.choices[0][0],
        observed_on=dt.date(2026, 3, 3),
        narrative="I was asked to stop filming.",
        reporter=adopter,
    )

    mine = export_personal_data(user=world.member)["innovation_library"]
    assert [c["slug"] for c in mine["cases_you_own_or_wrote"]] == [case.slug]
    assert mine["your_revisions"]

    theirs = export_personal_data(user=adopter)
    assert theirs["innovation_library"]["adoptions_you_recorded"][0]["notes"] == (
        "Trying it in two wards"
    )
    reports = theirs["meetings"]["openness_reports_you_made"]
    assert reports[0]["what_happened"] == "I was asked to stop filming."
    assert reports[0]["committee"] == "Planning committee"
