"""Turn the curve: a baseline to set targets against. No Django here.

The baseline is an ordinary least-squares straight line through a series' values by the month
each period starts, carried on for a few more periods of the series' own length. It is a
straight-line trend, not a prediction: it knows nothing of why the figures moved. With fewer than
three values there is no line worth drawing, and callers say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

DEFAULT_PERIODS_AHEAD: Final = 3
FEWEST_POINTS: Final = 3

TREND_CAVEAT: Final = "A straight-line trend, not a prediction."
TOO_FEW_POINTS: Final = "Fewer than three figures: no trend is drawn."


@dataclass(frozen=True)
class Line:
    slope: float  # change in value per month
    intercept: float  # value at month 0 (January of year 0)

    def at(self, month: float) -> float:
        return self.intercept + self.slope * month


@dataclass(frozen=True)
class Projected:
    start: dt.date
    value: float


def _month(day: dt.date) -> int:
    # Months, not days: a financial year is 12 months whether or not it holds 29 February.
    return day.year * 12 + day.month - 1


def _from_month(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def least_squares(points: Sequence[tuple[float, float]]) -> Line | None:
    """The ordinary least-squares line through (x, y) points; None when x never varies."""
    count = len(points)
    if count == 0:
        return None
    mean_x = sum(x for x, _ in points) / count
    mean_y = sum(y for _, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return Line(slope=slope, intercept=mean_y - slope * mean_x)


def period_step(starts: Sequence[dt.date]) -> int | None:
    """The series' period length in months: the shortest gap between distinct starts (a missing
    year leaves a gap of two, which is not the length)."""
    months = sorted({_month(s) for s in starts})
    gaps = [b - a for a, b in zip(months, months[1:], strict=False)]
    return min(gaps) if gaps else None


def forecast(
    series: Sequence[tuple[dt.date, float | None]], *, ahead: int = DEFAULT_PERIODS_AHEAD
) -> list[Projected]:
    """The straight line through the series' values, `ahead` periods past the last one.

    `series` is (period start, value); periods without a value are left out of the fit, so a
    gap does not pull the line. Fewer than three values give no forecast (an empty list).
    """
    known = [(start, value) for start, value in series if value is not None]
    if len({start for start, _ in known}) < FEWEST_POINTS or ahead < 1:
        return []
    line = least_squares([(float(_month(start)), value) for start, value in known])
    step = period_step([start for start, _ in known])
    if line is None or step is None:
        return []
    last = max(_month(start) for start, _ in known)
    return [
        Projected(start=_from_month(last + step * k), value=line.at(last + step * k))
        for k in range(1, ahead + 1)
    ]


def label_for(start: dt.date, step_months: int | None) -> str:
    """A short label for a projected period: a financial or calendar year when the series is one."""
    if step_months == 12 and start.month == 4:
        return f"{start.year}-{(start.year + 1) % 100:02d}"
    if step_months == 12 and start.month == 1:
        return str(start.year)
    return f"{start:%Y-%m}"
