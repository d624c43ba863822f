"""The overlap score (overlap.py): each signal, the text floor and the threshold."""

from __future__ import annotations

import datetime as dt

from kitbag.projects.overlap import (
    SUGGEST_AT,
    ProjectFacts,
    date_overlap,
    overlap,
    word_overlap,
)


def facts(key: int, text: str, **kwargs: object) -> ProjectFacts:
    return ProjectFacts(key=key, text=text, **kwargs)  # type: ignore[arg-type]


def test_word_overlap_ignores_case_and_stop_words() -> None:
    assert word_overlap("Falls prevention for the people", "FALLS PREVENTION") == 1.0
    assert word_overlap("Falls prevention", "Pothole repairs") == 0.0


def test_dates_overlap_as_a_share_of_the_shorter_project() -> None:
    a = facts(1, "", start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 12, 31))
    b = facts(2, "", start_on=dt.date(2026, 7, 1), end_on=dt.date(2026, 9, 29))
    c = facts(3, "", start_on=dt.date(2027, 1, 1), end_on=dt.date(2027, 6, 1))
    assert date_overlap(a, b) == 1.0
    assert date_overlap(a, c) == 0.0
    assert date_overlap(a, facts(4, "")) == 0.0


def test_shared_outcomes_services_and_area_raise_a_similar_text_above_the_threshold() -> None:
    a = facts(1, "x", outcomes=frozenset({1}), services=frozenset({7}), areas=frozenset({"E1"}))
    b = facts(2, "y", outcomes=frozenset({1}), services=frozenset({7}), areas=frozenset({"E1"}))
    alone = overlap(facts(1, "x"), facts(2, "y"), text_similarity=0.6)
    together = overlap(a, b, text_similarity=0.6)
    assert not alone.suggested
    assert together.suggested and together.score >= SUGGEST_AT
    assert together.reasons() == [
        "similar description",
        "shared outcomes",
        "shared services",
        "overlapping area",
    ]


def test_projects_that_only_share_a_partnerships_outcomes_are_not_overlap() -> None:
    shared = {"outcomes": frozenset({1}), "services": frozenset({7}), "areas": frozenset({"E1"})}
    a, b = facts(1, "a", **shared), facts(2, "b", **shared)
    assert not overlap(a, b, text_similarity=0.05).suggested


def test_without_embeddings_the_words_are_compared() -> None:
    a = facts(1, "Falls prevention home visits for older people")
    b = facts(2, "Home visits preventing falls among older residents")
    found = overlap(a, b, text_similarity=None)
    assert found.parts["text"] == word_overlap(a.text, b.text) > 0
