from __future__ import annotations

import pytest

from kitbag.vocabularies.builtin import BUILTIN_LISTS
from kitbag.vocabularies.models import Code, CodeList
from kitbag.vocabularies.services import load_builtin_lists

pytestmark = pytest.mark.django_db


def test_loading_the_built_in_lists_creates_every_list() -> None:
    counts = load_builtin_lists()

    assert set(CodeList.objects.values_list("slug", flat=True)) == {
        "govuk-phase",
        "operational-status",
        "outcome-label",
        "nesta-evidence",
        "evidence-assessed-by",
        "technology",
        "spread-relation",
        "adoption-status",
        "cofog",
    }
    assert counts.created == sum(len(builtin.codes) for builtin in BUILTIN_LISTS)


def test_phases_run_from_idea_to_retired_in_order() -> None:
    load_builtin_lists()

    assert list(Code.objects.in_list("govuk-phase").values_list("code", flat=True)) == [
        "idea",
        "discovery",
        "alpha",
        "beta",
        "live",
        "retired",
    ]


def test_cofog_has_its_ten_divisions_with_two_digit_codes() -> None:
    load_builtin_lists()

    cofog = Code.objects.in_list("cofog")
    assert list(cofog.values_list("code", flat=True)) == [f"{n:02d}" for n in range(1, 11)]
    assert cofog.get(code="10").label == "Social protection"


def test_nesta_levels_one_to_five_each_have_a_description() -> None:
    load_builtin_lists()

    levels = Code.objects.in_list("nesta-evidence")
    assert list(levels.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]
    assert all(levels.values_list("description", flat=True))


def test_loading_the_built_in_lists_twice_changes_nothing() -> None:
    load_builtin_lists()
    before = list(Code.objects.order_by("pk").values_list())

    counts = load_builtin_lists()

    assert (counts.created, counts.updated) == (0, 0)
    assert list(Code.objects.order_by("pk").values_list()) == before


def test_a_code_edited_outside_the_loader_is_put_back() -> None:
    load_builtin_lists()
    Code.objects.in_list("outcome-label").filter(code="worked").update(label="Great")

    counts = load_builtin_lists()

    assert counts.updated == 1
    assert Code.objects.in_list("outcome-label").get(code="worked").label == "Worked"
