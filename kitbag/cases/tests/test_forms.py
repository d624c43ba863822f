"""The case form on its own: what a draft needs, what review needs, and how typed values parse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kitbag.accounts.tests.permission_world import World, build_world
from kitbag.cases import services
from kitbag.cases.forms import BenefitItemForm, CaseForm, CostItemForm, part_formsets
from kitbag.cases.models import Case
from kitbag.cases.tests.writing import complete, lgsl  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lgsl")]


def form(world: World, data: dict[str, Any], *, full: bool, **kwargs: Any) -> CaseForm:
    return CaseForm(data, viewer=kwargs.pop("viewer", world.member), full_check=full, **kwargs)


def test_a_draft_needs_only_a_title() -> None:
    world = build_world()
    assert form(world, {"title": "Potholes"}, full=False).is_valid()
    empty = form(world, {"title": " "}, full=False)
    assert not empty.is_valid()
    assert empty.errors == {"title": ["Enter a title"]}


def test_a_draft_may_run_over_the_summary_limit_but_review_may_not() -> None:
    world = build_world()
    long = " ".join(["word"] * 61)
    assert form(world, {"title": "Potholes", "summary": long}, full=False).is_valid()
    checked = form(world, complete(world.organisation.pk, summary=long), full=True)
    assert checked.errors == {"summary": ["Summary must be 60 words or fewer"]}
    exactly = " ".join(["word"] * 60)
    assert form(world, complete(world.organisation.pk, summary=exactly), full=True).is_valid()


def test_review_asks_for_every_part_of_the_core_field_by_field() -> None:
    world = build_world()
    checked = form(world, {"title": "Potholes"}, full=True)
    assert not checked.is_valid()
    assert set(checked.errors) == {
        "summary",
        "lead_organisation",
        "phase",
        "operational_status",
        "services",
    }


@pytest.mark.parametrize(
    "choice",
    [{"services": ["524"]}, {"functions": ["48"]}, {"sector": "07"}],
    ids=["an LGSL service", "a service area", "a COFOG sector"],
)
def test_a_service_a_service_area_or_a_sector_each_satisfy_the_core(choice: dict[str, Any]) -> None:
    world = build_world()
    data = {**complete(world.organisation.pk, services=[]), **choice}
    assert form(world, data, full=True).is_valid()


def test_an_evidence_level_needs_who_assessed_it() -> None:
    world = build_world()
    data = complete(world.organisation.pk, evidence_level="3")
    assert form(world, data, full=True).errors == {
        "evidence_assessed_by": ["Select who assessed the evidence"]
    }
    data["evidence_assessed_by"] = "independent"
    assert form(world, data, full=True).is_valid()


def test_only_organisations_the_writer_belongs_to_may_lead() -> None:
    world = build_world()
    data = {"title": "Potholes", "lead_organisation": str(world.other_organisation.pk)}
    checked = form(world, data, full=False)
    assert not checked.is_valid()
    assert "lead_organisation" in checked.errors


def test_a_moderator_editing_a_case_keeps_its_lead_as_a_choice() -> None:
    world = build_world()
    case = services.save_case(
        case=Case(title="Potholes", lead_organisation=world.organisation), by=world.member
    )
    moderator = world.person("moderator")
    data = {"title": "Potholes fixed", "lead_organisation": str(world.organisation.pk)}
    assert form(world, data, full=False, instance=case, viewer=moderator).is_valid()


def test_areas_served_are_gss_codes_separated_by_commas_or_spaces() -> None:
    world = build_world()
    checked = form(
        world, {"title": "x", "area_codes": "e09000007,  E09000019 E09000007"}, full=False
    )
    assert checked.is_valid()
    assert checked.cleaned_data["area_codes"] == ["E09000007", "E09000019"]
    wrong = form(world, {"title": "x", "area_codes": "Camden"}, full=False)
    assert wrong.errors == {"area_codes": ["CAMDEN is not a GSS code: they look like E09000007"]}


def test_areas_served_are_at_most_the_number_the_field_holds() -> None:
    world = build_world()
    codes = " ".join(f"E0{n:07d}" for n in range(501))
    checked = form(world, {"title": "x", "area_codes": codes}, full=False)
    assert checked.errors == {"area_codes": ["Enter 500 GSS codes or fewer"]}


def test_years_are_checked_and_the_end_comes_after_the_start() -> None:
    world = build_world()
    checked = form(world, {"title": "x", "start_year": "2022", "end_year": "2020"}, full=False)
    assert checked.errors == {
        "end_year": ["The year it ended must be the same as or after the start"]
    }
    odd = form(world, {"title": "x", "start_year": "22"}, full=False)
    assert odd.errors == {"start_year": ["Enter a year between 1950 and 2100"]}


def test_an_empty_licence_becomes_the_open_government_licence() -> None:
    world = build_world()
    checked = form(world, {"title": "x", "licence": ""}, full=False)
    assert checked.is_valid()
    assert checked.cleaned_data["licence"] == "OGL-UK-3.0"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12500", "12500"), ("£12,500.50", "12500.50"), (" 1 200 ", "1200")],
)
def test_amounts_are_read_the_way_people_write_them(typed: str, amount: str) -> None:
    cost = CostItemForm({"description": "Licence", "amount": typed, "recurrence": "one-off"})
    assert cost.is_valid(), cost.errors
    assert cost.cleaned_data["amount"] == Decimal(amount)


def test_an_amount_that_is_not_money_is_explained() -> None:
    cost = CostItemForm({"description": "Licence", "amount": "lots", "recurrence": "one-off"})
    assert cost.errors == {"amount": ["Enter an amount in pounds, like 12500 or £12,500.50"]}


@pytest.mark.parametrize(("typed", "kept"), [("", None), ("True", True), ("False", False)])
def test_not_said_is_kept_apart_from_no(typed: str, kept: bool | None) -> None:
    benefit = BenefitItemForm(
        {
            "description": "Fewer calls",
            "kind": "fiscal",
            "amount": "5000",
            "recurrence": "per-year",
            "cashable": typed,
        }
    )
    assert benefit.is_valid(), benefit.errors
    assert benefit.cleaned_data["cashable"] is kept


def test_a_blank_row_is_ignored_and_a_half_filled_one_says_what_it_lacks() -> None:
    from kitbag.cases.tests.writing import management

    data = {
        **management(costs=2),
        "costs-0-description": "Licence",
        "costs-0-amount": "",
        "costs-0-recurrence": "one-off",
        "costs-1-recurrence": "one-off",
    }
    formsets = {part.prefix: formset for part, formset in part_formsets(data=data, case=Case())}
    costs = formsets["costs"]
    assert not costs.is_valid()
    assert costs.errors[0] == {"amount": ["This field is required."]}
    assert costs.errors[1] == {}


def test_service_areas_are_grouped_under_their_function() -> None:
    world = build_world()
    groups = form(world, {"title": "x", "functions": ["48"]}, full=False).function_groups
    assert [(g.function.code, [c.code for c in g.children], g.has_chosen) for g in groups] == [
        ("45", ["48"], True),
        ("1", [], False),
    ]


def test_finding_services_matches_names_and_numbers_and_leaves_out_those_chosen() -> None:
    world = build_world()
    checked = form(world, {"title": "x", "services": ["524"]}, full=False)
    assert [code.code for code in checked.service_matches("bin")] == ["1139"]
    assert [code.code for code in checked.service_matches("59")] == ["59"]
    assert checked.service_matches("  ") == []
