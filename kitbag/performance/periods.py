"""Periods as ISO 8601 intervals, read from what people type (no Django).

"2016-17" is the financial year 2016-04-01/P1Y; "2012-15" three financial years; "2019" the
calendar year 2019-01-01/P1Y; "2016-04-01/P2Y" (biennial), "2023-01-01/P3M" (a quarter) and
"2023-04-01/2024-03-31" (a rolling year given by its dates) are taken as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

FINANCIAL_YEAR: Final = re.compile(r"(?P<start>\d{4})[-/](?P<end>\d{2}|\d{4})")
CALENDAR_YEAR: Final = re.compile(r"\d{4}")
DURATION: Final = re.compile(r"P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?")


class PeriodError(ValueError):
    """Not a period we can read; the message says what would be."""


@dataclass(frozen=True)
class Period:
    iso: str  # 2016-04-01/P1Y
    label: str  # 2016-17
    start: dt.date
    end: dt.date  # the last day in the period


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, 1) if day.day == 1 else dt.date(year, month, min(day.day, 28))


def financial_year(start_year: int, years: int = 1) -> Period:
    end_year = start_year + years
    label = f"{start_year}-{end_year % 100:02d}"
    start = dt.date(start_year, 4, 1)
    return Period(
        iso=f"{start.isoformat()}/P{years}Y",
        label=label,
        start=start,
        end=dt.date(end_year, 3, 31),
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{text!r} is not a date such as 2016-04-01") from None


def parse_period(text: str) -> Period:
    """Any of the forms in the module's docstring; PeriodError says what was expected."""
    text = text.strip()
    if not text:
        raise PeriodError("Enter a period, such as 2016-17 or 2016-04-01/P1Y")
    match = FINANCIAL_YEAR.fullmatch(text)
    if match:
        start = int(match["start"])
        end_text = match["end"]
        end = int(end_text) if len(end_text) == 4 else start - start % 100 + int(end_text)
        if end <= start:
            end += 100
        if end - start > 10:
            raise PeriodError(f"{text!r} spans more than ten years")
        return financial_year(start, end - start)
    if CALENDAR_YEAR.fullmatch(text):
        year = int(text)
        return Period(
            iso=f"{year}-01-01/P1Y",
            label=text,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
        )
    first, slash, second = text.partition("/")
    if not slash:
        raise PeriodError(
            f"{text!r} is not a period: use a financial year such as 2016-17, a year such as "
            "2019, or an ISO 8601 interval such as 2016-04-01/P1Y"
        )
    begins = _date(first)
    duration = DURATION.fullmatch(second)
    if second.startswith("P"):
        if duration is None or not any(duration.groupdict().values()):
            raise PeriodError(f"{second!r} is not a duration such as P1Y, P2Y or P3M")
        months = int(duration["years"] or 0) * 12 + int(duration["months"] or 0)
        if months == 0 and not int(duration["days"] or 0):
            raise PeriodError(f"{second!r} is an empty duration")
        ends = _add_months(begins, months) + dt.timedelta(days=int(duration["days"] or 0) - 1)
        iso = f"{begins.isoformat()}/{second}"
    else:
        ends = _date(second)
        if ends < begins:
            raise PeriodError(f"{text!r} ends before it starts")
        iso = f"{begins.isoformat()}/{ends.isoformat()}"
    # period_label holds 16 characters: a long interval is labelled by its months.
    label = _label(begins, ends) or (iso if len(iso) <= 16 else f"{begins:%Y-%m}/{ends:%Y-%m}")
    return Period(iso=iso, label=label, start=begins, end=ends)


def _label(start: dt.date, end: dt.date) -> str:
    """A short label when the interval is whole financial or calendar years."""
    if start.month == 4 and start.day == 1 and end.month == 3 and end.day == 31:
        return financial_year(start.year, end.year - start.year).label
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return str(start.year) if end.year == start.year else f"{start.year}-{end.year}"
    return ""
