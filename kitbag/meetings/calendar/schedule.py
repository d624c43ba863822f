"""When the calendars are next synced, read from the schedule Celery beat really runs.

No Django here: the caller passes the schedule from settings.CELERY_BEAT_SCHEDULE, so what a page
promises ("we will try again tomorrow at about 3am") is what beat will do, and changing the
schedule changes the promise. A schedule is a Celery schedule (`crontab(...)`) or a number of
seconds between runs, as beat itself accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from celery.schedules import BaseSchedule, maybe_schedule

SYNC_TASK = "kitbag.meetings.tasks.sync_all_meetings"


def sync_schedule(beat_schedule: Mapping[str, Mapping[str, Any]]) -> object | None:
    """The schedule of the meetings sync in a beat schedule, found by its task; None if absent."""
    for entry in beat_schedule.values():
        if entry.get("task") == SYNC_TASK:
            return entry.get("schedule")
    return None


def next_run(schedule: object, *, last_run_at: dt.datetime) -> dt.datetime:
    """When `schedule` next runs after a run at `last_run_at` (aware), to the minute.

    If that time has already gone by (beat was down, say), the next run after now.
    """
    if isinstance(schedule, BaseSchedule):
        celery_schedule = schedule
    elif isinstance(schedule, int | float | dt.timedelta) and not isinstance(schedule, bool):
        celery_schedule = maybe_schedule(schedule)
    else:
        raise ValueError(f"not a schedule: {schedule!r}")
    now = celery_schedule.now()
    due = now + celery_schedule.remaining_estimate(last_run_at)
    if due <= now:
        due = now + celery_schedule.remaining_estimate(now)
    # Celery aims a hair before the minute; people read "at about 3am".
    return (due + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
