"""The RAG rules (rag.py), each threshold on both sides."""

from __future__ import annotations

import datetime as dt

import pytest

from kitbag.projects.rag import MilestoneDates, Rating, compute_rag, elapsed_share, spend_check

TODAY = dt.date(2026, 6, 1)
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def rate(milestones: list[MilestoneDates] | None = None, **kwargs: object) -> Rating | None:
    arguments: dict[str, object] = {
        "status": "active",
        "milestones": milestones or [],
        "budget": 100_000,
        "spend_to_date": 40_000,
        "start_on": START,
        "end_on": END,
        "today": TODAY,
    }
    arguments.update(kwargs)
    return compute_rag(**arguments).rating  # type: ignore[arg-type]


def due(days_ago: int, *, done_days_ago: int | None = None) -> MilestoneDates:
    return MilestoneDates(
        title=f"m{days_ago}",
        due_on=TODAY - dt.timedelta(days=days_ago),
        done_on=None if done_days_ago is None else TODAY - dt.timedelta(days=done_days_ago),
    )


def test_on_time_and_on_budget_is_green() -> None:
    assert rate() == Rating.GREEN


def test_a_milestone_due_today_has_not_slipped() -> None:
    assert rate([due(0)]) == Rating.GREEN


@pytest.mark.parametrize(
    ("days_late", "expected"), [(1, Rating.AMBER), (30, Rating.AMBER), (31, Rating.RED)]
)
def test_a_slipped_milestone_is_amber_until_thirty_days_late_then_red(
    days_late: int, expected: Rating
) -> None:
    assert rate([due(days_late)]) == expected


def test_three_slipped_milestones_are_red_even_if_each_is_a_little_late() -> None:
    assert rate([due(2), due(3)]) == Rating.AMBER
    assert rate([due(2), due(3), due(4)]) == Rating.RED


def test_a_milestone_done_late_no_longer_counts_but_is_reported() -> None:
    result = compute_rag(
        status="active",
        milestones=[due(60, done_days_ago=10)],
        budget=None,
        spend_to_date=None,
        start_on=None,
        end_on=None,
        today=TODAY,
    )
    assert result.rating == Rating.GREEN
    assert result.done_late[0].days_late == 50


def test_slipped_milestones_say_how_late_latest_first() -> None:
    result = compute_rag(
        status="active",
        milestones=[due(5), due(40)],
        budget=None,
        spend_to_date=None,
        start_on=None,
        end_on=None,
        today=TODAY,
    )
    assert [s.days_late for s in result.slipped] == [40, 5]
    assert "40 days late" in result.reasons[0]


def test_elapsed_share_is_clipped_to_the_project_dates() -> None:
    assert elapsed_share(start_on=START, end_on=END, today=dt.date(2025, 1, 1)) == 0
    assert elapsed_share(start_on=START, end_on=END, today=dt.date(2027, 1, 1)) == 1
    assert elapsed_share(start_on=START, end_on=START, today=START) == 1


@pytest.mark.parametrize(
    ("spent", "expected"),
    [
        # 41.5% of the time has gone on 1 June.
        (41_000, Rating.GREEN),
        (51_000, Rating.GREEN),  # 9.5 points ahead
        (52_000, Rating.AMBER),  # 10.5 points ahead
        (66_000, Rating.AMBER),  # 24.5 points ahead
        (67_000, Rating.RED),  # 25.5 points ahead
        (100_001, Rating.RED),  # over budget
        (12_000, Rating.GREEN),  # 29.5 points behind
        (11_000, Rating.AMBER),  # 30.5 points behind, well into the project
    ],
)
def test_spend_against_budget_against_time(spent: int, expected: Rating) -> None:
    check = spend_check(
        budget=100_000, spend_to_date=spent, start_on=START, end_on=END, today=TODAY
    )
    assert check is not None
    assert check.rating == expected, check.reason


def test_underspend_early_in_a_project_is_not_a_worry() -> None:
    check = spend_check(
        budget=100_000, spend_to_date=0, start_on=START, end_on=END, today=dt.date(2026, 2, 1)
    )
    assert check is not None and check.rating == Rating.GREEN


def test_without_a_budget_or_dates_spend_is_not_judged() -> None:
    assert (
        spend_check(budget=None, spend_to_date=5, start_on=START, end_on=END, today=TODAY) is None
    )
    assert spend_check(budget=10, spend_to_date=5, start_on=None, end_on=END, today=TODAY) is None


def test_the_worse_of_milestones_and_spend_is_the_rating() -> None:
    assert rate([due(5)], spend_to_date=70_000) == Rating.RED
    assert rate([due(40)], spend_to_date=41_000) == Rating.RED


def test_proposed_and_closed_projects_are_not_rated() -> None:
    assert rate([due(90)], status="proposed") is None
    assert rate([due(90)], status="closed") is None


def test_a_completed_project_is_not_judged_on_spend_but_on_unfinished_milestones() -> None:
    assert rate(status="completed", spend_to_date=100_000) == Rating.GREEN
    assert rate([due(90)], status="completed") == Rating.RED
