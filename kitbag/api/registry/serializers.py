"""How registry records look in the API. Read-only: the public API never writes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from kitbag.api.fields import (
    BlankAsNullChoiceField,
    BlankAsNullURLField,
    LinkField,
    absolute_url,
)
from kitbag.registry.models import (
    Identifier,
    IdentifierScheme,
    Nation,
    Organisation,
    OrganisationKind,
    OrganisationName,
    ParentLink,
    ParentRelation,
    Succession,
)


class OrganisationReferenceSerializer(serializers.ModelSerializer[Organisation]):
    """Just enough to name a related body and follow the link."""

    url = LinkField("api_organisation_detail", help_text="This body's record in the API.")
    html_url = serializers.SerializerMethodField(help_text="This body's page on Kitbag.")
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "code", "current", "url", "html_url"]
        read_only_fields = fields

    def get_html_url(self, organisation: Organisation) -> str:
        return absolute_url(self.context, organisation.get_absolute_url())


class OrganisationSerializer(OrganisationReferenceSerializer):
    """A row of the organisation list: every column is on the organisation itself."""

    type = serializers.CharField(source="classification_code", read_only=True)
    type_name = serializers.CharField(source="classification_name", read_only=True)
    website = BlankAsNullURLField(help_text="The body's own website; null when not known.")
    nation = BlankAsNullChoiceField(Nation.choices, help_text="UK nation; null when not known.")

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "code",
            "type",
            "type_name",
            "nation",
            "region",
            "start_date",
            "end_date",
            "current",
            "website",
            "population",
            "url",
            "html_url",
        ]
        read_only_fields = fields


class IdentifierSerializer(serializers.ModelSerializer[Identifier]):
    scheme = serializers.ChoiceField(choices=IdentifierScheme.choices, read_only=True)
    scheme_label = serializers.CharField(source="get_scheme_display", read_only=True)
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = Identifier
        fields = ["scheme", "scheme_label", "value", "current"]
        read_only_fields = fields


class NameSerializer(serializers.ModelSerializer[OrganisationName]):
    official = serializers.BooleanField(source="is_official", read_only=True)

    class Meta:
        model = OrganisationName
        fields = ["name", "language", "official", "source"]
        read_only_fields = fields


class ParentSerializer(serializers.ModelSerializer[ParentLink]):
    relation = serializers.ChoiceField(choices=ParentRelation.choices, read_only=True)
    organisation = OrganisationReferenceSerializer(source="parent", read_only=True)

    class Meta:
        model = ParentLink
        fields = ["relation", "organisation"]
        read_only_fields = fields


class ChildSerializer(serializers.ModelSerializer[ParentLink]):
    relation = serializers.ChoiceField(choices=ParentRelation.choices, read_only=True)
    organisation = OrganisationReferenceSerializer(source="child", read_only=True)

    class Meta:
        model = ParentLink
        fields = ["relation", "organisation"]
        read_only_fields = fields


class PredecessorSerializer(serializers.ModelSerializer[Succession]):
    organisation = OrganisationReferenceSerializer(source="predecessor", read_only=True)

    class Meta:
        model = Succession
        fields = ["date", "organisation"]
        read_only_fields = fields


class SuccessorSerializer(serializers.ModelSerializer[Succession]):
    organisation = OrganisationReferenceSerializer(source="successor", read_only=True)

    class Meta:
        model = Succession
        fields = ["date", "organisation"]
        read_only_fields = fields


class DemocracySystemSerializer(serializers.Serializer[Organisation]):
    cms = serializers.CharField(source="democracy_cms", help_text="e.g. ModernGov, CMIS.")
    url = BlankAsNullURLField(
        source="democracy_url", help_text="Base URL of the democracy site; null when not known."
    )


class OrganisationDetailSerializer(OrganisationSerializer):
    identifiers = IdentifierSerializer(many=True, read_only=True)
    names = NameSerializer(many=True, read_only=True)
    parents = ParentSerializer(source="parent_links", many=True, read_only=True)
    children = ChildSerializer(source="child_links", many=True, read_only=True)
    predecessors = PredecessorSerializer(source="predecessor_links", many=True, read_only=True)
    successors = SuccessorSerializer(source="successor_links", many=True, read_only=True)
    democracy_system = serializers.SerializerMethodField(
        help_text="The council's committee and meetings system; null when not known."
    )

    class Meta:
        model = Organisation
        fields = [
            *OrganisationSerializer.Meta.fields,
            "latitude",
            "longitude",
            "democracy_system",
            "identifiers",
            "names",
            "parents",
            "children",
            "predecessors",
            "successors",
        ]
        read_only_fields = fields

    @extend_schema_field(DemocracySystemSerializer(allow_null=True))
    def get_democracy_system(self, organisation: Organisation) -> dict[str, Any] | None:
        if not (organisation.democracy_cms or organisation.democracy_url):
            return None
        return dict(DemocracySystemSerializer(organisation).data)


class MatchSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="Official name.")
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    code = serializers.CharField(help_text="The body's primary code for its kind.")
    score = serializers.FloatField(min_value=0, max_value=1, help_text="Confidence, 0 to 1.")
    url = LinkField("api_organisation_detail", help_text="This body's record in the API.")


class ResolutionSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(help_text="The name as given.")
    best = MatchSerializer(
        allow_null=True, help_text="The confident match, or null when there is none."
    )
    alternatives = MatchSerializer(many=True, help_text="Other candidates, best first.")


class QueryIntegerField(serializers.IntegerField):
    """An empty value is an error; only a parameter left out takes the default."""

    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class ResolveQuerySerializer(serializers.Serializer[Any]):
    # Spaces around a name are dropped, so a name of nothing but spaces is no name at all.
    name = serializers.RegexField(
        r"\S", max_length=300, help_text="Any name for a public body, e.g. 'LB Camden'."
    )
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        required=False,
        allow_blank=True,  # as on the list, where an empty kind means any kind
        help_text="Only match bodies of this kind; empty or absent means any kind.",
    )
    limit = QueryIntegerField(
        min_value=1, max_value=20, default=5, help_text="How many candidates to consider."
    )
