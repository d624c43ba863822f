"""What the events part holds about a person, for their personal data download."""

from __future__ import annotations

from typing import Any

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
