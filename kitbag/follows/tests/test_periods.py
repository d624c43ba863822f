import datetime as dt

import pytest

from kitbag.follows.periods import period_end


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def test_a_daily_digest_ends_at_the_start_of_the_london_day() -> None:
    # 7 July 2026, 06:30 in London is 05:30 UTC; the day began at 23:00 UTC the evening before.
    assert period_end(frequency="daily", now=utc(2026, 7, 7, 5, 30)) == utc(2026, 7, 6, 23, 0)
    assert period_end(frequency="daily", now=utc(2026, 12, 7, 6, 30)) == utc(2026, 12, 7, 0, 0)


def test_two_runs_on_the_same_day_cover_the_same_period() -> None:
    morning = period_end(frequency="daily", now=utc(2026, 12, 7, 6, 30))
    evening = period_end(frequency="daily", now=utc(2026, 12, 7, 22, 0))
    assert morning == evening


def test_a_weekly_digest_ends_on_the_monday_that_starts_the_week() -> None:
    # Thursday 10 December 2026: the week began on Monday 7 December.
    assert period_end(frequency="weekly", now=utc(2026, 12, 10, 12, 0)) == utc(2026, 12, 7, 0, 0)


def test_only_daily_and_weekly_are_frequencies() -> None:
    with pytest.raises(ValueError, match="frequency"):
        period_end(frequency="hourly", now=utc(2026, 12, 7))
    with pytest.raises(ValueError, match="aware"):
        period_end(frequency="daily", now=dt.datetime(2026, 12, 7))  # noqa: DTZ001
