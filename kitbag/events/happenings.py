"""What events announce (kitbag/core/happenings.py), and events and series as followable.

Every event is public, so neither kind has a visibility rule. An event's free tags are announced
under the shared "tag" kind, spelt as the resource library spells its tags (its tag page is the
one a "tag:" key links to), so following "digital-inclusion" hears of events and resources alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kitbag.accounts.happenings import public_person_keys
from kitbag.core.happenings import (
    Followable,
    Happening,
    key_of,
    publish_happening,
    register_followable,
)
from kitbag.events.models import Event, Series
from kitbag.resources.addresses import normalise_tag


def keys_of(event: Event) -> list[str]:
    """The followable keys an event concerns: itself, its organiser, services, tags and series."""
    keys = [key_of("event", event.pk)]
    if event.organisation_id is not None:
        keys.append(key_of("organisation", event.organisation_id))
    keys.extend(
        key_of("service", code)
        for code in event.services.order_by("code").values_list("code", flat=True)
    )
    tags = {normalise_tag(name) for name in event.tags.values_list("name", flat=True)}
    keys.extend(key_of("tag", tag) for tag in sorted(tags) if tag)
    if event.series_id is not None:
        keys.append(key_of("series", event.series_id))
    # A person organising it reaches their followers (only while their profile is public).
    keys.extend(public_person_keys([event.organiser_id]))
    return keys


def announce_event(event: Event) -> None:
    publish_happening(
        Happening(
            kind="event-announced",
            title=_("%(organiser)s announced an event: %(title)s")
            % {"organiser": event.organised_by or _("Someone"), "title": event.title},
            summary=event.summary,
            url=event.get_absolute_url(),
            happened_at=event.created_at,
            concerns=keys_of(event),
            visible_through=("event", event.pk),
        )
    )


def _describe_events(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): (title, reverse("events:event_detail", kwargs={"slug": slug}))
        for pk, title, slug in Event.objects.filter(pk__in=wanted).values_list(
            "pk", "title", "slug"
        )
    }


def _describe_series(ids: Iterable[str]) -> Mapping[str, tuple[str, str]]:
    # A series has no page of its own: the events list filtered to it stands for it.
    wanted = [int(i) for i in ids if i.isdigit()]
    events = reverse("events:event_list")
    return {
        str(pk): (name, f"{events}?{urlencode({'series': slug})}")
        for pk, name, slug in Series.objects.filter(pk__in=wanted).values_list("pk", "name", "slug")
    }


def register() -> None:
    register_followable(
        Followable(kind="event", label=gettext_lazy("Event"), describe=_describe_events)
    )
    register_followable(
        Followable(kind="series", label=gettext_lazy("Event series"), describe=_describe_series)
    )
