"""Case search by meaning and by words: a query sharing no word with a case finds it (the real
model), drafts stay unfindable, filters still apply, one order on both databases, and with
finding by meaning off the ranking is the words' alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.queries import CaseSearch, search_cases
from kitbag.cases.services import reindex_case
from kitbag.cases.tests.factories import CaseFactory
from kitbag.semantic import queries

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()

LIBRARY = {
    "agent": (
        "Virtual agent for residents",
        "A virtual agent answers residents' questions online.",
    ),
    "potholes": (
        "Potholes reported by photo",
        "Drivers send a photo of a road defect to the council.",
    ),
    "audits": ("Fraud in tax audits", "Auditors use data matching to spot fraud in tax returns."),
    "meals": ("Meals on wheels rota", "Volunteers deliver hot meals to older people at home."),
}


@pytest.fixture
def library(django_capture_on_commit_callbacks: Any) -> dict[str, Case]:
    made = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, (title, summary) in LIBRARY.items():
            case = CaseFactory.create(title=title, summary=summary)
            reindex_case(case=case)
            made[key] = case
    return made


def found(query: str, **search: Any) -> list[str]:
    results = search_cases(search_for=CaseSearch(query=query, **search), viewer=ANONYMOUS)
    return [hit.case.title for hit in results.hits]


@pytest.mark.usefixtures("minilm")
def test_a_query_sharing_no_word_finds_the_case_that_means_it(library: dict[str, Case]) -> None:
    # No word of either query is in the cases (the search's synonyms may know the first).
    hits = found("lunch delivery for pensioners")
    assert hits == ["Meals on wheels rota"]
    assert found("cheating the revenue service")[0] == "Fraud in tax audits"


@pytest.mark.usefixtures("minilm")
def test_one_incidental_word_in_common_does_not_outweigh_the_meaning(
    library: dict[str, Case],
) -> None:
    # "older people" is the only text match (Meals on wheels); the tax case means the question.
    assert found("older people cheating the revenue service")[0] == "Fraud in tax audits"


@pytest.mark.usefixtures("minilm")
def test_the_same_search_with_meaning_off_finds_only_words(library: dict[str, Case]) -> None:
    with override_settings(KITBAG_SEMANTIC="off"):
        assert found("cheating the revenue service") == []
        assert found("potholes") == ["Potholes reported by photo"]


@pytest.mark.usefixtures("hashing")
def test_one_fixed_order_on_both_databases(library: dict[str, Case]) -> None:
    # The same expected orders on SQLite and PostgreSQL (the suite runs on both).
    assert found("photo of a road") == ["Potholes reported by photo"]
    assert found("residents questions tax") == [
        "Virtual agent for residents",
        "Fraud in tax audits",
    ]
    assert found("home") == ["Meals on wheels rota"]
    assert found("meals for older people")[0] == "Meals on wheels rota"


@pytest.mark.usefixtures("minilm")
def test_a_draft_is_never_found_by_meaning(
    library: dict[str, Case], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = CaseFactory.create(
            title="Chatbot pilot, not yet published",
            summary="A chatbot for council tax questions.",
            status=RecordStatus.DRAFT,
        )
        reindex_case(case=draft)
    queries.forget_matrices()
    assert found("automated conversation software") == ["Virtual agent for residents"]
    assert "Chatbot pilot, not yet published" not in found("virtual assistant for tax")


@pytest.mark.usefixtures("minilm")
def test_filters_apply_to_what_meaning_finds(library: dict[str, Case]) -> None:
    assert found("lunch delivery for pensioners", filters={"year": ["1999"]}) == []
