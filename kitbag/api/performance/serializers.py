"""How published performance figures look in the API. Read-only; both sources are evaluation only,
and every answer says so."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kitbag.api.fields import LinkField
from kitbag.performance.models import (
    ComparisonGroup,
    Indicator,
    Observation,
    Outcome,
    Partnership,
    PartnershipMember,
    Polarity,
    Target,
)
from kitbag.performance.queries import Compared


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    polarity = serializers.ChoiceField(
        choices=Polarity.choices,
        help_text="higher, lower, midpoint (closest to `midpoint` is best) or none (contextual).",
    )
    # Declared, so the schema does not take the database's own limit (it differs by backend).
    decimal_places = serializers.IntegerField(help_text="Places to show the value to.")
    evaluation_only = serializers.BooleanField(
        source="is_evaluation_only",
        read_only=True,
        help_text="True for a published source's indicator imported to evaluate Kitbag: its "
        "figures are not republished (observations_url answers 403 saying so).",
    )
    observations_url = LinkField("api_indicator_observations")
    page_url = LinkField("performance:indicator_detail")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "slug",
            "source",
            "name",
            "category",
            "unit",
            "show_as_percent",
            "polarity",
            "midpoint",
            "decimal_places",
            "numerator_label",
            "denominator_label",
            "numerator_multiplier",
            "denominator_multiplier",
            "family_type",
            "licence",
            "evaluation_only",
            "observations_url",
            "page_url",
        ]


class ObservationsQuerySerializer(serializers.Serializer[Any]):
    period = serializers.CharField(
        required=False, max_length=16, help_text="The source's period label, e.g. 2021-22."
    )
    organisation = serializers.CharField(
        required=False,
        max_length=128,
        help_text="A council's registry code (mySociety local authority code), e.g. KEN.",
    )


class ObservationSerializer(serializers.Serializer[Compared]):
    """One council's figure with Kitbag's comparison against the nation and the publisher's own."""

    period = serializers.CharField(source="observation.period_label")
    period_interval = serializers.CharField(
        source="observation.period", help_text="ISO 8601, e.g. 2016-04-01/P1Y."
    )
    # Null for a partner's figure about an area (gss says which) rather than a body.
    organisation = serializers.CharField(
        source="observation.organisation.code", default=None, allow_null=True
    )
    organisation_name = serializers.CharField(
        source="observation.organisation.name", default=None, allow_null=True
    )
    gss = serializers.CharField(source="observation.gss")
    value = serializers.FloatField(source="observation.value", allow_null=True)
    numerator = serializers.FloatField(source="observation.numerator", allow_null=True)
    denominator = serializers.FloatField(source="observation.denominator", allow_null=True)
    status = serializers.CharField(source="observation.status")
    status_reason = serializers.CharField(source="observation.status_reason")
    median = serializers.FloatField(allow_null=True, help_text="Kitbag's, suspect values left out.")
    mad = serializers.FloatField(allow_null=True, help_text="The raw national MAD.")
    mads_from_median = serializers.FloatField(source="d", allow_null=True)
    band = serializers.CharField(source="band.value")
    wording = serializers.CharField(source="wording.text")
    needs_written_text = serializers.BooleanField(source="wording.needs_person")
    rank = serializers.IntegerField(allow_null=True, help_text="1 is best; ties share a rank.")
    family_group = serializers.CharField(source="observation.family_group")
    family_group_average = serializers.FloatField(allow_null=True)
    national_value = serializers.FloatField(allow_null=True)
    national_method = serializers.CharField()
    published_median = serializers.FloatField(
        source="observation.published_median", allow_null=True
    )
    published_mads_from_median = serializers.FloatField(
        source="observation.published_mads", allow_null=True
    )
    published_family_group_average = serializers.FloatField(
        source="observation.published_group_average", allow_null=True
    )
    published_national_value = serializers.FloatField(
        source="observation.published_national", allow_null=True
    )
    source_file = serializers.CharField(source="observation.source_file")
    source_row = serializers.IntegerField(source="observation.source_row", allow_null=True)


