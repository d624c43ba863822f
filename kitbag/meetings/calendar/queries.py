"""Reads of the meetings calendar that pages, feeds and the API share (no N+1 on any list)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from kitbag.core.parts import Figure
from kitbag.meetings.calendar import schedule
from kitbag.meetings.models import (
    Committee,
    DemocracySystem,
    Document,
    EndpointHealth,
    Meeting,
    MeetingQuerySet,
    MeetingStatus,
    SyncOutcome,
    SyncRun,
)
from kitbag.registry.models import Organisation, OrganisationKind


def councils_with_calendars() -> QuerySet[Organisation]:
    """Councils with at least one install, with how many meetings are stored for each."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
        .filter(democracy_systems__isnull=False)
        .annotate(meeting_count=Count("democracy_systems__meetings", distinct=True))
        .order_by("name")
    )


def council_committees(council: Organisation) -> QuerySet[Committee]:
    """The council's own committees and the joint ones of any install it shares."""
    return Committee.objects.filter(
        Q(council=council)
        | Q(council__isnull=True, system__in=DemocracySystem.objects.filter(councils=council))
    )


def _with_documents(meetings: MeetingQuerySet) -> MeetingQuerySet:
    return meetings.select_related("committee", "system").prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("pk"))
    )


def council_meetings(council: Organisation) -> MeetingQuerySet:
    return _with_documents(
        Meeting.objects.filter(committee__in=council_committees(council).values("pk"))
    )


def committee_meetings(committee: Committee) -> MeetingQuerySet:
    return _with_documents(Meeting.objects.filter(committee=committee))


def council_health(council: Organisation) -> QuerySet[EndpointHealth]:
    return EndpointHealth.objects.filter(system__councils=council).select_related("system")


def council_systems(council: Organisation) -> QuerySet[DemocracySystem]:
    """The council's installs, each with the outcome of its last finished sync (`last_outcome`)."""
    last_run = (
        SyncRun.objects.filter(system=OuterRef("pk"))
        .exclude(outcome=SyncOutcome.RUNNING)
        .order_by("-started_at", "-pk")
    )
    return (
        DemocracySystem.objects.filter(councils=council)
        .annotate(last_outcome=Subquery(last_run.values("outcome")[:1]))
        .prefetch_related("councils")
    )


@dataclass(frozen=True)
class SyncState:
    """What a citizen is told about one install's calendar: never "synced" after a failure."""

    system: DemocracySystem
    updated_at: dt.datetime | None  # the last sync that succeeded in full
    failed_at: dt.datetime | None  # the last sync, when it did not succeed in full
    partly: bool  # that sync read some of the site, not none of it
    next_try_at: dt.datetime | None  # when the scheduled sync runs again, if one is scheduled


def sync_state(system: DemocracySystem) -> SyncState:
    """`system` from council_systems() (it carries `last_outcome`)."""
    outcome = getattr(system, "last_outcome", None)
    attempted = system.last_synced_at
    succeeded = system.last_success_at
    failed = attempted is not None and (succeeded is None or succeeded < attempted)
    next_try = None
    beat = schedule.sync_schedule(getattr(settings, "CELERY_BEAT_SCHEDULE", {}))
    if failed and attempted is not None and beat is not None:
        next_try = schedule.next_run(beat, last_run_at=attempted)
    return SyncState(
        system=system,
        updated_at=succeeded,
        failed_at=attempted if failed else None,
        partly=failed and outcome == SyncOutcome.PARTIAL,
        next_try_at=next_try,
    )


def has_calendar(council: Organisation) -> bool:
    return DemocracySystem.objects.filter(councils=council).exists()


def meetings_between(
    *,
    council: Organisation | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> MeetingQuerySet:
    """The API's list: one council's (or every council's) meetings in a date range, by start."""
    meetings = council_meetings(council) if council else _with_documents(Meeting.objects.all())
    return (
        meetings.between(date_from=date_from, date_to=date_to)
        .select_related("committee__council")
        .order_by("start", "pk")
    )


def council_by_code(code: str) -> Organisation | None:
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.LOCAL_AUTHORITY, code=code.strip().upper()
        )
        .order_by("end_date")
        .first()
    )


def calendar_figures() -> list[Figure]:
    """The calendar's figures on the home page, in two queries."""
    upcoming = Meeting.objects.upcoming().exclude(status=MeetingStatus.CANCELLED)
    return [
        Figure(label=_("Upcoming meetings"), value=upcoming.count()),
        Figure(label=_("Councils with a calendar"), value=councils_with_calendars().count()),
    ]
