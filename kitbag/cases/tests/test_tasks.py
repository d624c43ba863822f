"""The daily reminder to owners of stale cases, run through the background-task interface."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from kitbag.accounts.tests.permission_world import World, build_world
from kitbag.cases import services, tasks
from kitbag.cases.models import Case, RecordStatus
from kitbag.cases.tests.factories import code
from kitbag.core.background import run_in_background

pytestmark = pytest.mark.django_db


def published(world: World, *, confirmed_days_ago: int, title: str = "Bins that text") -> Case:
    case = services.save_case(
        case=Case(
            title=title,
            summary="Residents get a text the night before collection.",
            lead_organisation=world.organisation,
            phase=code("govuk-phase", "live"),
        ),
        by=world.member,
    )
    case = services.move_case(case=case, action="publish", by=world.person("editor"))
    Case.objects.filter(pk=case.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=confirmed_days_ago)
    )
    case.refresh_from_db()
    return case


def remind(capture: Any) -> dict[str, int]:
    # Emails go out when the transaction commits; the test's own transaction never does.
    with capture(execute=True):
        result = run_in_background(tasks.remind_owners_of_stale_cases).wait()
    assert isinstance(result, dict)
    return result


def a_day_passes(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(
        last_confirmed_at=case.last_confirmed_at - dt.timedelta(days=1),  # type: ignore[operator]
        stale_reminder_sent_at=timezone.now() - dt.timedelta(days=1),
    )


def test_a_case_unconfirmed_for_a_year_is_flagged_and_its_owner_emailed_once(
    builtin_codes: None, django_capture_on_commit_callbacks: Any
) -> None:
    world = build_world()
    case = published(world, confirmed_days_ago=400)
    mail.outbox.clear()

    assert remind(django_capture_on_commit_callbacks) == {"reminded": 1}

    case.refresh_from_db()
    assert case.status == RecordStatus.NEEDS_UPDATE
    assert case.stale_reminder_sent_at is not None
    assert len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == [world.member.email]
    assert "Is your case still up to date?" in message.subject
    assert case.get_absolute_url() in message.body
    latest = case.revisions.order_by("-number").first()
    assert latest is not None and latest.change_summary == "Not confirmed for a year"

    a_day_passes(case)
    assert remind(django_capture_on_commit_callbacks) == {"reminded": 0}
    assert len(mail.outbox) == 1


def test_confirming_makes_a_case_fresh_until_another_year_passes(
    builtin_codes: None, django_capture_on_commit_callbacks: Any
) -> None:
    world = build_world()
    case = published(world, confirmed_days_ago=400)
    remind(django_capture_on_commit_callbacks)
    case.refresh_from_db()

    case = services.confirm_case(case=case, by=world.member)
    assert case.status == RecordStatus.PUBLISHED
    assert case.stale_reminder_sent_at is None
    assert case.last_confirmed_at is not None
    assert timezone.now() - case.last_confirmed_at < dt.timedelta(minutes=1)
    mail.outbox.clear()
    assert remind(django_capture_on_commit_callbacks) == {"reminded": 0}
    assert mail.outbox == []

    Case.objects.filter(pk=case.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=366)
    )
    assert remind(django_capture_on_commit_callbacks) == {"reminded": 1}
    assert len(mail.outbox) == 1


def test_fresh_cases_and_drafts_are_left_alone(
    builtin_codes: None, django_capture_on_commit_callbacks: Any
) -> None:
    world = build_world()
    fresh = published(world, confirmed_days_ago=300, title="Fresh")
    draft = services.save_case(
        case=Case(title="Old draft", lead_organisation=world.organisation), by=world.member
    )
    Case.objects.filter(pk=draft.pk).update(
        last_confirmed_at=timezone.now() - dt.timedelta(days=800)
    )
    mail.outbox.clear()

    assert remind(django_capture_on_commit_callbacks) == {"reminded": 0}

    fresh.refresh_from_db()
    draft.refresh_from_db()
    assert fresh.status == RecordStatus.PUBLISHED
    assert draft.status == RecordStatus.DRAFT
    assert mail.outbox == []


def test_a_case_confirmed_after_it_was_listed_is_not_flagged(builtin_codes: None) -> None:
    world = build_world()
    case = published(world, confirmed_days_ago=400)
    (listed,) = services.stale_cases()
    services.confirm_case(case=case, by=world.member)

    assert services.remind_owner_of_stale_case(case=listed) is False

    case.refresh_from_db()
    assert case.status == RecordStatus.PUBLISHED


def test_the_reminder_is_scheduled_daily() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["remind-owners-of-stale-cases"]
    assert entry["task"] == "kitbag.cases.tasks.remind_owners_of_stale_cases"
    assert entry["schedule"] == 24 * 60 * 60