class PartnershipMemberSerializer(serializers.ModelSerializer[PartnershipMember]):
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")

    class Meta:
        model = PartnershipMember
        fields = ["organisation", "organisation_name", "role", "joined_on"]


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    page_url = LinkField("performance:partnership_detail")
    detail_url = LinkField("api_partnership_detail")
    observations_url = LinkField("api_partnership_observations")
    targets_url = LinkField("api_partnership_targets")

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "name",
            "description",
            "area_gss",
            "area_description",
            "visibility",
            "page_url",
            "detail_url",
            "observations_url",
            "targets_url",
        ]


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    indicators = serializers.SerializerMethodField(help_text="Codes of the indicators you can see.")

    class Meta:
        model = Outcome
        fields = ["slug", "title", "description", "area_gss", "area_description", "indicators"]

    def get_indicators(self, outcome: Outcome) -> list[str]:
        visible = self.context.get("visible_indicator_ids", set())
        return [i.code for i in outcome.indicators.all() if i.pk in visible]


class PartnershipIndicatorSerializer(serializers.ModelSerializer[Indicator]):
    owner = serializers.CharField(source="owner_organisation.code", default=None, allow_null=True)
    decimal_places = serializers.IntegerField(help_text="Places to show the value to.")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "slug",
            "name",
            "definition",
            "unit",
            "polarity",
            "midpoint",
            "decimal_places",
            "numerator_label",
            "denominator_label",
            "source_name",
            "source_url",
            "licence",
            "visibility",
            "owner",
        ]


class PartnershipDetailSerializer(PartnershipSerializer):
    members = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()

    class Meta(PartnershipSerializer.Meta):
        fields = [*PartnershipSerializer.Meta.fields, "members", "outcomes", "indicators"]

    def get_members(self, partnership: Partnership) -> list[dict[str, Any]]:
        return list(
            PartnershipMemberSerializer(
                self.context["members"], many=True, context=self.context
            ).data
        )

    def get_outcomes(self, partnership: Partnership) -> list[dict[str, Any]]:
        return list(
            OutcomeSerializer(self.context["outcomes"], many=True, context=self.context).data
        )

    def get_indicators(self, partnership: Partnership) -> list[dict[str, Any]]:
        return list(
            PartnershipIndicatorSerializer(
                self.context["indicators"], many=True, context=self.context
            ).data
        )


class PartnerFigureSerializer(serializers.ModelSerializer[Observation]):
    """A partner's figure (or any figure of a partnership's indicator) as the reader may see it."""

    indicator = serializers.CharField(source="indicator.code")
    organisation = serializers.CharField(source="organisation.code", default=None, allow_null=True)
    owner = serializers.CharField(source="owner_organisation.code", default=None, allow_null=True)
    period_interval = serializers.CharField(source="period", help_text="ISO 8601.")

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "organisation",
            "gss",
            "period_interval",
            "period_label",
            "value",
            "numerator",
            "denominator",
            "status",
            "note",
            "sign_off",
            "visibility",
            "embargo_until",
            "owner",
            "published_at",
        ]


class TargetSerializer(serializers.ModelSerializer[Target]):
    """What a partnership indicator's owner aims for, for one body or area in one period: seen by
    whoever may see the indicator, as its figures are."""

    indicator = serializers.CharField(source="indicator.code")
    organisation = serializers.CharField(source="organisation.code", default=None, allow_null=True)
    period_interval = serializers.CharField(source="period", help_text="ISO 8601.")

    class Meta:
        model = Target
        fields = [
            "indicator",
            "organisation",
            "gss",
            "period_interval",
            "period_label",
            "period_start",
            "value",
            "note",
            "set_at",
        ]


class ComparisonGroupSerializer(serializers.ModelSerializer[ComparisonGroup]):
    owner = serializers.CharField(source="owner_organisation.code")
    owner_name = serializers.CharField(source="owner_organisation.name")
    council_count = serializers.IntegerField()
    page_url = LinkField("performance:group_detail")
    detail_url = LinkField("api_comparison_group_detail")

    class Meta:
        model = ComparisonGroup
        fields = [
            "slug",
            "name",
            "description",
            "owner",
            "owner_name",
            "visibility",
            "council_count",
            "page_url",
            "detail_url",
        ]


class GroupCouncilSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()


class ComparisonGroupDetailSerializer(ComparisonGroupSerializer):
    councils = serializers.SerializerMethodField()

    class Meta(ComparisonGroupSerializer.Meta):
        fields = [*ComparisonGroupSerializer.Meta.fields, "councils"]

    def get_councils(self, group: ComparisonGroup) -> list[dict[str, Any]]:
        return list(GroupCouncilSerializer(self.context["councils"], many=True).data)
