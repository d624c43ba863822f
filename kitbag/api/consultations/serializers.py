"""The shapes of consultations in the API. Comments carry a display name, never an account."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.consultations.models import Comment, Consultation


class ConsultationSerializer(serializers.ModelSerializer[Consultation]):
    organisation = serializers.CharField(source="organisation.code", help_text="Registry code.")
    organisation_name = serializers.CharField(source="organisation.name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "title",
            "summary",
            "consulted",
            "organisation",
            "organisation_name",
            "status",
            "opens_at",
            "closes_at",
            "moderation",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, consultation: Consultation) -> str:
        request = self.context.get("request")
        path = consultation.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ParagraphSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(source="key")
    number = serializers.IntegerField(source="position")
    kind = serializers.CharField()
    text = serializers.CharField(source="markdown")


class ConsultationDetailSerializer(ConsultationSerializer):
    questions = serializers.ListField(child=serializers.CharField(), source="question_list")
    version = serializers.SerializerMethodField(help_text="The latest published version.")
    paragraphs = serializers.SerializerMethodField()
    statistics = serializers.SerializerMethodField()

    class Meta(ConsultationSerializer.Meta):
        fields = [
            *ConsultationSerializer.Meta.fields,
            "questions",
            "version",
            "paragraphs",
            "statistics",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, consultation: Consultation) -> int | None:
        version = self.context.get("version")
        return version.number if version is not None else None

    @extend_schema_field(ParagraphSerializer(many=True))
    def get_paragraphs(self, consultation: Consultation) -> Any:
        version = self.context.get("version")
        if version is None:
            return []
        return ParagraphSerializer(version.paragraphs.all(), many=True).data

    @extend_schema_field(serializers.DictField())
    def get_statistics(self, consultation: Consultation) -> dict[str, Any]:
        return dict(self.context.get("statistics", {}))


class QuoteSerializer(serializers.Serializer[Any]):
    exact = serializers.CharField(max_length=2000)
    prefix = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")
    suffix = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.ModelSerializer[Comment]):
    id = serializers.CharField(source="key")
    author = serializers.CharField(source="display_name")
    created = serializers.DateTimeField(source="created_at")
    version = serializers.IntegerField(source="version.number")
    paragraph = serializers.CharField(source="paragraph_key")
    quote = serializers.SerializerMethodField()
    # DRF takes declared fields off the class, so naming one "parent" (the contract's name) does
    # not shadow Field.parent at run time; only the type checker sees a clash.
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]
    official = serializers.BooleanField(source="is_official")
    anchor = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "created",
            "version",
            "paragraph",
            "quote",
            "parent",
            "official",
            "changed_in_version",
            "text",
            "anchor",
        ]
        read_only_fields = fields

    @extend_schema_field(QuoteSerializer(allow_null=True))
    def get_quote(self, comment: Comment) -> dict[str, str] | None:
        if not comment.quote_exact:
            return None
        return {
            "exact": comment.quote_exact,
            "prefix": comment.quote_prefix,
            "suffix": comment.quote_suffix,
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, comment: Comment) -> str | None:
        return comment.parent.key if comment.parent_id and comment.parent else None

    @extend_schema_field(serializers.DictField())
    def get_anchor(self, comment: Comment) -> dict[str, Any]:
        return {
            "version": comment.anchor_version,
            "paragraph": comment.anchor_paragraph or None,
            "status": comment.anchor_status or "unchanged",
        }


class CommentWriteSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000)
    paragraph = serializers.CharField(
        max_length=32, required=False, help_text="The paragraph's id (for a new comment)."
    )
    quote = QuoteSerializer(required=False, allow_null=True)
    parent = serializers.CharField(  # type: ignore[assignment]  # as above
        max_length=64, required=False, help_text="The id of the comment this replies to."
    )
    official = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Answer as the consulting organisation (its verified members only; a reply).",
    )
    changed_in_version = serializers.IntegerField(required=False, min_value=1, allow_null=True)
    display_name = serializers.CharField(
        max_length=80,
        required=False,
        help_text="The name shown with your comments; sending it consents to publishing them.",
    )


class ConsultationPageSerializer(serializers.Serializer[Any]):
    """One page of the consultation list (documentation of the shape only)."""

    count = serializers.IntegerField(help_text="Consultations matching, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ConsultationSerializer(many=True)


class CommentPageSerializer(serializers.Serializer[Any]):
    """One page of a consultation's comments (documentation of the shape only)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CommentSerializer(many=True)
