"""Events as users of the resource library's links ("event:<id>"; kitbag/resources/used_by.py):
a use is shown to whoever may see the event (a draft's to its organisers only); its organisers
record them. Notes, slides and write-ups linked after an event are uses too (services.add_link)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kitbag.events.models import Event
from kitbag.events.permissions import organised_events, visible_events
from kitbag.resources.used_by import register_model_use_kind


def own_links(event: Event) -> list[int | None]:
    """The resources the event page lists already, as its notes, slides and write-ups."""
    return list(event.links.values_list("resource_id", flat=True))


def register() -> None:
    register_model_use_kind(
        "event",
        visible=lambda viewer: visible_events(viewer).only("pk", "title", "slug"),
        may_record=lambda viewer, own_only: organised_events(viewer, own_only=own_only),
        label_field="title",
        url=Event.get_absolute_url,
        choices_ordered_by="-starts_at",
        label=gettext_lazy("Event"),
        page="event",
        listed_on_page=own_links,
    )
