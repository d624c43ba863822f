"""Writes with rules: events, sign-ups and the waiting list, links afterwards, and the
unconference grid (rooms, slots, pitches, interest, placing, session notes).

Each service is one transaction, asks the permission table, and raises `EventError` (a rule about
what was asked) or Django's `PermissionDenied` (who asked may not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kitbag.accounts.models import User
from kitbag.accounts.permissions import can
from kitbag.core.happenings import key_of
from kitbag.core.refusals import RuleRefused
from kitbag.events.happenings import announce_event
from kitbag.events.models import (
    Attendance,
    Booking,
    Event,
    EventKind,
    EventLink,
    EventStatus,
    EventTag,
    Interest,
    LinkKind,
    Room,
    Series,
    Session,
    SessionNoteRevision,
    SignUp,
    SignUpStatus,
    Slot,
)
from kitbag.events.search_documents import reindex
from kitbag.registry.models import Organisation
from kitbag.resources import services as resource_services
from kitbag.resources.models import Resource
from kitbag.vocabularies.models import Code

CANCELLED_REASON_MAX_LENGTH = 2000


class EventError(RuleRefused):
    """A write the rules do not allow; `field` names the form field it is about, if any."""


def _require(user: User | None, action: str, obj: object | None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


# --- Events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventDetails:
    title: str
    kind: EventKind
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str = ""
    attendance: Attendance = Attendance.IN_PERSON
    address: str = ""
    # Empty: taken from the organising organisation of the registry, when in person.
    nation: str = ""
    region: str = ""
    online_url: str = ""
    booking: Booking = Booking.KITBAG
    booking_url: str = ""
    capacity: int | None = None
    series_name: str = ""
    services: Sequence[Code] = ()
    tags: Sequence[str] = field(default_factory=tuple)


def _check(details: EventDetails) -> None:
    if not details.title.strip():
        raise EventError(_("Enter a title."), field="title")
    if details.ends_at < details.starts_at:
        raise EventError(_("The end must be after the start."), field="ends_at")
    if details.attendance == Attendance.ONLINE and not details.online_url:
        raise EventError(_("Enter the link to join online."), field="online_url")
    if details.attendance == Attendance.IN_PERSON and not details.address.strip():
        raise EventError(_("Enter the address."), field="address")
    if details.booking == Booking.ELSEWHERE and not details.booking_url:
        raise EventError(_("Enter the link to book."), field="booking_url")


def _unique_slug(title: str, starts_at: dt.datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y}")[:120] or "event"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _series(name: str) -> Series | None:
    name = name.strip()
    if not name:
        return None
    series, _created = Series.objects.get_or_create(
        slug=slugify(name)[:120] or "series", defaults={"name": name}
    )
    return series


def _apply(event: Event, details: EventDetails) -> None:
    event.title = details.title.strip()
    event.summary = details.summary
    event.kind = details.kind
    event.starts_at = details.starts_at
    event.ends_at = details.ends_at
    event.attendance = details.attendance
    event.address = details.address if details.attendance == Attendance.IN_PERSON else ""
    event.online_url = details.online_url if details.attendance == Attendance.ONLINE else ""
    event.nation, event.region = details.nation, details.region
    # The place of an organisation's event is the organisation's, unless another is chosen.
    in_person = details.attendance == Attendance.IN_PERSON
    if in_person and not details.nation and event.organisation is not None:
        event.nation = event.organisation.nation
        event.region = details.region or event.organisation.region
    event.booking = details.booking
    event.booking_url = details.booking_url if details.booking == Booking.ELSEWHERE else ""
    event.capacity = details.capacity if details.booking == Booking.KITBAG else None
    event.series = _series(details.series_name)


def _set_topics(event: Event, details: EventDetails) -> None:
    event.services.set(details.services)
    names = sorted({tag.strip().lower()[:60] for tag in details.tags if tag.strip()})
    event.tags.exclude(name__in=names).delete()
    for name in names:
        EventTag.objects.get_or_create(event=event, name=name)


@transaction.atomic
def create_event(
    *,
    details: EventDetails,
    by: User,
    organisation: Organisation | None = None,
    organiser_name: str = "",
) -> Event:
    """A new event, organised by `organisation` (of which `by` is a verified member) or by `by`,
    as a draft its organisers alone see until they publish it (`publish_event`)."""
    if organisation is not None:
        _require(by, "organise_event", organisation)
    else:
        _require(by, "create_event", None)
        if not organiser_name.strip():
            raise EventError(_("Enter your name as it should be shown."), field="organiser_name")
    _check(details)
    event = Event(
        slug=_unique_slug(details.title, details.starts_at),
        organisation=organisation,
        organiser=None if organisation is not None else by,
        organiser_name="" if organisation is not None else organiser_name.strip(),
        status=EventStatus.DRAFT,
    )
    _apply(event, details)
    event.save()
    _set_topics(event, details)
    reindex(event)
    return event


@transaction.atomic
def publish_event(*, event: Event, by: User) -> Event:
    """A draft made public: on every list, feed, the API and the search, and announced to the
    followers of its organiser, services, tags and series once it commits."""
    event = _locked(event)
    _require(by, "publish", event)
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    reindex(event)
    transaction.on_commit(partial(publish_event_announced, event=event))
    return event


@transaction.atomic
def cancel_event(*, event: Event, by: User, reason: str) -> Event:
    """A published event called off: its page stays, saying so and why; sign-ups and the waiting
    list close, and everyone signed up or waiting is told by email once it commits."""
    event = _locked(event)
    _require(by, "cancel", event)
    reason = reason.strip()
    if not reason:
        raise EventError(_("Say why the event is cancelled."), field="reason")
    if len(reason) > CANCELLED_REASON_MAX_LENGTH:
        raise EventError(
            _("Say why in %(limit)d characters or fewer.") % {"limit": CANCELLED_REASON_MAX_LENGTH},
            field="reason",
        )
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancelled_reason = reason
    event.save(update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"])
    reindex(event)
    addresses = list(
        event.sign_ups.filter(user__is_active=True)
        .exclude(user__email="")
        .order_by("created_at", "pk")
        .values_list("user__email", flat=True)
    )
    transaction.on_commit(partial(_tell_cancelled, event=event, addresses=addresses))
    return event


def _tell_cancelled(*, event: Event, addresses: list[str]) -> None:
    """One email each, so no one sees who else was going."""
    subject = f"[{settings.SERVICE_NAME}] " + _("Cancelled: %(title)s") % {"title": event.title}
    body = _(
        "%(title)s, on %(when)s, is cancelled.\n\n"
        "The organisers say: %(reason)s\n\n"
        "Your place or your place on the waiting list is closed; there is nothing more to do.\n\n"
        "%(url)s\n"
    ) % {
        "title": event.title,
        "when": timezone.localtime(event.starts_at).strftime("%d %B %Y, %H:%M"),
        "reason": event.cancelled_reason,
        "url": settings.SITE_URL.rstrip("/") + event.get_absolute_url(),
    }
    for address in addresses:
        send_mail(subject, body, None, [address], fail_silently=True)


@transaction.atomic
def update_event(*, event: Event, details: EventDetails, by: User) -> Event:
    _require(by, "organise", event)
    _check(details)
    _apply(event, details)
    event.save()
    _set_topics(event, details)
    reindex(event)
    # More places may have been added: the waiting list moves up.
    _promote_waiting(_locked(event))
    return event


@transaction.atomic
def publish_event_announced(*, event: Event) -> None:
    """ "An event was announced" to the followers of the event's organisation, services, tags and
    series (kitbag/events/happenings.py). Runs once publish_event has committed: a draft is
    announced to no one."""
    announce_event(event)


# --- Sign-ups and the waiting list -------------------------------------------------------------


def _locked(event: Event) -> Event:
    # One sign-up or cancellation at a time per event, so two people never take the last place.
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return event.sign_ups.filter(status=SignUpStatus.CONFIRMED).count()


def _has_room(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


@transaction.atomic
def sign_up(*, event: Event, user: User) -> SignUp:
    """A place if one is left, otherwise a place on the waiting list. Signing up twice changes
    nothing."""
    # Asked of the event as it is now: it may have been cancelled since it was read.
    event = _locked(event)
    _require(user, "sign_up", event)
    existing = SignUp.objects.filter(event=event, user=user).first()
    if existing is not None:
        return existing
    status = SignUpStatus.CONFIRMED if _has_room(event) else SignUpStatus.WAITING
    return SignUp.objects.create(event=event, user=user, status=status)


@transaction.atomic
def cancel_sign_up(*, event: Event, user: User) -> SignUp | None:
    """Give up a place (or leave the waiting list). Returns the sign-up promoted from the waiting
    list into the freed place, if any."""
    event = _locked(event)
    deleted, _rows = SignUp.objects.filter(event=event, user=user).delete()
    if not deleted:
        return None
    promoted = _promote_waiting(event)
    return promoted[0] if promoted else None


def _promote_waiting(event: Event) -> list[SignUp]:
    """First come, first in: the longest waiting take the free places (of a published event: a
    cancelled one gives no places)."""
    if event.status != EventStatus.PUBLISHED:
        return []
    promoted = []
    waiting = list(event.sign_ups.filter(status=SignUpStatus.WAITING).order_by("created_at", "pk"))
    for sign_up in waiting:
        if not _has_room(event):
            break
        sign_up.status = SignUpStatus.CONFIRMED
        sign_up.save(update_fields=["status"])
        promoted.append(sign_up)
    return promoted


# --- Links afterwards --------------------------------------------------------------------------


@transaction.atomic
def add_link(*, event: Event, by: User, title: str, url: str, kind: LinkKind) -> EventLink:
    _require(by, "add_link", event)
    if not title.strip():
        raise EventError(_("Enter a title."), field="title")
    if not url.lower().startswith(("https://", "http://")):
        raise EventError(_("Enter an address starting https:// or http://."), field="url")
    link = EventLink.objects.create(
        event=event, title=title.strip(), url=url, kind=kind, added_by=by
    )
    put_link_in_library(link=link, by=by)
    return link


@transaction.atomic
def put_link_in_library(*, link: EventLink, by: User) -> Resource:
    """The link as a resource of the library: one per normalised address, recommended publicly by
    the person who added it (it is on the event's public page already), tagged with the event's
    tags and the link's kind, and used by the event. Doing it again changes nothing."""
    event = link.event
    tags = [*event.tags.values_list("name", flat=True), link.kind]
    try:
        resource = resource_services.recommend(
            person=by,
            url=link.url,
            title=link.title,
            why=_("%(kind)s of %(event)s.")
            % {"kind": link.get_kind_display(), "event": event.title},
            tags=tags,
        )
    except resource_services.ResourceError as error:
        raise EventError(str(error), field="url") from None
    resource_services.record_use(resource=resource, key=key_of("event", event.pk), by=by)
    link.resource = resource
    link.save(update_fields=["resource"])
    return resource


# --- The unconference grid ---------------------------------------------------------------------


@transaction.atomic
def add_room(*, event: Event, by: User, name: str, capacity: int) -> Room:
    _require(by, "arrange_grid", event)
    if not name.strip():
        raise EventError(_("Enter the room's name."), field="name")
    if capacity < 1:
        raise EventError(_("A room seats at least 1."), field="capacity")
    position = event.rooms.count()
    return Room.objects.create(event=event, name=name.strip(), capacity=capacity, position=position)


@transaction.atomic
def add_slot(*, event: Event, by: User, starts_at: dt.datetime, ends_at: dt.datetime) -> Slot:
    _require(by, "arrange_grid", event)
    if ends_at <= starts_at:
        raise EventError(_("The slot must end after it starts."), field="ends_at")
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise EventError(_("The slot must be within the event's times."), field="starts_at")
    return Slot.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def pitch_session(*, event: Event, by: User, title: str, about: str, host_name: str) -> Session:
    _require(by, "pitch", event)
    if not title.strip():
        raise EventError(_("Enter a title for your session."), field="title")
    if not about.strip():
        raise EventError(_("Say what the session is about."), field="about")
    if not host_name.strip():
        raise EventError(_("Enter your name as it should be shown."), field="host_name")
    session = Session.objects.create(
        event=event, title=title.strip(), about=about.strip(), host=by, host_name=host_name.strip()
    )
    # The host is interested in their own session: it counts towards the room it needs.
    Interest.objects.create(session=session, user=by)
    return session


@transaction.atomic
def set_interest(*, session: Session, user: User, interested: bool) -> bool:
    _require(user, "mark_interest", session)
    if interested:
        Interest.objects.get_or_create(session=session, user=user)
    else:
        Interest.objects.filter(session=session, user=user).delete()
    return interested


@transaction.atomic
def place_session(*, session: Session, by: User, room: Room | None, slot: Slot | None) -> Session:
    """Put a session in a room and a slot (both None takes it off the grid). Clashes are allowed
    and flagged on the grid, so an organiser can move two sessions in either order."""
    _require(by, "arrange_grid", session.event)
    if (room is None) != (slot is None):
        raise EventError(_("Choose both a room and a time, or neither."), field="room")
    if room is not None and room.event_id != session.event_id:
        raise EventError(_("That room is at another event."), field="room")
    if slot is not None and slot.event_id != session.event_id:
        raise EventError(_("That time is at another event."), field="slot")
    session.room, session.slot = room, slot
    session.save(update_fields=["room", "slot"])
    return session


@transaction.atomic
def save_session_notes(*, session: Session, by: User, text: str) -> SessionNoteRevision:
    """A new revision of the notes; earlier ones stay, to be read in the history."""
    _require(by, "edit_notes", session)
    # One edit at a time per session, so two people saving at once get numbers 2 and 3.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    latest = SessionNoteRevision.objects.filter(session=session).order_by("-number").first()
    if latest is not None and latest.text == text:
        return latest
    return SessionNoteRevision.objects.create(
        session=session, number=(latest.number + 1) if latest else 1, text=text, author=by
    )
