"""A project's red, amber or green rating from its milestones and its spend. Pure: no Django.

Two things are rated and the worse of the two is the project's rating:

Milestones (slipped: due before today and not done)
  green   none slipped
  amber   one or more slipped, the latest by at most SLIPPED_RED_DAYS days
  red     any slipped by more than SLIPPED_RED_DAYS days, or MANY_SLIPPED or more slipped

Spend against budget against time elapsed (needs a budget, a start and an end)
  elapsed = share of the days from start to end that have passed (0 to 1)
  spent   = spend to date / budget
  red     spent > 1 (over budget), or spent - elapsed > SPEND_RED_AHEAD
  amber   spent - elapsed > SPEND_AMBER_AHEAD, or, once a quarter of the time has gone,
          elapsed - spent > SPEND_AMBER_BEHIND (money not being spent usually means work is late)
  green   otherwise

A milestone done late is reported but no longer counts: it is no longer slipping. Proposed and
closed projects are not rated; a completed project keeps the milestone rule (so an unfinished
milestone still shows) but not the spend rule. A person's override always wins, with its reason,
and the computed rating is shown beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

SLIPPED_RED_DAYS = 30
MANY_SLIPPED = 3
SPEND_AMBER_AHEAD = 0.10
SPEND_RED_AHEAD = 0.25
SPEND_AMBER_BEHIND = 0.30
UNDERSPEND_FROM_ELAPSED = 0.25

NOT_RATED_STATUSES = frozenset({"proposed", "closed"})


class Rating(IntEnum):
    """Ordered so that max() is the worse."""

    GREEN = 1
    AMBER = 2
    RED = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class MilestoneDates:
    title: str
    due_on: dt.date
    done_on: dt.date | None = None


@dataclass(frozen=True)
class SlippedMilestone:
    title: str
    due_on: dt.date
    days_late: int


@dataclass(frozen=True)
class SpendCheck:
    elapsed: float  # 0 to 1
    spent: float  # share of the budget, may exceed 1
    rating: Rating
    reason: str


@dataclass(frozen=True)
class RagResult:
    rating: Rating | None  # None: not rated
    milestone_rating: Rating | None
    slipped: tuple[SlippedMilestone, ...]
    done_late: tuple[SlippedMilestone, ...]
    spend: SpendCheck | None
    reasons: tuple[str, ...]


def slipped_milestones(
    milestones: Sequence[MilestoneDates], *, today: dt.date
) -> tuple[SlippedMilestone, ...]:
    """Overdue and not done, latest first."""
    found = [
        SlippedMilestone(title=m.title, due_on=m.due_on, days_late=(today - m.due_on).days)
        for m in milestones
        if m.done_on is None and m.due_on < today
    ]
    return tuple(sorted(found, key=lambda s: (-s.days_late, s.title)))


def done_late(milestones: Sequence[MilestoneDates]) -> tuple[SlippedMilestone, ...]:
    return tuple(
        SlippedMilestone(title=m.title, due_on=m.due_on, days_late=(m.done_on - m.due_on).days)
        for m in milestones
        if m.done_on is not None and m.done_on > m.due_on
    )


def milestone_rating(slipped: Sequence[SlippedMilestone]) -> Rating:
    if not slipped:
        return Rating.GREEN
    if len(slipped) >= MANY_SLIPPED or max(s.days_late for s in slipped) > SLIPPED_RED_DAYS:
        return Rating.RED
    return Rating.AMBER


def elapsed_share(*, start_on: dt.date, end_on: dt.date, today: dt.date) -> float:
    length = (end_on - start_on).days
    if length <= 0:
        return 1.0 if today >= end_on else 0.0
    return min(1.0, max(0.0, (today - start_on).days / length))


def spend_check(
    *,
    budget: Decimal | float | None,
    spend_to_date: Decimal | float | None,
    start_on: dt.date | None,
    end_on: dt.date | None,
    today: dt.date,
) -> SpendCheck | None:
    """None when there is not enough to judge (no budget, no spend, or no dates)."""
    if not budget or spend_to_date is None or start_on is None or end_on is None:
        return None
    elapsed = elapsed_share(start_on=start_on, end_on=end_on, today=today)
    spent = float(spend_to_date) / float(budget)
    ahead = spent - elapsed
    percent_spent, percent_elapsed = round(spent * 100), round(elapsed * 100)
    said = f"{percent_spent}% of the budget spent with {percent_elapsed}% of the time gone"
    if spent > 1:
        return SpendCheck(elapsed, spent, Rating.RED, f"Over budget: {said}")
    if ahead > SPEND_RED_AHEAD:
        return SpendCheck(elapsed, spent, Rating.RED, f"Spending well ahead of time: {said}")
    if ahead > SPEND_AMBER_AHEAD:
        return SpendCheck(elapsed, spent, Rating.AMBER, f"Spending ahead of time: {said}")
    if elapsed >= UNDERSPEND_FROM_ELAPSED and -ahead > SPEND_AMBER_BEHIND:
        return SpendCheck(elapsed, spent, Rating.AMBER, f"Spending well behind time: {said}")
    return SpendCheck(elapsed, spent, Rating.GREEN, f"On track: {said}")


def compute_rag(
    *,
    status: str,
    milestones: Sequence[MilestoneDates],
    budget: Decimal | float | None,
    spend_to_date: Decimal | float | None,
    start_on: dt.date | None,
    end_on: dt.date | None,
    today: dt.date,
) -> RagResult:
    slipped = slipped_milestones(milestones, today=today)
    late = done_late(milestones)
    if status in NOT_RATED_STATUSES:
        return RagResult(None, None, slipped, late, None, (f"Not rated while {status}",))
    by_milestones = milestone_rating(slipped)
    reasons = [
        f"{s.title}: due {s.due_on.isoformat()}, {s.days_late} days late and not done"
        for s in slipped
    ]
    spend = (
        None
        if status == "completed"
        else spend_check(
            budget=budget,
            spend_to_date=spend_to_date,
            start_on=start_on,
            end_on=end_on,
            today=today,
        )
    )
    if spend is not None:
        reasons.append(spend.reason)
    rating = max(by_milestones, spend.rating) if spend is not None else by_milestones
    return RagResult(rating, by_milestones, slipped, late, spend, tuple(reasons))
