"""Reads the event pages and the API share: the filtered list, one event with what its page shows,
who is going (named only with a public profile), and the unconference grid with its clashes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitbag.accounts.models import User
from kitbag.accounts.permissions import Viewer
from kitbag.core.parts import Figure
from kitbag.events.clashes import Clash, ClashKind, PlacedSession, find_clashes
from kitbag.events.models import (
    Event,
    EventKind,
    EventQuerySet,
    EventStatus,
    Interest,
    Room,
    Session,
    SessionNoteRevision,
    SignUp,
    SignUpStatus,
    Slot,
)
from kitbag.events.permissions import organised_events, visible_events
from kitbag.registry.models import Nation, Organisation

PAGE_SIZE = 20
WHEN_CHOICES = ("upcoming", "past", "all")
# What a list may be narrowed to: drafts are never listed, whoever asks.
STATUS_CHOICES = (EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)


@dataclass(frozen=True)
class EventFilters:
    """The list's filters, as the page's query string and the API's parameters give them."""

    when: str = "upcoming"  # upcoming, past or all
    date_from: dt.date | None = None  # events on or after this day (Europe/London)
    date_to: dt.date | None = None  # events on or before this day
    nation: str = ""
    region: str = ""
    kind: str = ""
    service: str = ""  # an LGSL code
    tag: str = ""
    series: str = ""  # a series' slug
    organisation: str = ""  # an organisation's slug
    status: str = ""  # published or cancelled; blank: both

    @classmethod
    def from_params(cls, params: Any) -> EventFilters:
        """The filters from a query string; a value that is not one is ignored."""
        when = params.get("when", "upcoming")
        kind = params.get("kind", "")
        nation = params.get("nation", "")
        status = params.get("status", "")
        return cls(
            when=when if when in WHEN_CHOICES else "upcoming",
            date_from=parse_date(params.get("from", "")),
            date_to=parse_date(params.get("to", "")),
            nation=nation if nation in Nation.values else "",
            region=params.get("region", "")[:64],
            kind=kind if kind in EventKind.values else "",
            service=params.get("service", "")[:32],
            tag=params.get("tag", "")[:60],
            series=params.get("series", "")[:120],
            organisation=params.get("organisation", "")[:120],
            status=status if status in STATUS_CHOICES else "",
        )


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def all_events() -> EventQuerySet:
    """Every event, drafts too, with what a card or a page shows: narrow it before showing it."""
    events = Event.objects.select_related("organisation", "series").prefetch_related(
        "services", "tags"
    )
    return events


def announced_events() -> EventQuerySet:
    """What every list, feed, the API and the organisation page show, the same for everyone:
    published and cancelled events, never drafts (an organiser finds theirs from its page)."""
    return all_events().announced()


