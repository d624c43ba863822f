"""Which stretch of time a digest covers: a pure module (no Django), so it is easy to test.

A daily digest covers whole London days and a weekly one whole weeks, Monday to Sunday. The period
a run covers ends at the start of the current day (or week) in Europe/London, whatever the hour the
run starts: two runs on the same day end at the same moment, so the second finds nothing new, and
a run delayed by an hour still covers the day before, clocks changing or not.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
FREQUENCIES = ("daily", "weekly")


def period_end(*, frequency: str, now: dt.datetime) -> dt.datetime:
    """The end of the last whole period before `now` (an aware datetime), in UTC."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"{frequency!r} is not a digest frequency")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    local_day = now.astimezone(LONDON).date()
    if frequency == "weekly":
        local_day -= dt.timedelta(days=local_day.weekday())
    start = dt.datetime.combine(local_day, dt.time.min, tzinfo=LONDON)
    return start.astimezone(dt.UTC)
