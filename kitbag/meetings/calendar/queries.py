"""Reads of the meetings calendar that pages, feeds and the API share (no N+1 on any list)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kitbag.core.parts import Figure
from kitbag.meetings.models import (
    Committee,
    DemocracySystem,
    Document,
    EndpointHealth,
    Meeting,
    MeetingQuerySet,
    MeetingStatus,
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
    return DemocracySystem.objects.filter(councils=council).prefetch_related("councils")


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
