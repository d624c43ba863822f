from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail

from kitbag.core.background import run_in_background
from kitbag.follows import tasks
from kitbag.follows.tests.world import build_world, publish, reader_gets_daily_digests

pytestmark = pytest.mark.django_db


def test_digests_are_scheduled_daily_and_weekly_by_the_task_the_command_runs() -> None:
    daily = settings.CELERY_BEAT_SCHEDULE["send-daily-digests"]
    weekly = settings.CELERY_BEAT_SCHEDULE["send-weekly-digests"]
    assert daily["task"] == weekly["task"] == tasks.send_digests.name
    assert daily["kwargs"] == {"frequency": "daily"}
    assert weekly["kwargs"] == {"frequency": "weekly"}


def test_the_task_runs_through_the_background_interface_and_reports_its_counts() -> None:
    import datetime as dt

    from kitbag.follows.tests.world import DAY

    world = build_world()
    reader_gets_daily_digests(world, since=DAY - dt.timedelta(days=5))
    publish(world, at=DAY - dt.timedelta(days=3))
    result = run_in_background(tasks.send_digests, frequency="daily").wait()
    assert (result["people"], result["sent"], result["failed"]) == (1, 1, 0)
    assert len(mail.outbox) == 1
