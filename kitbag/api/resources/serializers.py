"""How resources look in the API: what the reader may see of each, and nothing more."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.api.fields import LinkField, absolute_url
from kitbag.resources import queries
from kitbag.resources.models import LinkState, Resource


class RecommendationSerializer(serializers.Serializer[queries.ShownRecommendation]):
    by = serializers.CharField(
        help_text='The recommender\'s public name, or "A Kitbag member" without a public profile.'
    )
    why = serializers.CharField()
    is_private = serializers.BooleanField(help_text="True only on your own private bookmarks.")
    is_yours = serializers.BooleanField()
    tags = serializers.ListField(child=serializers.CharField())


class UsedBySerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="case, consultation, partnership or event.")
    title = serializers.CharField(source="label")
    url = serializers.CharField(help_text="The page of what used it.")


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    tags = serializers.SerializerMethodField(
        help_text="The tags of the recommendations you may see, sorted."
    )
    link_state = serializers.ChoiceField(choices=LinkState.choices, read_only=True)
    page_url = serializers.SerializerMethodField()
    api_url = LinkField("api_resource_detail", url_kwargs={"pk": "pk"})
    used_by = serializers.SerializerMethodField(
        help_text=(
            "The cases, consultations, partnerships and events that used it, those you may see."
        )
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "url",
            "title",
            "description",
            "tags",
            "is_public",
            "link_state",
            "checked_at",
            "created_at",
            "page_url",
            "api_url",
            "used_by",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, resource: Resource) -> list[str]:
        return queries.tags_of(resource)

    def get_page_url(self, resource: Resource) -> str:
        return absolute_url(self.context, resource.get_absolute_url())

    @extend_schema_field(UsedBySerializer(many=True))
    def get_used_by(self, resource: Resource) -> Any:
        # Read for the whole page at once by the view (`used_by_of`: resource id to links).
        links = self.context.get("used_by_of", {}).get(resource.pk, [])
        data = UsedBySerializer(links, many=True).data
        for item in data:
            item["url"] = absolute_url(self.context, item["url"])
        return data


class ResourceDetailSerializer(ResourceSerializer):
    recommendations = serializers.SerializerMethodField()
    used_by = serializers.SerializerMethodField()

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "recommendations"]

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, resource: Resource) -> Any:
        shown = queries.shown_recommendations(resource, self.context["viewer"])
        return RecommendationSerializer(cast(Any, shown), many=True).data


class ResourcePageSerializer(serializers.Serializer[Any]):
    """One page of the resource list (documentation of the shape only)."""

    count = serializers.IntegerField(help_text="Resources matching, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ResourceSerializer(many=True)
