"""Meetings calendar pages and iCalendar feeds: parse the address, read through queries, render."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from kitbag.meetings import ical, queries
from kitbag.meetings.models import Committee, Meeting, MeetingQuerySet
from kitbag.registry.models import Organisation, OrganisationKind

PAST_PAGE_SIZE = 25
UPCOMING_LIMIT = 200
# Feeds reach a year back: enough for "when did it last meet", small enough to fetch often.
FEED_DAYS_BACK = 366


def _council(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.LOCAL_AUTHORITY)


def _committee(council: Organisation, pk: int) -> Committee:
    return get_object_or_404(queries.council_committees(council), pk=pk)


def _calendar_context(request: HttpRequest, meetings: MeetingQuerySet) -> dict[str, object]:
    page = Paginator(meetings.past(), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "upcoming": list(meetings.upcoming()[:UPCOMING_LIMIT]),
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
    context = _calendar_context(request, queries.council_meetings(council))
    context.update(
        {
            "council": council,
            "committees": queries.council_committees(council)
            .filter(is_deleted=False)
            .order_by("is_expired", "title"),
            "systems": list(queries.council_systems(council)),
            "health": list(queries.council_health(council).order_by("system", "operation")),
        }
    )
    return render(request, "meetings/council_calendar.html", context)


@require_safe
def committee_calendar(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(slug)
    committee = _committee(council, pk)
    context = _calendar_context(request, queries.committee_meetings(committee))
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
    request: HttpRequest, *, council: Organisation, name: str, meetings: Iterable[Meeting]
) -> HttpResponse:
    page_urls = {
        meeting.pk: request.build_absolute_uri(
            reverse("meetings:meeting_detail", kwargs={"slug": council.slug, "uid": meeting.uid})
        )
        for meeting in meetings
    }
    body = ical.build_calendar(name=name, meetings=meetings, page_urls=page_urls)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _feed_meetings(meetings: MeetingQuerySet) -> list[Meeting]:
    since = timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK)
    return list(meetings.filter(start_date__gte=since).order_by("start", "pk"))


@require_safe
def council_feed(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(slug)
    meetings = _feed_meetings(queries.council_meetings(council))
    return _feed(request, council=council, name=f"{council.name}: meetings", meetings=meetings)


@require_safe
def committee_feed(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(slug)
    committee = _committee(council, pk)
    meetings = _feed_meetings(queries.committee_meetings(committee))
    name = f"{council.display_name}: {committee.title}"
    return _feed(request, council=council, name=name, meetings=meetings)


def organisation_section(
    request: HttpRequest | None, organisation: object
) -> dict[str, object] | None:
    """The link from a council's registry page to its calendar (kitbag/core/page_sections.py).

    It depends only on registry data, so the registry's page cache can keep it.
    """
    if not isinstance(organisation, Organisation):
        return None
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return None
    return {"council": organisation}
