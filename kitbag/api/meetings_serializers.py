"""How meetings look in the API. Read-only: the public API never writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.meetings.models import (
    Committee,
    Document,
    DocumentKind,
    Meeting,
    MeetingStatus,
)


class MeetingsQuerySerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField(
        required=False,
        max_length=16,
        help_text="A council's local authority code (mySociety), e.g. MAN. Leave out for every council.",
    )
    # "from" is a Python keyword, so the fields are named in to_internal_value's output instead.
    date_from = serializers.DateField(
        required=False, help_text="Meetings on or after this date, YYYY-MM-DD."
    )
    date_to = serializers.DateField(
        required=False, help_text="Meetings on or before this date, YYYY-MM-DD."
    )

    def to_internal_value(self, data: Any) -> Any:
        renamed = {
            "organisation": data.get("organisation"),
            "date_from": data.get("from"),
            "date_to": data.get("to"),
        }
        try:
            return super().to_internal_value({k: v for k, v in renamed.items() if v is not None})
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {}
            names = {"date_from": "from", "date_to": "to"}
            raise serializers.ValidationError(
                {names.get(key, key): value for key, value in detail.items()}
            ) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise serializers.ValidationError({"to": ["The end date is before the start date."]})
        return attrs


class CommitteeSerializer(serializers.ModelSerializer[Committee]):
    id = serializers.IntegerField(source="pk", read_only=True)
    organisation = serializers.SerializerMethodField(
        help_text="The council's local authority code; null for a joint committee of a shared system."
    )
    joint = serializers.BooleanField(source="is_joint", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "title", "organisation", "joint"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_organisation(self, committee: Committee) -> str | None:
        return committee.council.code if committee.council else None


class DocumentSerializer(serializers.ModelSerializer[Document]):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)

    class Meta:
        model = Document
        fields = ["title", "url", "kind", "publication_date", "is_restricted"]


class LocalDateTimeField(serializers.DateTimeField):
    """ISO 8601 in Europe/London with its offset (+00:00 or +01:00), never shortened to Z."""

    def to_representation(self, value: dt.datetime) -> str | None:  # type: ignore[override]
        if value is None:
            return None
        return timezone.localtime(value).isoformat()


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    id = serializers.UUIDField(source="uid", read_only=True)
    committee = CommitteeSerializer(read_only=True)
    start = LocalDateTimeField(
        read_only=True, help_text="Start, ISO 8601 in Europe/London with its UTC offset."
    )
    end = LocalDateTimeField(read_only=True, allow_null=True, help_text="Planned end, if known.")
    date = serializers.DateField(source="start_date", read_only=True)
    time_known = serializers.BooleanField(
        read_only=True, help_text="False when the council gave only a date (start is midnight)."
    )
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    webcast = serializers.BooleanField(source="is_webcast", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    source_url = serializers.URLField(
        source="public_url", read_only=True, help_text="The meeting's page on the council's site."
    )
    html_url = serializers.SerializerMethodField(help_text="The meeting's page on Kitbag.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "date",
            "start",
            "end",
            "time_known",
            "status",
            "status_raw",
            "location",
            "room",
            "webcast",
            "documents",
            "source_url",
            "html_url",
        ]

    def get_html_url(self, meeting: Meeting) -> str:
        council = self.context.get("council") or meeting.committee.council
        slug = council.slug if council else meeting.system.councils.order_by("pk").first().slug  # type: ignore[union-attr]
        path = reverse("meetings:meeting_detail", kwargs={"slug": slug, "uid": meeting.uid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
