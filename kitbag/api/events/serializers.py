"""Events in the API: what the event page shows, with times in Europe/London (with offsets)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from kitbag.events.models import Event, EventStatus, EventTag, Series
from kitbag.registry.models import Organisation
from kitbag.vocabularies.models import Code

LISTED_STATUS_CHOICES = [
    (status.value, status.label) for status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)
]


class EventSerializer(serializers.ModelSerializer[Event]):
    url = serializers.SerializerMethodField()
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    organised_by = serializers.CharField(read_only=True)
    series: serializers.SlugRelatedField[Series] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    services: serializers.SlugRelatedField[Code] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    tags: serializers.SlugRelatedField[EventTag] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    calendar_url = serializers.SerializerMethodField()
    # Declared, not read from the model: the model's field gives each database's own integer
    # range, and the schema must be the same on both.
    capacity = serializers.IntegerField(read_only=True, allow_null=True, min_value=0)
    # Drafts are never in the API: an event here is published or cancelled.
    status = serializers.ChoiceField(choices=LISTED_STATUS_CHOICES, read_only=True)
    cancelled_reason = serializers.CharField(
        read_only=True, help_text="Why it is cancelled, as its organisers said; blank otherwise."
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "kind",
            "starts_at",
            "ends_at",
            "organisation",
            "organised_by",
            "series",
            "attendance",
            "address",
            "nation",
            "region",
            "online_url",
            "booking",
            "booking_url",
            "capacity",
            "services",
            "tags",
            "calendar_url",
            "status",
            "cancelled_reason",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, event: Event) -> str:
        return self._absolute(event.get_absolute_url())

    def get_calendar_url(self, event: Event) -> str:
        return self._absolute(reverse("events:event_calendar", kwargs={"slug": event.slug}))

    def get_starts_at(self, event: Event) -> str:
        return timezone.localtime(event.starts_at).isoformat()

    def get_ends_at(self, event: Event) -> str:
        return timezone.localtime(event.ends_at).isoformat()


class EventDetailSerializer(EventSerializer):
    places_taken = serializers.SerializerMethodField()
    # Only people who made their profile public are named; the rest are in places_taken.
    named_attendees = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "places_taken", "named_attendees"]

    def get_places_taken(self, event: Event) -> int:
        return int(self.context["attendees"].confirmed)

    def get_named_attendees(self, event: Event) -> list[str]:
        named: Any = self.context["attendees"].named
        return list(named)
