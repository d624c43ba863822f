"""The event pages: the list with its filters, an event with sign-up and who is going, the
organisers' forms, iCalendar feeds, and the unconference grid with pitching, interest, placing
(a form that works without JavaScript; grid.js adds drag and drop) and session notes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitbag.accounts.models import Membership, User
from kitbag.accounts.permissions import can
from kitbag.core.downloads import json_ld_script
from kitbag.core.rate_limits import rate_limited
from kitbag.events import ical, queries, services
from kitbag.events.forms import (
    CancelForm,
    EventForm,
    LinkForm,
    NotesForm,
    PitchForm,
    PlaceForm,
    RoomForm,
    SlotForm,
)
from kitbag.events.models import (
    Attendance,
    Booking,
    Event,
    EventKind,
    LinkKind,
    Room,
    Session,
    SignUpStatus,
    Slot,
)
from kitbag.events.queries import EventFilters
from kitbag.events.schema_org import event_json_ld
from kitbag.registry.models import Nation, Organisation


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


def _event(request: HttpRequest, slug: str) -> Event:
    """The event, if the viewer may see it: a draft is a 404 to all but its organisers."""
    event = queries.event_for(slug, viewer=request.user)
    if event is None:
        raise Http404
    return event


def _must(request: HttpRequest, action: str, obj: object | None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied


def _form_error(form: Any, error: services.EventError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilters.from_params(request.GET)
    page = Paginator(queries.events_matching(filters), queries.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "events/event_list.html",
        {
            "filters": filters,
            "page": page,
            "kinds": EventKind.choices,
            "nations": Nation.choices,
            "regions": queries.region_options(),
            "when_choices": [
                ("upcoming", _("Upcoming")),
                ("past", _("Past")),
                ("all", _("All")),
            ],
            "query": urlencode(query),
            "may_create": can(request.user, "create_event", None),
            "drafts": queries.drafts_organised_by(request.user),
        },
    )


@require_safe
def all_events_calendar(request: HttpRequest) -> HttpResponse:
    events = queries.events_matching(EventFilters.from_params(request.GET))
    return _ics(ical.events_calendar(name=_("Events on Kitbag"), events=events), "events.ics")


@require_safe
def organisation_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    events = queries.organisation_events(organisation)
    name = _("Events by %(name)s") % {"name": organisation.name}
    return _ics(ical.events_calendar(name=name, events=events), f"{slug}-events.ics")


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    attendees = queries.attendees_of(event)
    sign_up = queries.sign_up_of(event, request.user)
    remaining = None if event.capacity is None else max(0, event.capacity - attendees.confirmed)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "attendees": attendees,
            "sign_up": sign_up,
            "waiting_place": (
                queries.place_on_waiting_list(sign_up)
                if sign_up is not None and sign_up.status == SignUpStatus.WAITING
                else None
            ),
            "remaining": remaining,
            "links": list(event.links.all()),
            "json_ld": json_ld_script(event_json_ld(event, remaining_places=remaining)),
            "may_organise": can(request.user, "organise", event),
            "may_publish": can(request.user, "publish", event),
            "may_cancel": can(request.user, "cancel", event),
            "may_sign_up": can(request.user, "sign_up", event),
            "books_here": event.booking == Booking.KITBAG
            and not event.is_past
            and not event.is_cancelled,
            "is_online": event.attendance == Attendance.ONLINE,
        },
    )


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    return _ics(ical.events_calendar(name=event.title, events=[event]), f"{slug}.ics")


def _organisations_of(user: User) -> Any:
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user).organisation_ids()
    ).order_by("name")


def _details(form: EventForm) -> services.EventDetails:
    data = form.cleaned_data
    return services.EventDetails(
        title=data["title"],
        summary=data["summary"],
        kind=EventKind(data["kind"]),
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        attendance=Attendance(data["attendance"]),
        address=data["address"],
        nation=data["nation"],
        region=data["region"],
        online_url=data["online_url"],
        booking=Booking(data["booking"]),
        booking_url=data["booking_url"],
        capacity=data["capacity"],
        series_name=data["series_name"],
        services=data["services"],
        tags=data["tags"],
    )


@login_required
@rate_limited("event-writes")
def event_create(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    _must(request, "create_event", None)
    form = EventForm(request.POST or None, organisations=_organisations_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                details=_details(form),
                by=person,
                organisation=form.cleaned_data["organisation"],
                organiser_name=form.cleaned_data["organiser_name"],
            )
        except services.EventError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your event is saved as a draft: only its organisers can see it. Publish it "
                    "when it is ready."
                ),
            )
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@login_required
@rate_limited("event-writes")
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    _must(request, "organise", event)
    person = _person(request)
    initial = {
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "organisation": event.organisation_id,
        "organiser_name": event.organiser_name,
        "starts_at": _local(event.starts_at),
        "ends_at": _local(event.ends_at),
        "attendance": event.attendance,
        "address": event.address,
        "nation": event.nation,
        "region": event.region,
        "online_url": event.online_url,
        "booking": event.booking,
        "booking_url": event.booking_url,
        "capacity": event.capacity,
        "series_name": event.series.name if event.series else "",
        "services": ", ".join(code.code for code in event.services.all()),
        "tags": ", ".join(tag.name for tag in event.tags.all()),
    }
    form = EventForm(request.POST or None, initial=initial, organisations=_organisations_of(person))
    # Who organises an event does not change on editing it.
    del form.fields["organisation"]
    del form.fields["organiser_name"]
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(event=event, details=_details(form), by=person)
        except services.EventError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The event is updated."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
@rate_limited("event-writes")
def event_publish(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    _must(request, "publish", event)
    services.publish_event(event=event, by=_person(request))
    messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
@rate_limited("event-writes")
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    _must(request, "cancel", event)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_event(
                event=event, by=_person(request), reason=form.cleaned_data["reason"]
            )
        except services.EventError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The event is cancelled. Everyone signed up is told."))
            return redirect(event)
    return render(request, "events/cancel_form.html", {"form": form, "event": event})


@login_required
@require_POST
@rate_limited("event-writes")
def event_sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    sign_up = services.sign_up(event=event, user=_person(request))
    if sign_up.status == SignUpStatus.CONFIRMED:
        messages.success(request, _("You have a place."))
    else:
        messages.success(request, _("The event is full: you are on the waiting list."))
    return redirect(event)


@login_required
@require_POST
@rate_limited("event-writes")
def event_cancel_sign_up(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    services.cancel_sign_up(event=event, user=_person(request))
    messages.success(request, _("You are no longer signed up."))
    return redirect(event)


@login_required
@rate_limited("event-writes")
def link_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    _must(request, "add_link", event)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_link(
                event=event,
                by=_person(request),
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                kind=LinkKind(form.cleaned_data["kind"]),
            )
        except services.EventError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The link is added."))
            return redirect(event)
    return render(request, "events/link_form.html", {"form": form, "event": event})


# --- The unconference grid ---------------------------------------------------------------------


def _unconference(request: HttpRequest, slug: str) -> Event:
    event = _event(request, slug)
    if not event.is_unconference:
        raise Http404
    return event


def _session(event: Event, session_id: int) -> Session:
    session = queries.session_for(event, session_id)
    if session is None:
        raise Http404
    return session


@require_safe
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    may_arrange = can(request.user, "arrange_grid", event)
    return render(
        request,
        "events/grid.html",
        {
            "event": event,
            "grid": queries.grid_of(event),
            "may_arrange": may_arrange,
            "may_pitch": can(request.user, "pitch", event),
        },
    )


@require_safe
def grid_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    sessions = [s for s in queries.sessions_of(event).select_related("event") if s.is_placed]
    return _ics(ical.sessions_calendar(name=event.title, sessions=sessions), f"{slug}-sessions.ics")


@login_required
@rate_limited("event-writes")
def grid_setup(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    _must(request, "arrange_grid", event)
    which = request.POST.get("form") if request.method == "POST" else None
    room_form = RoomForm(request.POST if which == "room" else None, prefix="room")
    slot_form = SlotForm(request.POST if which == "slot" else None, prefix="slot")
    if which == "room" and room_form.is_valid():
        try:
            services.add_room(
                event=event,
                by=_person(request),
                name=room_form.cleaned_data["name"],
                capacity=room_form.cleaned_data["capacity"],
            )
        except services.EventError as error:
            _form_error(room_form, error)
        else:
            messages.success(request, _("The room is added."))
            return redirect("events:grid_setup", slug=event.slug)
    if which == "slot" and slot_form.is_valid():
        try:
            services.add_slot(
                event=event,
                by=_person(request),
                starts_at=slot_form.cleaned_data["starts_at"],
                ends_at=slot_form.cleaned_data["ends_at"],
            )
        except services.EventError as error:
            _form_error(slot_form, error)
        else:
            messages.success(request, _("The time slot is added."))
            return redirect("events:grid_setup", slug=event.slug)
    return render(
        request,
        "events/grid_setup.html",
        {
            "event": event,
            "room_form": room_form,
            "slot_form": slot_form,
            "rooms": list(event.rooms.all()),
            "slots": list(event.slots.all()),
        },
    )


@login_required
@rate_limited("event-writes")
def session_pitch(request: HttpRequest, slug: str) -> HttpResponse:
    event = _unconference(request, slug)
    _must(request, "pitch", event)
    person = _person(request)
    profile_name = getattr(getattr(person, "profile", None), "display_name", "")
    form = PitchForm(request.POST or None, initial={"host_name": profile_name})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.pitch_session(event=event, by=person, **form.cleaned_data)
        except services.EventError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your session is pitched."))
            return redirect(session)
    return render(request, "events/session_form.html", {"form": form, "event": event})


@require_safe
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(event, session_id)
    may_arrange = can(request.user, "arrange_grid", event)
    revisions = list(session.note_revisions.all())
    place_form = (
        PlaceForm(
            initial={"room": session.room_id, "slot": session.slot_id},
            rooms=event.rooms.all(),
            slots=event.slots.all(),
        )
        if may_arrange
        else None
    )
    return render(
        request,
        "events/session_detail.html",
        {
            "event": event,
            "session": session,
            "clashes": queries.grid_of(event).clashes_of.get(session.pk, []) if may_arrange else [],
            "interested": queries.is_interested(session, request.user),
            "may_mark_interest": can(request.user, "mark_interest", session),
            "may_edit_notes": can(request.user, "edit_notes", session),
            "place_form": place_form,
            "notes": revisions[0] if revisions else None,
            "revisions": revisions,
        },
    )


@require_safe
def session_calendar(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(event, session_id)
    if not session.is_placed:
        raise Http404
    return _ics(ical.sessions_calendar(name=session.title, sessions=[session]), "session.ics")


@login_required
@require_POST
@rate_limited("event-writes")
def session_interest(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(event, session_id)
    interested = request.POST.get("interested") == "yes"
    services.set_interest(session=session, user=_person(request), interested=interested)
    return redirect(session)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@rate_limited("event-writes")
def session_place(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _unconference(request, slug)
    _must(request, "arrange_grid", event)
    session = _session(event, session_id)
    form = PlaceForm(
        request.POST or None,
        initial={"room": session.room_id, "slot": session.slot_id},
        rooms=Room.objects.filter(event=event),
        slots=Slot.objects.filter(event=event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.place_session(
                session=session,
                by=_person(request),
                room=form.cleaned_data["room"],
                slot=form.cleaned_data["slot"],
            )
        except services.EventError as error:
            _form_error(form, error)
        else:
            if _wants_json(request):
                # grid.js redraws the grid from the page, clashes and all.
                return JsonResponse({"placed": session.is_placed})
            messages.success(request, _("The session is placed."))
            return redirect("events:grid", slug=event.slug)
    if request.method == "POST" and _wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(
        request, "events/place_form.html", {"form": form, "event": event, "session": session}
    )


@login_required
@rate_limited("event-writes")
def session_notes(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    event = _unconference(request, slug)
    session = _session(event, session_id)
    _must(request, "edit_notes", session)
    revisions = list(session.note_revisions.all())
    form = NotesForm(request.POST or None, initial={"text": revisions[0].text if revisions else ""})
    if request.method == "POST" and form.is_valid():
        services.save_session_notes(
            session=session, by=_person(request), text=form.cleaned_data["text"]
        )
        messages.success(request, _("The notes are saved."))
        return redirect(session)
    return render(
        request, "events/notes_form.html", {"form": form, "event": event, "session": session}
    )


def organisation_section(
    request: HttpRequest | None, organisation: Organisation
) -> dict[str, Any] | None:
    events = queries.upcoming_for_organisation(organisation)
    return {"events": events, "organisation": organisation}
