"""Who may do what with events and unconference sessions: rows added to the one permission table.

=======================  ======================  ==============================================
object                   action                  allowed
=======================  ======================  ==============================================
Event                    view                    anyone, once published (or cancelled); a
                                                 draft: its organisers
Event                    publish                 its organisers, while a draft
Event                    cancel                  its organisers, once published
(no object)              create_event            signed in (organised as themselves)
Organisation             organise_event          verified (active) members of it, any role
Event                    organise                its organisers: verified members of its
                                                 organisation, or the person organising; staff
Event                    sign_up                 signed in, when it books on Kitbag, is
                                                 published (not a draft, not cancelled) and has
                                                 not ended
Event                    add_link                its organisers
Event                    pitch                   signed in, a published unconference not yet
                                                 ended
Event                    arrange_grid            its organisers (rooms, slots, placing sessions)
Session                  view                    anyone
Session                  mark_interest           signed in, while its event is published and
                                                 has not ended
Session                  edit_notes              its host, those who marked interest, those
                                                 with a confirmed place, its organisers
=======================  ======================  ==============================================

Attendee lists name only people whose profile is public (`named_attendees` in queries.py);
everyone else is counted, never named, on every channel.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kitbag.accounts.models import Membership, MembershipRole
from kitbag.accounts.permissions import (
    Actor,
    Viewer,
    any_of,
    anyone,
    owner,
    register_rules,
    role_of,
    signed_in,
    staff,
    when,
)
from kitbag.events.models import (
    Booking,
    Event,
    EventStatus,
    Interest,
    Session,
    SignUp,
    SignUpStatus,
)
from kitbag.registry.models import Organisation

MEMBER = MembershipRole.MEMBER
EDITOR = MembershipRole.EDITOR
ADMIN = MembershipRole.ADMIN


def _itself(organisation: Organisation) -> int | None:
    return organisation.pk


def _organising_body(event: Event) -> int | None:
    return event.organisation_id


def _organising_person(event: Event) -> int | None:
    return event.organiser_id


def _is_published(event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED


def _books_here_and_not_over(event: Event) -> bool:
    return event.booking == Booking.KITBAG and _is_published(event) and not event.is_past


def _open_unconference(event: Event) -> bool:
    return event.is_unconference and _is_published(event) and not event.is_past


def _session_open(session: Session) -> bool:
    return _is_published(session.event) and not session.event.is_past


ORGANISERS = any_of(
    role_of(MEMBER, EDITOR, ADMIN, organisation_id=_organising_body),
    owner(_organising_person),
    staff,
)


def _was_there(actor: Actor, session: Session) -> bool:
    """The host, anyone who marked interest, anyone with a confirmed place at the event."""
    if actor.user is None:
        return False
    if actor.is_user(session.host_id):
        return True
    if Interest.objects.filter(session=session, user=actor.user).exists():
        return True
    return SignUp.objects.filter(
        event_id=session.event_id, user=actor.user, status=SignUpStatus.CONFIRMED
    ).exists()


EVENT_RULES: dict[tuple[type[Any] | None, str], Any] = {
    (Event, "view"): any_of(when(lambda event: not event.is_draft, anyone), ORGANISERS),
    (Event, "publish"): when(lambda event: event.is_draft, ORGANISERS),
    (Event, "cancel"): when(_is_published, ORGANISERS),
    (None, "create_event"): signed_in,
    (Organisation, "organise_event"): role_of(MEMBER, EDITOR, ADMIN, organisation_id=_itself),
    (Event, "organise"): ORGANISERS,
    (Event, "sign_up"): when(_books_here_and_not_over, signed_in),
    (Event, "add_link"): ORGANISERS,
    (Event, "pitch"): when(_open_unconference, signed_in),
    (Event, "arrange_grid"): when(lambda event: event.is_unconference, ORGANISERS),
    (Session, "view"): anyone,
    (Session, "mark_interest"): when(_session_open, signed_in),
    (Session, "edit_notes"): any_of(
        _was_there, lambda actor, session: ORGANISERS(actor, session.event)
    ),
}
register_rules(EVENT_RULES)


def visible_events(viewer: Viewer) -> QuerySet[Event]:
    """Every event the viewer may see, as one query's filter: the published and cancelled ones,
    and drafts they organise (the view rule above, as a queryset)."""
    actor = Actor.of(viewer)
    events = Event.objects.all()
    if actor.is_staff:
        return events
    announced = ~Q(status=EventStatus.DRAFT)
    if actor.user is None:
        return events.filter(announced)
    theirs = Membership.objects.active().filter(user=actor.user).organisation_ids()
    return events.filter(announced | Q(organiser=actor.user) | Q(organisation_id__in=theirs))


def organised_events(viewer: Viewer, *, own_only: bool = False) -> QuerySet[Event]:
    """Events the viewer organises (`ORGANISERS` as a queryset: verified members of the
    organising body, the organising person, staff). With `own_only`, staff get only their own."""
    actor = Actor.of(viewer)
    events = Event.objects.all()
    if actor.user is None:
        return events.none()
    if actor.is_staff and not own_only:
        return events
    theirs = Membership.objects.active().filter(user=actor.user).values("organisation_id")
    return events.filter(Q(organiser=actor.user) | Q(organisation_id__in=theirs))
