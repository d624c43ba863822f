"""Meetings calendar pages and iCalendar feeds: parse the address, read through queries, render."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from kitbag.meetings.calendar import ical, queries
from kitbag.meetings.models import Committee, MeetingQuerySet
from kitbag.registry.models import Organisation, OrganisationKind

PAST_PAGE_SIZE = 25
# A council page shows the next 50 (a big council holds a few hundred meetings a year); a
# committee page, the feed and the API have every one.
COUNCIL_UPCOMING_LIMIT = 50
COMMITTEE_UPCOMING_LIMIT = 200
# A feed is drawn again only when a meeting in it changes, or after an hour at most.
FEED_CACHE_SECONDS = 3600
# Feeds reach a year back: enough for "when did it last meet", small enough to fetch often.
FEED_DAYS_BACK = 366


def _council(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.LOCAL_AUTHORITY)


def _committee(council: Organisation, pk: int) -> Committee:
    return get_object_or_404(queries.council_committees(council), pk=pk)


def _calendar_context(
    request: HttpRequest, meetings: MeetingQuerySet, *, limit: int
) -> dict[str, object]:
    page = Paginator(meetings.past(), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    upcoming = list(meetings.upcoming()[: limit + 1])
    return {
        "upcoming": upcoming[:limit],
        "more_upcoming": len(upcoming) > limit,
        "past_page": page,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "today": timezone.localdate(),
    }


@require_safe
def meetings_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/index.html",
        {"councils": queries.councils_with_calendars()},
    )


@require_safe
def council_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    context = _calendar_context(
        request, queries.council_meetings(council), limit=COUNCIL_UPCOMING_LIMIT
    )
    systems = list(queries.council_systems(council))
    context.update(
        {
            "council": council,
            "committees": queries.council_committees(council)
            .filter(is_deleted=False)
            .order_by("is_expired", "title"),
            "systems": systems,
            "sync_states": [queries.sync_state(system) for system in systems],
            # Which operation of the council's web service answered how is for staff: the
            # public are told in words whether the calendar is up to date.
            "health": list(queries.council_health(council).order_by("system", "operation"))
            if request.user.is_staff
            else [],
        }
    )
    return render(request, "meetings/council_calendar.html", context)


@require_safe
def committee_calendar(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(slug)
    committee = _committee(council, pk)
    context = _calendar_context(
        request, queries.committee_meetings(committee), limit=COMMITTEE_UPCOMING_LIMIT
    )
    context.update({"council": council, "committee": committee})
    return render(request, "meetings/committee_calendar.html", context)


@require_safe
def meeting_detail(request: HttpRequest, slug: str, uid: uuid.UUID) -> HttpResponse:
    council = _council(slug)
    meeting = (
        queries.council_meetings(council)
        .prefetch_related("agenda_items__documents")
        .filter(uid=uid)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting of this council.")
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "council": council,
            "meeting": meeting,
            "agenda_items": list(meeting.agenda_items.all()),
            "loose_documents": [d for d in meeting.documents.all() if d.agenda_item_id is None],
        },
    )


def _feed(
    request: HttpRequest, *, council: Organisation, name: str, meetings: MeetingQuerySet
) -> HttpResponse:
    meetings = _feed_meetings(meetings)
    version = meetings.aggregate(changed=Max("changed_at"), count=Count("pk"), last=Max("pk"))
    key = (
        "meetings:feed:"
        + hashlib.sha256(
            f"{request.get_host()}|{request.path}|{name}|{version}".encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        rows = list(meetings)
        page_urls = {
            meeting.pk: request.build_absolute_uri(
                reverse(
                    "meetings:meeting_detail", kwargs={"slug": council.slug, "uid": meeting.uid}
                )
            )
            for meeting in rows
        }
        body = ical.build_calendar(name=name, meetings=rows, page_urls=page_urls)
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _feed_meetings(meetings: MeetingQuerySet) -> MeetingQuerySet:
    since = timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK)
    return meetings.filter(start_date__gte=since).order_by("start", "pk")


@require_safe
def council_feed(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    name = f"{council.name}: meetings"
    return _feed(request, council=council, name=name, meetings=queries.council_meetings(council))


@require_safe
def committee_feed(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(slug)
    committee = _committee(council, pk)
    name = f"{council.display_name}: {committee.title}"
    meetings = queries.committee_meetings(committee)
    return _feed(request, council=council, name=name, meetings=meetings)


def organisation_section(
    request: HttpRequest | None, organisation: object
) -> dict[str, object] | None:
    """The link from a council's registry page to its calendar (kitbag/core/page_sections.py).

    The registry's page cache goes fresh when an install changes (MeetingsConfig.ready()), so a
    calendar synced for the first time shows up on the council's page.
    """
    if not isinstance(organisation, Organisation):
        return None
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return None
    return {"council": organisation, "has_calendar": queries.has_calendar(organisation)}
