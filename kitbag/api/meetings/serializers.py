"""How meetings and meeting openness look in the API. Read-only: the public API never writes, and
reporters are never named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.api.fields import absolute_url
from kitbag.meetings.models import (
    Activity,
    Committee,
    CouncilReply,
    Document,
    DocumentKind,
    LegalPosition,
    LegalRule,
    Meeting,
    MeetingStatus,
    OpennessReport,
    PolicyBasis,
    PolicyStatus,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness import positions
from kitbag.meetings.openness.queries import Cell, CouncilOpenness
from kitbag.registry.models import Nation

# --- The meetings calendar ------------------------------------------------------------------


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
        return absolute_url(self.context, path)


# --- Meeting openness -----------------------------------------------------------------------


class OpennessQuerySerializer(serializers.Serializer[Any]):
    nation = serializers.ChoiceField(choices=Nation.choices, required=False)
    activity = serializers.ChoiceField(choices=Activity.choices, required=False)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, required=False)


class LegalRuleSerializer(serializers.ModelSerializer[LegalRule]):
    nation = serializers.ChoiceField(choices=Nation.choices, read_only=True)
    activity = serializers.ChoiceField(choices=Activity.choices, read_only=True)
    position = serializers.ChoiceField(choices=LegalPosition.choices, read_only=True)

    class Meta:
        model = LegalRule
        fields = [
            "nation",
            "activity",
            "position",
            "summary",
            "instrument",
            "provision",
            "url",
            "in_force_from",
        ]


class PolicyVersionSerializer(serializers.ModelSerializer[PolicyVersion]):
    activity = serializers.ChoiceField(choices=Activity.choices, read_only=True)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, read_only=True)
    basis = serializers.ChoiceField(choices=PolicyBasis.choices, read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    evidence_file_url = serializers.SerializerMethodField()
    verified_by = serializers.CharField(source="verified_by_label", read_only=True)
    source_report = serializers.IntegerField(
        source="source_report_id", read_only=True, allow_null=True
    )
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "activity",
            "version",
            "status",
            "conditions",
            "evidence_url",
            "evidence_file_url",
            "evidence_date",
            "basis",
            "source_report",
            "stricter_than_law",
            "verified_by",
            "recorded_at",
            "superseded_at",
            "current",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_file_url(self, version: PolicyVersion) -> str | None:
        if not version.evidence_file:
            return None
        path = reverse("meetings:openness_policy_evidence", kwargs={"pk": version.pk})
        return absolute_url(self.context, path)


class CellSerializer(serializers.Serializer[Cell]):
    activity = serializers.ChoiceField(choices=Activity.choices, read_only=True)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, read_only=True)
    origin = serializers.SerializerMethodField(
        help_text="council-policy, or statutory-position when no council policy is recorded."
    )
    # A field named `source` shadows Field.source for mypy only (as in cases' ProvenanceSerializer).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(s, s) for s in positions.SOURCES],
        read_only=True,
        help_text=(
            "What settles the status: policy (a recorded council policy), reports (a policy "
            "recorded from an accepted report), law (no policy, and the law of the council's "
            "nation settles it) or unknown (neither does)."
        ),
    )
    law = serializers.CharField(
        source="law_citation",
        read_only=True,
        help_text="The Act or regulations that settle the status, when source is law.",
    )
    stricter_than_law = serializers.BooleanField(read_only=True)
    legal_position = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_origin(self, cell: Cell) -> str:
        return cell.origin

    @extend_schema_field(serializers.ChoiceField(choices=LegalPosition.choices, allow_null=True))
    def get_legal_position(self, cell: Cell) -> str | None:
        return cell.rule.position if cell.rule else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, cell: Cell) -> int | None:
        return cell.version.number if cell.version else None


class CouncilOpennessSerializer(serializers.Serializer[CouncilOpenness]):
    organisation = serializers.CharField(source="council.code", read_only=True)
    slug = serializers.CharField(source="council.slug", read_only=True)
    name = serializers.CharField(source="council.name", read_only=True)
    nation = serializers.CharField(source="council.nation", read_only=True)
    activities = CellSerializer(source="cells", many=True, read_only=True)
    stricter_than_law = serializers.BooleanField(read_only=True)
    accepted_reports = serializers.IntegerField(read_only=True)
    html_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, row: CouncilOpenness) -> str:
        path = reverse("meetings:openness_council", kwargs={"slug": row.council.slug})
        return absolute_url(self.context, path)


class ActivityHistorySerializer(serializers.Serializer[Any]):
    activity = serializers.ChoiceField(source="cell.activity", choices=Activity.choices)
    position = CellSerializer(source="cell", read_only=True)
    law = LegalRuleSerializer(source="cell.rule", read_only=True, allow_null=True)
    history = PolicyVersionSerializer(many=True, read_only=True)


class CouncilPoliciesSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField(source="council.code", read_only=True)
    slug = serializers.CharField(source="council.slug", read_only=True)
    name = serializers.CharField(source="council.name", read_only=True)
    nation = serializers.CharField(source="council.nation", read_only=True)
    activities = ActivityHistorySerializer(many=True, read_only=True)


class ReplySerializer(serializers.ModelSerializer[CouncilReply]):
    class Meta:
        model = CouncilReply
        fields = ["text", "created_at"]


class OpennessReportSerializer(serializers.ModelSerializer[OpennessReport]):
    id = serializers.IntegerField(source="pk", read_only=True)
    organisation = serializers.CharField(source="council.code", read_only=True)
    committee = serializers.CharField(source="committee_label", read_only=True)
    activity = serializers.ChoiceField(choices=Activity.choices, read_only=True)
    state = serializers.ChoiceField(choices=ReportState.choices, read_only=True)
    claimed_status = serializers.ChoiceField(choices=PolicyStatus.choices, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = OpennessReport
        fields = [
            "id",
            "organisation",
            "committee",
            "observed_on",
            "activity",
            "claimed_status",
            "narrative",
            "evidence_url",
            "state",
            "replies",
            "created_at",
            "html_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, report: OpennessReport) -> str:
        return absolute_url(self.context, report.get_absolute_url())
