"""Events as users of the resource library's links ("event:<id>"; kitbag/resources/used_by.py):
a use is shown to whoever may see the event (a draft's to its organisers only); its organisers
record them. Notes, slides
and write-ups linked after an event are uses too (services.add_link)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from kitbag.events.models import Event
from kitbag.events.permissions import organised_events, visible_events
from kitbag.resources.used_by import EDITABLE_SHOWN, UsedByLink, register_use_kind


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit() and len(value) < 19]


def show_events(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    found = visible_events(viewer).filter(pk__in=_ids(ids)).only("pk", "title", "slug")
    return {
        str(event.pk): UsedByLink(kind="event", label=event.title, url=event.get_absolute_url())
        for event in found
    }


def editable(viewer: Any, ids: list[str] | None) -> dict[str, str]:
    found = organised_events(viewer, own_only=ids is None)
    if ids is not None:
        found = found.filter(pk__in=_ids(ids))
    else:
        found = found.order_by("-starts_at")[:EDITABLE_SHOWN]
    return {str(pk): title for pk, title in found.values_list("pk", "title")}


def identify(event: Event) -> str:
    return str(event.pk)


def own_links(event: Event) -> list[int | None]:
    """The resources the event page lists already, as its notes, slides and write-ups."""
    return list(event.links.values_list("resource_id", flat=True))


def register() -> None:
    register_use_kind(
        "event",
        show_events,
        label=gettext_lazy("Event"),
        editable=editable,
        page="event",
        identify=identify,
        listed_on_page=own_links,
    )
