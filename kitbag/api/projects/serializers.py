"""The shapes of projects in the API: what the project page shows, rating computed and overridden."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.accounts.permissions import can
from kitbag.projects import queries
from kitbag.projects.models import Milestone, Project


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer[Project]):
    owner_organisation = serializers.CharField(
        source="owner_organisation.slug", help_text="Registry slug."
    )
    owner_organisation_name = serializers.CharField(source="owner_organisation.name")
    partnership = serializers.SerializerMethodField()
    partner_organisations = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)
    rating = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    combined_into = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "title",
            "description",
            "owner_organisation",
            "owner_organisation_name",
            "partnership",
            "partner_organisations",
            "outcomes",
            "services",
            "area_gss",
            "status",
            "visibility",
            "is_priority",
            "budget",
            "spend_to_date",
            "start_on",
            "end_on",
            "milestones",
            "rating",
            "url",
            "combined_into",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_partnership(self, project: Project) -> str | None:
        return project.partnership.slug if project.partnership else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_partner_organisations(self, project: Project) -> list[str]:
        return [o.slug for o in project.partner_organisations.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_services(self, project: Project) -> list[str]:
        return [s.code for s in project.services.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_outcomes(self, project: Project) -> list[str]:
        return [o.slug for o in project.outcomes.all()]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "shown": {"type": "string", "enum": ["red", "amber", "green", ""]},
                "computed": {"type": "string", "enum": ["red", "amber", "green", ""]},
                "reasons": {"type": "array", "items": {"type": "string"}},
                "override": {"type": "string", "enum": ["red", "amber", "green", ""]},
                "override_reason": {"type": "string"},
                "override_at": {"type": "string", "format": "date-time", "nullable": True},
            },
        }
    )
    def get_rating(self, project: Project) -> dict[str, Any]:
        rated = queries.rated([project])[0]
        return {
            "shown": rated.shown,
            "computed": rated.computed.rating.label if rated.computed.rating else "",
            "reasons": list(rated.computed.reasons),
            "override": project.rag_override,
            "override_reason": project.rag_override_reason,
            "override_at": project.rag_override_at.isoformat() if project.rag_override_at else None,
        }

    @extend_schema_field(serializers.URLField())
    def get_url(self, project: Project) -> str:
        request = self.context.get("request")
        path = project.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text=(
                "The slug of the project this one was combined into (it is then in no list, "
                "kept as it was), or null: not combined, or combined into one the reader may "
                "not see."
            ),
        )
    )
    def get_combined_into(self, project: Project) -> str | None:
        kept = project.combined_into
        if kept is None:
            return None
        request = self.context.get("request")
        viewer = request.user if request is not None else None
        return kept.slug if can(viewer, "view", kept) else None
