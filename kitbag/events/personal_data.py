"""What the events part holds about a person, for their personal data download, and what it
does before their account is erased."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kitbag.accounts.models import User
from kitbag.events.models import Event, Interest, Session, SessionNoteRevision, SignUp


def collect(user: User) -> dict[str, Any]:
    return {
        "sign_ups": [
            {"event": sign_up.event.title, "status": sign_up.status, "at": sign_up.created_at}
            for sign_up in SignUp.objects.filter(user=user).select_related("event")
        ],
        "events_organised": list(
            Event.objects.filter(organiser=user).values_list("title", flat=True)
        ),
        "sessions_hosted": [
            {"title": s.title, "about": s.about, "host_name": s.host_name}
            for s in Session.objects.filter(host=user)
        ],
        "sessions_of_interest": list(
            Interest.objects.filter(user=user).values_list("session__title", flat=True)
        ),
        "session_notes_written": [
            {"session": r.session.title, "revision": r.number, "text": r.text}
            for r in SessionNoteRevision.objects.filter(author=user).select_related("session")
        ],
    }


def erase(user: User) -> None:
    """Before an account goes: its places are given up (the waiting list moves up), and the
    names it gave for its sessions and events are taken off; the sessions and events stay."""
    from kitbag.events.services import cancel_sign_up

    for sign_up in SignUp.objects.filter(user=user).select_related("event"):
        cancel_sign_up(event=sign_up.event, user=user)
    former = str(_("A former Kitbag member"))
    Session.objects.filter(host=user).update(host_name=former, host=None)
    Event.objects.filter(organiser=user).update(organiser_name=former, organiser=None)
