"""How meeting openness looks in the API. Read-only; reporters are never named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.meetings.models import (
    Activity,
    CouncilReply,
    LegalPosition,
    LegalRule,
    OpennessReport,
    PolicyBasis,
    PolicyStatus,
    PolicyVersion,
    ReportState,
)
from kitbag.meetings.openness.queries import Cell, CouncilOpenness
from kitbag.registry.models import Nation


def _absolute(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


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
        return _absolute(self.context, path)


class CellSerializer(serializers.Serializer[Cell]):
    activity = serializers.ChoiceField(choices=Activity.choices, read_only=True)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, read_only=True)
    origin = serializers.SerializerMethodField(
        help_text="council-policy, or statutory-position when no council policy is recorded."
    )
    stricter_than_law = serializers.BooleanField(read_only=True)
    legal_position = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_origin(self, cell: Cell) -> str:
        return "statutory-position" if cell.from_law else "council-policy"

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
        return _absolute(self.context, path)


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
        return _absolute(self.context, report.get_absolute_url())