def events_matching(filters: EventFilters) -> QuerySet[Event]:
    events = announced_events().order_by("starts_at", "pk")
    if filters.status:
        events = events.filter(status=filters.status)
    if filters.when == "upcoming":
        events = events.upcoming()
    elif filters.when == "past":
        # The latest first: what just happened is what people look for.
        events = events.past().order_by("-starts_at", "-pk")
    if filters.date_from is not None:
        events = events.filter(ends_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(starts_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.nation:
        events = events.filter(nation=filters.nation)
    if filters.region:
        events = events.filter(region=filters.region)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.service:
        events = events.filter(services__code=filters.service)
    if filters.tag:
        events = events.filter(tags__name=filters.tag.strip().lower())
    if filters.series:
        events = events.filter(series__slug=filters.series)
    if filters.organisation:
        events = events.filter(organisation__slug=filters.organisation)
    return events.annotate(
        confirmed=Count(
            "sign_ups", filter=Q(sign_ups__status=SignUpStatus.CONFIRMED), distinct=True
        )
    ).distinct()


DRAFTS_SHOWN = 20


def drafts_organised_by(viewer: Viewer) -> list[Event]:
    """The drafts this person organises (their own and their organisations'), most recently
    made first: where a saved draft is found again. Staff see their own only, not everyone's."""
    drafts = organised_events(viewer, own_only=True).filter(status=EventStatus.DRAFT)
    return list(drafts.select_related("organisation").order_by("-created_at", "-pk")[:DRAFTS_SHOWN])


def region_options() -> list[str]:
    return list(
        Event.objects.announced()
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def event_for(slug: str, *, viewer: Viewer) -> Event | None:
    """The event, if the viewer may see it: a draft is its organisers' alone (None otherwise,
    so its page is a 404 as for no event at all)."""
    return all_events().filter(pk__in=visible_events(viewer).values("pk"), slug=slug).first()


def organisation_events(organisation: Organisation) -> EventQuerySet:
    return announced_events().filter(organisation=organisation)


def upcoming_for_organisation(organisation: Organisation, *, limit: int = 5) -> list[Event]:
    # Titles and times only: the organisation page pays one query for its events section.
    return list(Event.objects.announced().filter(organisation=organisation).upcoming()[:limit])


@dataclass(frozen=True)
class Attendees:
    """Who is going: named only when their profile is public; everyone else counted."""

    named: list[str]
    confirmed: int
    waiting: int

    @property
    def unnamed(self) -> int:
        return self.confirmed - len(self.named)


def attendees_of(event: Event) -> Attendees:
    counts = dict(
        event.sign_ups.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    named = list(
        SignUp.objects.filter(
            event=event,
            status=SignUpStatus.CONFIRMED,
            user__is_active=True,
            user__profile__is_public=True,
        )
        .exclude(user__profile__display_name="")
        .order_by("user__profile__display_name")
        .values_list("user__profile__display_name", flat=True)
    )
    return Attendees(
        named=named,
        confirmed=counts.get(SignUpStatus.CONFIRMED, 0),
        waiting=counts.get(SignUpStatus.WAITING, 0),
    )


def sign_up_of(event: Event, user: object) -> SignUp | None:
    if not isinstance(user, User):
        return None
    return SignUp.objects.filter(event=event, user=user).first()


def place_on_waiting_list(sign_up: SignUp) -> int:
    """1 for the first in the queue."""
    return (
        SignUp.objects.filter(event_id=sign_up.event_id, status=SignUpStatus.WAITING)
        .filter(
            Q(created_at__lt=sign_up.created_at)
            | Q(created_at=sign_up.created_at, pk__lte=sign_up.pk)
        )
        .count()
    )


# --- The grid ---------------------------------------------------------------------------------


CLASH_WORDS = {
    ClashKind.HOST_IN_TWO_PLACES: _("The host is in two places at once"),
    ClashKind.ROOM_DOUBLE_BOOKED: _("Two sessions in one room at once"),
    ClashKind.ROOM_TOO_SMALL: _("More people interested than the room seats"),
}


@dataclass
class GridSlot:
    slot: Slot
    cells: list[tuple[Room, list[Session]]]


@dataclass
class Grid:
    rooms: list[Room]
    slots: list[GridSlot]
    unplaced: list[Session]
    sessions: list[Session]
    clashes: list[Clash]
    clashes_of: dict[int, list[str]] = field(default_factory=dict)


def sessions_of(event: Event) -> QuerySet[Session]:
    return (
        Session.objects.filter(event=event)
        .select_related("event", "room", "slot")
        .annotate(interest=Count("interests", distinct=True))
        .order_by("created_at", "pk")
    )


def grid_of(event: Event) -> Grid:
    rooms = list(Room.objects.filter(event=event))
    slots = list(Slot.objects.filter(event=event))
    sessions = list(sessions_of(event))
    placed = [
        PlacedSession(
            session_id=s.pk,
            host_id=s.host_id,
            room_id=s.room.pk,
            room_capacity=s.room.capacity,
            starts_at=s.slot.starts_at,
            ends_at=s.slot.ends_at,
            interest=s.interest,  # type: ignore[attr-defined]
        )
        for s in sessions
        if s.room is not None and s.slot is not None
    ]
    clashes = find_clashes(placed)
    clashes_of: dict[int, list[str]] = defaultdict(list)
    for clash in clashes:
        for session_id in clash.session_ids:
            clashes_of[session_id].append(str(CLASH_WORDS[clash.kind]))
    by_cell: dict[tuple[int, int], list[Session]] = defaultdict(list)
    for session in sessions:
        # What the grid says about the session, read by its card.
        session.clash_words = clashes_of.get(session.pk, [])  # type: ignore[attr-defined]
        if session.room_id is not None and session.slot_id is not None:
            by_cell[(session.slot_id, session.room_id)].append(session)
    return Grid(
        rooms=rooms,
        slots=[
            GridSlot(slot=slot, cells=[(room, by_cell[(slot.pk, room.pk)]) for room in rooms])
            for slot in slots
        ],
        unplaced=[s for s in sessions if not s.is_placed],
        sessions=sessions,
        clashes=clashes,
        clashes_of=dict(clashes_of),
    )


def session_for(event: Event, session_id: int) -> Session | None:
    return (
        sessions_of(event)
        .filter(pk=session_id)
        .prefetch_related(
            Prefetch(
                "note_revisions",
                queryset=SessionNoteRevision.objects.select_related("author__profile"),
            )
        )
        .first()
    )


def is_interested(session: Session, user: object) -> bool:
    return isinstance(user, User) and Interest.objects.filter(session=session, user=user).exists()


def event_figures() -> list[Figure]:
    return [
        Figure(label=_("Upcoming events"), value=Event.objects.announced().upcoming().count()),
        Figure(
            label=_("Unconferences"),
            value=Event.objects.announced().filter(kind=EventKind.UNCONFERENCE).count(),
        ),
    ]
