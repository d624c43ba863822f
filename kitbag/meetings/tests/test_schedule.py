"""When a failed sync is tried again: read from the schedule beat really runs (calendar/schedule.py),
and said as people say it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab, schedule
from django.conf import settings
from django.utils import timezone

from kitbag.meetings.calendar.schedule import SYNC_TASK, next_run, sync_schedule
from kitbag.meetings.templatetags.meetings_tags import next_try

LONDON = ZoneInfo("Europe/London")


def _at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_the_sync_runs_at_3am_london_time_and_is_found_by_its_task() -> None:
    entry = sync_schedule(settings.CELERY_BEAT_SCHEDULE)
    assert isinstance(entry, crontab)
    assert entry.hour == {3} and entry.minute == {0}
    assert sync_schedule({"other": {"task": "x.y", "schedule": 60}}) is None
    assert sync_schedule({"s": {"task": SYNC_TASK, "schedule": 60}}) == 60


@pytest.mark.parametrize(
    ("failed_at", "now", "expected"),
    [
        # A sync that failed at 3:05am on 5 December is tried again at 3am on the 6th.
        (_at(2026, 12, 5, 3, 5), _at(2026, 12, 5, 14, 0), _at(2026, 12, 6, 3, 0)),
        # Run by hand at 1am, it failed: the scheduled run at 3am the same day tries again.
        (_at(2026, 12, 5, 1, 0), _at(2026, 12, 5, 1, 30), _at(2026, 12, 5, 3, 0)),
        # Beat was down for days: the next run is the next 3am after now, not one in the past.
        (_at(2026, 12, 1, 3, 5), _at(2026, 12, 5, 14, 0), _at(2026, 12, 6, 3, 0)),
        # Summer time: still 3am on the wall clock.
        (_at(2026, 7, 1, 3, 5), _at(2026, 7, 1, 9, 0), _at(2026, 7, 2, 3, 0)),
    ],
)
def test_the_next_try_follows_a_crontab(
    failed_at: dt.datetime, now: dt.datetime, expected: dt.datetime
) -> None:
    at_three = crontab(hour=3, minute=0, nowfun=lambda: now.astimezone(dt.UTC))
    assert next_run(at_three, last_run_at=failed_at) == expected


def test_the_next_try_follows_an_interval_in_seconds_as_beat_accepts() -> None:
    failed_at = _at(2026, 12, 5, 15, 12)
    daily = schedule(dt.timedelta(days=1), nowfun=lambda: _at(2026, 12, 5, 16, 0))
    assert next_run(daily, last_run_at=failed_at) == _at(2026, 12, 6, 15, 12)
    with pytest.raises(ValueError):
        next_run("tomorrow", last_run_at=failed_at)


def test_the_next_try_is_said_as_people_say_it() -> None:
    now = timezone.localtime()
    today_3am = now.replace(hour=3, minute=0, second=0, microsecond=0)
    assert next_try(today_3am) == "today at about 3am"
    assert next_try(today_3am + dt.timedelta(days=1)) == "tomorrow at about 3am"
    later = (today_3am + dt.timedelta(days=3)).replace(hour=15, minute=30)
    assert next_try(later) == f"on {later:%A} {later.day} {later:%B} at about 3:30pm"
    assert next_try(None) == ""
