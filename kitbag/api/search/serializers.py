"""The shapes of the site-wide search in the API: each kind with its count, and each hit."""

from __future__ import annotations

import html
from typing import Any

from django.utils.html import strip_tags
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kitbag.search.queries import KindCount, KindHit


class KindCountSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(source="kind.doc_type", help_text="What `kind=` takes.")
    # A field named like Field.label, which the declaration replaces (DRF takes declared fields
    # off the class); the stubs see only the attribute.
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The kind's name, e.g. Cases."
    )
    count = serializers.IntegerField(help_text="How many of this kind match.")

    def get_label(self, count: KindCount) -> str:
        return str(count.kind.plural).capitalize()


class HitSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(source="doc_type")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField(
        help_text="Plain text: a passage around the words searched for."
    )
    is_public = serializers.BooleanField(
        help_text="False for what only the person asking may see (their draft, their "
        "partnership's): never false without credentials."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, hit: KindHit) -> str | None:
        if not hit.url:
            return None
        request: Any = self.context.get("request")
        return request.build_absolute_uri(hit.url) if request is not None else hit.url

    def get_snippet(self, hit: KindHit) -> str:
        # The search gives HTML, escaped, with <mark> around the words: the API gives text.
        return html.unescape(strip_tags(hit.snippet))


class SiteSearchPageSerializer(serializers.Serializer[Any]):
    """For the schema: what one page of the site-wide search holds."""

    count = serializers.IntegerField(
        help_text="Every match: of the kind asked for, or of every kind."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    suggestion = serializers.CharField(
        allow_null=True,
        help_text="The query with a word no document contains corrected to one some do "
        '("did you mean"), or null.',
    )
    kinds = KindCountSerializer(many=True, help_text="Every kind, with how many of it match.")
    results = HitSerializer(many=True)
