"""Helpers for the case-writing tests: a small LGSL, the form's POST data, and a draft."""

from __future__ import annotations

from typing import Any

import pytest

from kitbag.accounts.tests.permission_world import World
from kitbag.cases import services
from kitbag.cases.forms import PARTS
from kitbag.cases.models import Case
from kitbag.cases.tests.factories import code
from kitbag.vocabularies.records import WantedCode, WantedList
from kitbag.vocabularies.services import write_code_list


@pytest.fixture
def lgsl(builtin_codes: None) -> None:
    """A few LGSL services and functions, enough to choose from."""
    write_code_list(
        wanted=WantedList(slug="lgsl-services", name="LGSL services"),
        codes=(
            WantedCode("524", "Bin collection"),
            WantedCode("1139", "Missed bin collection"),
            WantedCode("59", "Council tax payment"),
        ),
    )
    write_code_list(
        wanted=WantedList(slug="lgsl-functions", name="LGSL functions"),
        codes=(
            WantedCode("45", "Environment"),
            WantedCode("48", "Waste management", parent="45"),
            WantedCode("1", "Advice and benefits"),
        ),
    )


def management(**rows: int) -> dict[str, str]:
    """Formset management data: no rows for each part unless `rows` says how many."""
    data: dict[str, str] = {}
    for part in PARTS:
        data[f"{part.prefix}-TOTAL_FORMS"] = str(rows.get(part.prefix, 0))
        data[f"{part.prefix}-INITIAL_FORMS"] = "0"
        data[f"{part.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{part.prefix}-MAX_NUM_FORMS"] = "30"
    return data


def complete(organisation_pk: int, **overrides: Any) -> dict[str, Any]:
    """Everything a case needs before review, as the form posts it."""
    data: dict[str, Any] = {
        "title": "Text reminders cut missed bin collections",
        "summary": "Residents get a text the night before their bins are collected.",
        "problem": "Residents forgot which week was recycling and missed collections.",
        "lead_organisation": str(organisation_pk),
        "record_type": "case-study",
        "services": ["1139"],
        "phase": "live",
        "operational_status": "implemented",
        "licence": "OGL-UK-3.0",
        **management(),
    }
    data.update(overrides)
    return data


def draft_for(world: World, **fields: Any) -> Case:
    """A draft by the world's member with everything review needs."""
    case = Case(
        title=fields.pop("title", "Text reminders cut missed bin collections"),
        summary="Residents get a text the night before collection.",
        lead_organisation=world.organisation,
        phase=code("govuk-phase", "beta"),
        operational_status=code("operational-status", "pilot"),
        **fields,
    )
    return services.save_case(case=case, by=world.member, services=[code("lgsl-services", "524")])
