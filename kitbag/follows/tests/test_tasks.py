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


def test_happenings_older_than_a_year_are_pruned_nightly_with_their_keys() -> None:
    import datetime as dt

    from django.utils import timezone

    from kitbag.follows.models import HappeningConcern, StoredHappening

    assert settings.CELERY_BEAT_SCHEDULE["prune-happenings"]["task"] == tasks.prune_happenings.name
    from kitbag.core.happenings import Happening
    from kitbag.follows.services import store_happening

    def happening(title: str) -> StoredHappening:
        return store_happening(
            Happening(
                kind="case-published",
                title=title,
                url="/cases/x/",
                happened_at=timezone.now(),
                concerns=["organisation:1"],
            )
        )

    old, recent = happening("Last year"), happening("Today")
    StoredHappening.objects.filter(pk=old.pk).update(
        recorded_at=timezone.now() - dt.timedelta(days=366)
    )
    assert run_in_background(tasks.prune_happenings).wait() == 1
    assert list(StoredHappening.objects.all()) == [recent]
    assert not HappeningConcern.objects.filter(happening_id=old.pk).exists()
    assert run_in_background(tasks.prune_happenings).wait() == 0
