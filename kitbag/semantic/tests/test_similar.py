"""Similar cases and "others working on this" through the same vectors: a case the words miss is
found by meaning with the reason shown; drafts never; with meaning off, words and codes alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from kitbag.cases import similar_cases
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.services import reindex_case
from kitbag.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


@pytest.fixture
def library(django_capture_on_commit_callbacks: Any) -> Iterator[dict[str, Case]]:
    similar_cases.forget_library()
    rows = {
        "meals": ("Meals on wheels rota", "Volunteers deliver hot meals to older people at home."),
        "lunch": (
            "Lunch boxes for pensioners",
            "A kitchen drops off cooked food to housebound elders.",
        ),
        "potholes": ("Potholes reported by photo", "Drivers send a photo of a road defect."),
        "draft": ("Dinners for the housebound", "Cooked dinners brought to elderly residents."),
    }
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, (title, summary) in rows.items():
            status = RecordStatus.DRAFT if key == "draft" else RecordStatus.PUBLISHED
            case = CaseFactory.create(title=title, summary=summary, status=status)
            reindex_case(case=case)
            made[key] = case
    yield made
    similar_cases.forget_library()


@pytest.mark.usefixtures("minilm")
def test_similar_cases_by_meaning_say_why(library: dict[str, Case]) -> None:
    found = similar_cases.similar_cases(case=library["meals"], viewer=ANONYMOUS)
    titles = [item.case.title for item in found]
    assert titles[0] == "Lunch boxes for pensioners"
    assert "Dinners for the housebound" not in titles
    assert "Describes something close to this" in found[0].reasons
    assert library["meals"].title not in titles


@pytest.mark.usefixtures("minilm")
def test_others_working_on_this_by_meaning(library: dict[str, Case]) -> None:
    found = similar_cases.similar_to_draft(
        title="Hot food for elderly people living alone", viewer=ANONYMOUS
    )
    titles = [item.case.title for item in found]
    assert titles[:2] == ["Meals on wheels rota", "Lunch boxes for pensioners"] or titles[:2] == [
        "Lunch boxes for pensioners",
        "Meals on wheels rota",
    ]
    assert "Dinners for the housebound" not in titles


@pytest.mark.usefixtures("minilm")
def test_with_meaning_off_words_and_codes_alone(library: dict[str, Case]) -> None:
    with override_settings(KITBAG_SEMANTIC="off"):
        found = similar_cases.similar_cases(case=library["meals"], viewer=ANONYMOUS)
    assert all("Describes something close to this" not in item.reasons for item in found)
    assert "Lunch boxes for pensioners" not in [item.case.title for item in found]
